"""Variants and variant pathogenicity statements → VA-Spec-shaped RDF (SPEC §1.2, §3.1-3.2, §4, §8).

One variant node per allele, named by its ClinVar variation IRI when the source knows it (every ClinVar
file and most ERepo rows do, so the sources meet on one node whatever order they load in), else by its
ClinGen CAid, else by its VRS computed id (docs/decisions/0004); every identifier it carries is also a
literal, so any of them finds it. Expert interpretations (ERepo) keep their ERepo uuid; each ACMG
criterion assessed, met or not, is an evidence line. The classification clingen-graph computes from the
met criteria is its own statement, derived from the curated one and never overwriting it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pyoxigraph import NamedNode

from .. import acmg, valuesets, vrs
from ..ids import IdError, agent_iri, compress_iri, expand_curie, mint, pmid_iri, slug
from ..ingest.base import Problem, Record, warning
from ..ingest.clingen_erepo import ErepoRecord
from ..ingest.clinvar_summary import VariantSummaryRecord
from ..ingest.clinvar_xml import Condition, VcvRecord
from ..terms import APPROVER_ROLE, CAUSAL_GERMLINE, CGV, DCTERMS, EVALUATOR_ROLE, RDFS, TYPE, types_for
from .rdf import Triple, boolean, date_or_datetime, decimal, integer, iri, text
from .references import References

ACMG_2015 = "https://doi.org/10.1038/gim.2015.30"  # Richards et al. 2015, the default specification
SOFTWARE_AGENT = expand_curie("cgid:agent/clingen-graph")
DIRECTION = {"pathogenic": "supports", "benign": "disputes"}


@dataclass(frozen=True)
class Location:
    assembly: str
    chromosome: str  # chr1 … chrX, chrY, chrM
    start: int  # 1-based, inclusive
    end: int


@dataclass(frozen=True)
class VariantIds:
    """Everything a source knows that identifies one variant."""

    caid: str | None = None
    clinvar_id: str | None = None
    vrs_id: str | None = None
    hgvs: tuple[str, ...] = ()
    spdi: str | None = None
    rsids: tuple[str, ...] = ()
    label: str | None = None
    genes: tuple[str, ...] = ()  # HGNC IRIs
    locations: tuple[Location, ...] = ()
    ref: str | None = None  # VCF-style, GRCh38
    alt: str | None = None


def variant_iri(ids: VariantIds) -> str | None:
    if ids.clinvar_id:
        return expand_curie(f"clinvar:{ids.clinvar_id}")
    if ids.caid:
        return expand_curie(f"caid:{ids.caid}")
    if ids.vrs_id:
        return expand_curie(ids.vrs_id)
    return None


def vrs_id_from_hgvs(expressions: Iterable[str]) -> str | None:
    """The VRS id of the first GRCh38 ``NC_`` g. expression that can be minted without the reference
    sequence (substitutions; indels that may sit in a repeat are refused by :mod:`clingen_graph.vrs`)."""
    for h in expressions:
        if h.startswith("NC_") and ":g." in h:
            try:
                return vrs.allele_id(vrs.allele_from_hgvs(h))
            except vrs.VrsError:
                continue
    return None


def variant_triples(ids: VariantIds) -> tuple[str, list[Triple]]:
    node = variant_iri(ids)
    if node is None:
        raise ValueError("a variant needs a CAid, a VRS id or a ClinVar variation id")
    v = iri(node)
    out: list[Triple] = [(v, TYPE, t) for t in types_for("Variant")]
    if ids.label:
        out.append((v, RDFS.label, text(ids.label)))
    if ids.caid:
        out.append((v, CGV.caid, text(ids.caid)))
    if ids.clinvar_id:
        out.append((v, CGV.clinvarVariationId, text(ids.clinvar_id)))
    if ids.vrs_id:
        out.append((v, CGV.vrsId, text(ids.vrs_id)))
    if ids.spdi:
        out.append((v, CGV.spdi, text(ids.spdi)))
    out += [(v, CGV.hgvs, text(h)) for h in ids.hgvs]
    out += [(v, CGV.rsid, text(r)) for r in ids.rsids]
    out += [(v, CGV.gene, iri(g)) for g in ids.genes]
    if ids.ref is not None and ids.alt is not None:
        out += [(v, CGV.referenceAllele, text(ids.ref)), (v, CGV.alternateAllele, text(ids.alt))]
    for loc in ids.locations:
        node_loc = iri(mint("location", loc.assembly, loc.chromosome, loc.start, loc.end))
        out += [(v, CGV.location, node_loc), (node_loc, TYPE, CGV.SequenceLocation),
                (node_loc, CGV.assembly, text(loc.assembly)), (node_loc, CGV.chromosome, text(loc.chromosome)),
                (node_loc, CGV.start, integer(loc.start)), (node_loc, CGV.end, integer(loc.end))]
    return node, out


def outcome_code(c: acmg.Criterion, met: bool) -> str:
    """VA-Spec ACMG 2015 evidence outcome code: ``PM2_supporting``, ``PS3``, ``PVS1_not_met``."""
    if not met:
        return f"{c.code}_not_met"
    return f"{c.code}_{c.strength.replace(' ', '_')}" if c.modified else c.code


def evidence_line(statement: str, c: acmg.Criterion, met: bool) -> tuple[str, list[Triple]]:
    node = mint("evidence-line", statement, c.code, "met" if met else "not-met")
    e = iri(node)
    out: list[Triple] = [(e, TYPE, t) for t in types_for("EvidenceLine")]
    out += [
        (e, CGV.criterion, iri(valuesets.acmg_criterion().lookup(c.code))),
        (e, CGV.criterionMet, boolean(met)),
        (e, CGV.outcomeCode, text(outcome_code(c, met))),
        (e, CGV.directionOfEvidenceProvided, text(DIRECTION[c.direction] if met else "neutral")),
    ]
    if met:
        out.append((e, CGV.strengthOfEvidenceProvided, iri(valuesets.acmg_strength().lookup(c.strength))))
    return node, out


def proposition_triples(variant: str, conditions: Iterable[str], moi: str | None,
                        gene: str | None) -> tuple[str, list[Triple]]:
    conditions = sorted(set(conditions))
    node = mint("proposition", variant, CAUSAL_GERMLINE.value, *conditions, moi or "", gene or "")
    p = iri(node)
    out: list[Triple] = [(p, TYPE, t) for t in types_for("VariantPathogenicityProposition")]
    out += [(p, CGV.subjectVariant, iri(variant)), (p, CGV.predicate, CAUSAL_GERMLINE)]
    out += [(p, CGV.objectCondition, iri(c)) for c in conditions]
    if moi:
        out.append((p, CGV.modeOfInheritanceQualifier, iri(expand_curie(moi))))
    if gene:
        out.append((p, CGV.geneContextQualifier, iri(gene)))
    return node, out


def contribution(statement: str, agent: str, agent_label: str, role: NamedNode, date: str | None) -> list[Triple]:
    c = iri(mint("contribution", statement, role.value))
    a = iri(agent)
    out: list[Triple] = [(c, TYPE, t) for t in types_for("Contribution")]
    out += [(iri(statement), CGV.contributions, c), (c, CGV.contributor, a), (c, CGV.activityType, role),
            (a, TYPE, CGV.Agent), (a, RDFS.label, text(agent_label))]
    if date:
        out.append((c, CGV.date, date_or_datetime(date)))
    return out


def classification_triples(s: str, label: str) -> list[Triple]:
    """``cgv:classification`` and ``cgv:direction`` for an ACMG class or a ClinVar term (by its label)."""
    try:
        concept = valuesets.acmg_class().lookup(label)
    except valuesets.UnknownValueError:
        concept = valuesets.clinvar_classification().lookup(label)
    direction = valuesets.concept_property(concept, CGV.direction.value) or "neutral"
    return [(iri(s), CGV.classification, iri(concept)), (iri(s), CGV.direction, text(direction))]


# --- ClinGen Evidence Repository ----------------------------------------------------------------------

def erepo_statement_iri(rec: ErepoRecord) -> str:
    return expand_curie(f"cgid:erepo/{rec.uuid}")


def erepo_to_triples(rec: ErepoRecord, refs: References) -> tuple[list[Triple], list[Problem]]:
    """The expert interpretation, its evidence lines, the variant, and the classification computed from
    the met criteria (a separate statement; the curated one is flagged when they disagree)."""
    problems: list[Problem] = []
    disease, cited, found = refs.resolve_term(rec.mondo_id, rec.file, rec.line)
    problems += found
    gene = refs.gene_for_symbol(rec.gene_symbol)
    if gene is None and rec.gene_symbol:
        problems.append(warning(rec.file, rec.line, "unknown-gene",
                                f"gene symbol {rec.gene_symbol} is not an approved symbol in the loaded HGNC release"))
    ids = VariantIds(caid=rec.caid, clinvar_id=rec.clinvar_variation_id, vrs_id=vrs_id_from_hgvs(rec.hgvs),
                     hgvs=rec.hgvs, label=rec.title, genes=(gene,) if gene else ())
    variant, out = variant_triples(ids)
    s_iri = erepo_statement_iri(rec)
    s = iri(s_iri)
    prop, triples = proposition_triples(variant, [disease], rec.moi, gene)
    out += triples
    out += [(s, TYPE, t) for t in types_for("VariantPathogenicityStatement")]
    out += [
        (s, RDFS.label, text(f"{rec.title}: {rec.classification} for {rec.disease_label}")),
        (s, DCTERMS.identifier, text(rec.uuid)),
        (s, CGV.proposition, iri(prop)),
        (s, CGV.specifiedBy, iri(rec.guideline or ACMG_2015)),
        (s, CGV.reviewStatus, iri(valuesets.review_status().lookup("reviewed by expert panel"))),
        (s, CGV.stars, integer(3)),
        (s, CGV.retracted, boolean(rec.retracted)),
        (s, CGV.reportedIn, iri(rec.erepo_link)),
    ]
    out += classification_triples(s_iri, rec.classification)
    if cited:
        out.append((s, CGV.citedCondition, iri(cited)))
    if rec.summary:
        out.append((s, CGV.description, text(rec.summary)))
    if rec.published_date:
        out.append((s, DCTERMS.issued, date_or_datetime(rec.published_date)))
    out += [(s, CGV.reportedIn, iri(pmid_iri(pm))) for pm in rec.pmids]
    out += contribution(s_iri, agent_iri(rec.expert_panel), rec.expert_panel, APPROVER_ROLE, rec.approval_date)
    lines: dict[str, str] = {}
    for criteria, met in ((rec.met, True), (rec.not_met, False)):
        for c in criteria:
            node, triples = evidence_line(s_iri, c, met)
            out += triples
            out.append((s, CGV.hasEvidenceLines, iri(node)))
            if met:
                lines[c.label] = node
    computed = acmg.classify(rec.met, expert_panel=rec.expert_panel, guideline=rec.guideline)
    out.append((s, CGV.consistentWithCriteria, boolean(computed.classification == rec.classification)))
    out += computed_triples(s_iri, prop, computed, [lines[k] for k in computed.counted if k in lines])
    return out, problems


def computed_triples(curated: str, proposition: str, result: acmg.Classification,
                     lines: Iterable[str]) -> list[Triple]:
    """The classification clingen-graph's rules give the curated statement's met criteria."""
    c_iri = mint("computed-classification", curated, result.rules_version)
    c = iri(c_iri)
    out: list[Triple] = [(c, TYPE, t) for t in types_for("VariantPathogenicityStatement")]
    out += [
        (c, RDFS.label, text(f"{result.classification} by {result.rules_version} ({result.rule})")),
        (c, CGV.proposition, iri(proposition)),
        (c, CGV.derivedFrom, iri(curated)),
        (c, CGV.rule, text(result.rule)),
        (c, CGV.score, decimal(result.points)),
        (c, CGV.description, text(result.explanation)),
        (c, CGV.specifiedBy, iri(ACMG_2015)),
    ]
    out += classification_triples(c_iri, result.classification)
    out += [(c, CGV.hasEvidenceLines, iri(line)) for line in lines]
    out += contribution(c_iri, SOFTWARE_AGENT, "clingen-graph", EVALUATOR_ROLE, None)
    out.append((iri(SOFTWARE_AGENT), CGV.softwareVersion, text(result.rules_version)))
    return out


# --- ClinVar ----------------------------------------------------------------------------------------

CLINVAR_AGENT = expand_curie("cgid:agent/clinvar")
CONDITION_PREFERENCE = ("MONDO", "MedGen", "OMIM", "Orphanet", "HP")


def _condition_iris(conditions: Iterable[Condition]) -> list[str]:
    """One IRI per condition: its MONDO id if it has one, else MedGen, OMIM, Orphanet, HPO (in that order)."""
    out: list[str] = []
    for cond in conditions:
        by_prefix = {c.split(":", 1)[0]: c for c in cond.ids}
        for prefix in CONDITION_PREFERENCE:
            if prefix in by_prefix:
                try:
                    out.append(expand_curie(by_prefix[prefix]))
                    break
                except IdError:
                    continue
    return out


def _clinvar_class(stated: str) -> str:
    """The concept for a ClinVar term: an ACMG class or a ClinVar term; the first known of several
    (``Pathogenic; drug response``); ``not provided`` when there is none."""
    for term in [t.strip() for t in stated.split(";")] if stated else []:
        for vs in (valuesets.acmg_class(), valuesets.clinvar_classification()):
            try:
                return vs.lookup(term)
            except valuesets.UnknownValueError:
                continue
    return valuesets.clinvar_classification().lookup("not provided")


def _review(s: NamedNode, status: str, stars: int, rec: Record) -> tuple[list[Triple], list[Problem]]:
    out: list[Triple] = [(s, CGV.stars, integer(stars))]
    try:
        out.append((s, CGV.reviewStatus, iri(valuesets.review_status().lookup(status))))
        return out, []
    except valuesets.UnknownValueError:
        return out, [warning(rec.file, rec.line, "unknown-review-status",
                             f"review status {status!r} is not in the ClinVar review status value set")]


def _stated_statement(s: NamedNode, stated: str) -> list[Triple]:
    concept = _clinvar_class(stated)
    direction = valuesets.concept_property(concept, CGV.direction.value) or "neutral"
    out: list[Triple] = [(s, CGV.classification, iri(concept)), (s, CGV.direction, text(direction))]
    if stated:
        out.append((s, CGV.statedClassification, text(stated)))
    return out


@dataclass(frozen=True)
class AggregateFacts:
    """One aggregate classification, whoever computed it (ClinVar as stated, or clingen-graph)."""

    iri: str
    label: str
    classification: str
    review_status: str
    stars: int
    submissions: int | None
    agent: str
    agent_label: str
    date: str | None = None
    description: str = ""
    aggregates: tuple[str, ...] = ()  # SCV IRIs


def aggregate_triples(facts: AggregateFacts, proposition: str, rec: Record) -> tuple[list[Triple], list[Problem]]:
    a = iri(facts.iri)
    out: list[Triple] = [(a, TYPE, t) for t in types_for("ClinVarAggregate")]
    out += [(a, RDFS.label, text(facts.label)), (a, CGV.proposition, iri(proposition))]
    out += _stated_statement(a, facts.classification)
    triples, problems = _review(a, facts.review_status, facts.stars, rec)
    out += triples
    if facts.submissions is not None:
        out.append((a, CGV.submissionCount, integer(facts.submissions)))
    if facts.description:
        out.append((a, CGV.description, text(facts.description)))
    out += [(a, CGV.aggregates, iri(s)) for s in facts.aggregates]
    out += contribution(facts.iri, facts.agent, facts.agent_label, EVALUATOR_ROLE, facts.date)
    return out, problems


def vcv_variant_ids(rec: VcvRecord, refs: References) -> VariantIds:
    vrs_id = None
    if rec.spdi:
        try:
            vrs_id = vrs.allele_id(vrs.allele_from_spdi(rec.spdi, canonical=True))
        except vrs.VrsError:
            vrs_id = None
    genes = tuple(expand_curie(g.hgnc_id) for g in rec.genes if g.hgnc_id)
    locations = tuple(
        Location(loc.assembly, loc.chromosome if loc.chromosome.startswith("chr") else f"chr{loc.chromosome}",
                 loc.start, loc.stop)
        for loc in rec.locations
        if loc.assembly in ("GRCh37", "GRCh38") and loc.start is not None and loc.stop is not None and loc.start >= 1
    )
    grch38 = next((loc for loc in rec.locations if loc.assembly == "GRCh38" and loc.reference_allele_vcf), None)
    return VariantIds(
        caid=rec.caid or None, clinvar_id=rec.variation_id, vrs_id=vrs_id,
        hgvs=tuple(dict.fromkeys((*rec.hgvs_genomic, *rec.hgvs_coding, *rec.hgvs_protein))),
        spdi=rec.spdi or None, rsids=(rec.rsid,) if rec.rsid else (), label=rec.name, genes=genes,
        locations=locations, ref=grch38.reference_allele_vcf if grch38 else None,
        alt=grch38.alternate_allele_vcf if grch38 else None,
    )


def vcv_to_triples(rec: VcvRecord, refs: References) -> tuple[list[Triple], list[Problem]]:
    """A ClinVar variation: the variant, each germline SCV, ClinVar's aggregate as stated, ours computed
    from the SCVs, and the typed conflicts between SCVs (materialised so conflict queries are joins)."""
    problems: list[Problem] = []
    variant, out = variant_triples(vcv_variant_ids(rec, refs))
    if any(scv.kind in ("germline", "") for scv in rec.scvs):
        # lets a query that starts from few expert interpretations skip, per variant, one flag look-up, the
        # variants no lab submitted (expert-panel-vs-clinvar; from the SCV side it would scan every SCV)
        out.append((iri(variant), CGV.hasClinVarSubmission, boolean(True)))
    scv_iris: dict[str, str] = {}
    others = 0
    for scv in rec.scvs:
        if scv.kind not in ("germline", ""):
            others += 1  # somatic clinical impact / oncogenicity: another kind of proposition
            continue
        s_iri = expand_curie(f"clinvar.submission:{scv.accession}")
        scv_iris[scv.accession] = s_iri
        s = iri(s_iri)
        prop, triples = proposition_triples(variant, _condition_iris(scv.mapped_conditions or scv.conditions),
                                            None, None)
        out += triples
        out += [(s, TYPE, t) for t in types_for("ClinVarSubmission")]
        version = f".{scv.version}" if scv.version is not None else ""
        out += [
            (s, RDFS.label, text(f"{scv.accession}{version}: {scv.classification_raw or 'no classification'} "
                                 f"({scv.submitter_name})")),
            (s, DCTERMS.identifier, text(f"{scv.accession}{version}")),
            (s, CGV.proposition, iri(prop)),
            (s, CGV.flagged, boolean(scv.flagged)),
        ]
        out += _stated_statement(s, scv.classification)
        triples, found = _review(s, scv.review_status, scv.stars, scv)
        out += triples
        problems += found
        if scv.assertion_method.startswith("ACMG Guidelines"):
            out.append((s, CGV.specifiedBy, iri(ACMG_2015)))
        for ref in scv.assertion_criteria:
            if ref.startswith("PMID:"):
                out.append((s, CGV.reportedIn, iri(pmid_iri(ref[5:]))))
            elif ref.startswith(("http://", "https://")) and " " not in ref:
                out.append((s, CGV.reportedIn, iri(ref)))
        agent = expand_curie(f"cgid:agent/clinvar-submitter-{slug(scv.submitter_id or scv.submitter_name)}")
        out += contribution(s_iri, agent, scv.submitter_name or scv.submitter_id, EVALUATOR_ROLE,
                            scv.date_last_evaluated or None)
    if others:
        problems.append(warning(rec.file, rec.line, "not-germline",
                                f"{rec.accession}: {others} somatic clinical impact / oncogenicity submission(s) "
                                "kept out of the graph (only germline pathogenicity is modelled)"))
    stated = rec.clinvar.get("germline")
    conditions = _condition_iris(stated.conditions) if stated else []
    prop, triples = proposition_triples(variant, conditions, None, None)
    out += triples
    aggregates = []
    if stated is not None:
        aggregates.append(AggregateFacts(
            expand_curie(f"cgid:clinvar-aggregate/{rec.variation_id}"),
            f"{rec.accession}: {stated.classification} (ClinVar)", stated.classification, stated.review_status,
            stated.stars, stated.submissions, CLINVAR_AGENT, "ClinVar", stated.date_last_evaluated or None,
            aggregates=tuple(scv_iris.values())))
    ours = rec.aggregates.get("germline")
    if ours is not None:
        aggregates.append(AggregateFacts(
            expand_curie(f"cgid:clinvar-aggregate/{rec.variation_id}/clingen-graph"),
            f"{rec.accession}: {ours.classification} (computed by clingen-graph)", ours.classification,
            ours.review_status, ours.stars, ours.submissions, SOFTWARE_AGENT, "clingen-graph",
            description=ours.explanation,
            aggregates=tuple(scv_iris[a] for a in ours.contributing if a in scv_iris)))
    for facts in aggregates:
        triples, found = aggregate_triples(facts, prop, rec)
        out += triples
        problems += found
    for conflict in rec.conflicts:
        sides = [scv_iris[a] for a in (*conflict.side_a, *conflict.side_b) if a in scv_iris]
        if len(sides) < 2:
            continue
        c = iri(mint("conflict", variant, conflict.type, *sorted(sides)))
        out += [(c, TYPE, CGV.ClassificationConflict),
                (c, RDFS.label, text(f"{rec.accession}: {conflict.type}")),
                (c, CGV.conflictType, iri(valuesets.conflict_type().lookup(conflict.type))),
                (c, CGV.conflictAbout, iri(variant))]
        out += [(c, CGV.conflictingStatement, iri(s)) for s in sides]
    return out, problems


def summary_to_triples(rec: VariantSummaryRecord, refs: References) -> tuple[list[Triple], list[Problem]]:
    """One variant_summary row (an allele on one assembly): the variant with its location, and ClinVar's
    aggregate germline classification as the row states it (named per variation, so the GRCh37 and the
    GRCh38 row of one variant describe the same two nodes)."""
    problems: list[Problem] = []
    vrs_id = None
    ref = alt = None
    if rec.assembly == "GRCh38" and rec.position_vcf and rec.reference_allele_vcf and rec.alternate_allele_vcf \
            and rec.reference_allele_vcf != "na":
        ref, alt = rec.reference_allele_vcf, rec.alternate_allele_vcf
        try:
            vrs_id = vrs.allele_id(vrs.allele_from_vcf(rec.chromosome, rec.position_vcf, ref, alt))
        except vrs.VrsError:
            vrs_id = None
    locations: tuple[Location, ...] = ()
    if rec.assembly in ("GRCh37", "GRCh38") and rec.start and rec.stop and rec.start >= 1 and rec.chromosome != "na":
        chrom = rec.chromosome if rec.chromosome.startswith("chr") else f"chr{rec.chromosome}"
        locations = (Location(rec.assembly, chrom, rec.start, rec.stop),)
    genes = (expand_curie(rec.hgnc_id),) if rec.hgnc_id.startswith("HGNC:") else ()
    ids = VariantIds(clinvar_id=str(rec.variation_id), vrs_id=vrs_id, rsids=(rec.rsid,) if rec.rsid else (),
                     label=rec.name, genes=genes, locations=locations, ref=ref, alt=alt)
    variant, out = variant_triples(ids)
    prop, triples = proposition_triples(variant, _condition_iris(rec.conditions), None, None)
    out += triples
    triples, found = aggregate_triples(AggregateFacts(
        expand_curie(f"cgid:clinvar-summary/{rec.variation_id}"),
        f"{rec.vcv}: {rec.clinical_significance or 'no classification'} (ClinVar)", rec.clinical_significance,
        rec.review_status, rec.stars, rec.number_submitters, CLINVAR_AGENT, "ClinVar", rec.last_evaluated or None),
        prop, rec)
    out += triples
    problems += found
    return out, problems


def conflict_tallies(graph: str, triples: Iterable[Triple],
                     symbols: Mapping[str, str] | None = None) -> list[Triple]:
    """Per (gene, conflict type): how many distinct variants of a release have that conflict. Computed from
    the release's own triples when it is loaded, so ``conflicts-by-gene`` sums tallies instead of joining every
    conflict with its variant and gene (seconds at 10M triples on Oxigraph).

    Each tally also carries what the catalogue shows with it, so the all-genes query reads a few properties
    used by tallies only (scans, hash-joined) instead of looking each tally's type, gene and labels up one by
    one: its gene (``cgv:tallyGene``, not ``cgv:gene``, whose scan would read every variant), the gene's
    approved symbol from ``symbols`` (HGNC id such as ``HGNC:1100`` → symbol: ``References.hgnc_symbols``,
    the HGNC release current at load; none when the gene is not in it) and the conflict type's
    ``skos:prefLabel`` from the value set."""
    types: dict[NamedNode, NamedNode] = {}
    about: dict[NamedNode, NamedNode] = {}
    genes: dict[NamedNode, set[NamedNode]] = {}
    conflict_type, conflict_about, gene_p = CGV.conflictType.value, CGV.conflictAbout.value, CGV.gene.value
    for s, p, o in triples:
        name = p.value  # comparing strings: NamedNode equality crosses into Rust for every triple
        if name == conflict_type:
            types[s] = o  # type: ignore[assignment]
        elif name == conflict_about:
            about[s] = o  # type: ignore[assignment]
        elif name == gene_p:
            genes.setdefault(s, set()).add(o)  # type: ignore[arg-type]
    variants: dict[tuple[str, str], set[str]] = {}
    for conflict, ctype in types.items():
        variant = about.get(conflict)
        if variant is None:
            continue
        for gene in genes.get(variant) or {None}:
            variants.setdefault((gene.value if gene else "", ctype.value), set()).add(variant.value)
    labels = valuesets.conflict_type().labels
    symbols = symbols or {}
    out: list[Triple] = []
    for (gene, ctype), members in sorted(variants.items()):
        t = iri(mint("conflict-tally", graph, gene, ctype))
        out += [(t, TYPE, CGV.ConflictTally), (t, CGV.conflictType, iri(ctype)),
                (t, CGV.tallyConflictTypeLabel, text(labels.get(ctype) or ctype.rsplit("#", 1)[-1])),
                (t, CGV.variantCount, integer(len(members)))]
        if gene:
            out.append((t, CGV.tallyGene, iri(gene)))
            symbol = symbols.get(compress_iri(gene))
            if symbol:
                out.append((t, CGV.tallyGeneSymbol, text(symbol)))
    return out
