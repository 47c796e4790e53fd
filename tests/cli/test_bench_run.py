"""bench/run's own arithmetic and guards, without running any benchmark: the ratios both ways,
the table and its notes, the generated block in docs/BENCHMARKS.md, the openssl speed parser, and
the refusal to write docs/PERFORMANCE.md from a work tree with uncommitted changes."""
import importlib.machinery
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[2]
RUN = SOURCE / "bench" / "run"


def load(path: Path):
    loader = importlib.machinery.SourceFileLoader("bench_run_under_test", str(path))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[loader.name] = module  # dataclasses look their module up
    loader.exec_module(module)
    return module


br = load(RUN)


def m(name, wall, cpu, kind="peer", **kw):
    return br.Measure(name, wall, cpu, 2048, 3, [name], kind=kind, **kw)


def test_ratios_both_ways_wall_and_cpu():
    r = br.ratios(m("peer", 2.0, 0.5), m("obscore", 1.0, 1.0, "obscore"))
    assert r == {"wall_peer_over_obscore": 2.0, "wall_obscore_over_peer": 0.5,
                 "cpu_peer_over_obscore": 0.5, "cpu_obscore_over_peer": 2.0}


def test_ratio_with_a_zero_figure_is_none_not_a_division_error():
    r = br.ratios(m("peer", 2.0, 0.0), m("obscore", 1.0, 1.0, "obscore"))
    assert r["cpu_peer_over_obscore"] is None and r["cpu_obscore_over_peer"] is None
    assert r["wall_peer_over_obscore"] == 2.0


def test_losing_is_said_as_slower_and_more_cpu():
    assert br.fmt_vs(3.7, 1.0, "slower", "faster") == "3.70x faster"
    assert br.fmt_vs(1.0, 1.85, "slower", "faster") == "1.85x slower"
    assert br.fmt_vs(1.0, 3.2, "more CPU", "less CPU") == "3.20x more CPU"
    assert br.fmt_vs(25.0, 1.0, "slower", "faster") == "25.0x faster"
    assert br.fmt_vs(0.0, 1.0, "slower", "faster") == "-"


def test_table_has_a_line_per_tool_and_numbered_notes():
    row = br.Row("crypto", "encrypt 1 MiB", m("obscore", 1.0, 2.0, "obscore", threads="2 (-j)", threads_seen=2),
                 [m("age", 2.0, 1.0, threads="1"), m("openssl speed", 0.5, 1.0, derived=True)],
                 ["different ciphers"])
    t, notes = br.table([row])
    assert t[0][:3] == ["component", "job", "tool"]
    assert notes == ["different ciphers"]
    ob, age, ssl = t[1], t[2], t[3]
    assert ob[1] == "encrypt 1 MiB [1]" and ob[2] == "obscore" and ob[3] == "2 (-j)" and ob[4] == "2"
    assert ob[8:] == ["", ""]
    assert age[1] == "" and age[8:] == ["2.00x faster", "2.00x more CPU"]
    assert ssl[2] == "openssl speed (computed)" and ssl[8] == "2.00x slower"
    js = row.as_json()
    assert js["peers"][0]["wall_peer_over_obscore"] == 2.0 and js["peers"][0]["cpu_obscore_over_peer"] == 2.0
    assert js["obscore"]["median_cpu_s"] == 2.0 and js["obscore"]["threads"] == "2 (-j)"


def test_a_note_shared_by_two_jobs_is_listed_once():
    rows = [br.Row("config", job, m("obscore", 1.0, 1.0, "obscore"), [m("fy-tool", 1.0, 1.0)], ["same", other])
            for job, other in (("a", "first"), ("b", "second"))]
    t, notes = br.table(rows)
    assert notes == ["same", "first", "second"]
    assert t[1][1] == "a [1] [2]" and t[3][1] == "b [1] [3]"


def test_a_row_whose_obscore_run_failed_says_so():
    t, _ = br.table([br.Row("ast", "job", None, [m("radon", 1.0, 1.0)])])
    assert t[1][8:] == ["-", "-"]
    assert "no result" in t[2][2]


def test_generated_block_is_replaced_in_place_or_appended():
    block = br.summary_block("small", "now", {"describe": "abc123"},
                             [br.Row("ast", "job", m("obscore", 1.0, 1.0, "obscore"), [m("radon", 2.0, 1.0)])])
    assert block[0] == br.BLOCK_BEGIN and block[-1] == br.BLOCK_END
    assert any("abc123" in line for line in block)
    assert any("2.00x faster, 1.00x less CPU" in line for line in block)
    text = f"# B\n\nbefore\n\n{br.BLOCK_BEGIN}\nold figures\n{br.BLOCK_END}\n\nafter\n"
    new = br.replace_block(text, block)
    assert "old figures" not in new and new.startswith("# B\n\nbefore\n\n") and new.endswith("\n\nafter\n")
    assert br.replace_block(new, block) == new
    appended = br.replace_block("# B\n", block)
    assert appended.startswith("# B\n\n" + br.BLOCK_BEGIN)


