"""ClinVar ``variant_summary.txt`` (tab-delimited, ftp.ncbi.nlm.nih.gov/pub/clinvar/tab_delimited/).

One row per allele and assembly (GRCh37 and GRCh38 rows for the same allele), with ClinVar's aggregate
germline classification, somatic clinical impact and oncogenicity, and since 2024 the SCVs each aggregate is
based on. The header is NCBI's 43 columns; a missing or renamed column is a :class:`~.base.FileProblem`
naming the missing and the unexpected columns (a renamed column shows up as both), an added column a warning.
"-" and "na" mean "no value", as do -1 for GeneID, RS# and positions.

The file carries no release date, so it comes from the file name (``variant_summary_2026-06-28.txt.gz`` or
``…_2026-06…``): name the download after its FTP date.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import zip_longest
from pathlib import Path

from .. import clinvar_aggregate as agg
from ..ids import IdError, expand_curie, normalize_curie
from .base import (
    FileProblem,
    Problem,
    Record,
    ReleaseInfo,
    SourceSpec,
    is_iri,
    iter_delimited,
    iter_lines,
    reject,
    warning,
)
from .clinvar_xml import CLINVAR_LICENSE, Condition

COLUMNS = [
    "AlleleID", "Type", "Name", "GeneID", "GeneSymbol", "HGNC_ID", "ClinicalSignificance", "ClinSigSimple",
    "LastEvaluated", "RS# (dbSNP)", "nsv/esv (dbVar)", "RCVaccession", "PhenotypeIDS", "PhenotypeList", "Origin",
    "OriginSimple", "Assembly", "ChromosomeAccession", "Chromosome", "Start", "Stop", "ReferenceAllele",
    "AlternateAllele", "Cytogenetic", "ReviewStatus", "NumberSubmitters", "Guidelines", "TestedInGTR", "OtherIDs",
    "SubmitterCategories", "VariationID", "PositionVCF", "ReferenceAlleleVCF", "AlternateAlleleVCF",
    "SomaticClinicalImpact", "SomaticClinicalImpactLastEvaluated", "ReviewStatusClinicalImpact", "Oncogenicity",
    "OncogenicityLastEvaluated", "ReviewStatusOncogenicity", "SCVsForAggregateGermlineClassification",
    "SCVsForAggregateSomaticClinicalImpact", "SCVsForAggregateOncogenicityClassification",
]
NAME_DATE = re.compile(r"(\d{4}-\d{2}(?:-\d{2})?)(?!\d)")
EMPTY = {"", "-", "na", "not provided"}
_ID = re.compile(r"^[A-Za-z][\w .]*:\S+$")


@dataclass
class VariantSummaryRecord(Record):
    """One row: an allele on one assembly with ClinVar's aggregates. Empty string / None = no value."""

    allele_id: int
    variation_id: int
    type: str
    name: str
    gene_id: int | None  # NCBI Gene
    gene_symbol: str
    hgnc_id: str
    clinical_significance: str  # ClinVar's aggregate germline classification text
    clin_sig_simple: int | None  # 1 = some P/LP, 0 = none, -1 = no classification
    last_evaluated: str  # ISO date
    rsid: str  # "rs397704705"
    dbvar: tuple[str, ...]
    rcv_accessions: tuple[str, ...]
    conditions: tuple[Condition, ...]  # PhenotypeList zipped with PhenotypeIDS
    origin: tuple[str, ...]
    origin_simple: str
    assembly: str  # GRCh37 | GRCh38 | NCBI36 | na
    chromosome_accession: str
    chromosome: str
    start: int | None
    stop: int | None
    reference_allele: str
    alternate_allele: str
    cytogenetic: str
    review_status: str
    stars: int
    number_submitters: int | None
    guidelines: tuple[str, ...]
    tested_in_gtr: bool
    other_ids: tuple[str, ...]
    submitter_categories: int | None
    position_vcf: int | None
    reference_allele_vcf: str
    alternate_allele_vcf: str
    somatic_clinical_impact: str
    somatic_clinical_impact_last_evaluated: str
    review_status_clinical_impact: str
    oncogenicity: str
    oncogenicity_last_evaluated: str
    review_status_oncogenicity: str
    scvs_germline: tuple[str, ...]  # the SCVs ClinVar's germline aggregate is based on
    scvs_somatic_clinical_impact: tuple[str, ...]
    scvs_oncogenicity: tuple[str, ...]

    @property
    def vcv(self) -> str:
        return f"VCV{self.variation_id:09d}"


