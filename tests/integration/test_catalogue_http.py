"""The catalogue over HTTP (``/queries``) and the workbench page at ``/``, on the bundled data."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient

from clingen_graph import query
from clingen_graph.api.app import create_app
from clingen_graph.api.routes.workbench import codemirror_dir
from clingen_graph.api.settings import Settings
from clingen_graph.ids import expand_curie

CATALOGUE = query.catalogue()
BRCA1 = expand_curie("HGNC:1100")


def _problem(r, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    return r.json()


def test_list_describes_every_catalogue_query(client):
    r = client.get("/queries")
    assert r.status_code == 200
    listed = {q["name"]: q for q in r.json()}
    assert set(listed) == set(CATALOGUE)
    region = listed["region-dosage"]
    assert region["title"] == CATALOGUE["region-dosage"].title and region["description"]
    assert [(p["name"], p["type"], p["example"]) for p in region["parameters"]] == [
        ("assembly", "string", "GRCh38"), ("chromosome", "string", "chr17"),
        ("start", "integer", "43000000"), ("end", "integer", "43200000")]
    assert "SELECT" in region["sparql"] and region["min_rows"] == CATALOGUE["region-dosage"].min_rows


def test_one_query(client):
    q = client.get("/queries/gene-validity").json()
    assert q["parameters"] == [{"name": "gene", "type": "iri", "example": "HGNC:1100",
                                "description": CATALOGUE["gene-validity"].params[0].description}]
    assert q["results"] == "/queries/gene-validity/results?gene=HGNC%3A1100"
    assert q["sparql"] == CATALOGUE["gene-validity"].text
    _problem(client.get("/queries/no-such-query"), 404)
    _problem(client.get("/queries/no-such-query/results"), 404)


@pytest.mark.parametrize("name", sorted(CATALOGUE), ids=sorted(CATALOGUE))
def test_every_query_meets_its_minimum_over_http(client, name):
    q = CATALOGUE[name]
    r = client.get(f"/queries/{name}/results", params=q.example)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/sparql-results+json")
    assert len(r.json()["results"]["bindings"]) >= q.min_rows


def test_results_bind_the_parameter(client):
    rows = client.get("/queries/gene-validity/results", params={"gene": "HGNC:1100"}).json()["results"]["bindings"]
    assert {row["gene"]["value"] for row in rows} == {BRCA1}
    assert "BRCA1-related cancer predisposition" in {row["diseaseLabel"]["value"] for row in rows}
    # the IRI form binds the same
    same = client.get("/queries/gene-validity/results", params={"gene": BRCA1}).json()["results"]["bindings"]
    assert same == rows


def test_csv_and_tsv_by_format_and_accept(client):
    by_format = client.get("/queries/gene-validity/results", params={"gene": "HGNC:1100", "format": "csv"})
    assert by_format.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(by_format.text)))
    assert table and {row["gene"] for row in table} == {BRCA1}
    by_accept = client.get("/queries/gene-validity/results", params={"gene": "HGNC:1100"},
                           headers={"Accept": "text/csv"})
    assert by_accept.headers["content-type"].startswith("text/csv") and by_accept.text == by_format.text
    tsv = client.get("/queries/gene-validity/results", params={"gene": "HGNC:1100", "format": "tsv"})
    assert tsv.headers["content-type"].startswith("text/tab-separated-values")
    assert tsv.text.splitlines()[0].split("\t")[:2] == ["?statement", "?gene"]
    assert len(tsv.text.splitlines()) == len(table) + 1


def test_bad_parameters_are_problems_naming_them(client):
    bad_iri = _problem(client.get("/queries/gene-validity/results", params={"gene": "not an id"}), 400)
    assert "'gene'" in bad_iri["detail"]
    bad_int = _problem(client.get("/queries/region-dosage/results",
                                  params={"assembly": "GRCh38", "chromosome": "chr17", "start": "1e", "end": "9"}),
                       400)
    assert "'start'" in bad_int["detail"] and "integer" in bad_int["detail"]
    unknown = _problem(client.get("/queries/gene-validity/results", params={"disease": "MONDO:0007254"}), 400)
    assert "'disease'" in unknown["detail"] and "gene" in unknown["detail"]
    fmt = _problem(client.get("/queries/gene-validity/results", params={"format": "xml"}), 400)
    assert "'format'" in fmt["detail"]
    _problem(client.get("/queries/gene-validity/results", headers={"Accept": "application/rdf+xml"}), 406)


def test_links_to_entity_pages(client):
    r = client.get("/queries/gene-validity/results", params={"gene": "HGNC:1100", "links": "true"})
    body = r.json()
    assert body["links"][BRCA1] == "/genes/HGNC:1100"
    diseases = {row["disease"]["value"] for row in body["results"]["bindings"]}
    assert all(body["links"][d].startswith("/diseases/MONDO:") for d in diseases)
    assert "links" not in client.get("/queries/gene-validity/results", params={"gene": "HGNC:1100"}).json()
    mondo = expand_curie("MONDO:0007254")
    hpo = expand_curie("HP:0000006")
    assert client.post("/workbench/links", json=[BRCA1, mondo, hpo]).json() == {
        BRCA1: "/genes/HGNC:1100", mondo: "/diseases/MONDO:0007254"}


def test_results_keep_the_sparql_row_limit(bundled_url):
    app = create_app(Settings(store=bundled_url, max_result_rows=1, sparql_workers=1))
    with TestClient(app) as c:
        r = c.get("/queries/gene-validity/results", params={"gene": "HGNC:1100"})
        assert r.status_code == 200
        assert r.headers["x-result-truncated"] == "true" and r.headers["x-result-row-limit"] == "1"
        assert len(r.json()["results"]["bindings"]) == 1


def test_results_keep_the_sparql_time_limit(bundled_url):
    """Past the time limit a catalogue query answers the /sparql timeout problem, never an empty result."""
    app = create_app(Settings(store=bundled_url, query_timeout=1e-6, sparql_workers=1))
    with TestClient(app) as c:
        problem = _problem(c.get("/queries/obsolete-mondo-curations/results"), 503)
        assert problem["title"] == "Query timeout" and "CLINGEN_GRAPH_QUERY_TIMEOUT" in problem["detail"]


def test_workbench_page(client):
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    for q in CATALOGUE.values():
        assert f'data-name="{q.name}"' in page
    assert '<input id="search" type="search"' in page and '<ul id="search-results"' in page
    assert "/static/workbench.js" in page and "/static/search.js" in page
    assert "PREFIX hgnc: <https://identifiers.org/hgnc:>" in page
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page), "the workbench loads nothing from elsewhere"


@pytest.mark.skipif(not (codemirror_dir() / "lib" / "codemirror.js").is_file(),
                    reason="CodeMirror is not installed in web/node_modules (npm ci --prefix web)")
def test_codemirror_is_served_offline(client):
    assert '<script src="/static/vendor/codemirror/mode/sparql/sparql.js">' in client.get("/").text
    js = client.get("/static/vendor/codemirror/mode/sparql/sparql.js")
    assert js.status_code == 200 and "sparql" in js.text and js.headers["content-type"].startswith("text/javascript")
    assert client.get("/static/vendor/codemirror/lib/codemirror.css").headers["content-type"].startswith("text/css")
    _problem(client.get("/static/vendor/codemirror/package.json"), 404)
