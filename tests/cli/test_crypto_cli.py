"""`obscore crypto` end to end: hash/verify batches and their interop with Debian's `argon2`
CLI and argon2-cffi (python3-argon2) both ways, keygen, encrypt/decrypt round trips, tampering,
wrong keys, and that no plaintext file is left behind by a failed decrypt."""
import base64
import json
import os
import shutil
import subprocess

import pytest

OWASP = ["--profile", "owasp"]


def b64d(s):
    return base64.b64decode(s + "=" * (-len(s) % 4))


def results(r):
    assert r.out, r.err
    return r.json()["results"]


def argon2_cffi():
    try:
        import argon2  # noqa: F401  (Debian python3-argon2)
        return argon2
    except ImportError:
        pytest.fail("python3-argon2 is needed (scripts/bootstrap installs it)")


# ---- hash / verify ------------------------------------------------------------------------

def test_hash_reads_passwords_from_stdin_and_verify_accepts_them(run, tmp_path):
    r = run("--format", "json", "crypto", "hash", *OWASP, stdin=b"alpha\nbeta\r\n\ngamma")
    assert r.code == 0, r.err
    got = results(r)
    assert [x["index"] for x in got] == [0, 1, 2, 3]
    assert all(x["phc"].startswith("$argon2id$v=19$m=19456,t=2,p=1$") for x in got)
    lines = [json.dumps({"password": p, "hash": x["phc"]}) for p, x in zip(["alpha", "beta", "", "gamma"], got)]
    lines.append(json.dumps({"password": "wrong", "hash": got[0]["phc"]}))
    v = run("--format", "json", "crypto", "verify", *OWASP, stdin="\n".join(lines).encode())
    assert v.code == 1  # one password does not match
    doc = v.json()
    assert [x["ok"] for x in doc["results"]] == [True, True, True, True, False]
    assert doc["summary"]["ok"] == 4 and doc["summary"]["failed"] == 1


def test_needs_rehash_against_the_chosen_profile(run):
    phc = results(run("--format", "json", "crypto", "hash", *OWASP, stdin=b"pw\n"))[0]["phc"]
    line = json.dumps({"password": "pw", "hash": phc}).encode()
    assert results(run("--format", "json", "crypto", "verify", "--profile", "rfc9106", stdin=line))[0]["needs_rehash"] is True
    assert results(run("--format", "json", "crypto", "verify", *OWASP, stdin=line))[0]["needs_rehash"] is False


def test_verify_aligned_files_and_bad_lines(run, tmp_path):
    phc = results(run("--format", "json", "crypto", "hash", *OWASP, stdin=b"one\ntwo\n"))
    (tmp_path / "pw").write_text("one\ntwo\n")
    (tmp_path / "h").write_text(phc[0]["phc"] + "\n" + phc[1]["phc"] + "\n")
    r = run("--format", "json", "crypto", "verify", *OWASP, "--passwords", tmp_path / "pw", "--hashes", tmp_path / "h")
    assert r.code == 0 and [x["ok"] for x in results(r)] == [True, True]
    (tmp_path / "h2").write_text(phc[0]["phc"] + "\n")
    r = run("crypto", "verify", "--passwords", tmp_path / "pw", "--hashes", tmp_path / "h2")
    assert r.code == 3 and "align" in r.err
    bad = b'{"password": "x", "hash": "$argon2id$nope"}\nnot json\n'
    r = run("--format", "json", "crypto", "verify", stdin=bad)
    assert r.code == 3
    assert "<stdin>:1:" in r.err and "<stdin>:2:" in r.err
    assert [x["ok"] for x in r.json()["results"]] == [False, False]


def test_weak_parameters_are_refused_unless_allowed(run):
    r = run("crypto", "hash", "-t", "1", "-m", "8M", "-p", "1", stdin=b"pw\n")
    assert r.code == 2 and "OWASP" in r.err
    r = run("--format", "json", "crypto", "hash", "-t", "1", "-m", "8M", "-p", "1", "--allow-weak", stdin=b"pw\n")
    assert r.code == 0 and "$m=8192,t=1,p=1$" in results(r)[0]["phc"]
    assert run("crypto", "hash", "--profile", "nope", stdin=b"pw\n").code == 2
    r = run("crypto", "hash", *OWASP, "--max-memory", "1M", stdin=b"pw\n")
    assert r.code == 2 and "--max-memory" in r.err


def test_interop_with_the_argon2_cli_both_ways(run):
    if not shutil.which("argon2"):
        pytest.fail("Debian's argon2 CLI is needed (scripts/bootstrap installs it)")
    # Theirs -> ours: an encoded hash from the argon2 CLI verifies (argon2id, argon2i, argon2d).
    for flag in ["-id", "-i", "-d"]:
        enc = subprocess.run(["argon2", "saltsaltsalt", flag, "-t", "2", "-k", "8192", "-p", "2", "-e"],
                             input=b"s3cret", capture_output=True, check=True).stdout.decode().strip()
        line = json.dumps({"password": "s3cret", "hash": enc}).encode()
        got = results(run("--format", "json", "crypto", "verify", *OWASP, stdin=line))[0]
        assert got["ok"] is True and got["needs_rehash"] is True, (flag, enc)
    # Ours -> theirs: recompute our hash with the CLI from the same salt (no NUL for argv).
    for _ in range(20):
        phc = results(run("--format", "json", "crypto", "hash", *OWASP, stdin=b"s3cret\n"))[0]["phc"]
        salt, digest = phc.split("$")[-2:]
        if b"\0" not in b64d(salt):
            break
    raw = subprocess.run(["argon2", b64d(salt), "-id", "-t", "2", "-k", "19456", "-p", "1", "-r"],
                         input=b"s3cret", capture_output=True, check=True).stdout.decode().strip()
    assert raw == b64d(digest).hex()


