"""Variants on the bundled real data: ERepo interpretations with criteria, ClinVar SCVs, aggregates and
conflicts, the computed classification, and the variant API by any identifier."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

from clingen_graph import query
from clingen_graph.release import default_graphs, load_paths
from clingen_graph.store import open_store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PAH_C1A_G = "https://identifiers.org/clinvar:586"  # NM_000277.2(PAH):c.1A>G, CA114360


def _rows(reader, name: str, **params: str) -> list[dict]:
    return query.select_rows(reader, query.get(name).bind(params), default_graphs(reader))


@pytest.mark.parametrize("identifier", [
    "CA114360", "586", "NC_000012.12:g.102917130T>C", "NM_000277.2:c.1A>G",
])
def test_variant_statements_by_any_identifier(reader, identifier: str) -> None:
    rows = _rows(reader, "variant-statements", id=identifier)
    assert {r["variant"].value for r in rows} == {PAH_C1A_G}
    by_contributor = {r["contributor"].value: r for r in rows}
    expert = by_contributor["Phenylketonuria VCEP"]
    assert expert["classification"].value == "Pathogenic"
    assert set(expert["metCriteria"].value.split(", ")) == {"PS3", "PM3", "PP4_moderate", "PM2"}
    assert by_contributor["clingen-graph"]["classification"].value == "Pathogenic"


def test_variant_found_by_its_vrs_id(reader) -> None:
    (row,) = query.select_rows(reader, f"""PREFIX cgv: <https://w3id.org/clingen-graph/vocab#>
        SELECT ?vrs WHERE {{ <{PAH_C1A_G}> cgv:vrsId ?vrs }}""", default_graphs(reader))
    assert row["vrs"].value.startswith("ga4gh:VA.") and len(row["vrs"].value) == len("ga4gh:VA.") + 32
    rows = _rows(reader, "variant-statements", id=row["vrs"].value)
    assert {r["variant"].value for r in rows} == {PAH_C1A_G}


def test_clinvar_aggregates_and_conflicts_are_materialised(reader) -> None:
    rows = _rows(reader, "conflicts-by-gene")
    assert {(r["symbol"].value, r["conflictType"].value) for r in rows} >= {("KRAS", "P/LP vs VUS")}
    rows = query.select_rows(reader, """PREFIX cgv: <https://w3id.org/clingen-graph/vocab#>
        SELECT ?stated ?stars ?who WHERE {
          ?a a cgv:ClinVarAggregate ; cgv:proposition/cgv:subjectVariant <https://identifiers.org/clinvar:177881> ;
             cgv:statedClassification ?stated ; cgv:stars ?stars ;
             cgv:contributions/cgv:contributor/<http://www.w3.org/2000/01/rdf-schema#label> ?who }""",
                             default_graphs(reader))
    stated = {r["who"].value: (r["stated"].value, int(r["stars"].value)) for r in rows}
    # ClinVar's own aggregate and ours, computed from the SCVs, agree on the real record
    assert stated["ClinVar"] == stated["clingen-graph"] == ("Conflicting classifications of pathogenicity", 1)


def test_inconsistent_curations_are_flagged(reader) -> None:
    rows = _rows(reader, "inconsistent-variant-curations")
    assert rows and all(r["curated"].value != r["computed"].value for r in rows)
    # a small share: the classifier agrees with the expert panels on >= 98% of rows (tests/acmg)
    assert len(rows) < 0.03 * 4734


def test_expert_panel_vs_clinvar_submitters(tmp_path: Path) -> None:
    """ClinVar's KRAS record edited so that one SCV is an expert panel's (tests/fixtures/clinvar/README.md)."""
    store = open_store(f"oxigraph:{tmp_path / 'store'}")
    summaries = load_paths(store, [FIXTURES / "clinvar/VCV000177881_edited_expert_panel.xml"])
    assert {s.status for s in summaries} == {"loaded"}
    rows = query.select_rows(store, query.get("expert-panel-vs-clinvar").text, default_graphs(store))
    assert rows and {r["variant"].value for r in rows} == {"https://identifiers.org/clinvar:177881"}
    types = {r["conflictType"].value for r in query.select_rows(store, query.get("conflicts-by-gene").text,
                                                                default_graphs(store))}
    assert "expert panel vs other submitters" in types
    store.close()


def test_variant_api_by_caid_jsonld_and_turtle(client) -> None:
    r = client.get("/variants/CA114360")
    assert r.status_code == 200, r.text
    doc = r.json()
    assert "@context" in doc
    text = r.text
    assert "Phenylketonuria VCEP" in text and "PP4_moderate" in text and "PS3" in text
    t = client.get("/variants/clinvar:586", headers={"accept": "text/turtle"})
    assert t.status_code == 200
    g = rdflib.Graph().parse(data=t.text, format="turtle")
    assert len(g) > 50


@pytest.mark.parametrize(("identifier", "expected"), [
    ("586", PAH_C1A_G), ("VCV000000586", PAH_C1A_G), ("NC_000012.12:g.102917130T>C", PAH_C1A_G),
    ("rs113488022", "https://identifiers.org/clinvar:13961"),  # BRAF V600E, from ClinVar's VCV XML
    ("CA123643", "https://identifiers.org/clinvar:13961"),
    ("NC_000007.14:140753335:A:T", "https://identifiers.org/clinvar:13961"),  # its SPDI
])
def test_variant_api_resolves_identifiers(client, identifier: str, expected: str) -> None:
    r = client.get(f"/variants/{identifier}", headers={"accept": "application/n-triples"})
    assert r.status_code == 200, r.text
    assert f"<{expected}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>" in r.text


def test_variant_api_unknown_is_problem_json(client) -> None:
    r = client.get("/variants/CA999999999")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")


def test_classify_endpoint(client) -> None:
    r = client.post("/classify", json={"criteria": ["PVS1", "PM2_Supporting"]})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["classification"] == "Likely pathogenic"
    assert "PVS1" in body["counted"] and body["points"] == 9
    bad = client.post("/classify", json={"criteria": ["BA1_Supporting"]})
    assert bad.status_code == 422
    assert "BA1" in bad.json()["detail"]
