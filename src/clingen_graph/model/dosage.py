"""Dosage sensitivity records → one Statement per evaluated call (HI, TS) about a gene or a region.

Gene subjects are HGNC genes (resolved from the NCBI Gene id through the loaded HGNC release);
region subjects keep their ISCA id. The genomic location is kept with its build.
"""

from __future__ import annotations

from .. import valuesets
from ..ids import expand_curie, mint, pmid_iri
from ..ingest.base import Problem, reject, warning
from ..ingest.clingen_dosage import DosageRecord
from ..terms import CGV, DCTERMS, EVALUATOR_ROLE, RDFS, TYPE, types_for
from .rdf import Triple, date_or_datetime, integer, iri, text
from .references import References

DOSAGE_AGENT = "ClinGen Dosage Sensitivity Curation"


def _subject(rec: DosageRecord, refs: References) -> tuple[str | None, list[Problem]]:
    if rec.subject_kind == "region":
        return expand_curie(f"isca:{rec.isca_id}"), []
    assert rec.ncbi_gene is not None
    gene = refs.gene_for_ncbi(rec.ncbi_gene)
    if gene is None and rec.gene_symbol and (gene := refs.gene_for_symbol(rec.gene_symbol)) is not None:
        # a newer curation file may cite an NCBI id that our HGNC release does not map yet
        return gene, [warning(rec.file, rec.line, "gene-by-symbol",
                              f"NCBI Gene {rec.ncbi_gene} is not in the loaded HGNC release; "
                              f"matched {rec.gene_symbol} by its approved symbol")]
    if gene is None:
        where = "the loaded HGNC release" if refs.hgnc_ids is not None else "any loaded HGNC release (load HGNC first)"
        return None, [reject(rec.file, rec.line, "unknown-gene",
                             f"NCBI Gene {rec.ncbi_gene} ({rec.gene_symbol}) is not in {where}")]
    return gene, []


def to_triples(rec: DosageRecord, refs: References) -> tuple[list[Triple], list[Problem]]:
    subject_iri, problems = _subject(rec, refs)
    if subject_iri is None:
        return [], problems
    subj = iri(subject_iri)
    subject_prop = CGV.subjectGene if rec.subject_kind == "gene" else CGV.subjectRegion
    agent = iri(expand_curie("cgid:agent/clingen-dosage-sensitivity-curation"))
    out: list[Triple] = [(agent, TYPE, CGV.Agent), (agent, RDFS.label, text(DOSAGE_AGENT))]
    if rec.subject_kind == "region":
        out += [(subj, TYPE, CGV.GenomicRegion), (subj, DCTERMS.identifier, text(rec.isca_id or "")),
                (subj, RDFS.label, text(rec.region_name or rec.isca_id or ""))]
    if rec.cytoband:
        out.append((subj, CGV.cytoband, text(rec.cytoband)))
    if rec.chromosome and rec.start is not None and rec.end is not None:
        loc = iri(mint("location", rec.assembly, rec.chromosome, rec.start, rec.end))
        out += [(subj, CGV.location, loc), (loc, TYPE, CGV.SequenceLocation),
                (loc, CGV.assembly, text(rec.assembly)), (loc, CGV.chromosome, text(rec.chromosome)),
                (loc, CGV.start, integer(rec.start)), (loc, CGV.end, integer(rec.end))]
    label_subject = rec.gene_symbol or rec.isca_id
    subject_label = (rec.gene_symbol if rec.subject_kind == "gene" else rec.region_name) or label_subject or ""
    for call in rec.calls:
        condition = None
        if call.mondo_id:
            condition, cited, found = refs.resolve_term(call.mondo_id, rec.file, rec.line)
            if any(p.level == "reject" for p in found):
                return [], problems + found
            problems += found
        key = rec.isca_id or f"ncbigene-{rec.ncbi_gene}"
        s = iri(expand_curie(f"cgid:dosage/{key}/{call.kind_code.lower()}"))
        p = iri(mint("proposition", subject_iri, call.kind, condition or ""))
        c = iri(mint("contribution", s.value, EVALUATOR_ROLE.value))
        out += [(s, TYPE, t) for t in types_for("DosageSensitivityStatement")]
        out += [
            (s, RDFS.label, text(f"{label_subject} {call.kind_code}: {call.score_code} "
                                 f"({valuesets.dosage_score().labels[call.score]})")),
            (s, CGV.proposition, p),
            (s, CGV.classification, iri(call.score)),
            (s, CGV.contributions, c),
        ]
        if call.description:
            out.append((s, CGV.description, text(call.description)))
        out += [(s, CGV.reportedIn, iri(pmid_iri(pm))) for pm in call.pmids]
        out += [(p, TYPE, t) for t in types_for("DosageSensitivityProposition")]
        # the subject's name as this curation gives it, on the proposition: listings by location read it with
        # the proposition instead of an OPTIONAL label look-up, which Oxigraph answers by scanning every label
        out += [(p, subject_prop, subj), (p, CGV.predicate, iri(call.kind)),
                (p, CGV.subjectLabel, text(subject_label))]
        if condition:
            out.append((p, CGV.objectCondition, iri(condition)))
            if cited:
                out.append((s, CGV.citedCondition, iri(cited)))
        out += [(c, TYPE, t) for t in types_for("Contribution")]
        out += [(c, CGV.contributor, agent), (c, CGV.activityType, EVALUATOR_ROLE)]
        if rec.date_last_evaluated:
            out.append((c, CGV.date, date_or_datetime(rec.date_last_evaluated)))
    return out, problems
