"""ClinGen dosage sensitivity curation lists (ftp.clinicalgenome.org): genes and regions.

Both are TSV with a ``#`` preamble (title, ``#06 Feb,2026`` date, the genome build), then a ``#``-prefixed
header. A row carries a haploinsufficiency (HI) and a triplosensitivity (TS) call; each evaluated call
becomes its own statement. Scores 0/1/2/3/30/40 are codes (SPEC §7); "Not yet evaluated" means no call.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .. import valuesets
from ..ids import IdError, normalize_curie
from .base import (
    FileProblem,
    Problem,
    Record,
    ReleaseInfo,
    SourceSpec,
    check_header,
    head_text,
    iter_delimited,
    reject,
    warning,
)

CALL_COLUMNS = [
    "Haploinsufficiency Score", "Haploinsufficiency Description",
    *[f"Haploinsufficiency PMID{i}" for i in range(1, 7)],
    "Triplosensitivity Score", "Triplosensitivity Description",
    *[f"Triplosensitivity PMID{i}" for i in range(1, 7)],
    "Date Last Evaluated", "Haploinsufficiency Disease ID", "Triplosensitivity Disease ID",
]
GENE_COLUMNS = ["Gene Symbol", "Gene ID", "cytoBand", "Genomic Location", *CALL_COLUMNS]
REGION_COLUMNS = ["ISCA ID", "ISCA Region Name", "cytoBand", "Genomic Location", *CALL_COLUMNS]
LOCATION = re.compile(r"^(chr(?:[0-9]{1,2}|X|Y|M|MT)):(\d+)-(\d+)$", re.IGNORECASE)
BUILD = re.compile(r"reported on (GRCh3[78])", re.IGNORECASE)
DATE = re.compile(r"^#\s*(\d{1,2} [A-Za-z]{3},\s*\d{4})\s*$", re.MULTILINE)
NOT_EVALUATED = {"", "not yet evaluated", "-1"}


@dataclass(frozen=True)
class DosageCall:
    kind: str  # concept IRI: cgv:Haploinsufficiency or cgv:Triplosensitivity
    kind_code: str  # HI or TS
    score: str  # concept IRI of the score
    score_code: str
    description: str
    pmids: tuple[str, ...]
    mondo_id: str | None


@dataclass
class DosageRecord(Record):
    subject_kind: str  # "gene" or "region"
    gene_symbol: str | None
    ncbi_gene: str | None
    isca_id: str | None
    region_name: str | None
    cytoband: str
    assembly: str
    chromosome: str | None
    start: int | None
    end: int | None
    calls: tuple[DosageCall, ...]
    date_last_evaluated: str | None


def read_release(path: Path) -> ReleaseInfo:
    head = head_text(path, 4096)
    m = DATE.search(head)
    if not m:
        raise FileProblem(path, 2, "release", "no '#dd Mon,yyyy' release date line in the preamble")
    day = datetime.strptime(m.group(1).replace(", ", ","), "%d %b,%Y").date().isoformat()
    return ReleaseInfo(day, day)


def _assembly(path: Path) -> str:
    m = BUILD.search(head_text(path, 4096))
    if not m:
        raise FileProblem(path, 3, "assembly", "the preamble does not say which genome build the locations use")
    return m.group(1).upper().replace("GRCH", "GRCh")


def _calls(file: str, line: int, row: dict[str, str], raw: str) -> tuple[list[DosageCall], list[Problem]]:
    calls: list[DosageCall] = []
    problems: list[Problem] = []
    for code, prefix in (("HI", "Haploinsufficiency"), ("TS", "Triplosensitivity")):
        score = row[f"{prefix} Score"].strip()
        if score.casefold() in NOT_EVALUATED:
            continue
        try:
            score_iri = valuesets.dosage_score().lookup(score)
        except valuesets.UnknownValueError:
            problems.append(reject(file, line, "unknown-score",
                                   f"{prefix} Score {score!r} is not a ClinGen dosage score (0, 1, 2, 3, 30, 40)", raw))
            continue
        # a cell sometimes holds several PMIDs ("21344236; 25994375") or stray bytes ("28901403\u00e2")
        cells = (row[f"{prefix} PMID{i}"] for i in range(1, 7))
        tokens = [t for c in cells for t in re.split(r"[;,\s]+", c) if t]
        pmids_found: list[str] = []
        for token in tokens:
            m = re.fullmatch(r"\D{0,3}(\d+)\D{0,3}", token)
            if not m:
                problems.append(reject(file, line, "bad-pmid", f"{prefix} PMID {token!r} is not a PubMed id", raw))
                break
            if m.group(1) != token:
                problems.append(warning(file, line, "pmid-cleaned",
                                        f"{prefix} PMID {token!r} had stray characters; read as {m.group(1)}"))
            pmids_found.append(m.group(1))
        else:
            pmids = tuple(dict.fromkeys(pmids_found))
        if any(p.level == "reject" for p in problems):
            continue
        disease = row[f"{prefix} Disease ID"].strip() or None
        if disease:
            try:
                disease = normalize_curie(disease)
                if not disease.startswith("MONDO:"):
                    raise IdError(f"{disease!r} is not a MONDO id")
            except IdError as exc:
                problems.append(reject(file, line, "bad-id", f"{prefix} Disease ID: {exc}", raw))
                continue
        calls.append(DosageCall(valuesets.dosage_type().lookup(code), code, score_iri, score,
                                row[f"{prefix} Description"].strip(), pmids, disease))
    return calls, problems


def _parse(path: Path, columns: list[str], subject_kind: str) -> Iterator[DosageRecord | Problem]:
    assembly = _assembly(path)
    file = str(path)
    header: list[str] | None = None
    for line, fields, raw in iter_delimited(path, "\t"):
        if isinstance(fields, Problem):
            yield fields
            continue
        if header is None:
            if raw.startswith("#") and raw.lstrip("#").startswith(columns[0]):
                header = [h.strip().lstrip("#") for h in fields]
                yield from check_header(path, line, header, columns)
            elif not raw.startswith("#") and raw.strip():
                raise FileProblem(path, line, "header", f"data before the '#{columns[0]}' header line")
            continue
        if not raw.strip():
            continue
        if len(fields) < len(columns):
            yield reject(path, line, "field-count",
                         f"row has {len(fields)} fields, expected {len(columns)} (truncated row?)", raw)
            continue
        row = dict(zip(header, fields, strict=False))
        calls, problems = _calls(file, line, row, raw)
        rejects = [p for p in problems if p.level == "reject"]
        if rejects:
            yield rejects[0]
            continue
        location = row["Genomic Location"].strip()
        chrom = start = end = None
        warnings: list[Problem] = []
        if location:
            m = LOCATION.match(location)
            if not m:
                yield reject(path, line, "bad-location", f"Genomic Location {location!r} is not chrN:start-end", raw)
                continue
            chrom, start, end = m.group(1), int(m.group(2)), int(m.group(3))
            if start > end:
                yield reject(path, line, "bad-location", f"Genomic Location {location!r} starts after it ends", raw)
                continue
        else:
            warnings.append(warning(path, line, "no-location", "no genomic location given; loaded without one"))
        evaluated = row["Date Last Evaluated"].strip() or None
        if evaluated:
            try:
                evaluated = datetime.fromisoformat(evaluated).date().isoformat()
            except ValueError:
                yield reject(path, line, "bad-date", f"Date Last Evaluated {evaluated!r} is not yyyy-mm-dd", raw)
                continue
        if subject_kind == "gene":
            symbol, gene_id = row["Gene Symbol"].strip(), row["Gene ID"].strip()
            if not symbol or not gene_id.isdigit():
                yield reject(path, line, "bad-id", f"Gene ID {gene_id!r} is not an NCBI Gene number", raw)
                continue
            rec = DosageRecord(file, line, "gene", symbol, gene_id, None, None, row["cytoBand"].strip(), assembly,
                               chrom, start, end, tuple(calls), evaluated)
        else:
            isca = row["ISCA ID"].strip()
            if not re.match(r"^ISCA-\d+$", isca):
                yield reject(path, line, "bad-id", f"ISCA ID {isca!r} is not of the form ISCA-nnnn", raw)
                continue
            rec = DosageRecord(file, line, "region", None, None, isca, row["ISCA Region Name"].strip(),
                               row["cytoBand"].strip(), assembly, chrom, start, end, tuple(calls), evaluated)
        rec.warnings.extend(warnings + [p for p in problems if p.level == "warning"])
        if not calls:
            rec.warnings.append(warning(path, line, "not-evaluated", "neither HI nor TS has been evaluated"))
        yield rec
    if header is None:
        raise FileProblem(path, 1, "header", f"no '#{columns[0]}' header line found")


def parse_genes(path: Path) -> Iterator[DosageRecord | Problem]:
    return _parse(path, GENE_COLUMNS, "gene")


def parse_regions(path: Path) -> Iterator[DosageRecord | Problem]:
    return _parse(path, REGION_COLUMNS, "region")


GENES = SourceSpec(
    name="clingen-dosage-genes",
    title="ClinGen dosage sensitivity curations: genes",
    homepage="https://search.clinicalgenome.org/kb/gene-dosage",
    license="ClinGen terms of use (https://www.clinicalgenome.org/docs/terms-of-use/)",
    role="curation",
    sniff=lambda path, head: "#ClinGen Gene Curation Results" in head or "#Gene Symbol\tGene ID\tcytoBand" in head,
    read_release=read_release,
    parse=parse_genes,
)
REGIONS = SourceSpec(
    name="clingen-dosage-regions",
    title="ClinGen dosage sensitivity curations: recurrent regions",
    homepage="https://search.clinicalgenome.org/kb/gene-dosage",
    license="ClinGen terms of use (https://www.clinicalgenome.org/docs/terms-of-use/)",
    role="curation",
    sniff=lambda path, head: "#ClinGen Region Curation Results" in head or "#ISCA ID\tISCA Region Name" in head,
    read_release=read_release,
    parse=parse_regions,
)
