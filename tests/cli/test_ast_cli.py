"""`obscore ast` end to end: languages, cache, changed-only runs, gates."""
import json
import os
import shutil
import subprocess

PY = "def f(a):\n    if a:\n        return 1\n"


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return str(path)


def test_every_language_in_the_samples(run, data_dir):
    doc = run("ast", "--no-cache", os.path.join(data_dir, "ast")).json()
    by_name = {(os.path.basename(r["path"]), f["qualified_name"]): f
               for r in doc["results"] for f in r["functions"]}
    # Hand-checked values (see the comments in the sample files).
    assert by_name[("Sample.java", "Sample.score")]["cyclomatic"] == 10
    assert by_name[("sample.go", "Server.Start")]["cyclomatic"] == 6
    assert by_name[("sample.go", "Server.Start.handler")]["kind"] == "closure"
    assert by_name[("sample.cpp", "demo.Matrix.trace")]["max_nesting"] == 3
    assert by_name[("sample.rs", "Stack.pop_while")]["cognitive"] == 12
    assert by_name[("Sample.swift", "Cart.total")]["cyclomatic"] == 9
    assert by_name[("Sample.kt", "Repo.find")]["cyclomatic"] == 8
    assert by_name[("sample.ts", "total")]["cognitive"] == 6
    assert by_name[("sample.js", "pick")]["kind"] == "function"
    assert all(r["parse_errors"] == 0 for r in doc["results"])


def test_lang_override_and_include(run, tmp_path):
    f = write(tmp_path / "script", PY)
    doc = run("ast", "--lang", "python", f).json()
    assert doc["results"][0]["language"] == "python"
    write(tmp_path / "d" / "a.py", PY)
    write(tmp_path / "d" / "b.go", "package p\nfunc g() {}\n")
    doc = run("ast", "--include", "*.go", str(tmp_path / "d")).json()
    assert [os.path.basename(r["path"]) for r in doc["results"]] == ["b.go"]


def test_gitignore_is_honoured_and_no_ignore_turns_it_off(run, tmp_path):
    write(tmp_path / ".gitignore", "gen/\n")
    write(tmp_path / "gen" / "x.py", PY)
    write(tmp_path / "y.py", PY)
    assert run("ast", str(tmp_path)).json()["summary"]["files"] == 1
    assert run("ast", "--no-ignore", str(tmp_path)).json()["summary"]["files"] == 2


def test_cache_hits_on_second_run_and_survives_corruption(run, tmp_path):
    src = tmp_path / "src"
    for i in range(5):
        write(src / f"m{i}.py", PY + f"\ndef g{i}():\n    return {i}\n")
    cache = tmp_path / "cache"
    first = run("ast", "--cache-dir", str(cache), str(src)).json()
    assert first["summary"]["cache"] == {"enabled": True, "hits": 0, "misses": 5}
    second = run("ast", "--cache-dir", str(cache), str(src)).json()
    assert second["summary"]["cache"]["hits"] == 5
    assert second["results"] == first["results"]
    # Corrupt every entry: results stay right and the entries are rewritten.
    for root, _, files in os.walk(cache):
        for name in files:
            with open(os.path.join(root, name), "w") as fh:
                fh.write("obscore-ast-cache 1\tWRONG\nfile\t0\n")
    third = run("ast", "--cache-dir", str(cache), str(src)).json()
    assert third["summary"]["cache"]["hits"] == 0
    assert third["results"] == first["results"]
    assert run("ast", "--cache-dir", str(cache), str(src)).json()["summary"]["cache"]["hits"] == 5
    # A changed file misses; the others hit.
    write(src / "m0.py", PY + "\n# edited\n")
    assert run("ast", "--cache-dir", str(cache), str(src)).json()["summary"]["cache"]["hits"] == 4


def test_cache_default_location_and_no_cache(run, tmp_path):
    write(tmp_path / "a.py", PY)
    run("ast", str(tmp_path / "a.py"))
    assert (tmp_path / "xdg-cache" / "obscore" / "ast").is_dir()
    shutil.rmtree(tmp_path / "xdg-cache")
    doc = run("ast", "--no-cache", str(tmp_path / "a.py")).json()
    assert doc["summary"]["cache"]["enabled"] is False
    assert not (tmp_path / "xdg-cache").exists()


