"""The JSON Schemas of schemas/: valid draft 2020-12, printed by `obscore schema`, strict enough
that a broken document fails (the runner in conftest.py validates every output of the CLI tests
against them), frozen per schema_version (schemas/fingerprints.json), and in agreement with the
Python client's dataclasses."""
import copy
import dataclasses
import hashlib
import json
import os
import sys
import typing

import pytest
from jsonschema import Draft202012Validator

import conftest
import schema_check

SCHEMA_DIR = schema_check.SCHEMA_DIR
NAMES = ["ast", "logscan", "patterns", "correlate", "config", "crypto", "netscan", "merge"]
FINGERPRINTS = os.path.join(SCHEMA_DIR, "fingerprints.json")
ANNOTATIONS = {"title", "description", "$comment", "examples"}


def schema(name):
    return schema_check.load_schema(name)


# --- the files ----------------------------------------------------------------------------------

def test_one_schema_per_subcommand_and_nothing_else():
    files = sorted(f for f in os.listdir(SCHEMA_DIR) if f.endswith(".schema.json"))
    assert files == sorted(f"{n}.schema.json" for n in NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_each_schema_is_valid_draft_2020_12(name):
    s = schema(name)
    assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert s["$id"].endswith(f"/{name}.schema.json")
    Draft202012Validator.check_schema(s)
    assert "ndjson_line" in s["$defs"] and "diagnostic" in s["$defs"]
    # Every local reference resolves.
    text = json.dumps(s)
    for part in set(p.split('"')[0] for p in text.split('"$ref": "#/$defs/')[1:]):
        assert part in s["$defs"], f"{name}: $ref to a missing $defs/{part}"


def test_shared_definitions_are_the_same_in_every_file():
    """Each file is self-contained (no cross-file $ref to resolve); the parts every output shares
    are copies that must not drift apart."""
    first = schema(NAMES[0])["$defs"]
    for name in NAMES[1:]:
        for part in ("diagnostic", "shard"):
            assert schema(name)["$defs"][part] == first[part], f"{name}.schema.json: $defs/{part} differs"


# --- obscore schema -----------------------------------------------------------------------------

def test_obscore_schema_lists_and_prints_the_files_byte_for_byte(run):
    listing = run("schema")
    assert listing.code == 0 and listing.text.split() == NAMES
    for name in NAMES:
        r = run("schema", name)
        assert r.code == 0, r.err
        with open(os.path.join(SCHEMA_DIR, f"{name}.schema.json"), "rb") as f:
            assert r.out == f.read(), f"obscore schema {name} differs from schemas/{name}.schema.json: rebuild"


def test_obscore_schema_writes_o_file(run, tmp_path):
    out = tmp_path / "ast.json"
    r = run("-o", out, "schema", "ast")
    assert r.code == 0 and r.out == b""
    assert json.loads(out.read_text()) == schema("ast")


def test_obscore_schema_unknown_name_is_a_usage_error(run):
    r = run("schema", "asts")
    assert r.code == 2 and r.out == b""
    assert "no subcommand 'asts' has a schema" in r.err and "known: ast, logscan" in r.err


# --- broken documents are rejected --------------------------------------------------------------

def ast_output(run, data_dir, *args):
    r = run("--format", *args, "ast", "--no-cache", "--max-cyclomatic", "1", os.path.join(data_dir, "ast"))
    assert r.code in (0, 1, 3), r.err
    return r.out


def test_a_broken_json_document_is_rejected_naming_the_json_path(run, data_dir):
    doc = json.loads(ast_output(run, data_dir, "json"))
    assert schema_check.check_output(json.dumps(doc).encode(), ["ast"]) == []
    i = next(k for k, r in enumerate(doc["results"]) if r["functions"] and r["findings"])
    cases = [
        (lambda d: d["results"][i]["functions"][0].__setitem__("cyclomatic", "3"),
         f"$.results[{i}].functions[0].cyclomatic: '3' is not of type 'integer'"),
        (lambda d: d["results"][i].__setitem__("complexity", 1),
         f"$.results[{i}]: Additional properties are not allowed ('complexity' was unexpected)"),
        (lambda d: d["summary"].pop("files"), "$.summary: 'files' is a required property"),
        (lambda d: d["results"][i]["findings"][0].__setitem__("rule", "max-lines"),
         f"$.results[{i}].findings[0].rule: 'max-lines' is not one of"),
        (lambda d: d.__setitem__("schema_version", doc["schema_version"] + 1),
         f"$.schema_version: {doc['schema_version']} was expected"),
        (lambda d: d["diagnostics"].append({"path": None, "line": 0, "column": None, "severity": "error",
                                            "message": "x"}),
         "$.diagnostics[0].line: 0 is less than the minimum of 1"),
    ]
    for breaks, expected in cases:
        broken = copy.deepcopy(doc)
        breaks(broken)
        problems = schema_check.check_output(json.dumps(broken).encode(), ["ast"])
        assert any(expected in p for p in problems), (expected, problems)


def test_a_broken_ndjson_line_is_rejected(run, data_dir):
    lines = ast_output(run, data_dir, "ndjson").decode().splitlines()
    assert schema_check.check_output("\n".join(lines).encode(), ["ast"]) == []
    result = json.loads(lines[0])
    result["data"]["language"] = "cobol"
    summary = json.loads(lines[-1])
    del summary["data"]["duration_ms"]
    broken = "\n".join([json.dumps(result)] + lines[1:-1] + [json.dumps(summary)])
    problems = schema_check.check_output(broken.encode(), ["ast"])
    assert any(p.startswith("ast NDJSON line 1: $.data.language: 'cobol' is not one of") for p in problems), problems
    assert any(f"line {len(lines)}: $.data: 'duration_ms' is a required property" in p for p in problems), problems


def test_the_runner_fails_a_test_whose_output_breaks_its_schema(run, data_dir, tmp_path):
    """The hook in conftest.py itself (not only the helper) turns a violation into a failure,
    for stdout and for an -o file."""
    good = ast_output(run, data_dir, "json")
    conftest.check_schemas(["ast", "x"], good)
    bad = json.loads(good)
    bad["summary"]["functions"] = -1
    with pytest.raises(pytest.fail.Exception, match=r"\$\.summary\.functions: -1 is less than the minimum of 0"):
        conftest.check_schemas(["ast", "x"], json.dumps(bad).encode())
    out = tmp_path / "o.json"
    out.write_text(json.dumps(bad))
    with pytest.raises(pytest.fail.Exception, match=r"o\.json does not match its schema"):
        conftest.check_schemas(["-o", str(out), "ast", "x"], b"")


def test_outputs_that_are_not_obscore_envelopes_are_left_alone():
    assert schema_check.check_output(b'{"name": "x", "ports": [80]}\n', ["config", "to-json"]) == []
    assert schema_check.check_output(b"path,line\r\na,1\r\n", ["ast"]) == []
    assert schema_check.check_output(b"", ["ast"]) == []


# --- shard partials -----------------------------------------------------------------------------

@pytest.mark.parametrize("args, command", [
    (["ast", "--no-cache"], "ast"),
    (["patterns"], "patterns"),
    (["config", "lint"], "config"),
])
def test_shard_partials_match_the_merge_schema_and_their_commands_partial(run, data_dir, args, command):
    sub = {"ast": "ast", "patterns": "patterns", "config": "config"}[command]
    r = run("--format", "json", *args, "--shard", "1/2", os.path.join(data_dir, sub))
    assert r.code in (0, 1, 3), r.err
    doc = r.json()
    assert schema_check.errors("merge", doc) == []
    part = "lint_partial" if command == "config" else "partial"
    assert schema_check.errors(command, doc, part) == []
    del doc["summary"]["shard"]
    assert schema_check.errors(command, doc, part), "a partial without summary.shard must be rejected"
    assert schema_check.errors("merge", doc)


def test_logscan_shard_state_is_checked(run, data_dir):
    r = run("--format", "json", "logscan", "--shard", "1/1", os.path.join(data_dir, "logscan"))
    doc = r.json()
    assert schema_check.errors("logscan", doc, "partial") == []
    doc["summary"]["shard"]["state"]["files"][0]["stats"]["severity"] = "x"
    assert any("state.files[0].stats.severity" in e for e in schema_check.errors("logscan", doc, "partial"))


# --- schema_version ------------------------------------------------------------------------------

def fingerprint(node, names=False):
    """The schema without its annotations (title, description, ...): editing the prose is not a
    change of the output's shape."""
    if isinstance(node, dict):
        return {k: fingerprint(v, names=(k in ("properties", "$defs", "patternProperties") and not names))
                for k, v in node.items() if names or k not in ANNOTATIONS}
    if isinstance(node, list):
        return [fingerprint(v) for v in node]
    return node


def digest(name):
    canonical = json.dumps(fingerprint(schema(name)), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def test_a_changed_schema_needs_a_new_schema_version(run, data_dir):
    """schemas/fingerprints.json freezes the shape of each schema per schema_version. A change to
    a schema (other than its descriptions) fails here until schema_version is bumped: in
    libs/core/src/output.cpp (envelope_head), in every schema's "schema_version" const, and as a
    new entry in fingerprints.json holding the new digests (the old entries stay)."""
    with open(FINGERPRINTS, encoding="utf-8") as f:
        recorded = json.load(f)["versions"]
    doc = json.loads(ast_output(run, data_dir, "json"))
    current = doc["schema_version"]
    assert str(current) in recorded, (
        f"the binary writes schema_version {current}, fingerprints.json has no entry for it: add "
        f"\"{current}\" with the digests this test prints")
    assert max(map(int, recorded)) == current, "fingerprints.json has a version newer than the binary writes"
    changed = []
    for name in NAMES:
        consts = {json.dumps(v) for v in _find_schema_version_consts(schema(name))}
        assert consts == {json.dumps({"const": current})}, (
            f"{name}.schema.json: schema_version must be {{\"const\": {current}}} everywhere, found {consts}")
        if recorded[str(current)].get(f"{name}.schema.json") != digest(name):
            changed.append(f"\"{name}.schema.json\": \"{digest(name)}\"")
    assert not changed, (
        f"schemas changed without a new schema_version (now {current}): a consumer validating against "
        f"schema_version {current} would break. Bump schema_version (libs/core/src/output.cpp envelope_head "
        f"and the schemas' \"schema_version\" consts) and add under \"{current + 1}\" in schemas/fingerprints.json: "
        + ", ".join(changed))


def _find_schema_version_consts(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "properties" and isinstance(v, dict) and "schema_version" in v:
                yield v["schema_version"]
            yield from _find_schema_version_consts(v)
    elif isinstance(node, list):
        for v in node:
            yield from _find_schema_version_consts(v)


def test_the_fingerprint_ignores_descriptions_but_not_shape():
    s = schema("ast")
    base = json.dumps(fingerprint(s), sort_keys=True)
    prose = copy.deepcopy(s)
    prose["$defs"]["file"]["description"] = "reworded"
    assert json.dumps(fingerprint(prose), sort_keys=True) == base
    shape = copy.deepcopy(s)
    shape["$defs"]["file"]["required"].remove("sloc")
    assert json.dumps(fingerprint(shape), sort_keys=True) != base
    # A property called "description" (patterns' rules) is shape, not prose.
    p = schema("patterns")
    assert "description" in fingerprint(p)["$defs"]["rule"]["properties"]


# --- the Python client's dataclasses ------------------------------------------------------------

sys.path.insert(0, os.path.join(schema_check.SOURCE_DIR, "python"))
from obscore import results as R  # noqa: E402
from obscore._process import Diagnostic  # noqa: E402

CLASSES = [
    (R.AstFile, "ast", "file"), (R.AstFunction, "ast", "function"), (R.AstFinding, "ast", "finding"),
    (R.AstIncrement, "ast", "function/properties/increments/items"),
    (R.AstAssumption, "ast", "file/properties/assumptions/items"),
    (R.PatternFinding, "patterns", "finding"), (R.ExtractedField, "patterns", "field"),
    (R.LogFile, "logscan", "file"), (R.LogPatternCount, "logscan", "file/properties/patterns/items"),
    (R.Attribution, "correlate", "attribution"), (R.UiGroup, "correlate", "ui_event"),
    (R.GroupedCall, "correlate", "ui_event/properties/api_calls/items"),
    (R.LintFinding, "config", "lint_result"), (R.Validation, "config", "validate_result"),
    (R.Verification, "crypto", "verify_result"), (R.ScanResult, "netscan", "result"),
    (Diagnostic, "ast", "diagnostic"),
]
JSON_TYPES = {"integer": (int,), "number": (float,), "string": (str,), "boolean": (bool,),
              "array": (list,), "object": (dict,)}


def resolve(name, pointer):
    s = schema(name)
    node = s["$defs"]
    for part in pointer.split("/"):
        node = node[part]
    while "$ref" in node:
        node = s["$defs"][node["$ref"].split("/")[-1]]
    return node


def _types(prop, root):
    """The JSON types a property allows (following $ref, anyOf, enum, const)."""
    if "$ref" in prop:
        return _types(root["$defs"][prop["$ref"].split("/")[-1]], root)
    if "anyOf" in prop or "oneOf" in prop:
        return set().union(*(_types(p, root) for p in prop.get("anyOf", prop.get("oneOf"))))
    if "enum" in prop or "const" in prop:
        values = prop.get("enum", [prop.get("const")])
        return {{str: "string", bool: "boolean", int: "integer", float: "number", type(None): "null"}[type(v)]
                for v in values}
    t = prop.get("type")
    if t is None:
        return None  # any JSON value
    return set(t) if isinstance(t, list) else {t}


def _python_types(hint):
    origin = typing.get_origin(hint)
    if origin is typing.Union:
        out = set()
        for a in typing.get_args(hint):
            out |= {"null"} if a is type(None) else _python_types(a)
        return out
    if hint is typing.Any:
        return None
    if origin in (list, typing.List):
        return {"array"}
    if origin in (dict, typing.Dict) or dataclasses.is_dataclass(hint):
        return {"object"}
    return {{int: "integer", float: "number", str: "string", bool: "boolean"}[hint]}


@pytest.mark.parametrize("cls, name, pointer", CLASSES, ids=[c[0].__name__ for c in CLASSES])
def test_python_dataclasses_agree_with_the_schemas(cls, name, pointer):
    node = resolve(name, pointer)
    root = schema(name)
    props = node["properties"]
    required = set(node.get("required", []))
    hints = typing.get_type_hints(cls, vars(sys.modules[cls.__module__]))
    fields = [f.name for f in dataclasses.fields(cls) if f.name != "extra"]
    assert set(fields) == set(props), (
        f"{cls.__name__} vs {name}.schema.json $defs/{pointer}: only in Python {sorted(set(fields) - set(props))}, "
        f"only in the schema {sorted(set(props) - set(fields))}")
    for f in fields:
        json_types = _types(props[f], root)
        py = _python_types(hints[f])
        if json_types is None or py is None:
            continue
        where = f"{cls.__name__}.{f} ({hints[f]}) vs schema {sorted(json_types)}"
        nullable = "null" in json_types or f not in required
        # Absent or null in JSON: the field must accept None, unless it is a list/dict whose
        # default (empty) stands for "absent".
        if nullable and not (json_types - {"null"}) <= {"array", "object"}:
            assert "null" in py, f"{where}: the schema allows null/absent, the dataclass does not take None"
        if not nullable:
            assert "null" not in py, f"{where}: always present in the schema, Optional in Python"
        json_non_null = json_types - {"null"}
        py_non_null = py - {"null"}
        if py_non_null == {"number"}:
            py_non_null = {"number", "integer"}  # a float field takes JSON integers too
        assert json_non_null <= py_non_null, f"{where}: types differ"


@pytest.mark.parametrize("name", [n for n in NAMES if n != "merge"])
def test_python_report_has_the_envelope_members(name):
    """Report[T] carries every envelope member but `tool` (always "obscore"; `raw` keeps it)."""
    s = schema(name)
    documents = [d for k, d in s["$defs"].items() if k.endswith("document")]
    assert documents
    fields = {f.name for f in dataclasses.fields(R.Report)} - {"raw"}
    for d in documents:
        assert set(d["properties"]) - {"tool"} == fields, (name, sorted(d["properties"]))
        assert set(d["required"]) == set(d["properties"])


def test_config_positions_the_parser_does_not_give_are_0_and_valid(run, tmp_path):
    """An empty implicit key has no position in libfyaml: lint and validate report line 0,
    column 0 for it, and the schema says so (the runner validates both outputs)."""
    f = tmp_path / "empty-key.yaml"
    f.write_text(": a\n: b\n")
    lint = run("--format", "json", "config", "lint", f)
    rows = [(r["rule"], r["line"], r["column"]) for r in lint.json()["results"]]
    assert ("duplicate-key", 0, 0) in rows, rows
    validate = run("--format", "json", "config", "validate", f)
    assert validate.code == 3 and validate.json()["results"][0]["line"] == 0
