"""The HTTP API against the bundled data: JSON-LD entities, content negotiation, SPARQL protocol, errors."""

from __future__ import annotations

import json

import pytest
import rdflib
from rdflib.compare import isomorphic

from clingen_graph.api.jsonld import jsonld_ready

PROBLEM = "application/problem+json"
BRCA1_STATEMENT = "cggv:assertion_0f31f200-3b65-4cfd-80c8-bd7d3cc216b8-2024-08-29T170000.000Z"


def test_gene_jsonld_has_context_and_statements(client):
    r = client.get("/genes/HGNC:1100")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/ld+json")
    doc = r.json()
    assert doc["@context"] == "/context/v1.jsonld"
    nodes = {n["id"]: n for n in doc["@graph"]}
    gene = nodes["HGNC:1100"]
    assert gene["symbol"] == "BRCA1" and "Gene" in gene["type"]
    statement = nodes[BRCA1_STATEMENT]
    assert statement["classification"]["id"] == "cgv:Definitive"
    assert statement["proposition"]["objectCondition"]["id"] == "MONDO:0700268"
    assert statement["proposition"]["modeOfInheritanceQualifier"]["id"] == "HP:0000006"
    assert statement["contributions"][0]["contributor"]["label"] == "Hereditary Cancer Gene Curation Expert Panel"
    assert statement["specifiedBy"]["id"] == "cgv:GeneValiditySOP10"
    assert any("DosageSensitivityStatement" in n.get("type", []) for n in doc["@graph"])


def test_symbol_and_id_give_the_same_gene(client):
    assert client.get("/genes/BRCA1").json() == client.get("/genes/HGNC:1100").json()


