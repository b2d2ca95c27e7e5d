"""FHIR export: every bundled variant pathogenicity statement as a Genomics Reporting bundle that fhir.resources
(R4B) accepts."""

from __future__ import annotations

from fhir.resources.R4B.bundle import Bundle

from clingen_graph.export.fhir import SIGNIFICANCE, fhir_bundle, fhir_bundles
from clingen_graph.release import default_graphs

from .conftest import PAH_STATEMENT


def _resources(bundle: dict) -> dict[str, dict]:
    return {e["resource"]["meta"]["profile"][0].rsplit("/", 1)[1] if "meta" in e["resource"]
            else e["resource"]["resourceType"]: e["resource"] for e in bundle["entry"]}


def test_every_bundle_validates(reader, bundled) -> None:
    erepo = next(s for s in bundled[1] if s.source == "clingen-erepo")
    count = 0
    for bundle in fhir_bundles(reader, default_graphs(reader)):
        Bundle.model_validate(bundle)
        resources = _resources(bundle)
        variant, implication = resources["variant"], resources["diagnostic-implication"]
        assert variant["code"]["coding"][0]["code"] == "69548-6"
        urls = {e["resource"]["resourceType"] + str(i): e["fullUrl"] for i, e in enumerate(bundle["entry"])}
        assert implication["derivedFrom"][0]["reference"] in urls.values()
        significance = [c for c in implication["component"] if c["code"]["coding"][0]["code"] == "53037-8"]
        assert significance[0]["valueCodeableConcept"]["coding"][0]["code"] in {c for c, _ in SIGNIFICANCE.values()}
        count += 1
    assert count == 2 * erepo.rows_loaded


def test_pah_bundle(reader) -> None:
    bundle = fhir_bundle(reader, default_graphs(reader), PAH_STATEMENT)
    resources = _resources(bundle)
    variant = resources["variant"]
    values = {c["code"]["coding"][0]["code"]: c["valueCodeableConcept"]["coding"][0] for c in variant["component"]}
    assert values["81252-9"]["code"] in ("CA114360", "clinvar:586") or "CA114360" in str(variant["component"])
    assert values["48018-6"]["display"] == "PAH"
    implication = resources["diagnostic-implication"]
    assert any(c["code"]["coding"][0]["code"] == "81259-4" for c in implication["component"])
    assert any(n["text"].startswith("ACMG/AMP criteria met: ") for n in implication["note"])
    assert resources["Provenance"]["agent"][0]["who"]["display"]
    assert fhir_bundle(reader, default_graphs(reader), PAH_STATEMENT) == bundle  # reproducible ids