def test_openssl_speed_rate_is_read_from_its_last_table_line():
    one = ("Doing AES-256-GCM for 2s on 65536 size blocks: 170000 AES-256-GCM's in 2.00s\n"
           "version: 3.0.17\n"
           "type          65536 bytes\n"
           "AES-256-GCM    5570560.00k\n")
    assert br.parse_openssl_speed(one) == pytest.approx(5570560.0e3)
    multi = ("Got: +H:65536 from 0\nGot: +F:22:AES-256-GCM:5500000.00 from 0\n"
             "type          65536 bytes\n"
             "evp           11000000.00k\n")
    assert br.parse_openssl_speed(multi) == pytest.approx(11.0e9)
    assert br.parse_openssl_speed("openssl: unknown option\n") is None


def test_threads_of_a_process_tree_are_counted():
    child = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        assert br.tree_threads(os.getpid()) >= 1
    finally:
        child.stdin.close()
        child.wait()


def git(repo, *args):
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
                   check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path):
    """A git repository holding a copy of bench/run, committed: a clean tree."""
    (tmp_path / "bench").mkdir()
    shutil.copy(RUN, tmp_path / "bench" / "run")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "bench")
    return tmp_path


def test_revision_is_recorded_and_a_clean_tree_may_write_docs(repo):
    rev = br.revision(repo)
    assert rev["commit"] and len(rev["commit"]) == 40
    assert rev["describe"] and not rev["describe"].endswith("-dirty")
    assert rev["dirty"] == []
    assert br.docs_refusal(rev) is None


def test_a_dirty_tree_is_refused(repo):
    (repo / "bench" / "run").write_text((repo / "bench" / "run").read_text() + "\n# edited\n")
    (repo / "new.txt").write_text("x")
    rev = br.revision(repo)
    assert rev["describe"].endswith("-dirty")
    why = br.docs_refusal(rev)
    assert why and "bench/run" in why and "new.txt" in why and "--no-docs" in why


def test_bench_runs_own_outputs_do_not_block_the_docs(repo):
    (repo / "bench" / "results").mkdir()
    (repo / "bench" / "results" / "small-ast.json").write_text("{}")
    (repo / "docs").mkdir()
    (repo / "docs" / "PERFORMANCE.md").write_text("# old\n")
    rev = br.revision(repo)
    assert rev["dirty"] and br.docs_refusal(rev) is None


def test_outside_git_there_is_no_revision_to_record(tmp_path):
    assert br.docs_refusal(br.revision(tmp_path)) == "not a git work tree (no revision to record)"


def test_the_command_refuses_before_building_anything(repo):
    (repo / "uncommitted.txt").write_text("x")
    proc = subprocess.run([sys.executable, str(repo / "bench" / "run"), "--scale", "small"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "refusing to write docs/PERFORMANCE.md" in proc.stderr and "uncommitted.txt" in proc.stderr
    assert not (repo / "build").exists() and not (repo / "bench" / "results").exists()


def test_docs_name_the_commit_and_fill_the_benchmarks_block(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "BENCHMARKS.md").write_text(f"# Benchmarks\n\n{br.BLOCK_BEGIN}\nold\n{br.BLOCK_END}\n\n## ast\n")
    rows = [br.Row("ast", "complexity", m("obscore", 1.0, 1.5, "obscore"), [m("radon", 3.0, 3.0)], ["a note"])]
    t, notes = br.table(rows)
    rev = {"commit": "0123456789abcdef0123456789abcdef01234567", "describe": "0123456", "dirty": []}
    info = {"cpu": "cpu", "cores": 2, "memory_gib": 1.0, "os": "Debian", "kernel": "6", "python": "Python 3",
            "versions": {"obscore": "obscore 0.1.0"}, "load_start": "1.0", "load_end": "2.0"}
    br.write_docs(docs / "PERFORMANCE.md", "full", "today", rev, info, t, notes, rows)
    perf = (docs / "PERFORMANCE.md").read_text()
    assert "at commit 0123456789abcdef0123456789abcdef01234567" in perf and "`git describe`: 0123456" in perf
    assert "| ast | complexity [1] | obscore |" in perf and "3.00x faster | 2.00x less CPU |" in perf
    assert "1. a note" in perf and "load average at the start 1.0, at the end 2.0" in perf
    bench = (docs / "BENCHMARKS.md").read_text()
    assert "old" not in bench and bench.endswith("\n\n## ast\n") and "3.00x faster, 2.00x less CPU" in bench
