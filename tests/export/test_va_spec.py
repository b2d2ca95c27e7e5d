"""VA-Spec export: every ACMG 2015 statement of the bundled data validates with GA4GH's reference implementation."""

from __future__ import annotations

import pytest
from ga4gh.va_spec.acmg_2015 import VariantPathogenicityEvidenceLine, VariantPathogenicityStatement

from clingen_graph.export.va_spec import StatementNotFound, va_spec_statement, va_spec_statements
from clingen_graph.release import default_graphs

from .conftest import BS2_STANDALONE, PAH_STATEMENT


@pytest.fixture(scope="module")
def documents(reader) -> dict[str, dict]:
    return {d["id"]: d for d in va_spec_statements(reader, default_graphs(reader))}


def test_every_statement_is_exported(documents, bundled) -> None:
    erepo = next(s for s in bundled[1] if s.source == "clingen-erepo")
    # each ERepo interpretation and the classification clingen-graph computes from its met criteria
    assert len(documents) == 2 * erepo.rows_loaded
    assert sum("derivedFrom" in {e["name"] for e in d.get("extensions", [])} for d in documents.values()) \
        == erepo.rows_loaded


def test_every_statement_validates_with_the_reference_implementation(documents) -> None:
    for doc in documents.values():
        VariantPathogenicityStatement.model_validate(doc)
        for line in doc.get("hasEvidenceLines", []):
            VariantPathogenicityEvidenceLine.model_validate(line)


def test_one_statement_is_the_same_as_in_the_bulk_export(reader, documents) -> None:
    assert va_spec_statement(reader, default_graphs(reader), PAH_STATEMENT) == documents[PAH_STATEMENT]


def test_pah_statement_content(documents) -> None:
    doc = documents[PAH_STATEMENT]
    prop = doc["proposition"]
    assert prop["predicate"] == "isCausalFor"
    allele = prop["subjectVariant"]
    assert allele["type"] == "Allele" and allele["id"].startswith("ga4gh:VA.")
    assert "CA114360" in allele["aliases"]
    assert prop["objectCondition"]["primaryCoding"]["code"].startswith("MONDO:")
    assert prop["geneContextQualifier"]["name"] == "PAH"
    assert doc["classification"]["primaryCoding"]["system"] == "ACMG Guidelines, 2015"
    lines = doc["hasEvidenceLines"]
    met = [e for e in lines if e["directionOfEvidenceProvided"] != "neutral"]
    not_met = [e for e in lines if e["directionOfEvidenceProvided"] == "neutral"]
    assert met and all("strengthOfEvidenceProvided" in e for e in met)
    assert all(e["evidenceOutcome"]["primaryCoding"]["code"].endswith("_not_met") for e in not_met)
    assert all(e["specifiedBy"]["methodType"] == e["evidenceOutcome"]["primaryCoding"]["code"].split("_")[0]
               for e in lines)
    approver = doc["contributions"][0]
    assert approver["activityType"] == "approver role" and approver["date"]
    assert approver["contributor"]["agentType"] == "organization"


def test_strength_follows_classification(documents) -> None:
    expected = {"pathogenic": "definitive", "benign": "definitive", "likely pathogenic": "likely",
                "likely benign": "likely"}
    for doc in documents.values():
        code = doc["classification"]["primaryCoding"]["code"]
        assert doc.get("strength", {}).get("primaryCoding", {}).get("code") == expected.get(code)


def test_strength_the_grammar_has_no_code_for_keeps_the_curated_code(documents) -> None:
    line = next(e for e in documents[BS2_STANDALONE]["hasEvidenceLines"]
                if e["evidenceOutcome"]["name"] == "BS2_standalone")
    assert line["evidenceOutcome"]["primaryCoding"]["code"] == "BS2"
    assert line["evidenceOutcome"]["mappings"][0]["coding"]["code"] == "BS2_standalone"
    assert line["strengthOfEvidenceProvided"]["primaryCoding"]["code"] == "standalone"


def test_computed_classification_names_its_software_and_source(documents) -> None:
    computed = [d for d in documents.values() if any(e["name"] == "derivedFrom" for e in d.get("extensions", []))]
    doc = next(d for d in computed if any(e["value"] == PAH_STATEMENT for e in d["extensions"]))
    assert doc["contributions"][0]["contributor"]["agentType"] == "software"
    assert isinstance(doc["score"], int | float)


def test_alleles_match_the_stored_vrs_id(documents) -> None:
    alleles = [d["proposition"]["subjectVariant"] for d in documents.values()
               if isinstance(d["proposition"]["subjectVariant"], dict)]
    assert len(alleles) > len(documents) // 2
    for allele in alleles:
        assert allele["digest"] == allele["id"].split(".", 1)[1]


def test_not_a_variant_pathogenicity_statement(reader) -> None:
    with pytest.raises(StatementNotFound):
        va_spec_statement(reader, default_graphs(reader), "https://identifiers.org/clinvar.submission:SCV000020155")