def test_interop_with_argon2_cffi_both_ways(run):
    argon2 = argon2_cffi()
    theirs = argon2.PasswordHasher().hash("pässword")  # Debian's 21.1 defaults: t=2, m=100 MiB, p=8
    got = results(run("--format", "json", "crypto", "verify", stdin=json.dumps({"password": "pässword", "hash": theirs}).encode()))[0]
    assert got["ok"] is True
    ours = results(run("--format", "json", "crypto", "hash", stdin="pässword\n".encode()))[0]["phc"]
    # argon2-cffi >= 21.2 defaults to RFC 9106's low-memory profile, which is ours.
    ph = argon2.PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4, hash_len=32, salt_len=16)
    assert ph.verify(ours, "pässword") is True
    assert ph.check_needs_rehash(ours) is False
    with pytest.raises(argon2.exceptions.VerifyMismatchError):
        ph.verify(ours, "password")


def argon2_implementations(run):
    """The Argon2 implementations this binary and CPU offer, as the refusal of a bad name lists them."""
    r = run("crypto", "hash", *OWASP, stdin=b"x\n", env={"OBSCORE_ARGON2_IMPL": "no-such-core"})
    assert r.code == 2, r.err
    assert "OBSCORE_ARGON2_IMPL" in r.err and "no-such-core" in r.err
    listed = r.err.split("(here: ", 1)[1].split(")", 1)[0].split(", ")
    assert listed[0] == "auto" and listed[-1] == "libargon2", r.err
    return listed[1:]


def test_every_argon2_implementation_interoperates(run):
    argon2 = argon2_cffi()
    impls = argon2_implementations(run)
    if os.uname().machine == "x86_64":
        assert "sse2" in impls, impls  # the optimised core is built on every x86-64
    ph = argon2.PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1, hash_len=32, salt_len=16)
    for impl in impls:
        env = {"OBSCORE_ARGON2_IMPL": impl}
        r = run("-v", "--format", "json", "crypto", "hash", "-p", "2", *OWASP, stdin="pässword\nzwei\n".encode(), env=env)
        assert r.code == 0, (impl, r.err)
        assert f"Argon2 implementation {impl}" in r.err, (impl, r.err)
        ours = [x["phc"] for x in results(r)]
        # Ours (p=2) verifies in argon2-cffi (libargon2) and in obscore forced to libargon2.
        assert argon2.PasswordHasher().verify(ours[0], "pässword") is True
        lines = "\n".join(json.dumps({"password": pw, "hash": h}) for pw, h in zip(["pässword", "zwei"], ours))
        v = run("--format", "json", "crypto", "verify", *OWASP, stdin=lines.encode(), env={"OBSCORE_ARGON2_IMPL": "libargon2"})
        assert v.code == 0 and [x["ok"] for x in results(v)] == [True, True], (impl, v.err)
        # Theirs verifies with this implementation; a wrong password does not.
        theirs = ph.hash("drei")
        lines = "\n".join(json.dumps({"password": pw, "hash": theirs}) for pw in ["drei", "vier"])
        v = run("--format", "json", "crypto", "verify", *OWASP, stdin=lines.encode(), env=env)
        assert v.code == 1 and [x["ok"] for x in results(v)] == [True, False], (impl, v.err)


def test_bad_argon2_implementation_is_a_usage_error_before_reading(run, tmp_path):
    for verb in (["hash", "--input", tmp_path / "missing.txt"], ["verify", "--input", tmp_path / "missing.ndjson"]):
        r = run("crypto", *verb, env={"OBSCORE_ARGON2_IMPL": "AVX2"})
        assert r.code == 2, r.err
        assert "Argon2 implementation 'AVX2' (OBSCORE_ARGON2_IMPL)" in r.err, r.err
        assert "missing" not in r.err


# ---- keygen / encrypt / decrypt -----------------------------------------------------------

@pytest.fixture
def key(run, tmp_path):
    k = tmp_path / "k.key"
    r = run("crypto", "keygen", k)
    assert r.code == 0, r.err
    return k


def test_keygen_is_private_and_never_overwrites(run, tmp_path, key):
    assert os.stat(key).st_mode & 0o777 == 0o600
    assert len(key.read_bytes()) == 32
    before = key.read_bytes()
    r = run("crypto", "keygen", key)
    assert r.code == 2 and "exists" in r.err
    assert key.read_bytes() == before


