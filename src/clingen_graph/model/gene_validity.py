"""Gene-disease validity records → a VA-Spec-shaped Statement with its Proposition (SPEC §3.3-3.4).

The statement keeps ClinGen's own versioned assertion id; the proposition (gene, RO:0004013, disease,
MOI) is minted from its content so the same gene-disease-MOI is one node across releases and sources.
"""

from __future__ import annotations

from collections.abc import Iterable

from .. import valuesets
from ..ids import agent_iri, expand_curie, gene_iri, mint
from ..ingest.base import Problem
from ..ingest.clingen_gene_validity import GeneValidityRecord
from ..terms import APPROVER_ROLE, CAUSAL_GERMLINE, CGV, DCTERMS, RDFS, TYPE, types_for
from .rdf import Triple, date_or_datetime, integer, iri, text
from .references import References


def statement_iri(rec: GeneValidityRecord) -> str:
    version = f"-{rec.assertion_version}" if rec.assertion_version else ""
    return expand_curie(f"{rec.assertion_ns}:{rec.assertion_id}{version}")


def proposition_iri(gene: str, disease: str, moi: str) -> str:
    return mint("proposition", gene, CAUSAL_GERMLINE.value, disease, moi)


def to_triples(rec: GeneValidityRecord, refs: References) -> tuple[list[Triple], list[Problem]]:
    """Triples for one row, and the problems found against the references (a reject means: skip)."""
    disease, cited, problems = refs.resolve_term(rec.mondo_id, rec.file, rec.line)
    problems += refs.check_gene(rec.hgnc_id, rec.file, rec.line)
    if any(p.level == "reject" for p in problems):
        return [], problems
    gene = gene_iri(rec.hgnc_id)
    s = iri(statement_iri(rec))
    p = iri(proposition_iri(gene, disease, rec.moi))
    c = iri(mint("contribution", s.value, APPROVER_ROLE.value))
    agent = iri(agent_iri(rec.gcep))
    report = iri(rec.report_url)
    cls_label = valuesets.gene_validity().labels[rec.classification]
    out: list[Triple] = [(s, TYPE, t) for t in types_for("GeneDiseaseValidityStatement")]
    out += [
        (s, RDFS.label, text(f"{rec.gene_symbol} - {rec.disease_label} ({rec.moi_code}): {cls_label}")),
        (s, DCTERMS.identifier, text(f"{rec.assertion_ns.upper()}:{rec.assertion_id}")),
        (s, DCTERMS.isVersionOf, iri(expand_curie(f"{rec.assertion_ns}:{rec.assertion_id}"))),
        (s, CGV.proposition, p),
        (s, CGV.classification, iri(rec.classification)),
        (s, CGV.direction, text(valuesets.concept_property(rec.classification, CGV.direction.value) or "supports")),
        (s, CGV.specifiedBy, iri(rec.sop)),
        (s, CGV.contributions, c),
        (s, CGV.reportedIn, report),
    ]
    if cited:
        out.append((s, CGV.citedCondition, iri(cited)))
    out += [(p, TYPE, t) for t in types_for("GeneDiseaseValidityProposition")]
    out += [
        (p, CGV.subjectGene, iri(gene)),
        (p, CGV.predicate, CAUSAL_GERMLINE),
        (p, CGV.objectCondition, iri(disease)),
        (p, CGV.modeOfInheritanceQualifier, iri(rec.moi)),
    ]
    out += [(c, TYPE, t) for t in types_for("Contribution")]
    out += [
        (c, CGV.contributor, agent),
        (c, CGV.activityType, APPROVER_ROLE),
        (c, CGV.date, date_or_datetime(rec.classification_date)),
        (agent, TYPE, CGV.Agent),
        (agent, RDFS.label, text(rec.gcep)),
        (report, TYPE, CGV.Document),
    ]
    return out, problems


def classification_tallies(graph: str, triples: Iterable[Triple]) -> list[Triple]:
    """Per (contributing agent, classification): how many gene-disease validity statements of a release it
    contributed to. Computed from the release's own triples when it is loaded, so the catalogue's counts per
    expert panel read a few hundred tallies instead of grouping every statement at query time (seconds at 10M
    triples on Oxigraph). Each tally carries the agent's and the classification's labels under properties used
    by tallies only, so the query is a handful of scans."""
    statement_type, classification_p = CGV.GeneDiseaseValidityStatement.value, CGV.classification.value
    contributions_p, contributor_p, label_p, type_p = (CGV.contributions.value, CGV.contributor.value,
                                                        RDFS.label.value, TYPE.value)
    statements: set[str] = set()
    classification: dict[str, str] = {}
    contributions: dict[str, list[str]] = {}
    contributor: dict[str, str] = {}
    labels: dict[str, str] = {}
    for s, p, o in triples:
        name = p.value  # strings: NamedNode equality crosses into Rust for every triple
        if name == type_p and o.value == statement_type:
            statements.add(s.value)
        elif name == classification_p:
            classification[s.value] = o.value
        elif name == contributions_p:
            contributions.setdefault(s.value, []).append(o.value)
        elif name == contributor_p:
            contributor[s.value] = o.value
        elif name == label_p:
            labels[s.value] = o.value
    counted: dict[tuple[str, str], set[str]] = {}
    for statement in statements:
        cls = classification.get(statement)
        if cls is None:
            continue
        for agent in {contributor[c] for c in contributions.get(statement, ()) if c in contributor}:
            counted.setdefault((agent, cls), set()).add(statement)
    return tally_triples(graph, {key: len(members) for key, members in counted.items()}, labels)


def tally_triples(graph: str, counts: dict[tuple[str, str], int], agent_labels: dict[str, str]) -> list[Triple]:
    """The ``cgv:ClassificationTally`` nodes of a release from (agent IRI, classification IRI) → statements."""
    concept_labels = valuesets.gene_validity().labels
    out: list[Triple] = []
    for (agent, cls), n in sorted(counts.items()):
        t = iri(mint("classification-tally", graph, agent, cls))
        out += [(t, TYPE, CGV.ClassificationTally), (t, CGV.tallyAgent, iri(agent)),
                (t, CGV.tallyClassification, iri(cls)), (t, CGV.statementCount, integer(n)),
                (t, CGV.tallyClassificationLabel, text(concept_labels.get(cls) or cls.rsplit("#", 1)[-1]))]
        if agent in agent_labels:
            out.append((t, CGV.tallyAgentLabel, text(agent_labels[agent])))
    return out
