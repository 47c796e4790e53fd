"""`pip install ./python` into a fresh virtual environment (offline: the venv's own setuptools
builds it) gives a working package."""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PKG = os.path.normpath(os.path.join(HERE, "..", "..", "python"))


def test_pip_install_into_a_venv(tmp_path):
    # A copy: setuptools builds in the source directory (build/, *.egg-info), never in the tree.
    import shutil
    pkg = tmp_path / "src"
    shutil.copytree(PKG, pkg, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    pip = venv / "bin" / "pip"
    proc = subprocess.run([str(pip), "install", "--no-index", "--no-build-isolation", "--no-cache-dir", str(pkg)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    src = tmp_path / "m.py"
    src.write_text("def f(x):\n    return x or 1\n")
    code = ("import obscore, sys; r = obscore.ast(sys.argv[1], no_cache=True); "
            "print(obscore.backend(), obscore.__file__, r.results[0].functions[0].cyclomatic)")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run([str(venv / "bin" / "python"), "-c", code, str(src)], capture_output=True, text=True,
                         env=env, cwd=tmp_path, check=True).stdout.split()
    assert out[0] == "native"
    assert out[1].startswith(str(venv))
    assert out[2] == "2"
