"""The remote store's URL layouts, explicit endpoints, credentials and failure handling."""

from __future__ import annotations

import socket
import time

import pytest

from clingen_graph.store import StoreError, UnknownStoreError, open_store
from clingen_graph.store.remote import (
    ENV_ENDPOINTS,
    ENV_PASSWORD,
    ENV_UPLOAD_CHUNK,
    ENV_USER,
    RemoteStore,
    Retry,
    endpoints_for,
)


def test_fuseki_layout_is_the_default_one() -> None:
    eps = endpoints_for("fuseki+http://127.0.0.1:3030/clingen")
    assert (eps.query, eps.update, eps.graph_store) == (
        "http://127.0.0.1:3030/clingen/sparql", "http://127.0.0.1:3030/clingen/update",
        "http://127.0.0.1:3030/clingen/data")
    assert eps.auth == "basic" and not eps.union_default


def test_oxigraph_and_virtuoso_layouts() -> None:
    ox = endpoints_for("oxigraph+https://example.org:7878/")
    assert (ox.query, ox.update, ox.graph_store) == (
        "https://example.org:7878/query", "https://example.org:7878/update", "https://example.org:7878/store")
    vt = endpoints_for("virtuoso+http://127.0.0.1:8890")
    assert (vt.query, vt.update, vt.graph_store) == (
        "http://127.0.0.1:8890/sparql", "http://127.0.0.1:8890/sparql-auth",
        "http://127.0.0.1:8890/sparql-graph-crud-auth")
    assert vt.auth == "digest" and vt.union_default


def test_explicit_endpoints_from_arguments_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    eps = endpoints_for("sparql+https://example.org/ds/query", update_endpoint="https://example.org/ds/update")
    assert eps.query == "https://example.org/ds/query"
    assert eps.update == "https://example.org/ds/update" and eps.graph_store is None
    monkeypatch.setenv(ENV_ENDPOINTS["graph_store"], "https://example.org/ds/gsp")
    assert endpoints_for("sparql+https://example.org/ds/query").graph_store == "https://example.org/ds/gsp"


@pytest.mark.parametrize("url", ["fuseki+http://127.0.0.1:3030", "fuseki+ftp://x/ds", "sparql+nothing"])
def test_bad_remote_urls_are_explained(url: str) -> None:
    with pytest.raises(StoreError) as err:
        open_store(url)
    assert "fuseki" in str(err.value)


def test_unknown_scheme_lists_the_remote_ones_too() -> None:
    with pytest.raises(UnknownStoreError) as err:
        open_store("graphdb+http://127.0.0.1:7200")
    assert "oxigraph+http(s)://" in str(err.value) and "virtuoso+http(s)://" in str(err.value)


def test_endpoint_options_only_for_remote_stores() -> None:
    with pytest.raises(StoreError, match="only apply to remote stores"):
        open_store("memory:", query_endpoint="http://127.0.0.1:1/q")


def test_no_graph_store_endpoint_is_a_clear_error() -> None:
    store = open_store("sparql+http://127.0.0.1:9/sparql")
    with pytest.raises(StoreError, match="graph-store-endpoint"):
        store.replace_graph("https://w3id.org/clingen-graph/graph/x", [])


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_connection_errors_are_retried_with_backoff_then_reported() -> None:
    url = f"oxigraph+http://127.0.0.1:{_closed_port()}"
    store = RemoteStore(url, endpoints_for(url), retry=Retry(attempts=3, backoff=0.1, timeout=5))
    started = time.monotonic()
    with pytest.raises(StoreError, match="after 3 attempts"):
        store.query("ASK { ?s ?p ?o }")
    assert time.monotonic() - started >= 0.3  # 0.1 + 0.2 s of backoff between the three attempts


def test_sparql_layout_with_explicit_endpoints_on_a_real_server(oxigraph_server) -> None:
    base = oxigraph_server.base_url
    store = open_store(f"sparql+{base}/query", update_endpoint=f"{base}/update", graph_store_endpoint=f"{base}/store")
    graph = "https://w3id.org/clingen-graph/graph/test-explicit/1"
    from pyoxigraph import Literal, NamedNode

    store.replace_graph(graph, [(NamedNode("urn:a"), NamedNode("urn:p"), Literal("x"))])
    assert bool(store.query('ASK { <urn:a> <urn:p> "x" }', default_graphs=[graph]))
    store.drop_graph(graph)
    assert graph not in store.graphs()


def test_uploads_cut_by_the_configured_chunk_size(oxigraph_server, monkeypatch: pytest.MonkeyPatch) -> None:
    from pyoxigraph import Literal, NamedNode

    store = open_store(f"oxigraph+{oxigraph_server.base_url}")
    graph = "https://w3id.org/clingen-graph/graph/test-chunks/1"
    rows = [(NamedNode(f"urn:s{i}"), NamedNode("urn:p"), Literal(str(i))) for i in range(25)]
    monkeypatch.setenv(ENV_UPLOAD_CHUNK, "no")
    with pytest.raises(StoreError, match=ENV_UPLOAD_CHUNK):
        store.replace_graph(graph, rows)
    assert graph not in store.graphs()  # refused before anything was written
    monkeypatch.setenv(ENV_UPLOAD_CHUNK, "10")
    requests = []
    real = store._gsp
    monkeypatch.setattr(store, "_gsp", lambda method, *a, **k: (requests.append(method), real(method, *a, **k))[1])
    assert store.replace_graph(graph, rows) == 25
    assert requests == ["POST", "POST", "POST"]  # a new graph: 10 + 10 + 5 triples
    count = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graphs=[graph])
    assert next(iter(count))["n"].value == "25"
    store.drop_graph(graph)


def test_wrong_credentials_are_refused_with_a_hint(virtuoso_server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_USER, "dba")
    monkeypatch.setenv(ENV_PASSWORD, "not-the-password")
    store = open_store(f"virtuoso+{virtuoso_server.base_url}")
    with pytest.raises(StoreError, match=ENV_USER):
        store.update("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:p> <urn:o> } }")
    assert store.graphs() is not None  # reads stay anonymous