def _sniff(path: Path, head: str) -> bool:
    return head.lstrip("\ufeff").startswith("#AlleleID\tType\tName\t")


def read_release(path: Path) -> ReleaseInfo:
    m = NAME_DATE.search(path.name)
    if m:
        return ReleaseInfo(m.group(1), m.group(1) if len(m.group(1)) == 10 else None,
                           ("release taken from the file name (variant_summary.txt carries no date)",))
    raise FileProblem(path, 1, "release", "variant_summary.txt carries no release date: name the file after its "
                      "FTP date, e.g. variant_summary_2026-06-28.txt.gz")


def _header(path: Path, line: int, fields: list[str]) -> tuple[dict[str, int], list[Problem]]:
    names = [f.strip().lstrip("#").strip() for f in fields]
    missing = [c for c in COLUMNS if c not in names]
    extra = [c for c in names if c not in COLUMNS]
    if missing:
        raise FileProblem(path, line, "header", f"not the variant_summary.txt header we know: missing column(s) "
                          f"{', '.join(missing)}" + (f"; unexpected column(s) {', '.join(extra)}" if extra else "")
                          + f" (expected NCBI's {len(COLUMNS)} columns)")
    problems = [warning(path, line, "extra-column", f"ignoring unknown column(s): {', '.join(extra)}")] if extra else []
    return {name: i for i, name in enumerate(names)}, problems


def parse(path: Path) -> Iterator[VariantSummaryRecord | Problem]:
    """One record or reject per data row.

    :raises FileProblem: empty file, or a header without NCBI's columns.
    """
    path = Path(path)
    if path.stat().st_size == 0 or not any(True for _ in iter_lines(path)):
        raise FileProblem(path, 1, "empty", "file is empty")
    index: dict[str, int] | None = None
    file = str(path)
    for line, fields, raw in iter_delimited(path, "\t"):
        if isinstance(fields, Problem):
            yield fields
            continue
        if index is None:
            if not fields or not fields[0].lstrip("\ufeff").startswith("#AlleleID"):
                raise FileProblem(path, line, "header", "the first line is not the '#AlleleID\\tType\\tName…' header "
                                  "of ClinVar's variant_summary.txt")
            index, problems = _header(path, line, fields)
            yield from problems
            continue
        if not raw.strip():
            continue
        if len(fields) < len(index):
            yield reject(file, line, "field-count", f"row has {len(fields)} fields, expected {len(index)} "
                         "(truncated row?)", raw)
            continue
        yield _row(file, line, {name: fields[i].strip() for name, i in index.items()}, raw)


def _int(value: str) -> int | None:
    if value in EMPTY:
        return None
    n = int(value)
    return None if n < 0 else n


def _list(value: str, sep: str = "|") -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(sep) if v.strip() and v.strip() not in EMPTY)


def _date(value: str) -> str:
    if value in EMPTY:
        return ""
    return datetime.strptime(value, "%b %d, %Y").date().isoformat()


def _curie(value: str) -> str:
    value = value.strip()
    if value.startswith("MONDO:MONDO:"):
        return value[6:]
    if value.startswith("Human Phenotype Ontology:"):
        return value.split(":", 1)[1]
    return value


def _conditions(ids: str, names: str) -> tuple[Condition, ...]:
    out = []
    for group, name in zip_longest(ids.split("|"), names.split("|"), fillvalue=""):
        curies = tuple(_curie(v) for v in re.split(r"[,;]", group) if _ID.match(v.strip()))
        if name.strip() or curies:
            out.append(Condition(name.strip(), curies))
    return tuple(out)


