"""The catalogue and the API give the same answers on the embedded store, an Oxigraph server and Virtuoso.

The bundled data is loaded once into the embedded store (the session's ``bundled`` fixture); each server (one
of its own, started here, so the shared session servers stay small) gets the same release graphs and metadata
graph through the remote store's own write path (``replace_graph``, Graph Store Protocol). Answers are compared
as sets of rows of RDF terms, with what SPARQL leaves to the store normalised: numbers compare by value (an
aggregate may be ``xsd:integer`` or ``xsd:int``), and ``GROUP_CONCAT`` joins its values in no defined order
(and gives "" for no values), so strings compare as their sorted words.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

import pytest
from pyoxigraph import Literal

from clingen_graph import query
from clingen_graph.release import default_graphs
from clingen_graph.store import GraphStore, open_store

CATALOGUE = query.catalogue()
REMOTES = ["oxigraph-server", "virtuoso"]
NUMERIC = ("integer", "int", "long", "decimal", "double", "float", "short", "nonNegativeInteger")


def _copy_into(target: GraphStore, source: GraphStore) -> tuple[int, float]:
    started, total = time.perf_counter(), 0
    for name in source.graphs():
        triples = [(t.subject, t.predicate, t.object)
                   for t in source.query("CONSTRUCT WHERE { ?s ?p ?o }", default_graphs=[name])]
        total += target.replace_graph(name, triples)
    return total, time.perf_counter() - started


@pytest.fixture(scope="module", params=REMOTES)
def remote(request: pytest.FixtureRequest, reader: GraphStore,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    """A server holding the bundled releases, opened the way a user would (URL + credentials in the env)."""
    from clingen_graph import devservers
    from clingen_graph.store import remote as remote_mod

    kind = request.param
    start = devservers.start_oxigraph if kind == "oxigraph-server" else devservers.start_virtuoso
    try:
        server = start(tmp_path_factory.mktemp(kind))
    except devservers.ServerUnavailable as exc:
        pytest.skip(str(exc))
    mp = pytest.MonkeyPatch()
    with server:
        if server.username:
            mp.setenv(remote_mod.ENV_USER, server.username)
            mp.setenv(remote_mod.ENV_PASSWORD, server.password)
        store = open_store(f"{'oxigraph' if kind == 'oxigraph-server' else 'virtuoso'}+{server.base_url}")
        triples, seconds = _copy_into(store, reader)
        print(f"\n{kind}: {triples:,} triples written in {seconds:.1f} s ({triples / seconds:,.0f}/s)")
        yield store
        store.close()
    mp.undo()


def _term(term: object) -> object:
    if isinstance(term, Literal):
        kind = term.datatype.value.rsplit("#", 1)[-1]
        if kind in NUMERIC:
            try:
                return ("number", Decimal(term.value))
            except InvalidOperation:
                return str(term)
        if kind == "string" and not term.language:
            words = [w for w in re.split(r"[\s,;|]+", term.value) if w]
            return ("words", tuple(sorted(words))) if words else None
    return None if term is None else str(term)


def _answers(store: GraphStore, name: str) -> list[tuple]:
    q = CATALOGUE[name]
    rows = query.select_rows(store, q.bind(q.example), default_graphs(store))
    return sorted((tuple((k, _term(v)) for k, v in sorted(row.items())) for row in rows), key=repr)


@pytest.mark.server
@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CATALOGUE), ids=sorted(CATALOGUE))
def test_catalogue_query_gives_the_same_rows(name: str, reader: GraphStore, remote: GraphStore) -> None:
    expected = _answers(reader, name)
    got = _answers(remote, name)
    assert len(got) == len(expected), f"{name}: {len(got)} rows on {remote.url}, {len(expected)} embedded"
    assert got == expected


@pytest.mark.server
@pytest.mark.slow
def test_release_view_is_the_same(reader: GraphStore, remote: GraphStore) -> None:
    assert default_graphs(remote) == default_graphs(reader)


@pytest.fixture(scope="module")
def remote_client(remote: GraphStore) -> Iterator:
    from fastapi.testclient import TestClient

    from clingen_graph.api.app import create_app
    from clingen_graph.api.settings import Settings

    with TestClient(create_app(Settings(store=remote.url, query_timeout=60))) as c:
        yield c


ENTITY_PATHS = ["/genes/HGNC:1100", "/genes/BRCA1", "/diseases/MONDO:0700268", "/variants/CA114360"]


@pytest.mark.server
@pytest.mark.slow
@pytest.mark.parametrize("path", ENTITY_PATHS)
def test_entity_is_the_same_graph(path: str, client, remote_client) -> None:
    from pyoxigraph import RdfFormat, parse

    def graph(c) -> set[tuple]:
        answer = c.get(path, headers={"accept": "application/n-triples"})
        assert answer.status_code == 200, answer.text
        # Virtuoso keeps a number's value, not its datatype ("10"^^xsd:decimal comes back as xsd:integer)
        return {(str(q.subject), str(q.predicate), _term(q.object) if isinstance(q.object, Literal) else str(q.object))
                for q in parse(answer.content, format=RdfFormat.N_TRIPLES)}

    assert graph(remote_client) == graph(client)


@pytest.mark.server
@pytest.mark.slow
def test_sparql_endpoint_on_a_remote_store(remote_client) -> None:
    answer = remote_client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?t }"})
    assert answer.status_code == 200
    assert int(answer.json()["results"]["bindings"][0]["n"]["value"]) > 100_000
    bad = remote_client.get("/sparql", params={"query": "SELEC nothing"})
    assert bad.status_code == 400 and bad.headers["content-type"].startswith("application/problem+json")
    unknown = remote_client.get("/genes/HGNC:99999999")
    assert unknown.status_code == 404
