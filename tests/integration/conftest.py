"""One on-disk store with all the bundled real data, loaded once per test session (about a minute)."""

from __future__ import annotations

from pathlib import Path

import pytest

from clingen_graph.release import LoadSummary, load_paths
from clingen_graph.resources import data_dir
from clingen_graph.store import open_store


@pytest.fixture(scope="session")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[LoadSummary]]:
    folder = tmp_path_factory.mktemp("bundled") / "store"
    url = f"oxigraph:{folder}"
    store = open_store(url)
    summaries = load_paths(store, [data_dir()])
    store.close()
    return url, summaries


@pytest.fixture(scope="session")
def bundled_url(bundled: tuple[str, list[LoadSummary]]) -> str:
    return bundled[0]


@pytest.fixture(scope="session")
def reader(bundled_url: str):
    store = open_store(bundled_url, read_only=True)
    yield store
    store.close()


@pytest.fixture(scope="session")
def client(bundled_url: str):
    from fastapi.testclient import TestClient

    from clingen_graph.api.app import create_app
    from clingen_graph.api.settings import Settings

    app = create_app(Settings(store=bundled_url, query_timeout=20, sparql_workers=1))
    with TestClient(app) as c:
        yield c


@pytest.fixture()
def data() -> Path:
    return data_dir()
