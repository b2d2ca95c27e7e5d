"""Variant pathogenicity statements read from the store into small typed records, for the VA-Spec and FHIR
exports (the JSON is built from these, never from query rows).

Both paths fill one index (subject → property → values) and build the records from it the same way. One
statement is one CONSTRUCT (``queries/api/va-spec-statement.rq``, bound to the statement). The whole view is
two plain scans (``va-spec-all-statements.rq``, ``va-spec-all-properties.rq``): no join from each statement,
which on a view made of a list of graphs Oxigraph would answer graph by graph.

Which statements: those typed ``cgv:VariantPathogenicityStatement`` that are ACMG 2015 statements — the
ClinGen Evidence Repository's expert interpretations and clingen-graph's computed classification of each
(``derivedFrom`` the curated one). ClinVar submissions and ClinVar aggregates carry the same type in the
graph (SEPIO queries find them) but are ClinVar's records: most state no method and many have no ACMG class
(``not provided``, ``Conflicting classifications``), so the ACMG 2015 profile does not fit them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from ..query import api_query, construct_triples
from ..store.base import GraphStore
from ..terms import CGV, DCTERMS, RDFS, SKOS, TYPE


class StatementNotFound(LookupError):
    """The IRI is not an ACMG 2015 variant pathogenicity statement in the given view."""


@dataclass(frozen=True)
class Concept:
    iri: str
    label: str | None = None


@dataclass(frozen=True)
class EvidenceLineRecord:
    iri: str
    criterion: str  # PM2
    outcome: str  # PM2_supporting, PS3_not_met
    direction: str  # supports | disputes | neutral
    met: bool
    strength: str | None  # VA-Spec code (skos:notation): supporting, moderate, strong, very strong, standalone


@dataclass(frozen=True)
class ContributionRecord:
    iri: str
    agent: str
    agent_label: str | None
    role: str | None  # role IRI (SEPIO approver / interpreter role)
    date: str | None
    software_version: str | None = None


@dataclass(frozen=True)
class VariantRecord:
    iri: str
    label: str | None = None
    caid: str | None = None
    clinvar_id: str | None = None
    vrs_id: str | None = None
    spdi: str | None = None
    hgvs: tuple[str, ...] = ()


@dataclass
class StatementRecord:
    iri: str
    label: str | None
    description: str | None
    classification: Concept
    direction: str
    specified_by: str | None
    issued: str | None
    identifier: str | None
    retracted: bool | None
    consistent_with_criteria: bool | None
    derived_from: str | None
    rule: str | None
    score: float | None
    proposition: str
    variant: VariantRecord
    conditions: list[Concept] = field(default_factory=list)
    moi: Concept | None = None
    gene: Concept | None = None
    evidence_lines: list[EvidenceLineRecord] = field(default_factory=list)
    contributions: list[ContributionRecord] = field(default_factory=list)
    reported_in: list[str] = field(default_factory=list)


Index = dict[str, dict[str, list[str]]]  # subject → property → values (IRIs and lexical forms)
VPS, CLINVAR_KINDS = CGV.VariantPathogenicityStatement.value, {CGV.ClinVarSubmission.value, CGV.ClinVarAggregate.value}
HGVS_KEPT = re.compile(r"^N[CMP]_\d+\.\d+:[cgnp]\.\S+$")  # RefSeq expressions, not labels like "NM_…(GCK):c.…"


def _add(index: Index, s: str, p: str, o: str) -> None:
    index.setdefault(s, {}).setdefault(p, []).append(o)


def _one(index: Index, s: str | None, p: object) -> str | None:
    """The value of a single-valued property (the smallest, if the graph holds several)."""
    values = index.get(s or "", {}).get(p.value)  # type: ignore[attr-defined]
    return min(values) if values else None


def _all(index: Index, s: str | None, p: object) -> list[str]:
    return sorted(set(index.get(s or "", {}).get(p.value, [])))  # type: ignore[attr-defined]


def _bool(value: str | None) -> bool | None:
    return None if value is None else value == "true"


def _concept(index: Index, iri: str | None, label: object) -> Concept | None:
    return Concept(iri, _one(index, iri, label)) if iri else None


def _record(index: Index, iri: str) -> StatementRecord:
    prop = _one(index, iri, CGV.proposition) or ""
    variant = _one(index, prop, CGV.subjectVariant) or ""
    score = _one(index, iri, CGV.score)
    lines = []
    for line in _all(index, iri, CGV.hasEvidenceLines):
        lines.append(EvidenceLineRecord(
            line, _one(index, _one(index, line, CGV.criterion), SKOS.notation) or "",
            _one(index, line, CGV.outcomeCode) or "", _one(index, line, CGV.directionOfEvidenceProvided) or "neutral",
            _one(index, line, CGV.criterionMet) == "true",
            _one(index, _one(index, line, CGV.strengthOfEvidenceProvided), SKOS.notation)))
    contributions = []
    for c in _all(index, iri, CGV.contributions):
        agent = _one(index, c, CGV.contributor) or ""
        contributions.append(ContributionRecord(
            c, agent, _one(index, agent, RDFS.label), _one(index, c, CGV.activityType), _one(index, c, CGV.date),
            _one(index, agent, CGV.softwareVersion)))
    return StatementRecord(
        iri=iri, label=_one(index, iri, RDFS.label), description=_one(index, iri, CGV.description),
        classification=_concept(index, _one(index, iri, CGV.classification), SKOS.prefLabel) or Concept(""),
        direction=_one(index, iri, CGV.direction) or "neutral", specified_by=_one(index, iri, CGV.specifiedBy),
        issued=_one(index, iri, DCTERMS.issued), identifier=_one(index, iri, DCTERMS.identifier),
        retracted=_bool(_one(index, iri, CGV.retracted)),
        consistent_with_criteria=_bool(_one(index, iri, CGV.consistentWithCriteria)),
        derived_from=_one(index, iri, CGV.derivedFrom), rule=_one(index, iri, CGV.rule),
        score=float(score) if score is not None else None, proposition=prop,
        variant=VariantRecord(
            variant, _one(index, variant, RDFS.label), _one(index, variant, CGV.caid),
            _one(index, variant, CGV.clinvarVariationId), _one(index, variant, CGV.vrsId),
            _one(index, variant, CGV.spdi), tuple(h for h in _all(index, variant, CGV.hgvs) if HGVS_KEPT.match(h))),
        conditions=[c for c in (_concept(index, i, RDFS.label) for i in _all(index, prop, CGV.objectCondition)) if c],
        moi=_concept(index, _one(index, prop, CGV.modeOfInheritanceQualifier), SKOS.prefLabel),
        gene=_concept(index, _one(index, prop, CGV.geneContextQualifier), CGV.symbol),
        evidence_lines=sorted(lines, key=lambda e: (not e.met, e.criterion, e.outcome, e.iri)),
        contributions=sorted(contributions, key=lambda c: (c.role or "", c.agent, c.iri)),
        reported_in=_all(index, iri, CGV.reportedIn),
    )


def _exported(types: set[str]) -> bool:
    return VPS in types and not types & CLINVAR_KINDS


def statement_record(store: GraphStore, graphs: Sequence[str] | None, statement_iri: str) -> StatementRecord:
    """One statement with its proposition, variant, evidence lines, contributions and documents (one query).

    :raises StatementNotFound: not an ACMG 2015 variant pathogenicity statement in this view.
    """
    text = api_query("va-spec-statement").bind({"statement": statement_iri})
    index: Index = {}
    for t in construct_triples(store, text, list(graphs) if graphs is not None else None):
        _add(index, t.subject.value, t.predicate.value, t.object.value)
    if not _exported(set(index.get(statement_iri, {}).get(TYPE.value, []))):
        raise StatementNotFound(f"{statement_iri} is not an ACMG 2015 variant pathogenicity statement "
                                "in the current releases")
    return _record(index, statement_iri)


def statement_records(store: GraphStore, graphs: Sequence[str] | None) -> Iterator[StatementRecord]:
    """Every ACMG 2015 variant pathogenicity statement of the view, by IRI (two queries, both plain scans)."""
    view = list(graphs) if graphs is not None else None
    types: dict[str, set[str]] = {}
    for row in _solutions(store, api_query("va-spec-all-statements").text, view):
        types.setdefault(row[0].value, set()).add(row[1].value)
    index: Index = {}
    for s, p, o in _solutions(store, api_query("va-spec-all-properties").text, view):
        _add(index, s.value, p.value, o.value)
    for iri in sorted(i for i, kinds in types.items() if _exported(kinds)):
        yield _record(index, iri)


def _solutions(store: GraphStore, text: str, graphs: list[str] | None) -> list[tuple]:
    """Solutions as tuples in the order of the SELECT's variables, read to the end on this thread."""
    result = store.query(text, default_graphs=graphs)
    rows = [tuple(row) for row in result]  # type: ignore[union-attr]
    del result
    return rows
