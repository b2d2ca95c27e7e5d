"""Regression: ``replace_graph`` removed the old graph before reading the new triples, so an iterable that
failed half-way left the graph empty instead of unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, Store

from clingen_graph.store import open_store

GRAPH = "https://w3id.org/clingen-graph/graph/hgnc/2024-07-23"
TURTLE = b"""
@prefix cgv: <https://w3id.org/clingen-graph/vocab#> .
<https://identifiers.org/hgnc:1100> a cgv:Gene ; cgv:symbol "BRCA1" .
"""


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_failed_replace_keeps_the_graph(tmp_path: Path, backend: str) -> None:
    store = open_store("memory:" if backend == "memory" else f"oxigraph:{tmp_path / 'store'}")
    parsed = Store()
    parsed.load(TURTLE, format=RdfFormat.TURTLE)
    triples = [(q.subject, q.predicate, q.object) for q in parsed]
    store.replace_graph(GRAPH, triples)

    def failing() -> Iterator:
        yield triples[0]
        raise OSError("connection reset while reading the source")

    with pytest.raises(OSError):
        store.replace_graph(GRAPH, failing())
    rows = store.query("SELECT ?s WHERE { ?g <https://w3id.org/clingen-graph/vocab#symbol> ?s }",
                       default_graphs=[GRAPH])
    assert [r["s"].value for r in rows] == ["BRCA1"]
    store.close()
