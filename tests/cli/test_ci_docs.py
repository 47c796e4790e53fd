"""docs/CI.md runs as written: every obscore and jq command in it (the YAML jobs and the inline
ones) runs in a scratch project built from the fixtures, with obscore first on PATH, and what the
jobs hand to CI (job summary, SARIF, GitLab code quality report, HTML) has the right shape."""
import json
import os
import re
import shutil
import subprocess

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.abspath(os.path.join(HERE, "..", ".."))
DATA = os.path.join(SRC, "tests", "data")
DOC = os.path.join(SRC, "docs", "CI.md")


def blocks(text, lang):
    return re.findall(r"```%s\n(.*?)```" % lang, text, re.S)


def commands(text):
    """The shell commands of the YAML jobs and the inline `obscore ...` spans, in order."""
    out = []
    for block in blocks(text, "yaml"):
        lines = block.splitlines()
        i = 0
        while i < len(lines):
            line = lines[i].strip()
            m = re.match(r"(?:- )?(?:run: )?(.*)$", line)
            body = m.group(1) if m else ""
            if line.startswith("run: |") or line.startswith("- run: |"):
                indent = len(lines[i + 1]) - len(lines[i + 1].lstrip())
                i += 1
                while i < len(lines) and (len(lines[i]) - len(lines[i].lstrip()) >= indent) and lines[i].strip():
                    out.append(lines[i].strip())
                    i += 1
                continue
            if re.match(r"(obscore|jq) ", body):
                out.append(body)
            i += 1
    for span in re.findall(r"`((?:obscore) [^`]+)`", text):
        out.append(span)
    return out


@pytest.fixture
def project(tmp_path, binary):
    root = tmp_path / "repo"
    shutil.copytree(os.path.join(DATA, "patterns", "app"), root / "app")
    shutil.copytree(os.path.join(DATA, "ast"), root / "src")
    (root / "deploy").mkdir()
    (root / "deploy" / "app.yaml").write_text("name: web\nreplicas: 2\nenabled: on\n")
    shutil.copytree(os.path.join(DATA, "logscan"), root / "logs", ignore=shutil.ignore_patterns("expected.json"))
    bindir = tmp_path / "bin"
    bindir.mkdir()
    os.symlink(binary, bindir / "obscore")
    text = open(DOC).read()
    (root / "codequality.jq").write_text(blocks(text, "jq")[0])
    env = dict(os.environ, PATH=f"{bindir}:{os.environ['PATH']}", GITHUB_STEP_SUMMARY=str(tmp_path / "summary.md"),
               XDG_CACHE_HOME=str(tmp_path / "cache"))
    env.pop("NO_COLOR", None)
    return root, env, text


def test_every_documented_command_runs(project, tmp_path):
    root, env, text = project
    cmds = [c for c in commands(text) if c.startswith(("obscore", "jq"))]
    assert len(cmds) >= 10, cmds
    for cmd in cmds:
        # The gates may trip on the fixtures (exit 1); anything else means the docs are wrong.
        proc = subprocess.run(["bash", "-c", cmd], cwd=root, env=env, capture_output=True, timeout=300)
        assert proc.returncode in (0, 1), (cmd, proc.returncode, proc.stderr.decode()[-2000:])
        assert b"error: " not in proc.stderr or proc.returncode == 1, (cmd, proc.stderr.decode()[-2000:])

    summary = (tmp_path / "summary.md").read_text()
    assert "## obscore ast" in summary and "## obscore patterns" in summary
    assert "```mermaid\nstateDiagram-v2" in summary
    for sarif in ("ast.sarif", "patterns.sarif"):
        doc = json.loads((root / sarif).read_text())
        assert doc["version"] == "2.1.0"
    assert (root / "obscore.html").read_text().startswith("<!DOCTYPE html>")
    assert (root / "obscore.md").read_text().startswith("## obscore ast")


def test_gitlab_code_quality_report_shape(project):
    root, env, text = project
    subprocess.run(["bash", "-c", "obscore --format sarif -o ast.sarif ast --max-cognitive 5 ."], cwd=root, env=env,
                   check=False, capture_output=True)
    sarif = json.loads((root / "ast.sarif").read_text())
    findings = sarif["runs"][0]["results"]
    assert findings, "the fixtures have functions above cognitive 5"
    jq = next(c for c in commands(text) if c.startswith("jq "))
    proc = subprocess.run(["bash", "-c", jq], cwd=root, env=env, capture_output=True, check=True)
    report = json.loads((root / "gl-code-quality-report.json").read_text())
    assert len(report) == len(findings)
    fingerprints = set()
    for issue, finding in zip(report, findings):
        assert set(issue) == {"description", "check_name", "severity", "location", "fingerprint"}
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert issue["check_name"] == finding["ruleId"]
        assert issue["location"]["lines"]["begin"] >= 1
        assert os.path.exists(root / issue["location"]["path"])
        fingerprints.add(issue["fingerprint"])
    assert len(fingerprints) == len(report)