def test_changed_since_git_ref(run, tmp_path):
    repo = tmp_path / "repo"
    write(repo / "a.py", PY)
    write(repo / "b.py", PY)
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run(git[:3] + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "."], check=True)
    subprocess.run(git + ["commit", "-qm", "init"], check=True)
    write(repo / "b.py", PY + "\ndef more():\n    pass\n")
    write(repo / "c.py", PY)  # untracked
    doc = run("ast", "--changed-since", "HEAD", str(repo), cwd=str(repo)).json()
    assert sorted(os.path.basename(r["path"]) for r in doc["results"]) == ["b.py", "c.py"]
    bad = run("ast", "--changed-since", "no-such-ref", str(repo), cwd=str(repo))
    assert bad.code == 2 and "no-such-ref" in bad.err


def test_nesting_gate_and_multiple_findings(run, tmp_path):
    deep = "def f(a):\n" + "".join("    " * (i + 1) + "if a:\n" for i in range(4)) + "    " * 5 + "pass\n"
    r = run("ast", "--max-nesting", "3", "--max-cyclomatic", "3", write(tmp_path / "d.py", deep))
    assert r.code == 1
    rules = sorted(f["rule"] for f in r.json()["results"][0]["findings"])
    assert rules == ["max-cyclomatic", "max-nesting"]


def test_syntax_errors_warn_but_still_measure(run, tmp_path):
    r = run("ast", write(tmp_path / "bad.py", "def f(a):\n    if a\n        return 1\n"))
    assert r.code == 0
    doc = r.json()
    assert doc["results"][0]["parse_errors"] > 0
    assert doc["results"][0]["functions"]
    d = doc["diagnostics"][0]
    assert d["severity"] == "warning" and d["line"] == 2
    assert "bad.py:2:" in r.err


def test_concurrent_runs_share_one_cache_safely(binary, tmp_path):
    src = tmp_path / "src"
    for i in range(40):
        write(src / f"m{i}.py", PY + f"\ndef g{i}(x):\n    return x or {i}\n")
    cache = tmp_path / "cache"
    cmd = [binary, "ast", "--cache-dir", str(cache), str(src)]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(4)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1] for o in outs]
    results = [json.loads(o[0])["results"] for o in outs]
    assert all(r == results[0] for r in results)
    leftovers = [n for _, _, files in os.walk(cache) for n in files if ".tmp." in n]
    assert leftovers == []
    again = json.loads(subprocess.run(cmd, capture_output=True).stdout)
    assert again["summary"]["cache"]["hits"] == 40 and again["results"] == results[0]


def test_runaway_parser_recovery_is_skipped_with_a_warning(run, tmp_path, data_dir):
    # Found by fuzzing: control bytes past the binary-sniffing window sent tree-sitter-kotlin's
    # error recovery into unbounded growth. The parse budget stops it; the file is skipped.
    import os
    raw = open(os.path.join(data_dir, "ast", "fuzz", "kotlin-runaway-recovery.bin"), "rb").read()[1:]
    src = tmp_path / "Weird.kt"
    src.write_bytes(b"// an ordinary comment line, repeated past the first 8 KiB\n" * 200 + raw)
    r = run("--format", "json", "ast", "--no-cache", str(src))
    assert r.code == 0, r.err
    doc = r.json()
    assert doc["results"] == [] and doc["summary"]["skipped"] == 1
    assert "parser gave up" in r.err and str(src) in r.err


