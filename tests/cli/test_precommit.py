"""The hooks of .pre-commit-hooks.yaml, run by Debian's pre-commit on a scratch repository (no
network: the hook repository is a local clone): they check the staged files only, a tripped gate
fails the hook and refuses `git commit`, a clean change passes. The obscore under test is the
first `obscore` on PATH, as `language: system` expects of an installed binary."""
import os
import shutil
import subprocess

import pytest

SRC = os.environ.get("OBSCORE_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
PRE_COMMIT = shutil.which("pre-commit") or "/usr/bin/pre-commit"

COMPLEX = """\
def route(order, user, flags):
    if order:
        for item in order:
            if item.ok and user:
                while flags:
                    if item.big or user.vip:
                        flags -= 1
    return order
"""
SIMPLE = "def add(a, b):\n    return a + b\n"
LEGACY = COMPLEX.replace("route", "legacy_route")
BAD_YAML = "name: app\nname: again\n"  # duplicate key: an error
GOOD_YAML = "name: app\nreplicas: 2\n"
OVERFLOW_JAVA = "public class Cart {\n  int total(int price, int quantity) {\n    return price * quantity;\n  }\n}\n"


def git(cwd, *args, env=None):
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def project(tmp_path, binary):
    if not os.access(PRE_COMMIT, os.X_OK):
        pytest.fail("pre-commit is not installed (scripts/bootstrap installs Debian's pre-commit)")
    env = dict(os.environ)
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / "obscore").symlink_to(binary)
    env.update(PATH=f"{bindir}{os.pathsep}{env.get('PATH', '')}", PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
               XDG_CACHE_HOME=str(tmp_path / "cache"), HOME=str(tmp_path), GIT_CONFIG_NOSYSTEM="1",
               GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@localhost", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@localhost", PRE_COMMIT_COLOR="never")
    env.pop("NO_COLOR", None)
    # The hook repository: this checkout's .pre-commit-hooks.yaml, committed in a local repository.
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    shutil.copy(os.path.join(SRC, ".pre-commit-hooks.yaml"), hooks / ".pre-commit-hooks.yaml")
    git(hooks, "init", "-q", env=env)
    git(hooks, "add", ".", env=env)
    git(hooks, "commit", "-qm", "hooks", env=env)
    rev = git(hooks, "rev-parse", "HEAD", env=env).strip()
    repo = tmp_path / "project"
    repo.mkdir()
    git(repo, "init", "-q", env=env)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {hooks}\n  rev: {rev}\n  hooks:\n"
        "  - id: obscore-ast\n    args: [--max-cognitive, '4']\n"
        "  - id: obscore-config-lint\n"
        "  - id: obscore-patterns\n")
    # A file over the limit that is already committed: the hooks must not look at it.
    (repo / "legacy.py").write_text(LEGACY)
    git(repo, "add", ".", env=env)
    git(repo, "commit", "-qm", "base", env=env)

    def hook(hook_id):
        return subprocess.run([PRE_COMMIT, "run", hook_id, "--verbose"], cwd=repo, env=env,
                              capture_output=True, text=True, timeout=300)

    def stage(name, text):
        (repo / name).write_text(text)
        git(repo, "add", name, env=env)

    return repo, env, hook, stage


def test_ast_hook_checks_only_staged_files(project):
    repo, env, hook, stage = project
    stage("simple.py", SIMPLE)
    r = hook("obscore-ast")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Passed" in r.stdout and "simple.py" in r.stdout
    assert "legacy" not in r.stdout  # committed before: not staged, not checked
    stage("complex.py", COMPLEX)
    r = hook("obscore-ast")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Failed" in r.stdout and "exit code: 1" in r.stdout
    assert "complex.py" in r.stdout and "route" in r.stdout and "legacy" not in r.stdout


def test_a_tripped_gate_refuses_the_commit_and_a_clean_one_passes(project):
    repo, env, hook, stage = project
    subprocess.run([PRE_COMMIT, "install"], cwd=repo, env=env, check=True, capture_output=True)
    head = git(repo, "rev-parse", "HEAD", env=env)
    stage("complex.py", COMPLEX)
    commit = subprocess.run(["git", "commit", "-m", "complex"], cwd=repo, env=env, capture_output=True, text=True)
    assert commit.returncode != 0, commit.stdout + commit.stderr
    assert git(repo, "rev-parse", "HEAD", env=env) == head
    assert "obscore ast" in commit.stdout + commit.stderr
    git(repo, "rm", "-q", "--cached", "complex.py", env=env)
    stage("simple.py", SIMPLE)
    commit = subprocess.run(["git", "commit", "-m", "simple"], cwd=repo, env=env, capture_output=True, text=True)
    assert commit.returncode == 0, commit.stdout + commit.stderr
    assert git(repo, "rev-parse", "HEAD", env=env) != head


@pytest.mark.parametrize("hook_id, clean, bad, expect", [
    ("obscore-config-lint", ("good.yaml", GOOD_YAML), ("bad.yaml", BAD_YAML), "duplicate-key"),
    ("obscore-patterns", ("simple.py", SIMPLE), ("Cart.java", OVERFLOW_JAVA), "overflow-risk"),
])
def test_hook_passes_clean_files_and_fails_on_findings(project, hook_id, clean, bad, expect):
    """config lint fails on errors, patterns on warnings: a clean staged file passes, a bad one fails."""
    repo, env, hook, stage = project
    stage(*clean)
    r = hook(hook_id)
    assert r.returncode == 0, r.stdout + r.stderr
    stage(*bad)
    r = hook(hook_id)
    assert r.returncode == 1 and "exit code: 1" in r.stdout, r.stdout + r.stderr
    assert bad[0] in r.stdout and expect in r.stdout


def test_bad_hook_arguments_exit_2(project):
    repo, env, hook, stage = project
    cfg = repo / ".pre-commit-config.yaml"
    cfg.write_text(cfg.read_text().replace("args: [--max-cognitive, '4']", "args: [--max-cognitive, 'four']"))
    git(repo, "add", ".pre-commit-config.yaml", env=env)
    stage("simple.py", SIMPLE)
    r = hook("obscore-ast")
    assert r.returncode == 1 and "exit code: 2" in r.stdout, r.stdout + r.stderr
    assert "four" in r.stdout
