"""Packaging: `cmake --install` into a temporary prefix gives a working binary, compressed man
pages and a bash completion that knows every subcommand; CPack builds a .deb whose Depends come
from dpkg-shlibdeps."""
import glob
import gzip
import json
import os
import re
import shutil
import subprocess

import pytest

BUILD = os.environ.get("OBSCORE_BUILD_DIR", "")
SUBCOMMANDS = ["ast", "logscan", "patterns", "correlate", "config", "crypto", "netscan"]


@pytest.fixture(scope="module")
def prefix(tmp_path_factory):
    if not BUILD or not os.path.isfile(os.path.join(BUILD, "cmake_install.cmake")):
        pytest.fail("OBSCORE_BUILD_DIR must name the configured build directory")
    root = tmp_path_factory.mktemp("prefix")
    subprocess.run(["cmake", "--install", BUILD, "--prefix", str(root)], check=True, capture_output=True)
    return root


def test_installed_binary_runs_a_real_job(prefix, data_dir, tmp_path):
    exe = prefix / "bin" / "obscore"
    assert os.access(exe, os.X_OK)
    version = subprocess.run([exe, "--version"], capture_output=True, text=True, check=True).stdout
    assert re.fullmatch(r"obscore \d+\.\d+\.\d+( \(git [0-9a-f]{7,}\))?\n", version), version
    src = tmp_path / "m.py"
    src.write_text("def f(x):\n    if x:\n        return 1\n    return 2\n")
    proc = subprocess.run([exe, "--format", "json", "ast", str(src)], capture_output=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert [(f["name"], f["cyclomatic"]) for f in report["results"][0]["functions"]] == [("f", 2)]


def test_man_pages_are_compressed_and_complete(prefix):
    pages = {os.path.basename(p) for p in glob.glob(str(prefix / "share/man/man1/*"))}
    assert pages == {f"obscore{'-' + s if s else ''}.1.gz" for s in [""] + SUBCOMMANDS}
    with gzip.open(prefix / "share/man/man1/obscore-netscan.1.gz", "rt") as f:
        text = f.read()
    assert re.search(r"^\.TH OBSCORE\\-NETSCAN 1", text, re.M), text[:200]


def test_schemas_are_installed_and_match_the_binary(prefix):
    """share/obscore/schemas holds one JSON Schema per subcommand, the same bytes as
    `obscore schema <cmd>` of the installed binary."""
    exe = prefix / "bin" / "obscore"
    names = subprocess.run([exe, "schema"], capture_output=True, text=True, check=True).stdout.split()
    assert set(SUBCOMMANDS) <= set(names)
    installed = sorted(os.listdir(prefix / "share/obscore/schemas"))
    assert installed == sorted(f"{n}.schema.json" for n in names)
    for n in names:
        printed = subprocess.run([exe, "schema", n], capture_output=True, check=True).stdout
        assert (prefix / "share/obscore/schemas" / f"{n}.schema.json").read_bytes() == printed, n


def test_bash_completion_knows_every_subcommand_and_choices(prefix):
    script = prefix / "share/bash-completion/completions/obscore"
    assert script.is_file()
    bash = shutil.which("bash")
    probe = (
        f"source {script}\n"
        "complete_at() { COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _obscore; echo \"${COMPREPLY[*]}\"; }\n"
        "cd /\n"  # no files named like subcommands in the way
        "complete_at obscore ''\n"
        "complete_at obscore --format nd\n"
        "complete_at obscore config lint --fail-on w\n"
        "complete_at obscore crypto hash --pro\n"
        "complete_at obscore schema corr\n"
    )
    out = subprocess.run([bash, "-c", probe], capture_output=True, text=True, check=True).stdout.splitlines()
    assert set(SUBCOMMANDS) <= set(out[0].split())
    assert out[1] == "ndjson"
    assert out[2] == "warning"
    assert out[3] == "--profile"
    assert out[4] == "correlate"  # the names `obscore schema` takes


def test_cpack_builds_a_deb_with_library_dependencies(tmp_path):
    proc = subprocess.run(["cpack", "--config", os.path.join(BUILD, "CPackConfig.cmake"), "-G", "DEB", "-B", str(tmp_path)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    debs = glob.glob(str(tmp_path / "*.deb"))
    assert len(debs) == 1
    info = subprocess.run(["dpkg-deb", "-f", debs[0], "Package", "Version", "Depends"], capture_output=True, text=True,
                          check=True).stdout
    assert "Package: obscore" in info
    depends = re.search(r"Depends: (.*)", info).group(1)
    for lib in ["libre2-", "libfyaml0", "libssl3", "libtbb12", "libargon2-1", "libsimdjson", "libstdc++6"]:
        assert lib in depends, (lib, depends)
    contents = subprocess.run(["dpkg-deb", "-c", debs[0]], capture_output=True, text=True, check=True).stdout
    for path in ["./usr/bin/obscore", "./usr/share/man/man1/obscore.1.gz",
                 "./usr/share/bash-completion/completions/obscore",
                 "./usr/share/obscore/schemas/ast.schema.json", "./usr/share/obscore/schemas/merge.schema.json"]:
        assert path in contents
