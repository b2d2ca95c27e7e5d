"""ClinGen gene-disease validity CSV export (search.clinicalgenome.org/kb/gene-validity/download).

The export starts with a banner (title, ``FILE CREATED: yyyy-mm-dd``, webpage, a ``+++`` row), then the
header and another ``+++`` row; third-party copies sometimes drop the banner. One row is one curation:
gene, disease, mode of inheritance, SOP, classification, report URL, date and the approving GCEP.
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
    date_from_name,
    head_text,
    is_iri,
    iter_delimited,
    iter_lines,
    reject,
    warning,
)

COLUMNS = [
    "GENE SYMBOL", "GENE ID (HGNC)", "DISEASE LABEL", "DISEASE ID (MONDO)", "MOI", "SOP",
    "CLASSIFICATION", "ONLINE REPORT", "CLASSIFICATION DATE", "GCEP",
]
# CGGV:assertion_<uuid>-<approval timestamp> (GCI) or CGGCIEX:assertion_<n> (legacy GCI-express curations)
ASSERTION = re.compile(
    r"(CGGV|CGGCIEX):(assertion_(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+))(?:-(\S+))?",
    re.IGNORECASE,
)
CREATED = re.compile(r"FILE CREATED:\s*(\d{4}-\d{2}-\d{2})")
SOP = re.compile(r"^SOP(\d+)$", re.IGNORECASE)


@dataclass
class GeneValidityRecord(Record):
    gene_symbol: str
    hgnc_id: str  # normalised CURIE, HGNC:1100
    disease_label: str
    mondo_id: str  # normalised CURIE, MONDO:0007254
    moi: str  # HPO IRI from the MOI value set
    moi_code: str
    sop: str  # method IRI
    sop_code: str
    classification: str  # concept IRI
    report_url: str
    assertion_ns: str  # "cggv" (GCI) or "cggciex" (legacy GCI express)
    assertion_id: str  # "assertion_<uuid>" (stable across versions)
    assertion_version: str  # "<uuid>-<timestamp>" part after the uuid, "" if absent
    classification_date: str  # ISO dateTime
    gcep: str


def _sniff(path: Path, head: str) -> bool:
    return "CLINGEN GENE DISEASE VALIDITY CURATIONS" in head or (
        '"GENE ID (HGNC)"' in head and '"CLASSIFICATION"' in head
    ) or ("GENE ID (HGNC)" in head and "CLASSIFICATION" in head and "ONLINE REPORT" in head)


def read_release(path: Path) -> ReleaseInfo:
    m = CREATED.search(head_text(path, 2048))
    if m:
        return ReleaseInfo(m.group(1), m.group(1))
    named = date_from_name(path)
    if named:
        return ReleaseInfo(named, named, ("release date taken from the file name (no FILE CREATED banner)",))
    raise FileProblem(path, 1, "release", "cannot tell the release date: no 'FILE CREATED' banner and no "
                      "yyyy-mm-dd in the file name")


def _is_banner(fields: list[str]) -> bool:
    first = fields[0].strip() if fields else ""
    return (not any(f.strip() for f in fields)) or first.startswith("+++") or first.upper().startswith(
        ("CLINGEN GENE DISEASE VALIDITY", "FILE CREATED", "WEBPAGE")
    )


def _iso_datetime(text: str) -> str:
    value = text.strip()
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if "T" not in value:
        return parsed.date().isoformat()
    return parsed.isoformat().replace("+00:00", "Z")


def parse(path: Path) -> Iterator[GeneValidityRecord | Problem]:
    """Parse the export; yields one record or one reject per data row (banner lines are not rows)."""
    header_seen = False
    file = str(path)
    if not any(True for _ in iter_lines(path)):
        raise FileProblem(path, 1, "empty", "file is empty")
    for line, fields, raw in iter_delimited(path, ","):
        if isinstance(fields, Problem):
            yield fields
            continue
        if not header_seen:
            if fields and fields[0].strip().upper() == "GENE SYMBOL":
                yield from check_header(path, line, fields, COLUMNS)
                header_seen = True
            elif not _is_banner(fields):
                raise FileProblem(path, line, "header", "no 'GENE SYMBOL,GENE ID (HGNC),...' header before the "
                                  "first data row; is this a ClinGen gene-validity export?")
            continue
        if _is_banner(fields):
            continue
        if len(fields) != len(COLUMNS):
            yield reject(path, line, "field-count",
                         f"row has {len(fields)} fields, expected {len(COLUMNS)} (truncated or mis-quoted row)", raw)
            continue
        yield from _row(file, line, [f.strip() for f in fields], raw)
    if not header_seen:
        raise FileProblem(path, 1, "header", "no header row found; is this a ClinGen gene-validity export?")


def _row(file: str, line: int, f: list[str], raw: str) -> Iterator[GeneValidityRecord | Problem]:
    symbol, hgnc, label, mondo, moi_code, sop_code, cls, report, date, gcep = f
    for name, value in (("GENE ID (HGNC)", hgnc), ("DISEASE ID (MONDO)", mondo), ("MOI", moi_code),
                        ("CLASSIFICATION", cls), ("GCEP", gcep)):
        if not value:
            yield reject(file, line, "missing-value", f"empty {name}", raw)
            return
    try:
        hgnc_id = normalize_curie(hgnc)
        mondo_id = normalize_curie(mondo)
        if not hgnc_id.startswith("HGNC:") or not mondo_id.startswith("MONDO:"):
            raise IdError(f"expected HGNC and MONDO ids, got {hgnc!r} and {mondo!r}")
    except IdError as exc:
        yield reject(file, line, "bad-id", str(exc), raw)
        return
    try:
        classification = valuesets.gene_validity().lookup(cls)
    except valuesets.UnknownValueError:
        yield reject(file, line, "unknown-classification", f"unknown classification {cls!r}; expected one of "
                     + ", ".join(valuesets.gene_validity().labels.values()), raw)
        return
    try:
        moi = valuesets.moi().lookup(moi_code)
    except valuesets.UnknownValueError:
        yield reject(file, line, "unknown-moi", f"unknown mode of inheritance {moi_code!r}; expected one of "
                     + ", ".join(sorted(valuesets.moi().notations.values())), raw)
        return
    warnings: list[Problem] = []
    m = SOP.match(sop_code)
    if not m:
        yield reject(file, line, "bad-sop", f"SOP {sop_code!r} is not of the form SOPn", raw)
        return
    sop_code = f"SOP{int(m.group(1))}"
    try:
        sop = valuesets.sop().lookup(sop_code)
    except valuesets.UnknownValueError:
        sop = valuesets.sop().scheme.replace("GeneValiditySOPScheme", f"GeneValiditySOP{int(m.group(1))}")
        warnings.append(warning(file, line, "new-sop", f"{sop_code} is newer than the SOPs in the ontology; "
                                "loaded as a method without a SEPIO mapping"))
    try:
        when = _iso_datetime(date)
    except ValueError:
        yield reject(file, line, "bad-date", f"CLASSIFICATION DATE {date!r} is not an ISO date", raw)
        return
    if not is_iri(report):
        yield reject(file, line, "bad-url", f"ONLINE REPORT {report!r} is not a URL", raw)
        return
    a = ASSERTION.search(report)
    if not a:
        yield reject(file, line, "no-assertion-id",
                     f"ONLINE REPORT {report!r} has no CGGV:assertion_<uuid> or CGGCIEX:assertion_<n> id "
                     "to name the statement", raw)
        return
    rec = GeneValidityRecord(
        file, line, gene_symbol=symbol, hgnc_id=hgnc_id, disease_label=label, mondo_id=mondo_id, moi=moi,
        moi_code=moi_code, sop=sop, sop_code=sop_code, classification=classification, report_url=report,
        assertion_ns=a.group(1).lower(), assertion_id=a.group(2).lower(), assertion_version=(a.group(3) or ""),
        classification_date=when, gcep=gcep,
    )
    rec.warnings.extend(warnings)
    yield rec


SOURCE = SourceSpec(
    name="clingen-gene-validity",
    title="ClinGen gene-disease validity curations",
    homepage="https://search.clinicalgenome.org/kb/gene-validity",
    license="ClinGen terms of use (https://www.clinicalgenome.org/docs/terms-of-use/)",
    role="curation",
    sniff=_sniff,
    read_release=read_release,
    parse=parse,
)