def test_jsonld_round_trips_to_the_turtle_graph(client):
    doc = client.get("/genes/HGNC:1100").json()
    from_jsonld = rdflib.Graph().parse(data=json.dumps(jsonld_ready(doc)), format="json-ld")
    turtle = client.get("/genes/HGNC:1100", headers={"accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    from_turtle = rdflib.Graph().parse(data=turtle.text, format="turtle")
    assert len(from_turtle) > 50
    assert isomorphic(from_jsonld, from_turtle)


def test_ntriples_on_request(client):
    r = client.get("/genes/HGNC:1100", headers={"accept": "application/n-triples"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/n-triples")
    assert "<https://identifiers.org/hgnc:1100>" in r.text


def test_unknown_ids_are_problem_404(client):
    for path in ("/genes/HGNC:999999", "/genes/NOSUCHGENE1", "/diseases/MONDO:9999999",
                 "/statements/cggv:assertion_00000000-0000-0000-0000-000000000000"):
        r = client.get(path)
        assert r.status_code == 404, path
        assert r.headers["content-type"].startswith(PROBLEM)
        assert r.json()["status"] == 404


def test_bad_ids_are_400(client):
    r = client.get("/diseases/HP:0000006")
    assert r.status_code == 400 and r.headers["content-type"].startswith(PROBLEM)


def test_disease_and_statement(client):
    d = client.get("/diseases/MONDO:0700268").json()
    nodes = {n["id"]: n for n in d["@graph"]}
    assert nodes["MONDO:0700268"]["label"] == "BRCA1-related cancer predisposition"
    s = client.get(f"/statements/{BRCA1_STATEMENT}").json()
    assert s["id"] == BRCA1_STATEMENT and s["proposition"]["subjectGene"]["id"] == "HGNC:1100"


def test_unacceptable_format_is_406(client):
    r = client.get("/genes/HGNC:1100", headers={"accept": "image/png"})
    assert r.status_code == 406 and r.headers["content-type"].startswith(PROBLEM)


def test_releases_and_context(client):
    rel = client.get("/releases").json()["releases"]
    current = {r["source"]: r["release"] for r in rel if r["current"]}
    assert current["clingen-gene-validity"] == "2026-02-09"
    assert any(r["release"] == "2025-01-03" and not r["current"] for r in rel)
    ctx = client.get("/context.jsonld").json()["@context"]
    assert ctx["@vocab"] == "https://w3id.org/clingen-graph/vocab#"
    assert ctx["proposition"]["@type"] == "@id" and ctx["HGNC"] == "https://identifiers.org/hgnc:"
    assert ctx["MONDO"] == {"@id": "http://purl.obolibrary.org/obo/MONDO_", "@prefix": True}


SELECT = "SELECT ?s WHERE { ?s a <https://w3id.org/clingen-graph/vocab#GeneDiseaseValidityStatement> } LIMIT 3"


@pytest.mark.parametrize(("accept", "ctype", "marker"), [
    ("application/sparql-results+json", "application/sparql-results+json", '"bindings"'),
    ("application/sparql-results+xml", "application/sparql-results+xml", "<sparql"),
    ("text/csv", "text/csv", "s\r\n"),
    ("text/tab-separated-values", "text/tab-separated-values", "?s"),
    ("", "application/sparql-results+json", '"bindings"'),
], ids=["json", "xml", "csv", "tsv", "default"])
def test_sparql_select_formats(client, accept, ctype, marker):
    r = client.get("/sparql", params={"query": SELECT}, headers={"accept": accept} if accept else {})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(ctype)
    assert marker in r.text


def test_sparql_post_forms(client):
    r1 = client.post("/sparql", content=SELECT, headers={"content-type": "application/sparql-query"})
    r2 = client.post("/sparql", data={"query": SELECT})
    assert r1.status_code == r2.status_code == 200
    assert len(r1.json()["results"]["bindings"]) == 3


@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                             ("application/ld+json", "json-ld")])
def test_sparql_construct_formats(client, accept, fmt):
    q = "CONSTRUCT { ?g ?p ?o } WHERE { VALUES ?g { <https://identifiers.org/hgnc:1100> } ?g ?p ?o }"
    r = client.get("/sparql", params={"query": q}, headers={"accept": accept})
    assert r.status_code == 200
    assert len(rdflib.Graph().parse(data=r.text, format=fmt)) > 5


def test_sparql_is_read_only_and_rejects_bad_queries(client):
    assert client.post("/sparql", data={"update": "DROP ALL"}).status_code == 403
    r = client.get("/sparql", params={"query": "SELEC nothing"})
    assert r.status_code == 400 and r.headers["content-type"].startswith(PROBLEM)
    r = client.get("/sparql", params={"query": "SELECT * WHERE { SERVICE <http://example.org/s> { ?s ?p ?o } }"})
    assert r.status_code == 403 and "example.org" in r.json()["detail"]
    assert client.get("/sparql").status_code == 400


def test_sparql_timeout_is_an_error_not_an_empty_result(bundled_url):
    from fastapi.testclient import TestClient

    from clingen_graph.api.app import create_app
    from clingen_graph.api.settings import Settings

    app = create_app(Settings(store=bundled_url, query_timeout=0.2, sparql_workers=1))
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?b ?q ?c . ?c ?r ?d }"
    with TestClient(app) as c:
        r = c.get("/sparql", params={"query": slow})
        assert r.status_code == 503
        assert r.headers["content-type"].startswith(PROBLEM)
        assert "0.2 s" in r.json()["detail"] and "CLINGEN_GRAPH_QUERY_TIMEOUT" in r.json()["detail"]
        ok = c.get("/sparql", params={"query": "ASK {}"})  # the pool recovered
        assert ok.status_code == 200


def test_openapi_docs(client):
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/sparql", "/genes/{gene_id}", "/releases", "/context.jsonld"} <= set(paths)


def test_sparql_on_a_superseded_release_reads_the_archive(client):
    """The bundled data has an older gene-validity release: it left the live store for the archive, and is
    still answered by name (default-graph-uri), alone; with a current graph it is a clear 400."""
    releases = client.get("/releases").json()["releases"]
    old = next(r for r in releases if not r["current"])
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    r = client.get("/sparql", params={"query": count, "default-graph-uri": old["id"]},
                   headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == old["triples"] > 0
    current = next(r for r in releases if r["current"])
    r = client.get("/sparql", params={"query": count, "default-graph-uri": [old["id"], current["id"]]})
    assert r.status_code == 400
    assert "superseded" in r.json()["detail"]
