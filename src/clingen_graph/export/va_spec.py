"""Variant pathogenicity statements as GA4GH VA-Spec 1.0 JSON, ACMG 2015 profile (SPEC §3.1-3.2).

``va_spec_statement(store, graphs, iri)`` gives one statement; ``va_spec_statements(store, graphs)`` every
ACMG 2015 statement of the view (ERepo expert interpretations and clingen-graph's computed classifications;
see :mod:`.records` for why ClinVar's records are not among them). The output is what GA4GH's reference
implementation accepts: ``ga4gh.va_spec.acmg_2015.VariantPathogenicityStatement.model_validate`` (the
tests run it on every bundled statement, and each evidence line through ``VariantPathogenicityEvidenceLine``).

How our graph maps to VA-Spec:

* ``proposition.subjectVariant``: the VRS 2.0 Allele, rebuilt with ``ga4gh.vrs`` from the variant's GRCh38
  ``NC_`` HGVS or SPDI and kept only if its computed id is the ``vrsId`` the graph holds; otherwise (no VRS
  id, or an allele that needs the reference genome) the variant's IRI.
* ``objectCondition`` (MONDO), ``modeOfInheritanceQualifier`` (HPO), ``geneContextQualifier`` (HGNC):
  MappableConcepts with the CURIE as code and the IRI in ``iris``.
* ``classification``/``strength``/``direction``: the ACMG class (pathogenic and benign are ``definitive``,
  likely pathogenic and likely benign ``likely``, a VUS has no strength).
* ``hasEvidenceLines``: one per criterion assessed, met or not: ``evidenceOutcome`` is the outcome code
  (``PM2_supporting``, ``PS3_not_met``), ``strengthOfEvidenceProvided`` the applied strength (met only),
  ``specifiedBy`` a Method whose ``methodType`` is the criterion (as the reference implementation requires),
  reported in the statement's specification.
* ``specifiedBy``: the VCEP specification when the expert panel names one, else ACMG 2015 as the reference
  implementation recommends it (``ga4gh.va_spec.acmg_2015.models.METHOD``).
* ``contributions``: the expert panel as approver with the approval date; clingen-graph (software) as
  interpreter of a computed classification. ``reportedIn``: PubMed articles and the ERepo record.
* ``extensions``: what VA-Spec has no field for: ``publishedDate``, ``retracted``, ``consistentWithCriteria``,
  ``derivedFrom`` (computed → curated statement), ``classificationRule``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

from .. import vrs
from ..ids import compress_iri
from ..store.base import GraphStore
from ..terms import APPROVER_ROLE, EVALUATOR_ROLE
from .records import (
    Concept,
    EvidenceLineRecord,
    StatementNotFound,
    StatementRecord,
    VariantRecord,
    statement_record,
    statement_records,
)

__all__ = ["StatementNotFound", "va_spec_statement", "va_spec_statements", "variant_allele"]

ACMG_SYSTEM = "ACMG Guidelines, 2015"
ACMG_2015_IRI = "https://doi.org/10.1038/gim.2015.30"
STRENGTH = {"pathogenic": "definitive", "benign": "definitive", "likely pathogenic": "likely",
            "likely benign": "likely"}
ROLES = {APPROVER_ROLE.value: "approver role", EVALUATOR_ROLE.value: "interpreter role"}
# code systems of the concepts we export, by CURIE prefix
SYSTEMS = {"MONDO": "https://mondo.monarchinitiative.org/", "HP": "https://hpo.jax.org/",
           "HGNC": "https://www.genenames.org/", "OMIM": "https://omim.org/", "Orphanet": "https://www.orpha.net/",
           "MedGen": "https://www.ncbi.nlm.nih.gov/medgen/"}
CONCEPT_TYPES = {"MONDO": "Disease", "OMIM": "Disease", "Orphanet": "Disease", "MedGen": "Disease",
                 "HP": "Phenotype", "HGNC": "Gene"}
PUBMED = "https://identifiers.org/pubmed:"
HGVS = re.compile(r"^N[CMP]_\d+\.\d+:([cgnp])\.\S+$")
# applied strengths the reference implementation's outcome-code grammar allows per criterion (SPEC §3.2)
OUTCOME_SUFFIXES = {"PVS": {"strong", "moderate", "supporting"}, "PS": {"very_strong", "moderate", "supporting"},
                    "BS": {"very_strong", "moderate", "supporting"}, "BA": set(),
                    "PM": {"very_strong", "strong", "supporting"}, "PP": {"very_strong", "strong", "moderate"},
                    "BP": {"very_strong", "strong", "moderate"}}
OUTCOME_SYSTEM = "https://w3id.org/clingen-graph/vocab#outcomeCode"


def va_spec_statement(store: GraphStore, graphs: Sequence[str] | None, statement_iri: str) -> dict[str, Any]:
    """One variant pathogenicity statement as a VA-Spec ``VariantPathogenicityStatement`` (a JSON-ready dict).

    :raises StatementNotFound: the IRI is not an ACMG 2015 variant pathogenicity statement in this view.
    """
    return statement_json(statement_record(store, graphs, statement_iri))


def va_spec_statements(store: GraphStore, graphs: Sequence[str] | None) -> Iterator[dict[str, Any]]:
    """Every ACMG 2015 variant pathogenicity statement of the view (``graphs``: the current releases), by IRI."""
    for rec in statement_records(store, graphs):
        yield statement_json(rec)


# --- records → JSON -----------------------------------------------------------------------------------------

def statement_json(rec: StatementRecord) -> dict[str, Any]:
    classification = (rec.classification.label or "").lower()
    out: dict[str, Any] = {"id": rec.iri, "type": "Statement"}
    if rec.label:
        out["name"] = rec.label
    if rec.description:
        out["description"] = rec.description
    if rec.identifier:
        out["aliases"] = [rec.identifier]
    out["proposition"] = proposition_json(rec)
    out["direction"] = rec.direction
    if classification in STRENGTH:
        out["strength"] = {"primaryCoding": {"system": ACMG_SYSTEM, "code": STRENGTH[classification]}}
    if rec.score is not None:
        out["score"] = int(rec.score) if rec.score.is_integer() else rec.score
    out["classification"] = {"name": rec.classification.label,
                             "primaryCoding": {"system": ACMG_SYSTEM, "code": classification,
                                               "iris": [rec.classification.iri]}}
    out["specifiedBy"] = method_json(rec)
    if rec.contributions:
        out["contributions"] = [contribution_json(c) for c in rec.contributions]
    if rec.reported_in:
        out["reportedIn"] = [document_json(d) for d in rec.reported_in]
    if rec.evidence_lines:
        out["hasEvidenceLines"] = [evidence_line_json(e, rec) for e in rec.evidence_lines]
    extensions = [
        ("publishedDate", rec.issued), ("retracted", rec.retracted),
        ("consistentWithCriteria", rec.consistent_with_criteria), ("derivedFrom", rec.derived_from),
        ("classificationRule", rec.rule),
    ]
    if any(value is not None for _, value in extensions):
        out["extensions"] = [{"name": name, "value": value} for name, value in extensions if value is not None]
    return out


def proposition_json(rec: StatementRecord) -> dict[str, Any]:
    out: dict[str, Any] = {"id": rec.proposition, "type": "VariantPathogenicityProposition",
                           "subjectVariant": variant_allele(rec.variant) or rec.variant.iri,
                           "predicate": "isCausalFor"}
    conditions = [concept_json(c) for c in rec.conditions]
    if len(conditions) == 1:
        out["objectCondition"] = conditions[0]
    elif conditions:
        out["objectCondition"] = {"conditions": conditions, "membershipOperator": "OR"}
    if rec.gene is not None:
        out["geneContextQualifier"] = concept_json(rec.gene)
    if rec.moi is not None:
        out["modeOfInheritanceQualifier"] = concept_json(rec.moi)
    return out


def concept_json(concept: Concept) -> dict[str, Any]:
    curie = compress_iri(concept.iri)
    prefix = curie.split(":", 1)[0] if curie != concept.iri else ""
    out: dict[str, Any] = {}
    if prefix in CONCEPT_TYPES:
        out["conceptType"] = CONCEPT_TYPES[prefix]
    if concept.label:
        out["name"] = concept.label
    out["primaryCoding"] = {"system": SYSTEMS.get(prefix, concept.iri.rsplit("/", 1)[0] + "/"), "code": curie,
                            "iris": [concept.iri]}
    return out


def method_json(rec: StatementRecord) -> dict[str, Any]:
    """The statement's method: ACMG 2015 as the reference implementation recommends it, or the VCEP's
    specification of it."""
    if rec.specified_by in (None, ACMG_2015_IRI):
        return _acmg_method()
    panel = next((c.agent_label for c in rec.contributions if c.role == APPROVER_ROLE.value and c.agent_label),
                 None)
    return {"id": rec.specified_by, "type": "Method",
            "name": f"{panel} specification of the ACMG/AMP guidelines" if panel else
            "ClinGen expert panel specification of the ACMG/AMP guidelines",
            "methodType": "ClinGen VCEP specification",
            "reportedIn": {"type": "Document", "urls": [rec.specified_by]}}


@lru_cache(maxsize=1)
def _acmg_method_cached() -> str:
    import orjson
    from ga4gh.va_spec.acmg_2015.models import METHOD

    return orjson.dumps(METHOD.model_dump(mode="json", exclude_none=True)).decode()


def _acmg_method() -> dict[str, Any]:
    import orjson

    return orjson.loads(_acmg_method_cached())


def evidence_line_json(line: EvidenceLineRecord, rec: StatementRecord) -> dict[str, Any]:
    method = method_json(rec)
    out: dict[str, Any] = {
        "id": line.iri, "type": "EvidenceLine",
        "specifiedBy": {"type": "Method", "name": f"ACMG 2015 criterion {line.criterion}",
                        "methodType": line.criterion, "reportedIn": method["reportedIn"]},
        "directionOfEvidenceProvided": line.direction,
        "evidenceOutcome": outcome_json(line),
    }
    if line.met and line.strength and line.direction != "neutral":
        out["strengthOfEvidenceProvided"] = {"primaryCoding": {"system": ACMG_SYSTEM, "code": line.strength}}
    return out


def outcome_json(line: EvidenceLineRecord) -> dict[str, Any]:
    """The outcome code as VA-Spec's grammar has it. A strength the grammar has no code for (a VCEP's
    ``BS2_standalone``) is coded as the bare criterion, its applied strength stays in
    ``strengthOfEvidenceProvided`` and the curated code is kept as a close-match mapping."""
    criterion, _, suffix = line.outcome.partition("_")
    family = re.sub(r"\d+$", "", criterion)
    if not suffix or suffix == "not_met" or suffix in OUTCOME_SUFFIXES.get(family, set()):
        return {"name": line.outcome, "primaryCoding": {"system": ACMG_SYSTEM, "code": line.outcome}}
    return {"name": line.outcome, "primaryCoding": {"system": ACMG_SYSTEM, "code": criterion},
            "mappings": [{"coding": {"system": OUTCOME_SYSTEM, "code": line.outcome}, "relation": "closeMatch"}]}


def contribution_json(c: Any) -> dict[str, Any]:
    agent: dict[str, Any] = {"id": c.agent, "type": "Agent",
                             "agentType": "software" if c.software_version else "organization"}
    if c.agent_label:
        agent["name"] = c.agent_label
    if c.software_version:
        agent["extensions"] = [{"name": "softwareVersion", "value": c.software_version}]
    out: dict[str, Any] = {"id": c.iri, "type": "Contribution", "contributor": agent}
    if c.role:
        out["activityType"] = ROLES.get(c.role, compress_iri(c.role))
    if c.date:
        out["date"] = c.date
    return out


def document_json(iri: str) -> dict[str, Any]:
    if iri.startswith(PUBMED):
        pmid = iri[len(PUBMED):]
        return {"id": f"pmid:{pmid}", "type": "Document", "pmid": pmid,
                "urls": [f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"]}
    out: dict[str, Any] = {"id": iri, "type": "Document", "urls": [iri]}
    if "erepo.genome.network" in iri:
        out["documentType"] = "ClinGen Evidence Repository record"
    return out


# --- VRS allele ---------------------------------------------------------------------------------------------

def variant_allele(variant: VariantRecord) -> dict[str, Any] | None:
    """The variant's VRS 2.0 Allele (JSON), rebuilt from its GRCh38 HGVS or SPDI and checked against the VRS id
    the graph holds; None when it has no VRS id or none of its expressions gives that id."""
    if not variant.vrs_id:
        return None
    allele = _allele(variant.vrs_id, variant.hgvs, variant.spdi)
    if allele is None:
        return None
    out = dict(allele)
    built_from = out.pop("_built_from")
    if variant.label:
        out["name"] = variant.label
    aliases = [a for a in (variant.caid, f"clinvar:{variant.clinvar_id}" if variant.clinvar_id else None) if a]
    if aliases:
        out["aliases"] = aliases
    # c./p. expressions name the variant on a transcript or protein; of the g. ones only the GRCh38 one that
    # rebuilt the allele (the others are on other assemblies)
    expressions = [{"syntax": f"hgvs.{m.group(1)}", "value": h} for h in variant.hgvs
                   if (m := HGVS.match(h)) and (m.group(1) != "g" or h == built_from)]
    if variant.spdi:
        expressions.append({"syntax": "spdi", "value": variant.spdi})
    if expressions:
        out["expressions"] = expressions
    return out


@lru_cache(maxsize=65536)
def _allele(vrs_id: str, hgvs: tuple[str, ...], spdi: str | None) -> dict[str, Any] | None:
    candidates = [(h, lambda h=h: vrs.allele_from_hgvs(h)) for h in hgvs if h.startswith("NC_") and ":g." in h]
    if spdi:
        candidates.append((spdi, lambda: vrs.allele_from_spdi(spdi, canonical=True)))
    for source, build in candidates:
        try:
            allele = build()
            if vrs.allele_id(allele) != vrs_id:
                continue
            location = vrs.location_id(allele)
        except vrs.VrsError:
            continue
        out = allele.model_dump(mode="json", exclude_none=True)
        out = {"id": vrs_id, "type": "Allele", "digest": vrs_id.split(".", 1)[1], **out, "_built_from": source}
        out["location"] = {"id": location, "type": "SequenceLocation", "digest": location.split(".", 1)[1],
                           **{k: v for k, v in out["location"].items() if k != "type"}}
        return out
    return None
