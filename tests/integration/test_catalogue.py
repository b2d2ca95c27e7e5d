"""Every catalogue query has its header and returns at least its minimum rows on the bundled data."""

from __future__ import annotations

from pathlib import Path

import pytest

from clingen_graph import query
from clingen_graph.release import default_graphs

CATALOGUE = query.catalogue()
ROOT = Path(__file__).resolve().parents[2]


def test_catalogue_is_not_empty():
    assert len(CATALOGUE) >= 6


@pytest.mark.parametrize("name", sorted(CATALOGUE), ids=sorted(CATALOGUE))
def test_header(name):
    q = CATALOGUE[name]
    assert q.title and q.title != name
    assert q.description
    # a query whose data the bundle lacks (no bundled ClinVar record shares a variant with ERepo) names the
    # test that exercises it on real records instead
    tested_by = next((line.split(":", 1)[1].strip() for line in q.text.splitlines()
                      if line.startswith("# tested-by:")), None)
    assert q.min_rows >= 1 or tested_by, "min-rows 0 needs a '# tested-by:' line"
    if tested_by:
        path, _, test = tested_by.partition("::")
        assert f"def {test}(" in (ROOT / path).read_text(), tested_by
    assert set(q.example) == {p.name for p in q.params}, "every parameter needs an example value"


@pytest.mark.parametrize("name", sorted(CATALOGUE), ids=sorted(CATALOGUE))
def test_meets_minimum_on_bundled_data(name, reader):
    q = CATALOGUE[name]
    rows = query.select_rows(reader, q.bind(q.example), default_graphs(reader))
    assert len(rows) >= q.min_rows, f"{name} returned {len(rows)} rows, needs {q.min_rows}"


def test_gene_validity_answers_brca1(reader):
    q = CATALOGUE["gene-validity"]
    rows = query.select_rows(reader, q.bind({"gene": "HGNC:1100"}), default_graphs(reader))
    diseases = {r["diseaseLabel"].value for r in rows}
    assert "BRCA1-related cancer predisposition" in diseases
    assert {r["gcep"].value for r in rows} == {"Hereditary Cancer Gene Curation Expert Panel"}
    assert {r["classificationLabel"].value for r in rows} == {"Definitive"}


def test_disease_subtypes_uses_closure(reader):
    q = CATALOGUE["disease-subtypes-genes"]
    rows = query.select_rows(reader, q.bind({"disease": "MONDO:0100062"}), default_graphs(reader))
    subtypes = {r["subtype"].value for r in rows}
    assert len(subtypes) > 1, "subtypes of the disease must be found, not only the disease itself"
    assert {r["classificationLabel"].value for r in rows} <= {"Definitive", "Strong", "Moderate"}


def test_dosage_scores_are_codes(reader):
    q = CATALOGUE["gene-dosage"]
    rows = query.select_rows(reader, q.bind({"gene": "HGNC:1100"}), default_graphs(reader))
    assert {(r["kind"].value, r["score"].value) for r in rows} >= {("HI", "3")}


def test_obsolete_curations_show_replacements(reader):
    q = CATALOGUE["obsolete-mondo-curations"]
    rows = query.select_rows(reader, q.text, default_graphs(reader))
    assert any(r["replacement"] is not None for r in rows)


def test_unknown_parameter_and_bad_iri_are_errors():
    q = CATALOGUE["gene-validity"]
    with pytest.raises(query.QueryError):
        q.bind({"nope": "x"})
    with pytest.raises(query.QueryError):
        q.bind({"gene": "not a curie"})


def test_string_parameters_are_escaped():
    q = CATALOGUE["region-dosage"]
    text = q.bind({"assembly": 'GRCh38" } ; DROP ALL ; #', "chromosome": "chr1", "start": "1", "end": "2"})
    assert 'DROP ALL ; #"' in text  # stayed inside a literal


