"""Scale-out: the same build engine on a Dask cluster gives the same bytes as a local build."""
from __future__ import annotations

import pytest

from casekit.build import Builder, plan


@pytest.mark.slow
def test_a_batch_on_a_dask_cluster_matches_a_local_build(tmp_path, monkeypatch):
    distributed = pytest.importorskip("dask.distributed")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    runs = [plan("history", {"start_year": 2003, "end_year": 2009}, name="group-a"),
            plan("history", {"themes": ["fintech", "regulation"]}, name="group-b")]
    local = Builder(tmp_path / "local", jobs=1).build(runs)
    assert local.ok, str(local)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            remote = Builder(tmp_path / "dask", executor=client.get_executor()).build(runs)
            assert remote.ok, str(remote)
            assert len(client.scheduler_info()["workers"]) == 2
    for name in ("group-a", "group-b"):
        for suffix in (".html", ".ipynb"):
            assert (tmp_path / "dask" / f"{name}{suffix}").read_bytes() == (tmp_path / "local" / f"{name}{suffix}").read_bytes()


def test_the_cli_refuses_an_unreachable_scheduler(tmp_path):
    from .conftest import run_cli

    result = run_cli("build", "history", "--dask", "tcp://127.0.0.1:9", "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "cannot reach the scheduler" in result.stderr and "Traceback" not in result.stderr
