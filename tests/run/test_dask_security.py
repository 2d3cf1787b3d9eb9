"""The Dask cluster lawreport starts is private: loopback only, TLS with a certificate of its own."""

from __future__ import annotations

import pytest

pytest.importorskip("distributed", reason="the dask extra is part of the dev install")

from distributed import Client
from distributed.security import Security

from lawreport.options import Options
from lawreport.run import dask_engine
from lawreport.run.executors import ExtractTask


@pytest.fixture(scope="module")
def cluster():
    cluster = dask_engine.local_cluster()
    yield cluster
    cluster.close()


def test_the_local_cluster_listens_on_the_loopback_with_tls(cluster):
    assert cluster.scheduler_address.startswith("tls://127.0.0.1:")
    with Client(cluster) as client:
        assert client.submit(sum, [1, 2]).result(timeout=60) == 3
        workers = list(client.scheduler_info()["workers"])
    assert workers and all(address.startswith("tls://127.0.0.1:") for address in workers)


@pytest.mark.parametrize("security", [None, "own"], ids=["no-certificate", "another-certificate"])
def test_no_other_client_can_join_the_cluster(cluster, security):
    address = cluster.scheduler_address
    with pytest.raises((OSError, TypeError, TimeoutError)):  # refused at the TLS handshake
        if security is None:
            Client(address.replace("tls://", "tcp://"), timeout=3)
        else:
            Client(address, security=Security.temporary(), timeout=3)


def test_a_users_scheduler_address_is_used_as_given(monkeypatch):
    seen = []

    class FakeClient:
        def __init__(self, address):
            seen.append(address)

        def nthreads(self):
            return {"w": 1}

    import distributed

    monkeypatch.setattr(distributed, "Client", FakeClient)
    monkeypatch.setattr(dask_engine, "local_cluster", lambda: pytest.fail("no local cluster for a given scheduler"))
    dask_engine.DaskExecutor(ExtractTask(Options(), ()), scheduler="tcp://127.0.0.1:8786")
    assert seen == ["tcp://127.0.0.1:8786"]
