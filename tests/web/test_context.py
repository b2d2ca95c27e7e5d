"""The versioned JSON-LD context, and the JSON-LD of each entity kind round-tripping to its Turtle graph."""

from __future__ import annotations

import json

import pytest
import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from clingen_graph.ids import prefix_map

from .conftest import PAGES


def test_versioned_context_is_immutable_and_generated(client):
    r = client.get("/context/v1.jsonld")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/ld+json")
    assert "immutable" in r.headers["cache-control"] and "max-age=31536000" in r.headers["cache-control"]
    ctx = r.json()["@context"]
    for prefix, iri in prefix_map().items():  # every prefix of the table, but where a property has the name
        expected = {"@id": f"cgv:{prefix}"} if prefix == "caid" else None
        assert ctx[prefix] in (iri, {"@id": iri, "@prefix": True}, expected)
    # ranges decide the coercion: a class range is an IRI, an XSD range its datatype, strings stay plain
    assert ctx["proposition"]["@type"] == "@id"
    assert ctx["objectCondition"]["@type"] == "@id"
    assert ctx["start"]["@type"] == "xsd:integer"
    assert ctx["criterionMet"]["@type"] == "xsd:boolean"
    assert "@type" not in ctx.get("symbol", {})
    assert client.get("/context.jsonld").json() == r.json()  # the unversioned alias
    assert client.get("/context/v999.jsonld").status_code == 404


@pytest.mark.parametrize("path", list(PAGES.values()), ids=list(PAGES))
def test_jsonld_round_trips_to_the_turtle_graph(client, path):
    doc = client.get(path).json()
    assert doc["@context"] == "/context/v1.jsonld"
    doc["@context"] = client.get(doc["@context"]).json()["@context"]  # resolved locally, as served
    from_jsonld = rdflib.Graph().parse(data=json.dumps(doc), format="json-ld")
    from_turtle = rdflib.Graph().parse(data=client.get(path, headers={"Accept": "text/turtle"}).text, format="turtle")
    assert len(from_turtle) > 5
    if not isomorphic(from_jsonld, from_turtle):
        _, only_jsonld, only_turtle = graph_diff(to_isomorphic(from_jsonld), to_isomorphic(from_turtle))
        pytest.fail("only in JSON-LD:\n" + "\n".join(sorted(" ".join(x.n3() for x in t) for t in only_jsonld)[:20])
                    + "\nonly in Turtle:\n" + "\n".join(sorted(" ".join(x.n3() for x in t) for t in only_turtle)[:20]))