@pytest.mark.parametrize("size", [0, 1, 65535, 65536, 65537, 3 * 1024 * 1024 + 5])
def test_round_trip_sizes(run, tmp_path, key, size):
    plain = tmp_path / "p.bin"
    plain.write_bytes(os.urandom(size))
    enc, dec = tmp_path / "p.enc", tmp_path / "p.dec"
    assert run("crypto", "encrypt", "--key-file", key, "-o", enc, plain).code == 0
    assert enc.read_bytes()[:8] == b"OBSCRYPT"
    r = run("crypto", "decrypt", "--key-file", key, "-o", dec, enc)
    assert r.code == 0, r.err
    assert dec.read_bytes() == plain.read_bytes()
    assert os.stat(dec).st_mode & 0o777 == 0o600


def test_stdin_stdout_and_passphrases(run, tmp_path):
    data = os.urandom(200000)
    pf = tmp_path / "pass"
    pf.write_text("correct horse battery staple\n")
    enc = run("crypto", "encrypt", "--passphrase-file", pf, "-o", "-", "-", *OWASP, stdin=data)
    assert enc.code == 0, enc.err
    dec = run("crypto", "decrypt", "--passphrase-env", "OBSCORE_TEST_PASS", "-o", "-", "-", stdin=enc.out,
              env={"OBSCORE_TEST_PASS": "correct horse battery staple"})
    assert dec.code == 0 and dec.out == data
    bad = run("crypto", "decrypt", "--passphrase-env", "OBSCORE_TEST_PASS", "-o", "-", "-", stdin=enc.out,
              env={"OBSCORE_TEST_PASS": "wrong"})
    assert bad.code == 3 and "authentication failed" in bad.err and bad.out == b""
    # No passphrase in argv: there is no flag for it.
    assert run("crypto", "encrypt", "--passphrase", "x", "-o", "-", "-", stdin=b"").code == 2
    # Several key sources, or none without a terminal.
    assert run("crypto", "encrypt", "--passphrase-file", pf, "--passphrase-env", "X", "-o", "-", "-", stdin=b"").code == 2


def test_tampering_leaves_no_output_file(run, tmp_path, key):
    plain = tmp_path / "p.bin"
    plain.write_bytes(os.urandom(300000))
    enc = tmp_path / "p.enc"
    assert run("crypto", "encrypt", "--key-file", key, "-o", enc, plain).code == 0
    good = enc.read_bytes()
    rec = 65536 + 16
    cases = {
        "flip": good[:100] + bytes([good[100] ^ 1]) + good[101:],
        "boundary": good[:88 + 4 * rec],
        "short": good[:-7],
        "extended": good + b"more",
        "header": good[:20] + bytes([good[20] ^ 1]) + good[21:],
        "swapped": good[:88] + good[88 + rec:88 + 2 * rec] + good[88:88 + rec] + good[88 + 2 * rec:],
    }
    for name, blob in cases.items():
        bad = tmp_path / f"{name}.enc"
        bad.write_bytes(blob)
        out = tmp_path / f"{name}.dec"
        r = run("crypto", "decrypt", "--key-file", key, "-o", out, bad)
        assert r.code == 3, (name, r.err)
        assert ("authentication failed" in r.err or "truncated" in r.err), (name, r.err)
        assert not out.exists(), name
        assert not [n for n in os.listdir(tmp_path) if n.startswith(f".{name}.dec")], name
    other = tmp_path / "other.key"
    assert run("crypto", "keygen", other).code == 0
    r = run("crypto", "decrypt", "--key-file", other, "-o", tmp_path / "x.dec", enc)
    assert r.code == 3 and "wrong key" in r.err


def test_outputs_are_never_clobbered(run, tmp_path, key):
    plain = tmp_path / "p.bin"
    plain.write_bytes(b"secret data")
    enc = tmp_path / "p.enc"
    enc.write_bytes(b"existing")
    r = run("crypto", "encrypt", "--key-file", key, "-o", enc, plain)
    assert r.code == 2 and "--force" in r.err and enc.read_bytes() == b"existing"
    assert run("crypto", "encrypt", "--key-file", key, "--force", "-o", enc, plain).code == 0
    r = run("crypto", "encrypt", "--key-file", key, "--force", "-o", plain, plain)
    assert r.code == 2 and plain.read_bytes() == b"secret data"
    assert run("crypto", "encrypt", "--key-file", key, plain).code == 2  # no -o
    r = run("crypto", "decrypt", "--key-file", key, "-o", "-", plain)
    assert r.code == 3 and "not an obscore encrypted file" in r.err
    assert run("crypto", "decrypt", "--key-file", tmp_path / "missing", "-o", "-", enc).code == 3
    (tmp_path / "short.key").write_bytes(b"abc")
    assert run("crypto", "decrypt", "--key-file", tmp_path / "short.key", "-o", "-", enc).code == 2
    hexkey = tmp_path / "hex.key"
    hexkey.write_text(key.read_bytes().hex() + "\n")
    r = run("crypto", "decrypt", "--key-file", hexkey, "-o", "-", enc)
    assert r.code == 0 and r.out == b"secret data"