def test_classification_counts_from_tallies_equal_counting_the_statements(reader):
    """The tallies materialised at load give what grouping every current statement gives."""
    direct = """PREFIX cgv: <https://w3id.org/clingen-graph/vocab#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?gcep ?classificationLabel (COUNT(DISTINCT ?statement) AS ?statements) WHERE {
  ?statement a cgv:GeneDiseaseValidityStatement ; cgv:classification ?classification ;
             cgv:contributions/cgv:contributor ?agent .
  ?agent rdfs:label ?gcep .
  ?classification skos:prefLabel ?classificationLabel .
} GROUP BY ?gcep ?classificationLabel"""
    graphs = default_graphs(reader)

    def counts(text):
        return {(r["gcep"].value, r["classificationLabel"].value): int(r["statements"].value)
                for r in query.select_rows(reader, text, graphs)}

    from_tallies = counts(CATALOGUE["classification-counts-by-gcep"].text)
    assert from_tallies == counts(direct)
    assert sum(from_tallies.values()) > 3000  # every current gene-validity statement of the bundled export


def test_bound_parameter_is_inlined_where_safe_and_still_projected(reader):
    """bind() puts the term in the patterns (Oxigraph plans constants far better than a VALUES join) and
    keeps the VALUES block, so a projected parameter is still in every row."""
    q = CATALOGUE["gene-dosage"]
    text = q.bind({"gene": "HGNC:1100"})
    where = text[text.index("WHERE"):]
    assert "cgv:subjectGene <https://identifiers.org/hgnc:1100>" in where
    assert "VALUES ?gene { <https://identifiers.org/hgnc:1100> }" in where
    assert "GROUP BY ?statement ?gene" in text  # after the WHERE group: untouched
    rows = query.select_rows(reader, text, default_graphs(reader))
    assert rows and {r["gene"].value for r in rows} == {"https://identifiers.org/hgnc:1100"}


@pytest.mark.parametrize("group, inlined", [
    ("?s <p> ?x .", True),
    ("{ SELECT ?x WHERE { ?s <p> ?x } } ?s <q> ?o .", False),  # a sub-select may project it
    ("?s <p> ?o BIND (1 AS ?x)", False),
    ("OPTIONAL { ?s <p> ?x } FILTER (BOUND(?x))", False),
    ("?s <p> \"a } ?x\" ; <q> ?x .", True),  # a brace in a string does not end the group
])
def test_inlining_only_where_the_answer_cannot_change(group, inlined):
    text = "SELECT ?s WHERE { " + group + " } ORDER BY ?x"
    bound = query.bind_values(text, ["VALUES ?x { 7 }"], {"x": "7"})
    body = bound[bound.index("{") + 1: bound.rindex("}")]
    assert ("?x" not in body.replace("VALUES ?x", "").replace("\"a } ?x\"", "")) is inlined
    assert bound.endswith("ORDER BY ?x")


def test_region_dosage_labels_are_the_curation_names(reader):
    """The label column (cgv:subjectLabel, written with each dosage proposition) is the gene symbol or the
    region name of every row."""
    q = CATALOGUE["region-dosage"]
    graphs = default_graphs(reader)
    rows = query.select_rows(reader, q.bind(q.example), graphs)
    assert len(rows) >= q.min_rows
    symbols = {r["gene"].value: r["symbol"].value for r in query.select_rows(reader, """
        PREFIX cgv: <https://w3id.org/clingen-graph/vocab#>
        SELECT ?gene ?symbol WHERE { ?p cgv:subjectGene ?gene . ?gene cgv:symbol ?symbol }""", graphs)}
    for row in rows:
        label = row["label"].value
        assert label
        if row["subject"].value in symbols:
            assert label == symbols[row["subject"].value]


def test_bind_values_header_keeps_the_variable():
    """``# bind: values`` (a query whose plan is worse with the constant in its patterns) binds by VALUES only."""
    q = CATALOGUE["disease-subtypes-genes"]
    assert not q.inline
    text = q.bind(q.example)
    assert "?subtype cgv:ancestorOrSelf ?disease" in text
    assert "VALUES ?disease { <http://purl.obolibrary.org/obo/MONDO_0100062> }" in text
