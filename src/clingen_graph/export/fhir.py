"""A variant pathogenicity statement as a FHIR R4 Bundle per the HL7 Genomics Reporting IG (SPEC §10).

The bundle (type ``collection``) holds a ``genomic-report`` DiagnosticReport whose results are a ``variant``
Observation (LOINC 69548-6, the variant's identifiers and HGVS as components) and a ``diagnostic-implication``
Observation (``derivedFrom`` the variant; clinical significance 53037-8 with its LOINC answer, the condition
81259-4 and the mode of inheritance), plus a Provenance naming the expert panel and its approval date when
there is one. It is a knowledge-base statement, not a patient's result: no ``subject``. FHIR is lossy here
(SPEC §10): the criteria met and not met go into the implication's ``note``; the VA-Spec export keeps them
as evidence lines. Built and validated with ``fhir.resources`` (its R4B models, which FHIR R4 content fits).

Resource ids are ``urn:uuid`` values derived (uuid5) from the statement IRI, so a bundle is reproducible.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from ..ids import compress_iri
from ..store.base import GraphStore
from ..terms import APPROVER_ROLE
from .records import StatementRecord, statement_record, statement_records

__all__ = ["fhir_bundle", "fhir_bundles"]

IG = "http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/"
TBD = "http://hl7.org/fhir/uv/genomics-reporting/CodeSystem/tbd-codes-cs"
LOINC = "http://loinc.org"
HGVS_SYSTEM = "http://varnomen.hgvs.org"
HGNC_SYSTEM = "http://www.genenames.org"
SYSTEMS = {"MONDO": "http://purl.obolibrary.org/obo/mondo.owl", "HP": "http://human-phenotype-ontology.org",
           "OMIM": "http://www.omim.org", "Orphanet": "http://www.orpha.net", "MedGen": "http://www.ncbi.nlm.nih.gov/medgen"}
# LOINC answer list LL4034-6 (ACMG classes), SPEC §10
SIGNIFICANCE = {"pathogenic": ("LA6668-3", "Pathogenic"), "likely pathogenic": ("LA26332-9", "Likely pathogenic"),
                "uncertain significance": ("LA26333-7", "Uncertain significance"),
                "likely benign": ("LA26334-5", "Likely benign"), "benign": ("LA6675-8", "Benign")}
HGVS_COMPONENTS = {"g": ("81290-9", "Genomic DNA change (gHGVS)"), "c": ("48004-6", "DNA change (c.HGVS)"),
                   "p": ("48005-3", "Amino acid change (pHGVS)")}
GRCH38_NC = re.compile(r"^NC_0000(0[1-9]|1\d|2[0-4])\.\d+:g\.")


def fhir_bundle(store: GraphStore, graphs: Sequence[str] | None, statement_iri: str) -> dict[str, Any]:
    """One variant pathogenicity statement as a FHIR R4 Genomics Reporting Bundle (a JSON-ready dict),
    validated by ``fhir.resources``.

    :raises StatementNotFound: not an ACMG 2015 variant pathogenicity statement in this view.
    """
    return bundle_json(statement_record(store, graphs, statement_iri))


def fhir_bundles(store: GraphStore, graphs: Sequence[str] | None) -> Iterator[dict[str, Any]]:
    """A bundle for every ACMG 2015 variant pathogenicity statement of the view, by statement IRI."""
    for rec in statement_records(store, graphs):
        yield bundle_json(rec)


def _uuid(rec: StatementRecord, part: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, rec.iri + '#' + part)}"


def _coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    out = {"system": system, "code": code}
    if display:
        out["display"] = display
    return out


def _concept(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    return {"coding": [_coding(system, code, display)]}


def _condition(iri: str, label: str | None) -> dict[str, Any]:
    curie = compress_iri(iri)
    prefix = curie.split(":", 1)[0] if curie != iri else ""
    out = _concept(SYSTEMS.get(prefix, iri.rsplit("/", 1)[0]), curie, label)
    if label:
        out["text"] = label
    return out


def variant_observation(rec: StatementRecord) -> dict[str, Any]:
    v = rec.variant
    components: list[dict[str, Any]] = []
    ids = [(f"clinvar:{v.clinvar_id}", "https://www.ncbi.nlm.nih.gov/clinvar/variation/")] if v.clinvar_id else []
    if v.caid:
        ids.append((v.caid, "http://reg.genome.network/allele/"))
    if v.vrs_id:
        ids.append((v.vrs_id, "https://w3id.org/ga4gh/"))
    for code, system in ids:
        components.append({"code": _concept(LOINC, "81252-9", "Discrete genetic variant"),
                           "valueCodeableConcept": _concept(system, code)})
    for h in v.hgvs:
        kind = h.split(":", 1)[1][0]
        if kind == "g" and not GRCH38_NC.match(h):
            continue  # other assemblies: the reference-assembly component says GRCh38
        if kind in HGVS_COMPONENTS:
            loinc, display = HGVS_COMPONENTS[kind]
            components.append({"code": _concept(LOINC, loinc, display),
                               "valueCodeableConcept": _concept(HGVS_SYSTEM, h)})
    if any(GRCH38_NC.match(h) for h in v.hgvs):
        components.append({"code": _concept(LOINC, "62374-4", "Human reference sequence assembly version"),
                           "valueCodeableConcept": _concept(LOINC, "LA26806-2", "GRCh38")})
    if rec.gene is not None:
        components.append({"code": _concept(LOINC, "48018-6", "Gene studied [ID]"),
                           "valueCodeableConcept": _concept(HGNC_SYSTEM, compress_iri(rec.gene.iri), rec.gene.label)})
    out: dict[str, Any] = {
        "resourceType": "Observation", "meta": {"profile": [IG + "variant"]}, "status": "final",
        "category": [_concept("http://terminology.hl7.org/CodeSystem/observation-category", "laboratory")],
        "code": _concept(LOINC, "69548-6", "Genetic variant assessment"),
        "valueCodeableConcept": _concept(LOINC, "LA9633-4", "Present"),
        "identifier": [{"system": "urn:ietf:rfc:3986", "value": v.iri}],
    }
    if components:
        out["component"] = components
    if v.label:
        out["note"] = [{"text": v.label}]
    return out


def implication_observation(rec: StatementRecord, variant_ref: str) -> dict[str, Any]:
    classification = (rec.classification.label or "").lower()
    components: list[dict[str, Any]] = []
    if classification in SIGNIFICANCE:
        code, display = SIGNIFICANCE[classification]
        components.append({"code": _concept(LOINC, "53037-8", "Genetic variation clinical significance"),
                           "valueCodeableConcept": _concept(LOINC, code, display)})
    for c in rec.conditions:
        components.append({"code": _concept(LOINC, "81259-4", "Associated phenotype"),
                           "valueCodeableConcept": _condition(c.iri, c.label)})
    if rec.moi is not None:
        components.append({"code": _concept(TBD, "condition-inheritance", "Condition Inheritance"),
                           "valueCodeableConcept": _concept(SYSTEMS["HP"], compress_iri(rec.moi.iri), rec.moi.label)})
    notes = []
    met = [e.outcome for e in rec.evidence_lines if e.met]
    not_met = [e.outcome for e in rec.evidence_lines if not e.met]
    if met:
        notes.append({"text": "ACMG/AMP criteria met: " + ", ".join(met)})
    if not_met:
        notes.append({"text": "ACMG/AMP criteria not met: " + ", ".join(not_met)})
    if rec.description:
        notes.append({"text": rec.description})
    out: dict[str, Any] = {
        "resourceType": "Observation", "meta": {"profile": [IG + "diagnostic-implication"]}, "status": "final",
        "category": [_concept("http://terminology.hl7.org/CodeSystem/observation-category", "laboratory")],
        "code": _concept(TBD, "diagnostic-implication", "Diagnostic Implication"),
        "identifier": [{"system": "urn:ietf:rfc:3986", "value": rec.iri}],
        "derivedFrom": [{"reference": variant_ref}],
        "method": {"text": rec.specified_by or "ACMG Guidelines, 2015"},
    }
    if rec.issued:
        out["issued"] = f"{rec.issued[:10]}T00:00:00Z"
    if components:
        out["component"] = components
    if notes:
        out["note"] = notes
    return out


def bundle_json(rec: StatementRecord) -> dict[str, Any]:
    """The bundle as JSON, after ``fhir.resources.R4B`` has parsed and validated it."""
    from fhir.resources.R4B.bundle import Bundle

    variant_ref, implication_ref, report_ref = (_uuid(rec, p) for p in ("variant", "implication", "report"))
    report = {"resourceType": "DiagnosticReport", "meta": {"profile": [IG + "genomic-report"]}, "status": "final",
              "code": _concept(LOINC, "51969-4", "Genetic analysis report"),
              "result": [{"reference": variant_ref}, {"reference": implication_ref}]}
    if rec.label:
        report["conclusion"] = rec.label
    entries = [(report_ref, report), (variant_ref, variant_observation(rec)),
               (implication_ref, implication_observation(rec, variant_ref))]
    approval = next((c for c in rec.contributions if c.role == APPROVER_ROLE.value and c.date), None)
    if approval is not None:
        entries.append((_uuid(rec, "provenance"), {
            "resourceType": "Provenance", "target": [{"reference": implication_ref}],
            "recorded": f"{approval.date[:10]}T00:00:00Z" if len(approval.date or "") == 10 else approval.date,
            "activity": _concept("http://terminology.hl7.org/CodeSystem/v3-DataOperation", "CREATE", "create"),
            "agent": [{"type": _concept("http://terminology.hl7.org/CodeSystem/provenance-participant-type",
                                        "verifier", "Verifier"),
                       "who": {"display": approval.agent_label or approval.agent,
                               "identifier": {"system": "urn:ietf:rfc:3986", "value": approval.agent}}}],
        }))
    bundle = {"resourceType": "Bundle", "id": str(uuid.uuid5(uuid.NAMESPACE_URL, rec.iri)), "type": "collection",
              "identifier": {"system": "urn:ietf:rfc:3986", "value": rec.iri},
              "entry": [{"fullUrl": url, "resource": resource} for url, resource in entries]}
    return Bundle.model_validate(bundle).model_dump(mode="json", exclude_none=True)
