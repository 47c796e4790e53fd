"""Every subcommand fed every kind of bad input. Each row asserts: no crash (no signal, no
internal error), one `obscore: ...` line per message naming the input, the exit code that
obscore(1) lists, and no partial output file (no temp file left behind; an output that exists
is complete)."""
import gzip
import json
import os
import shutil
import subprocess
import tempfile
import threading

import pytest

# (argv builder, file extension, whether -o receives a JSON report)
COMMANDS = {
    "ast": (lambda i: ["ast", i], ".py", True),
    "logscan": (lambda i: ["logscan", i], ".log", True),
    "patterns": (lambda i: ["patterns", i], ".kt", True),
    "correlate": (lambda i: ["correlate", "--events", i], ".ndjson", True),
    "config-to-json": (lambda i: ["config", "to-json", i], ".yaml", False),
    "config-lint": (lambda i: ["config", "lint", i], ".yaml", True),
    "config-validate": (lambda i: ["config", "validate", i], ".yaml", True),
    "config-get": (lambda i: ["config", "get", i, ".a"], ".yaml", False),
    "crypto-encrypt": (lambda i: ["crypto", "encrypt", "--passphrase-env", "PW", "-t", "1", "-m", "8M",
                                  "-p", "1", i], ".bin", False),
    "crypto-decrypt": (lambda i: ["crypto", "decrypt", "--passphrase-env", "PW", i], ".enc", False),
    "crypto-hash": (lambda i: ["crypto", "hash", "--profile", "owasp", "--input", i], ".txt", True),
    "netscan": (lambda i: ["netscan", "--targets", i], ".yaml", True),
    "merge": (lambda i: ["merge", i], ".json", True),
}

KINDS = ["missing", "directory", "empty", "binary", "nul", "invalid-utf8", "long-line", "truncated-gz",
         "fifo", "dev-null", "symlink-loop", "unreadable"]

# Expected exit codes, one per KINDS entry. 0: the input is valid for the command (an empty
# directory, an empty log, bytes to encrypt) or skipped with a warning (binary source files);
# 1: a gate (a lint finding, a path not found by `get`); 2: inputs that act as arguments
# (netscan inventories, merge partials that are not obscore JSON); 3: unreadable or malformed.
EXPECTED = {
    #                 miss dir empty bin nul utf8 long trgz fifo null loop unrd
    "ast":             [3,  0,  0,    0,  0,  0,   0,   3,   0,   3,   3,   3],
    "logscan":         [3,  0,  0,    0,  0,  0,   0,   3,   0,   0,   3,   3],
    "patterns":        [3,  0,  0,    0,  0,  0,   0,   3,   0,   0,   3,   3],
    "correlate":       [3,  3,  0,    3,  3,  3,   3,   3,   3,   0,   3,   3],
    "config-to-json":  [3,  3,  0,    3,  3,  3,   0,   3,   3,   0,   3,   3],
    "config-lint":     [3,  0,  0,    3,  3,  1,   0,   3,   3,   0,   3,   3],
    "config-validate": [3,  0,  0,    3,  3,  3,   0,   3,   3,   0,   3,   3],
    "config-get":      [3,  3,  1,    3,  3,  3,   1,   3,   3,   1,   3,   3],
    "crypto-encrypt":  [3,  3,  0,    0,  0,  0,   0,   0,   0,   0,   3,   3],
    "crypto-decrypt":  [3,  3,  3,    3,  3,  3,   3,   3,   3,   3,   3,   3],
    "crypto-hash":     [3,  3,  0,    0,  0,  0,   0,   0,   0,   0,   3,   3],
    "netscan":         [2,  2,  2,    2,  2,  2,   2,   2,   2,   2,   2,   2],
    "merge":           [3,  3,  2,    2,  2,  2,   2,   3,   2,   2,   3,   3],
}

GARBAGE = bytes((i * 7919 + 13) % 256 for i in range(8192))
FIFO_BYTES = b"\x00\x01garbage\xff\n" * 10


@pytest.fixture(scope="module")
def long_line(tmp_path_factory):
    """One 50 MB line, hard-linked under each extension."""
    p = tmp_path_factory.mktemp("long") / "long"
    with open(p, "wb") as f:
        f.write(b"x" * (50 << 20) + b"\n")
    return p


