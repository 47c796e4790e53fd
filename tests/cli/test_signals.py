"""SIGINT and SIGTERM: every subcommand stops promptly, exits 130 and leaves no temporary file,
whether it is waiting for input or busy working."""
import os
import signal
import subprocess
import time

import pytest

# Commands that wait on stdin (kept open) with their output file already being written.
WAITING = {
    "ast": ["ast", "--lang", "python", "-"],
    "logscan": ["logscan", "-"],
    "patterns": ["patterns", "-"],
    "correlate": ["correlate", "--events", "-"],
    "config-to-json": ["config", "to-json", "-"],
    "config-lint": ["config", "lint", "-"],
    "config-validate": ["config", "validate", "-"],
    "config-get": ["config", "get", "-", ".a"],
    "crypto-encrypt": ["crypto", "encrypt", "--passphrase-env", "PW", "-t", "1", "-m", "8M", "-p", "1", "-"],
    "crypto-decrypt": ["crypto", "decrypt", "--passphrase-env", "PW", "-"],
    "crypto-hash": ["crypto", "hash", "--input", "-"],
    "merge": ["merge", "-"],
    # Loopback only, rate-limited to outlast the test by far.
    "netscan": ["netscan", "127.0.0.1", "-p", "1-65535", "--rate", "10"],
}

PARTIAL_INPUT = {
    "ast": b"def f(a):\n    if a:\n",
    "logscan": b"2024-05-01 12:00:00 INFO started\n",
    "patterns": b"fun f() {\n",
    "correlate": b'{"id":"u1","type":"ui","session":"s","timestamp":1000,"action":"tap"}\n',
    "config-to-json": b"a:\n  b: 1\n",
    "config-lint": b"a: 1\n",
    "config-validate": b"a: 1\n",
    "config-get": b"a: 1\n",
    "crypto-encrypt": b"secret bytes" * 1000,
    "crypto-decrypt": b"OBSCRYPT",
    "crypto-hash": b"password one\n",
    "merge": b'{"tool": "obscore", ',
}


def wait_for(predicate, seconds=20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return False


def reading_stdin(pid):
    """Whether the process sits in read(0, ...) (/proc/PID/syscall: number 0, first argument 0)."""
    try:
        with open(f"/proc/{pid}/syscall") as f:
            fields = f.read().split()
    except OSError:
        return False
    return len(fields) > 1 and fields[0] == "0" and fields[1] == "0x0"


def interrupt(binary, tmp_path, argv, sig, stdin_bytes=None, env_extra=None, early_output=True):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    result = out_dir / "result"
    env = dict(os.environ, PW="correct horse", XDG_CACHE_HOME=str(tmp_path / "cache"))
    if env_extra:
        env.update(env_extra)
    proc = subprocess.Popen([binary, "-o", str(result), *argv], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        if stdin_bytes:
            proc.stdin.write(stdin_bytes)
            proc.stdin.flush()
        # The output's temp file exists (the run is under way with something to clean up), or,
        # for commands that read all their input before opening the output, the process is
        # blocked reading stdin.
        assert wait_for(lambda: any(p.name.startswith(".result.tmp.") for p in out_dir.iterdir())
                        or (not early_output and reading_stdin(proc.pid))), "the run never got under way"
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=10)  # promptly
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, err.decode("utf-8", "replace"), sorted(p.name for p in out_dir.iterdir())


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("command", list(WAITING))
def test_interrupt_while_waiting(binary, tmp_path, command, sig):
    code, err, left = interrupt(binary, tmp_path, WAITING[command], sig, PARTIAL_INPUT.get(command),
                                early_output=command != "merge")
    assert code == 130, err
    assert left == [], f"left behind: {left}"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupt_while_busy_hashing(binary, tmp_path, sig):
    # 64 Argon2id hashes at 64 MiB x 3 passes take seconds on any machine; the signal comes as
    # soon as the output exists.
    passwords = b"".join(b"password %d\n" % i for i in range(64))
    code, err, left = interrupt(binary, tmp_path, ["crypto", "hash", "--input", "-"], sig, passwords)
    assert code == 130, err
    assert left == []


def test_interrupt_while_busy_scanning_a_tree_with_cache_writes(binary, tmp_path):
    # Worker threads store cache entries (temp file + rename) while -o is open: an interrupt
    # at any point removes every pending temp file, in the output's directory and the cache's.
    src = tmp_path / "src"
    src.mkdir()
    body = "".join(f"def f{i}(a):\n    if a > {i}:\n        return a\n    return 0\n\n" for i in range(400))
    for i in range(1500):
        (src / f"m{i}.py").write_text(body)
    code, err, left = interrupt(binary, tmp_path, ["ast", str(src)], signal.SIGTERM)
    assert code in (0, 130), err  # a fast machine may finish first; both leave nothing behind
    assert [n for n in left if n != "result"] == []
    stray = [os.path.join(d, n) for d, _, names in os.walk(tmp_path / "cache") for n in names if ".tmp." in n]
    assert stray == []
