"""Validates obscore's JSON and NDJSON outputs against the schemas in schemas/ (draft 2020-12).

The CLI tests' shared runner (conftest.py) hands every output to check_output(): an obscore JSON
envelope is validated against schemas/<subcommand>.schema.json, an NDJSON stream line by line
against that file's $defs/ndjson_line. Other output (tables, CSV, SARIF, `config to-json` data,
usage errors) is left alone.
"""
import json
import os

from jsonschema import Draft202012Validator

SOURCE_DIR = os.environ.get("OBSCORE_SOURCE_DIR") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..")
SCHEMA_DIR = os.path.join(SOURCE_DIR, "schemas")
COMMANDS = ("ast", "logscan", "patterns", "correlate", "config", "crypto", "netscan", "merge")

_validators = {}


def schema_path(command):
    return os.path.join(SCHEMA_DIR, f"{command}.schema.json")


def load_schema(command):
    with open(schema_path(command), encoding="utf-8") as f:
        return json.load(f)


def validator(command, part=None):
    """The validator of a subcommand's JSON document, or of one of its $defs (part)."""
    key = (command, part)
    if key not in _validators:
        schema = load_schema(command)
        Draft202012Validator.check_schema(schema)
        if part is not None:
            # The same root (so that "#/$defs/..." resolves) with the part as the only assertion.
            schema = {k: v for k, v in schema.items() if k in ("$schema", "$id", "$defs")}
            schema["$ref"] = f"#/$defs/{part}"
        _validators[key] = Draft202012Validator(schema)
    return _validators[key]


def json_path(error):
    path = "$"
    for p in error.absolute_path:
        path += f"[{p}]" if isinstance(p, int) else f".{p}"
    return path


def _leaves(error):
    """The errors that explain `error`: for oneOf/anyOf, those of the branch that got furthest."""
    if not error.context:
        return [error]
    branches = {}
    for c in error.context:
        branches.setdefault(c.relative_schema_path[0], []).append(c)
    best = max(branches.values(), key=lambda g: (-len(g), max(len(c.absolute_path) for c in g)))
    out = []
    for c in best:
        out += _leaves(c)
    return out


def errors(command, document, part=None):
    """Every violation as 'JSON-PATH: message'."""
    v = validator(command, part)
    out = []
    for e in v.iter_errors(document):
        for leaf in _leaves(e):
            out.append(f"{json_path(leaf)}: {leaf.message[:300]}")
    return sorted(set(out))


def _command_from_args(args):
    for a in args:
        if a in COMMANDS:
            return a
    return None


def classify(out):
    """('json', doc) for an obscore JSON envelope, ('ndjson', records) for an obscore NDJSON
    stream (every line a {"type": ...} object), None for anything else."""
    text = out.decode("utf-8", "replace") if isinstance(out, bytes) else out
    if not text.strip():
        return None
    try:
        doc = json.loads(text)
    except ValueError:
        doc = None
    if isinstance(doc, dict):
        if doc.get("tool") == "obscore" and "schema_version" in doc:
            return ("json", doc)
        if "type" not in doc:
            return None
    records = []
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            r = json.loads(line)
        except ValueError:
            return None
        if not isinstance(r, dict) or not isinstance(r.get("type"), str) or "data" not in r:
            return None
        records.append(r)
    return ("ndjson", records)


SAMPLE = 2000  # arrays and streams longer than this are validated on a sample of about 2 x SAMPLE


def _sample(items):
    """All of a short list; of a long one the first SAMPLE items, SAMPLE evenly spread over the
    rest, and the last: a shape error is systematic, and validating millions of records one by
    one would make the suite minutes slower."""
    if len(items) <= 2 * SAMPLE:
        return items
    step = max(1, (len(items) - SAMPLE) // SAMPLE)
    return items[:SAMPLE] + items[SAMPLE:-1:step] + items[-1:]


def _thin(node):
    if isinstance(node, list):
        return [_thin(v) for v in _sample(node)]
    if isinstance(node, dict):
        return {k: _thin(v) for k, v in node.items()}
    return node


def check_output(out, args):
    """Returns the list of violations of the output of `obscore args...` (empty when it is valid
    or not an obscore JSON/NDJSON output)."""
    kind = classify(out)
    if kind is None:
        return []
    if kind[0] == "json":
        doc = kind[1]
        command = str(doc.get("command", "")).split(" ")[0]
        if command not in COMMANDS:
            return [f"$.command: unknown command {doc.get('command')!r}"]
        return [f"{command} JSON: {e}" for e in errors(command, _thin(doc))]
    records = kind[1]
    summary = [r for r in records if r.get("type") == "summary"]
    command = str(summary[-1].get("command", "")).split(" ")[0] if summary else _command_from_args(args)
    if command not in COMMANDS:
        return []
    problems = []
    numbered = list(enumerate(records, 1))
    # Every record that is not a result (summary, diagnostics, derived records), a sample of results.
    checked = [x for x in numbered if x[1].get("type") != "result"]
    checked += _sample([x for x in numbered if x[1].get("type") == "result"])
    for n, r in sorted(checked, key=lambda x: x[0]):
        problems += [f"{command} NDJSON line {n}: {e}" for e in errors(command, _thin(r), "ndjson_line")]
        if len(problems) > 20:
            break
    return problems
