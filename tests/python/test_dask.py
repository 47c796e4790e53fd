"""obscore.dask on a LocalCluster: the sharded, merged run equals the single-process run."""
import copy

import pytest

import obscore

distributed = pytest.importorskip("distributed")
import obscore.dask  # noqa: E402  (after the importorskip)

PY = "def f{i}(a, b):\n    if a and b:\n        return [x for x in b if x]\n    return None\n"
KT = "class S{i}ViewModel : ViewModel() {{\n  fun load(id: Int) {{ require(id > 0) }}\n}}\n"


def comparable(report):
    raw = copy.deepcopy(report.raw)
    raw["summary"].pop("duration_ms")
    return raw


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=2, processes=False, dashboard_address=None)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


@pytest.fixture
def tree(tmp_path):
    for i in range(30):
        d = tmp_path / f"pkg{i % 4}"
        d.mkdir(exist_ok=True)
        (d / f"m{i}.py").write_text(PY.format(i=i) * (1 + i % 4))
        (d / f"S{i}.kt").write_text(KT.format(i=i))
    return tmp_path


@pytest.mark.parametrize("shards", [1, 3, 8])
def test_sharded_ast_equals_single_process(client, tree, shards):
    single = obscore.ast(tree, no_cache=True)
    sharded = obscore.dask.run_sharded("ast", tree, shards_=shards, client_=client, no_cache=True)
    assert comparable(sharded) == comparable(single)
    assert sharded.summary["files"] == 60


def test_sharded_patterns_and_gates(client, tree):
    with pytest.raises(obscore.GateTripped) as single:
        obscore.patterns(tree, fail_on="note")
    with pytest.raises(obscore.GateTripped) as sharded:
        obscore.dask.run_sharded("patterns", tree, shards_=4, client_=client, fail_on="note")
    a, b = single.value.report, sharded.value.report
    a["summary"].pop("duration_ms")
    b["summary"].pop("duration_ms")
    assert a == b
    report = obscore.dask.run_sharded("patterns", tree, shards_=4, client_=client, fail_on="note", check_=False)
    assert report.summary["findings"] == a["summary"]["findings"] > 0


def test_bad_inputs_raise_like_the_single_run(client, tree):
    with pytest.raises(obscore.InputError) as exc:
        obscore.dask.run_sharded("ast", tree, tree / "missing.py", shards_=3, client_=client, no_cache=True)
    assert [d.path for d in exc.value.diagnostics] == [str(tree / "missing.py")]
    with pytest.raises(ValueError):
        obscore.dask.run_sharded("correlate", tree, shards_=2, client_=client)


def test_worker_processes(tree):
    # Workers in their own processes (as on a real cluster), on 127.0.0.1 only.
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as c:
        sharded = obscore.dask.run_sharded("ast", tree, shards_=5, client_=c, no_cache=True)
    assert comparable(sharded) == comparable(obscore.ast(tree, no_cache=True))


def test_sharded_config_validate(client, tmp_path):
    for i in range(12):
        (tmp_path / f"c{i}.yaml").write_text(f"a: {i}\n" + ("a: 2\n" if i % 5 == 0 else ""))
    with pytest.raises(obscore.InputError) as single:
        obscore.config_validate(tmp_path)
    with pytest.raises(obscore.InputError) as sharded:
        obscore.dask.run_sharded("config validate", tmp_path, shards_=3, client_=client)
    a, b = single.value.report, sharded.value.report
    a["summary"].pop("duration_ms")
    b["summary"].pop("duration_ms")
    assert a == b and a["summary"]["invalid"] == 3


def test_call_settings_end_in_underscore(client, tree):
    for old in ("check", "timeout"):
        with pytest.raises(TypeError, match=f"{old}_="):
            obscore.dask.run_sharded("ast", tree, shards_=2, client_=client, **{old: 5})
    with pytest.raises(TypeError, match="flag value"):  # fails on the caller, before any shard runs
        obscore.dask.run_sharded("ast", tree, shards_=2, client_=client, exclude={"x": 1})
    # a value beginning with "-" reaches every shard's flag
    (tree / "pkg0" / "-gen.py").write_text("def g():\n    return 1\n")
    sharded = obscore.dask.run_sharded("ast", tree, shards_=3, client_=client, exclude="-gen.py", no_cache=True,
                                       timeout_=120)
    assert sharded.summary["files"] == 60
    assert comparable(sharded) == comparable(obscore.ast(tree, exclude="-gen.py", no_cache=True))