# One function holding one anonymous closure with an `if`, per language: by default the closure
# counts towards the function (one row, cyclomatic 2); with --closures rows it is a row of its
# own (the function 1, the closure 2), as ESLint and lizard report it.
CLOSURES = {
    "a.py": "def outer(xs):\n    return sorted(xs, key=lambda x: 1 if x else 2)\n",
    "A.java": "class A {\n  void outer(java.util.List<Integer> xs) {\n    xs.forEach(x -> { if (x > 0) use(x); });\n  }\n}\n",
    "a.kt": "fun outer(xs: List<Int>) {\n  xs.forEach { if (it > 0) use(it) }\n}\n",
    "a.swift": "func outer(xs: [Int]) {\n  xs.forEach { x in if x > 0 { use(x) } }\n}\n",
    "a.js": "function outer(xs) {\n  xs.forEach((x) => { if (x > 0) use(x); });\n}\n",
    "a.ts": "function outer(xs: number[]): void {\n  xs.forEach((x) => { if (x > 0) use(x); });\n}\n",
    "a.go": "package p\n\nfunc outer(xs []int) {\n\tfor_each(xs, func(x int) {\n\t\tif x > 0 {\n\t\t\tuse(x)\n\t\t}\n\t})\n}\n",
    "a.cpp": "void outer(std::vector<int>& xs) {\n  std::for_each(xs.begin(), xs.end(), [](int x) { if (x > 0) use(x); });\n}\n",
    "a.rs": "fn outer(xs: &[i32]) {\n    xs.iter().for_each(|x| if *x > 0 { use_it(x) });\n}\n",
}


def test_closures_merge_by_default_and_rows_on_request(run, tmp_path):
    for name, text in CLOSURES.items():
        write(tmp_path / name, text)
    merged = run("ast", "--no-cache", str(tmp_path)).json()
    rows = run("ast", "--no-cache", "--closures", "rows", str(tmp_path)).json()
    for doc_merged, doc_rows in zip(merged["results"], rows["results"]):
        name = os.path.basename(doc_merged["path"])
        fm = doc_merged["functions"]
        assert [f["name"] for f in fm] == ["outer"], name
        assert fm[0]["cyclomatic"] == 2, name
        fr = doc_rows["functions"]
        assert len(fr) == 2, (name, fr)
        assert fr[0]["name"] == "outer" and fr[0]["cyclomatic"] == 1, name
        assert fr[1]["kind"] == "closure" and fr[1]["cyclomatic"] == 2, (name, fr[1])
        assert fr[1]["qualified_name"].startswith(fr[0]["qualified_name"] + "."), name
    assert len(merged["results"]) == len(CLOSURES)


def test_closures_mode_is_part_of_the_cache_key(run, tmp_path):
    f = write(tmp_path / "a.kt", CLOSURES["a.kt"])
    cache = str(tmp_path / "cache")
    assert len(run("ast", "--cache-dir", cache, f).json()["results"][0]["functions"]) == 1
    assert len(run("ast", "--cache-dir", cache, "--closures", "rows", f).json()["results"][0]["functions"]) == 2
    assert len(run("ast", "--cache-dir", cache, f).json()["results"][0]["functions"]) == 1


def test_explain_lists_masks_and_reparsed_regions(run, tmp_path):
    f = write(tmp_path / "a.swift", "class A {\n#if os(iOS)\n  func a() {}\n#endif\n}\n")
    r = run("ast", "--no-cache", "--explain", f).json()["results"][0]
    assert r["parse_errors"] == 0
    assert r["assumptions"][0]["kind"] == "mask"
    assert "compilation directive" in r["assumptions"][0]["detail"]
    assert r["assumptions"][0]["line"] == 2 and r["assumptions"][0]["end_line"] == 4
    plain = run("ast", "--no-cache", f).json()["results"][0]
    assert "assumptions" not in plain


def test_accessor_rows_and_first_line(run, tmp_path):
    f = write(tmp_path / "A.kt", "class A {\n  @Deprecated(\"x\")\n  fun f() {}\n  val x: Int\n    get() = if (a) 1 else 2\n}\n")
    fns = run("ast", "--no-cache", f).json()["results"][0]["functions"]
    by = {g["qualified_name"]: g for g in fns}
    assert by["A.f"]["start_line"] == 3 and by["A.f"]["first_line"] == 2
    assert by["A.x.get"]["kind"] == "getter" and by["A.x.get"]["cyclomatic"] == 2
    assert "first_line" not in by["A.x.get"]