def make_input(kind, d, ext, long_line):
    p = os.path.join(d, "in" + ext)
    if kind == "missing":
        return p
    if kind == "directory":
        os.mkdir(p)
    elif kind == "empty":
        open(p, "wb").close()
    elif kind == "binary":
        with open(p, "wb") as f:
            f.write(GARBAGE)
    elif kind == "nul":
        with open(p, "wb") as f:
            f.write(b"a: 1\nb\x00c: 2\n")
    elif kind == "invalid-utf8":
        with open(p, "wb") as f:
            f.write(b'a: "caf\xc3\x28 \xff\xfe"\n')
    elif kind == "long-line":
        os.link(long_line, p)
    elif kind == "truncated-gz":
        p += ".gz"
        data = gzip.compress(b"2024-05-01 12:00:00 INFO hello\n" * 20000 + GARBAGE)
        with open(p, "wb") as f:
            f.write(data[: len(data) // 2])
    elif kind == "fifo":
        os.mkfifo(p)
    elif kind == "dev-null":
        return "/dev/null"
    elif kind == "symlink-loop":
        other = os.path.join(d, "loop2" + ext)
        os.symlink(other, p)
        os.symlink(p, other)
    elif kind == "unreadable":
        with open(p, "w") as f:
            f.write("a: 1\n")
        os.chmod(p, 0)
    return p


def feed_fifo(path):
    """Writes FIFO_BYTES into the FIFO once a reader opens it; returns a function that unblocks
    the writer if nobody ever does."""
    def write():
        try:
            with open(path, "wb") as f:
                f.write(FIFO_BYTES)
        except OSError:
            pass

    t = threading.Thread(target=write, daemon=True)
    t.start()

    def finish():
        if t.is_alive():
            try:
                fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
                t.join(5)
                os.close(fd)
            except OSError:
                pass
        t.join(5)
    return finish


def as_nobody():
    os.setgroups([])
    os.setgid(65534)
    os.setuid(65534)


def check_row(binary, command, kind, d, long_line):
    argv, ext, json_report = COMMANDS[command]
    expected = EXPECTED[command][KINDS.index(kind)]
    path = make_input(kind, d, ext, long_line)
    out_dir = os.path.join(d, "out")
    os.mkdir(out_dir)
    result = os.path.join(out_dir, "result")
    env = dict(os.environ, PW="correct horse", XDG_CACHE_HOME=os.path.join(d, "cache"))
    env.pop("NO_COLOR", None)
    preexec = None
    if kind == "unreadable" and os.geteuid() == 0:
        # root reads anything: run as nobody, on a copy of the binary it can execute.
        os.chmod(out_dir, 0o777)
        shutil.copy(binary, os.path.join(d, "obscore"))
        binary = os.path.join(d, "obscore")
        preexec = as_nobody
    finish = feed_fifo(path) if kind == "fifo" else None
    try:
        proc = subprocess.run([binary, "-o", result, *argv(path)], capture_output=True, env=env,
                              timeout=120, preexec_fn=preexec)
    finally:
        if finish:
            finish()
    err = proc.stderr.decode("utf-8", "replace")
    where = f"{command} on {kind}: exit {proc.returncode}, stderr {err!r}"
    assert proc.returncode >= 0, where + " (killed by a signal)"
    assert proc.returncode != 4, where
    assert proc.returncode == expected, where
    lines = err.splitlines()
    assert all(line.startswith(("obscore: error: ", "obscore: warning: ")) for line in lines), where
    report = b""
    if os.path.exists(result):
        with open(result, "rb") as f:
            report = f.read()
    if proc.returncode != 0 or lines:
        named = any(path in line for line in lines) or path.encode() in report
        assert named, where + " (the input is not named)"
    leftovers = [n for n in os.listdir(out_dir) if n != "result"]
    assert leftovers == [], where + f" (left {leftovers})"
    if command == "crypto-decrypt" and proc.returncode != 0:
        assert not os.path.exists(result), where + " (plaintext written)"
    if report and json_report:
        json.loads(report)  # complete, not a prefix


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("command", list(COMMANDS))
def test_bad_input(binary, tmp_path, long_line, command, kind):
    if kind == "unreadable" and os.geteuid() == 0:
        # pytest's directories are private to root; nobody needs a path it can traverse.
        d = tempfile.mkdtemp(prefix="obscore-unreadable-")
        os.chmod(d, 0o755)
        try:
            check_row(binary, command, kind, d, long_line)
        finally:
            shutil.rmtree(d, ignore_errors=True)
        return
    d = tempfile.mkdtemp(dir=tmp_path)
    check_row(binary, command, kind, d, long_line)


# --- a file that changes while it is read ---------------------------------------------------

def valid_content(command, binary, d):
    """A large (mapped, > 256 KiB) valid input for the command."""
    if command == "ast":
        return "".join(f"def f{i}(a):\n    if a > {i}:\n        return a\n    return 0\n\n"
                       for i in range(8000)).encode()
    if command == "logscan":
        return b"".join(b"2024-05-01 12:00:%02d ERROR request %d failed\n" % (i % 60, i) for i in range(20000))
    if command == "patterns":
        return b"".join(b'fun f%d() { if (user.isAdmin) throw IllegalStateException("x") }\n' % i
                        for i in range(8000))
    if command == "correlate":
        return b"".join(b'{"id":"u%d","type":"ui","session":"s","timestamp":%d,"action":"tap"}\n'
                        b'{"id":"a%d","type":"network","session":"s","timestamp":%d,"method":"GET","url":"/x"}\n'
                        % (i, 1000 * i, i, 1000 * i + 100) for i in range(4000))
    if command.startswith("config") or command == "netscan":
        if command == "netscan":
            return b"services:\n" + b"".join(b"  - {name: s%d, host: 127.0.0.1, port: 1, timeout_ms: 100}\n" % i
                                             for i in range(6000))
        return b"items:\n" + b"".join(b"  - {id: %d, name: item-%d}\n" % (i, i) for i in range(12000))
    if command in ("crypto-encrypt", "crypto-hash"):
        if command == "crypto-hash":  # few hashes, but long lines: still a mapped file
            return b"".join(b"password-%d-" % i + b"x" * 5000 + b"\n" for i in range(60))
        return GARBAGE * 64
    if command == "crypto-decrypt":
        plain = os.path.join(d, "plain")
        with open(plain, "wb") as f:
            f.write(GARBAGE * 64)
        sealed = os.path.join(d, "sealed")
        subprocess.run([binary, "-o", sealed, "crypto", "encrypt", "--passphrase-env", "PW", "-t", "1",
                        "-m", "8M", "-p", "1", plain], check=True,
                       env=dict(os.environ, PW="correct horse"))
        with open(sealed, "rb") as f:
            return f.read()
    if command == "merge":
        src = os.path.join(d, "src.py")
        with open(src, "w") as f:
            f.write("def f():\n    return 1\n" * 20000)
        proc = subprocess.run([binary, "--format", "json", "ast", "--shard", "1/1", src],
                              capture_output=True, check=True)
        return proc.stdout
    raise AssertionError(command)


# Exit codes a run may end with when its input is rewritten and truncated under it: the run
# saw the whole file (its normal code), or saw it change (3), or (arguments-like inputs) saw
# a cut-off document (2).
CHANGING_OK = {"config-lint": {0, 1, 3}, "config-get": {1, 3}, "crypto-hash": {0, 3},
               "netscan": {1, 2, 3}, "merge": {0, 2, 3}}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_file_changing_while_read(binary, tmp_path, command):
    argv, ext, json_report = COMMANDS[command]
    d = str(tmp_path)
    content = valid_content(command, binary, d)
    path = os.path.join(d, "in" + ext)
    with open(path, "wb") as f:
        f.write(content)
    stop = threading.Event()

    def churn():
        # Truncate and rewrite in place, as log rotation by copytruncate and editors that
        # rewrite a file do, for as long as the command runs.
        while not stop.is_set():
            with open(path, "r+b") as f:
                f.truncate(len(content) // 3)
                f.seek(0, os.SEEK_END)
                f.write(content[len(content) // 3:])

    t = threading.Thread(target=churn, daemon=True)
    t.start()
    out_dir = os.path.join(d, "out")
    os.mkdir(out_dir)
    result = os.path.join(out_dir, "result")
    try:
        for _ in range(3):
            if os.path.exists(result):
                os.unlink(result)
            proc = subprocess.run([binary, "-o", result, *argv(path)], capture_output=True, timeout=120,
                                  env=dict(os.environ, PW="correct horse", XDG_CACHE_HOME=os.path.join(d, "c")))
            err = proc.stderr.decode("utf-8", "replace")
            where = f"{command}: exit {proc.returncode}, stderr {err!r}"
            assert proc.returncode >= 0, where + " (killed by a signal)"
            assert proc.returncode in CHANGING_OK.get(command, {0, 3}), where
            assert all(line.startswith(("obscore: error: ", "obscore: warning: ")) for line in err.splitlines()), where
            if proc.returncode == 3:
                assert path in err, where
            assert [n for n in os.listdir(out_dir) if n != "result"] == [], where
    finally:
        stop.set()
        t.join(10)
