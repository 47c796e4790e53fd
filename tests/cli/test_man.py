"""Every man page renders without groff warnings and documents what it must."""
import glob
import os
import subprocess

import pytest

SRC = os.environ.get("OBSCORE_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
PAGES = sorted(glob.glob(os.path.join(SRC, "man", "*.1")))


def test_pages_exist():
    names = {os.path.basename(p) for p in PAGES}
    assert {"obscore.1", "obscore-ast.1", "obscore-logscan.1", "obscore-patterns.1", "obscore-correlate.1", "obscore-config.1", "obscore-crypto.1", "obscore-netscan.1"} <= names


@pytest.mark.parametrize("page", PAGES, ids=os.path.basename)
def test_page_renders_without_warnings(page):
    proc = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", page], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0
    assert proc.stderr == ""


def test_main_page_documents_exit_codes_and_globals():
    text = open(os.path.join(SRC, "man", "obscore.1")).read()
    for needle in ["EXIT STATUS", "130", "--format", "--output", "--threads", "NO_COLOR",
                   "schema_version", "--color"]:
        assert needle.replace("-", "\\-") in text or needle in text, needle


VERBS = {"config": ["to-json", "to-yaml", "get", "merge", "lint", "validate"],
         "crypto": ["hash", "verify", "keygen", "encrypt", "decrypt"]}


@pytest.mark.parametrize("cmd", ["ast", "logscan", "patterns", "correlate", "config", "crypto", "netscan"])
def test_subcommand_page_documents_every_flag(binary, cmd):
    text = open(os.path.join(SRC, "man", f"obscore-{cmd}.1")).read().replace("\\-", "-")
    help_text = subprocess.run([binary, cmd, "--help"], capture_output=True, text=True).stdout
    for verb in VERBS.get(cmd, []):  # the verbs carry the flags
        assert verb in text, verb
        help_text += subprocess.run([binary, cmd, verb, "--help"], capture_output=True, text=True).stdout
    import re
    flags = set(re.findall(r"--[a-z][a-z-]+", help_text)) - {"--help", "--help-all"}
    missing = [f for f in sorted(flags) if f not in text]
    assert not missing, missing
