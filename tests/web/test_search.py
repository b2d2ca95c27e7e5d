"""GET /search on the bundled data: symbols, previous and alias symbols, disease synonyms, HGVS, CAids; ranking."""

from __future__ import annotations

import pytest


def search(client, q: str, **params) -> list[dict]:
    r = client.get("/search", params={"q": q, **params})
    assert r.status_code == 200
    body = r.json()
    assert body["query"] == q
    return body["results"]


def test_symbol_exact_match_first_then_prefixes(client):
    results = search(client, "brca1")
    assert results[0] == {"id": "HGNC:1100", "label": "BRCA1", "type": "gene", "matched": "BRCA1",
                          "kind": "symbol", "url": "/genes/HGNC:1100"}
    assert "HGNC:28470" in [r["id"] for r in results]  # BRCA1P1, a prefix match, after


def test_prefix_finds_several_genes(client):
    ids = [r["id"] for r in search(client, "BRCA")]
    assert ids[:2] == ["HGNC:1100", "HGNC:1101"]  # BRCA1, BRCA2 before longer symbols


@pytest.mark.parametrize(("q", "gene", "kind"), [
    ("RNF53", "HGNC:1100", "alias symbol"),  # BRCA1
    ("CMH1", "HGNC:7577", "previous symbol"),  # MYH7 (CMH1 is also the approved symbol of HGNC:2113)
    ("KCNA9", "HGNC:6294", "previous symbol"),  # KCNQ1 (KCNA9 is also approved: HGNC:6227)
])
def test_previous_and_alias_symbols(client, q, gene, kind):
    results = search(client, q)
    found = next(r for r in results if r["id"] == gene)
    assert (found["kind"], found["matched"], found["url"]) == (kind, q, f"/genes/{gene}")
    approved = [r for r in results if r["kind"] == "symbol" and r["matched"] == q]
    if approved:  # a gene whose approved symbol it is comes first
        assert results[0] == approved[0]


def test_exact_symbol_ranks_before_a_disease_synonym(client):
    results = search(client, "PAH")
    assert results[0]["id"] == "HGNC:8582"
    assert any(r["type"] == "disease" and r["matched"] == "PAH" for r in results)  # pulmonary arterial hypertension


def test_disease_synonym_and_words(client):
    first = search(client, "PKU", type="disease")[0]
    assert (first["id"], first["kind"], first["url"]) == ("MONDO:0009861", "synonym", "/diseases/MONDO:0009861")
    labels = [r["label"].lower() for r in search(client, "cardiomyopathy", type="disease", limit=50)]
    assert labels[0] == "cardiomyopathy"  # the exact label
    assert not any(label.endswith((", dog", ", cattle")) for label in labels)  # non-human animal diseases left out
    words = [r["label"].lower() for r in search(client, "ketonuria", type="disease", limit=50)]
    assert "phenylketonuria" in words  # inside a word


def test_variant_ids(client):
    by_caid = search(client, "CA114360")[0]
    assert (by_caid["id"], by_caid["matched"], by_caid["type"]) == ("clinvar:586", "CA114360", "variant")
    assert client.get(by_caid["url"]).status_code == 200
    by_clinvar = search(client, "586", type="variant")[0]
    assert by_clinvar["id"] == "clinvar:586"
    by_vrs = search(client, "ga4gh:VA.o54NFzQjywgM0uC6-3RgbbsHZVy3Tl9N")[0]
    assert by_vrs["id"] == "clinvar:586" and by_vrs["kind"] == "vrs"


def test_hgvs_exact_and_substring(client):
    first = search(client, "NM_000277.2:c.1A>G")[0]
    assert first["id"] == "clinvar:586" and first["kind"] == "hgvs"
    inside = search(client, "c.1A>G", limit=50)
    assert "clinvar:586" in [r["id"] for r in inside]
    assert all("c.1a>g" in r["matched"].lower() for r in inside)


def test_type_filter_limit_and_empty_query(client):
    results = search(client, "brca", type="disease", limit=3)
    assert 0 < len(results) <= 3 and {r["type"] for r in results} == {"disease"}
    assert search(client, "") == []
    assert search(client, "zzzqqqxxx") == []
    assert client.get("/search", params={"q": "x", "type": "protein"}).status_code == 400


def test_results_link_to_pages_and_each_entity_appears_once(client):
    results = search(client, "BRCA1", limit=20)
    assert len({r["id"] for r in results}) == len(results)
    for r in results[:5]:
        assert client.get(r["url"], headers={"Accept": "text/html"}).status_code == 200