def _row(file: str, line: int, f: dict[str, str], raw: str) -> VariantSummaryRecord | Problem:
    try:
        allele_id, variation_id = int(f["AlleleID"]), int(f["VariationID"])
    except ValueError:
        return reject(file, line, "bad-id", f"AlleleID {f['AlleleID']!r} / VariationID {f['VariationID']!r} are not "
                      "numbers", raw)
    warnings: list[Problem] = []
    dates = {}
    for col in ("LastEvaluated", "SomaticClinicalImpactLastEvaluated", "OncogenicityLastEvaluated"):
        try:
            dates[col] = _date(f[col])
        except ValueError:
            dates[col] = ""
            warnings.append(warning(file, line, "bad-date", f"{col} {f[col]!r} is not a date like 'Dec 17, 2024'; "
                                    "left empty"))
    numbers: dict[str, int | None] = {}
    for col in ("GeneID", "ClinSigSimple", "Start", "Stop", "NumberSubmitters", "SubmitterCategories", "PositionVCF",
                "RS# (dbSNP)"):
        value = f[col]
        try:
            numbers[col] = int(value) if col == "ClinSigSimple" and value not in EMPTY else _int(value)
        except ValueError:
            numbers[col] = None
            warnings.append(warning(file, line, "bad-number", f"{col} {value!r} is not a number; left empty"))
    status = f["ReviewStatus"]
    try:
        n_stars = agg.stars(status) if status not in EMPTY else 0
    except agg.UnknownReviewStatus:
        n_stars = 0
        warnings.append(warning(file, line, "unknown-review-status", f"unknown review status {status!r}; 0 stars"))
    hgnc_id = "" if f["HGNC_ID"] in EMPTY else f["HGNC_ID"]
    if hgnc_id:
        try:
            if not normalize_curie(hgnc_id).startswith("HGNC:") or not is_iri(expand_curie(hgnc_id)):
                raise IdError(f"{hgnc_id!r} is not an HGNC id")
        except IdError:
            warnings.append(warning(file, line, "bad-id", f"HGNC_ID {hgnc_id!r} is not an HGNC id; left empty"))
            hgnc_id = ""
    rs = numbers["RS# (dbSNP)"]
    rec = VariantSummaryRecord(
        file, line, allele_id=allele_id, variation_id=variation_id, type=f["Type"], name=f["Name"],
        gene_id=numbers["GeneID"], gene_symbol="" if f["GeneSymbol"] in EMPTY else f["GeneSymbol"],
        hgnc_id=hgnc_id, clinical_significance=f["ClinicalSignificance"],
        clin_sig_simple=numbers["ClinSigSimple"], last_evaluated=dates["LastEvaluated"],
        rsid=f"rs{rs}" if rs else "", dbvar=_list(f["nsv/esv (dbVar)"], ";"),
        rcv_accessions=_list(f["RCVaccession"]), conditions=_conditions(f["PhenotypeIDS"], f["PhenotypeList"]),
        origin=_list(f["Origin"], ";"), origin_simple=f["OriginSimple"], assembly=f["Assembly"],
        chromosome_accession="" if f["ChromosomeAccession"] in EMPTY else f["ChromosomeAccession"],
        chromosome=f["Chromosome"], start=numbers["Start"], stop=numbers["Stop"],
        reference_allele="" if f["ReferenceAllele"] in EMPTY else f["ReferenceAllele"],
        alternate_allele="" if f["AlternateAllele"] in EMPTY else f["AlternateAllele"],
        cytogenetic="" if f["Cytogenetic"] in EMPTY else f["Cytogenetic"], review_status=status, stars=n_stars,
        number_submitters=numbers["NumberSubmitters"], guidelines=_list(f["Guidelines"], ","),
        tested_in_gtr=f["TestedInGTR"] == "Y", other_ids=_list(f["OtherIDs"], ","),
        submitter_categories=numbers["SubmitterCategories"], position_vcf=numbers["PositionVCF"],
        reference_allele_vcf="" if f["ReferenceAlleleVCF"] in EMPTY else f["ReferenceAlleleVCF"],
        alternate_allele_vcf="" if f["AlternateAlleleVCF"] in EMPTY else f["AlternateAlleleVCF"],
        somatic_clinical_impact="" if f["SomaticClinicalImpact"] == "-" else f["SomaticClinicalImpact"],
        somatic_clinical_impact_last_evaluated=dates["SomaticClinicalImpactLastEvaluated"],
        review_status_clinical_impact="" if f["ReviewStatusClinicalImpact"] == "-" else f["ReviewStatusClinicalImpact"],
        oncogenicity="" if f["Oncogenicity"] == "-" else f["Oncogenicity"],
        oncogenicity_last_evaluated=dates["OncogenicityLastEvaluated"],
        review_status_oncogenicity="" if f["ReviewStatusOncogenicity"] == "-" else f["ReviewStatusOncogenicity"],
        scvs_germline=_list(f["SCVsForAggregateGermlineClassification"]),
        scvs_somatic_clinical_impact=_list(f["SCVsForAggregateSomaticClinicalImpact"]),
        scvs_oncogenicity=_list(f["SCVsForAggregateOncogenicityClassification"]),
    )
    rec.warnings.extend(warnings)
    return rec


SOURCE = SourceSpec(
    name="clinvar-variant-summary",
    title="ClinVar variant summary (variant_summary.txt)",
    homepage="https://ftp.ncbi.nlm.nih.gov/pub/clinvar/tab_delimited/",
    license=CLINVAR_LICENSE,
    role="curation",
    sniff=_sniff,
    read_release=read_release,
    parse=parse,
)
