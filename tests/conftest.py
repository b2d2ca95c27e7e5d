"""Shared test fixtures: where the real-data excerpts live, stores, real servers, and small file-editing helpers.

Everything here is generic; tests that need a particular record build it from a fixture file themselves.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from clingen_graph.devservers import Server, ServerUnavailable, start_oxigraph, start_virtuoso
from clingen_graph.release import LoadSummary, load_paths
from clingen_graph.resources import data_dir
from clingen_graph.store import GraphStore, open_store

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """``tests/fixtures``: small excerpts of real source files, one folder per source."""
    return FIXTURES


@pytest.fixture
def memory_store() -> Iterator[GraphStore]:
    store = open_store("memory:")
    yield store
    store.close()


@pytest.fixture
def disk_store(tmp_path: Path) -> Iterator[GraphStore]:
    """An on-disk oxigraph store in the test's tmp folder (``store.url`` reopens it)."""
    store = open_store(f"oxigraph:{tmp_path / 'store'}")
    yield store
    store.close()


SERVER_FIXTURES = ("oxigraph_server", "virtuoso_server")


def _serve(start: Callable[[Path], Server], workdir: Path) -> Iterator[Server]:
    try:
        server = start(workdir)
    except ServerUnavailable as exc:  # not installed, or did not come up: say why, run the rest
        pytest.skip(str(exc))
    with server:
        yield server


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``oxigraph serve`` on 127.0.0.1, shared by the session: use graph names of your own."""
    yield from _serve(start_oxigraph, tmp_path_factory.mktemp("oxigraph-server"))


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Virtuoso 7 on 127.0.0.1, shared by the session; writes need ``Server.username``/``password`` (digest)."""
    yield from _serve(start_virtuoso, tmp_path_factory.mktemp("virtuoso-server"))


@pytest.fixture
def emptied_server(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], str]:
    """``emptied_server(kind)``: the URL of the session's ``oxigraph-server`` or ``virtuoso`` server, emptied of
    every graph, with its credentials in the environment (as users give them; a child process started after
    this inherits them)."""
    from clingen_graph.store import remote

    def empty(kind: str) -> str:
        server = request.getfixturevalue("oxigraph_server" if kind == "oxigraph-server" else "virtuoso_server")
        if server.username:
            monkeypatch.setenv(remote.ENV_USER, server.username)
            monkeypatch.setenv(remote.ENV_PASSWORD, server.password)
        url = f"{'oxigraph' if kind == 'oxigraph-server' else 'virtuoso'}+{server.base_url}"
        store = open_store(url)
        for name in store.graphs():
            store.drop_graph(name)
        store.close()
        return url

    return empty


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Marks on fixtures have no effect, so a test that uses a server fixture gets the ``server`` mark here
    # (``-m "not server"`` then leaves out every test that starts one).
    for item in items:
        if any(name in SERVER_FIXTURES for name in getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.server)


EditLine = Callable[..., Path]


@pytest.fixture
def edit_line(tmp_path: Path) -> EditLine:
    """``edit_line(src, line, new, name=None)``: a copy of ``src`` in tmp_path with physical line ``line``
    (1-based) replaced by the bytes ``new`` (``None`` drops the line). The copy keeps ``src``'s name unless
    ``name`` is given, so release dates in file names still apply."""

    def edit(src: Path, line: int, new: bytes | None, name: str | None = None) -> Path:
        lines = src.read_bytes().split(b"\n")
        if new is None:
            del lines[line - 1]
        else:
            lines[line - 1] = new
        dst = tmp_path / (name or src.name)
        dst.write_bytes(b"\n".join(lines))
        return dst

    return edit


@pytest.fixture
def truncated_gzip(tmp_path: Path) -> Callable[[Path], Path]:
    """``truncated_gzip(src)``: ``src`` gzipped and cut in half, like an interrupted download."""

    def cut(src: Path) -> Path:
        data = gzip.compress(src.read_bytes())
        dst = tmp_path / (src.name + ".gz")
        dst.write_bytes(data[: len(data) // 2])
        return dst

    return cut


def read_line(path: Path, line: int) -> bytes:
    """Physical line ``line`` (1-based) of a file, without its newline."""
    return path.read_bytes().split(b"\n")[line - 1]


@pytest.fixture(scope="session")
def line_of() -> Callable[[Path, int], bytes]:
    return read_line


# --- one on-disk store with all the bundled real data, loaded once per test session (about a minute), used by
# the integration, web, export and browser tests ---

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
