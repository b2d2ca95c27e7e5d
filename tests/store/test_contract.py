"""The ``GraphStore`` contract, run once per backend through the parametrised ``store`` fixture.

Backends: ``memory:``, ``oxigraph:<dir>``, and the remote store on two real servers started on 127.0.0.1 by
the session fixtures (``oxigraph+http://`` on the PyPI ``oxigraph`` server, ``virtuoso+http://`` on Debian's
Virtuoso 7). The servers are shared by the session, so the fixture empties them before and after each test.
The triples are real: HGNC genes from the bundled-data fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import DefaultGraph, NamedNode, Quad, QuerySolutions, RdfFormat, Store

from clingen_graph.ids import GRAPH_BASE
from clingen_graph.ingest.base import Problem
from clingen_graph.ingest.hgnc import parse as parse_hgnc
from clingen_graph.model import genes
from clingen_graph.model.rdf import Triple
from clingen_graph.store import GraphStore, QueryTimeout, StoreError, UnknownStoreError, open_store
from clingen_graph.terms import CGV

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
G1 = "https://w3id.org/clingen-graph/graph/hgnc/2024-07-23"
G2 = "https://w3id.org/clingen-graph/graph/hgnc/2025-01-01"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
SYMBOLS = "SELECT ?symbol WHERE { ?gene <https://w3id.org/clingen-graph/vocab#symbol> ?symbol } ORDER BY ?symbol"

BACKENDS = ["memory", "oxigraph", pytest.param("oxigraph-server", marks=pytest.mark.server),
            pytest.param("virtuoso", marks=pytest.mark.server)]


def _gene_triples() -> dict[str, list[Triple]]:
    by_symbol: dict[str, list[Triple]] = {}
    for rec in parse_hgnc(FIXTURES / "hgnc/hgnc_entries_2024-07-23.tsv"):
        if not isinstance(rec, Problem):
            by_symbol[rec.symbol] = genes.to_triples(rec)
    return by_symbol


GENES = _gene_triples()
BRCA1, AARS1, ABAT = GENES["BRCA1"], GENES["AARS1"], GENES["ABAT"]


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[GraphStore]:
    if request.param in ("memory", "oxigraph"):
        s = open_store("memory:" if request.param == "memory" else f"oxigraph:{tmp_path / 'store'}")
        yield s
        s.close()
        return
    s = remote_store(request, monkeypatch, request.param)
    _empty(s)
    yield s
    _empty(s)
    s.close()


def remote_store(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, kind: str) -> GraphStore:
    """The remote store on the session's server of ``kind`` (credentials through the environment, as users
    give them)."""
    from clingen_graph.store import remote

    server = request.getfixturevalue("oxigraph_server" if kind == "oxigraph-server" else "virtuoso_server")
    if server.username:
        monkeypatch.setenv(remote.ENV_USER, server.username)
        monkeypatch.setenv(remote.ENV_PASSWORD, server.password)
    scheme = "oxigraph" if kind == "oxigraph-server" else "virtuoso"
    return open_store(f"{scheme}+{server.base_url}")


def _empty(store: GraphStore) -> None:
    for name in store.graphs():
        store.drop_graph(name)
    if not getattr(store, "default_graph_is_union", False):
        store.update("DROP SILENT DEFAULT")


def _union_default(store: GraphStore) -> bool:
    return bool(getattr(store, "default_graph_is_union", False))


def _count(store: GraphStore, graphs: list[str]) -> int:
    result = store.query(COUNT, default_graphs=graphs)
    return int(next(iter(result))["n"].value)


def _symbols(store: GraphStore, graphs: list[str]) -> list[str]:
    return [row["symbol"].value for row in store.query(SYMBOLS, default_graphs=graphs)]


def _quads(store: GraphStore) -> set[tuple[str, ...]]:
    dumped = Store()
    dumped.load(store.dump(RdfFormat.N_QUADS), format=RdfFormat.N_QUADS)
    return {tuple(str(t) for t in q) for q in dumped}


def test_is_a_graph_store(store: GraphStore) -> None:
    assert isinstance(store, GraphStore)
    assert store.writable


def test_replace_graph_replaces_not_appends(store: GraphStore) -> None:
    assert store.replace_graph(G1, BRCA1 + AARS1) == len(BRCA1) + len(AARS1)
    assert _symbols(store, [G1]) == ["AARS1", "BRCA1"]
    assert store.replace_graph(G1, ABAT) == len(ABAT)
    assert _symbols(store, [G1]) == ["ABAT"]
    assert _count(store, [G1]) == len(ABAT)


def test_replace_graph_that_fails_keeps_the_old_content(store: GraphStore) -> None:
    store.replace_graph(G1, BRCA1)

    def broken() -> Iterator[Triple]:
        yield from AARS1
        raise RuntimeError("the source stopped half-way")

    with pytest.raises(RuntimeError):
        store.replace_graph(G1, broken())
    assert _symbols(store, [G1]) == ["BRCA1"]
    assert _count(store, [G1]) == len(BRCA1)


def test_named_graphs_are_isolated(store: GraphStore) -> None:
    store.replace_graph(G1, BRCA1)
    store.replace_graph(G2, AARS1)
    store.replace_graph(G2, ABAT)  # replacing G2 leaves G1 alone
    assert _symbols(store, [G1]) == ["BRCA1"]
    assert _symbols(store, [G2]) == ["ABAT"]
    assert _symbols(store, [G1, G2]) == ["ABAT", "BRCA1"]  # default_graphs is the union of the named ones
    assert _count(store, []) == 0
    if not _union_default(store):
        # without default_graphs a query sees the store's default graph only, which releases never write to
        assert next(iter(store.query(COUNT)))["n"].value == "0"


def test_graph_pattern_sees_named_graphs(store: GraphStore) -> None:
    store.replace_graph(G1, BRCA1)
    store.replace_graph(G2, AARS1)
    rows = store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")
    # Virtuoso also shows its own system graphs here (graphs() leaves them out)
    assert [r["g"].value for r in rows if r["g"].value.startswith(GRAPH_BASE)] == [G1, G2]


def test_add_to_graph_adds(store: GraphStore) -> None:
    store.replace_graph(G1, BRCA1)
    store.add_to_graph(G1, AARS1)
    assert _symbols(store, [G1]) == ["AARS1", "BRCA1"]
    store.add_to_graph(G1, AARS1)  # adding the same triples again changes nothing (a set of triples)
    assert _count(store, [G1]) == len(BRCA1) + len(AARS1)


def test_replace_graph_larger_than_one_request_goes_through_a_temporary_graph(
        store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    from clingen_graph.store import remote

    monkeypatch.setattr(remote, "CHUNK", 5)  # remote stores write in requests of 5 triples
    store.replace_graph(G1, BRCA1)  # a new graph: written in place
    store.replace_graph(G1, AARS1 + ABAT)  # an existing one: written aside, then moved over it
    assert _symbols(store, [G1]) == ["AARS1", "ABAT"]
    assert _count(store, [G1]) == len(AARS1) + len(ABAT)
    assert store.graphs() == [G1]  # no temporary graph left behind


def test_drop_graph_and_graphs(store: GraphStore) -> None:
    assert store.graphs() == []
    store.replace_graph(G2, AARS1)
    store.replace_graph(G1, BRCA1)
    assert store.graphs() == [G1, G2]
    store.drop_graph(G2)
    assert store.graphs() == [G1]
    assert _count(store, [G2]) == 0
    store.drop_graph(G2)  # dropping a missing graph is not an error
    assert store.graphs() == [G1]


def test_update(store: GraphStore) -> None:
    store.replace_graph(G1, BRCA1)
    store.update(f"DELETE WHERE {{ GRAPH <{G1}> {{ ?g <{CGV.symbol.value}> ?s }} }}")
    assert _symbols(store, [G1]) == []


def test_dump_round_trip_nquads(store: GraphStore) -> None:
    store.replace_graph(G1, BRCA1)
    store.replace_graph(G2, AARS1)
    quads = _quads(store)
    expected = {tuple(str(t) for t in (s, p, o, NamedNode(g))) for g, ts in ((G1, BRCA1), (G2, AARS1))
                for s, p, o in ts}
    assert quads == expected


@pytest.mark.parametrize("fmt", [RdfFormat.TURTLE, RdfFormat.N_TRIPLES, RdfFormat.RDF_XML],
                         ids=["turtle", "n-triples", "rdf-xml"])
def test_dump_one_graph_round_trip(store: GraphStore, fmt: RdfFormat) -> None:
    store.replace_graph(G1, BRCA1)
    store.replace_graph(G2, AARS1)
    parsed = Store()
    parsed.load(store.dump(fmt, graph=G1), format=fmt)
    assert {tuple(str(t) for t in (q.subject, q.predicate, q.object)) for q in parsed} == {
        tuple(str(t) for t in triple) for triple in BRCA1}
    assert all(q.graph_name == DefaultGraph() for q in parsed)


def test_query_result_kinds(store: GraphStore) -> None:
    store.replace_graph(G1, BRCA1)
    assert isinstance(store.query(SYMBOLS, default_graphs=[G1]), QuerySolutions)
    assert bool(store.query("ASK { ?s ?p ?o }", default_graphs=[G1]))
    constructed = list(store.query("CONSTRUCT WHERE { ?s <https://w3id.org/clingen-graph/vocab#symbol> ?o }",
                                   default_graphs=[G1]))
    assert len(constructed) == 1


def test_timeout_is_an_error_not_an_empty_result(store: GraphStore) -> None:
    store.replace_graph(G1, BRCA1 + AARS1)
    slow = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"  # a cross product; any query takes longer than 1 ns
    with pytest.raises(QueryTimeout):
        store.query(slow, default_graphs=[G1], timeout=1e-9)
    assert len(store.query(COUNT, default_graphs=[G1], timeout=600)) == 1  # a generous limit answers


def test_read_only_reopen(tmp_path: Path) -> None:
    url = f"oxigraph:{tmp_path / 'store'}"
    writer = open_store(url)
    writer.replace_graph(G1, BRCA1)
    writer.close()
    reader = open_store(url, read_only=True)
    assert not reader.writable
    assert reader.graphs() == [G1]
    assert _symbols(reader, [G1]) == ["BRCA1"]
    for write in (lambda: reader.replace_graph(G2, AARS1), lambda: reader.add_to_graph(G1, AARS1),
                  lambda: reader.drop_graph(G1), lambda: reader.update(f"CLEAR GRAPH <{G1}>")):
        with pytest.raises(StoreError, match="read-only"):
            write()
    assert _symbols(reader, [G1]) == ["BRCA1"]
    reader.close()


def test_read_only_store_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(StoreError):
        open_store(f"oxigraph:{tmp_path / 'nothing-here'}", read_only=True)
    assert not (tmp_path / "nothing-here").exists()


def test_store_persists_across_reopen(tmp_path: Path) -> None:
    url = f"oxigraph:{tmp_path / 'store'}"
    first = open_store(url)
    first.replace_graph(G1, BRCA1)
    first.close()
    second = open_store(url)
    assert _symbols(second, [G1]) == ["BRCA1"]
    second.close()


@pytest.mark.parametrize("url", ["fuseki:http://localhost:3030/ds", "oxigraph-server:./x", "nothing"],
                         ids=["unknown-scheme", "similar-name", "no-scheme"])
def test_unknown_scheme_lists_known_ones(url: str) -> None:
    with pytest.raises(UnknownStoreError) as err:
        open_store(url)
    assert "oxigraph:" in str(err.value)
    assert "memory:" in str(err.value)
    assert isinstance(err.value, StoreError)


def test_writes_go_to_named_graphs_only(store: GraphStore) -> None:
    store.replace_graph(G1, BRCA1)
    store.add_to_graph(G2, AARS1)
    assert {q[3] for q in _quads(store)} == {f"<{G1}>", f"<{G2}>"}


def test_default_graphs_are_exactly_the_view_as_the_store_changes(store: GraphStore) -> None:
    """The embedded store answers a view of *all* its graphs from its union graph (faster), and must switch
    back to the explicit list as soon as a graph outside the view appears, or the default graph gets data."""
    store.replace_graph(G1, BRCA1)
    assert _symbols(store, [G1]) == ["BRCA1"]  # G1 is every graph: the union path
    store.replace_graph(G2, AARS1)
    assert _symbols(store, [G1]) == ["BRCA1"]  # G2 exists now and is not in the view
    assert _symbols(store, [G1, G2]) == ["AARS1", "BRCA1"]
    store.drop_graph(G2)
    assert _symbols(store, [G1]) == ["BRCA1"]
    if not _union_default(store):  # Virtuoso has no unnamed graph to write to
        store.update("INSERT DATA { <urn:x> <https://w3id.org/clingen-graph/vocab#symbol> \"UNNAMED\" }")
        assert _symbols(store, [G1]) == ["BRCA1"]  # the unnamed graph is never part of a release view
        store.update("DROP DEFAULT")
    store.add_to_graph(G2, ABAT)
    assert _symbols(store, [G1, G2]) == ["ABAT", "BRCA1"]
    assert _symbols(store, [G2]) == ["ABAT"]


def test_union_and_list_views_give_the_same_solutions(tmp_path: Path) -> None:
    from clingen_graph.store.oxigraph import DatasetView

    raw = Store()
    for name, triples in ((G1, BRCA1 + AARS1), (G2, AARS1 + ABAT)):  # AARS1 in both graphs
        for s, p, o in triples:
            raw.add(Quad(s, p, o, NamedNode(name)))
    view = DatasetView(raw)
    assert view.query_kwargs([G1, G2]) == {"use_default_graph_as_union": True}
    assert "default_graph" in view.query_kwargs([G1])
    union = sorted(str(r) for r in raw.query(SYMBOLS, **view.query_kwargs([G2, G1])))
    listed = sorted(str(r) for r in raw.query(SYMBOLS, default_graph=[NamedNode(G1), NamedNode(G2)]))
    assert union == listed and len(union) == 4  # AARS1 twice, as with the list


def test_remove_from_graph_removes_only_those_triples(store: GraphStore) -> None:
    store.replace_graph(G1, BRCA1 + AARS1)
    store.replace_graph(G2, AARS1)
    store.remove_from_graph(G1, AARS1 + ABAT)  # ABAT is not there: ignored
    assert _symbols(store, [G1]) == ["BRCA1"]
    assert _count(store, [G1]) == len(BRCA1)
    assert _symbols(store, [G2]) == ["AARS1"]  # the same triples in another graph stay


def test_replace_graph_in_chunks_and_from_given_ntriples(store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    from clingen_graph.model import rdf

    everything = [t for ts in GENES.values() for t in ts]
    monkeypatch.setattr(rdf, "NTRIPLES_CHUNK", 7)  # many chunks, written two at a time by the embedded store
    assert store.replace_graph(G1, everything) == len(everything)
    assert _count(store, [G1]) == len(set(everything))
    assert _symbols(store, [G1]) == sorted(GENES)
    # the same triples already serialized (what a load hands over, validated meanwhile)
    chunks = rdf.ntriples_chunks(BRCA1, size=5)
    assert chunks is not None and len(chunks) > 1
    assert store.replace_graph(G2, BRCA1, ntriples=chunks) == len(BRCA1)
    assert _symbols(store, [G2]) == ["BRCA1"] and _count(store, [G2]) == len(set(BRCA1))


def test_append_to_graph_adds_batches_in_chunks(store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    from clingen_graph.model import rdf

    monkeypatch.setattr(rdf, "NTRIPLES_CHUNK", 7)
    monkeypatch.setenv("CLINGEN_GRAPH_UPLOAD_CHUNK", "7")  # several requests per batch on a server
    symbols = sorted(GENES)
    first, *rest = symbols
    store.replace_graph(G1, GENES[first])
    for symbol in rest:  # a release staged batch by batch; a triple written twice is held once
        store.append_to_graph(G1, GENES[symbol] + GENES[first][:2])
    everything = {t for ts in GENES.values() for t in ts}
    assert _count(store, [G1]) == len(everything)
    assert _symbols(store, [G1]) == symbols
    chunks = rdf.ntriples_chunks(BRCA1, size=5)
    store.append_to_graph(G2, BRCA1, ntriples=chunks)  # a new graph, from given N-Triples
    assert _symbols(store, [G2]) == ["BRCA1"] and _count(store, [G2]) == len(set(BRCA1))
    assert _symbols(store, [G1]) == symbols  # the other graph is untouched


def test_blank_nodes_are_written_as_themselves(store: GraphStore) -> None:
    from pyoxigraph import BlankNode, Literal

    from clingen_graph.model import rdf

    node = BlankNode()
    triples = [(NamedNode("https://example.org/a"), NamedNode("https://example.org/p"), node),
               (node, NamedNode("https://example.org/q"), Literal("x"))]
    assert rdf.ntriples_chunks(triples) is None  # a parser would rename the node: no text for these terms
    store.replace_graph(G1, triples)
    rows = list(store.query("SELECT ?v WHERE { <https://example.org/a> <https://example.org/p> ?b . ?b ?q ?v }",
                            default_graphs=[G1]))
    assert [r["v"].value for r in rows] == ["x"]  # the two triples still meet at one node
