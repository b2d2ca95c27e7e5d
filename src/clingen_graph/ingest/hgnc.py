"""HGNC gene records: the custom-download TSV, ``hgnc_complete_set.txt`` or HGNC REST JSON lines.

Columns are matched by name (either HGNC's display names or its field names), so both downloads load.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..ids import IdError, normalize_curie
from .base import (
    FileProblem,
    Problem,
    Record,
    ReleaseInfo,
    SourceSpec,
    date_from_name,
    iter_delimited,
    iter_lines,
    reject,
    warning,
)

# canonical field → accepted column names (custom download display name, complete-set field name)
FIELDS: dict[str, tuple[str, ...]] = {
    "hgnc_id": ("HGNC ID", "hgnc_id"),
    "symbol": ("Approved symbol", "symbol"),
    "name": ("Approved name", "name"),
    "status": ("Status", "status"),
    "alias_symbol": ("Alias symbols", "alias_symbol"),
    "prev_symbol": ("Previous symbols", "prev_symbol"),
    "entrez_id": ("NCBI Gene ID(supplied by NCBI)", "NCBI Gene ID", "entrez_id"),
    "ensembl_gene_id": ("Ensembl gene ID", "Ensembl ID(supplied by Ensembl)", "ensembl_gene_id"),
    "locus_type": ("Locus type", "locus_type"),
}
REQUIRED = ("hgnc_id", "symbol", "status")


@dataclass
class GeneRecord(Record):
    hgnc_id: str
    symbol: str
    name: str
    status: str
    aliases: tuple[str, ...]
    previous: tuple[str, ...]
    ncbi_gene: str | None
    ensembl_gene: str | None
    locus_type: str | None


def _split(value: object) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(str(v).strip() for v in value if str(v).strip())
    text = str(value or "").replace("|", ",")
    return tuple(v.strip().strip('"') for v in text.split(",") if v.strip().strip('"'))


def _sniff(path: Path, head: str) -> bool:
    first = head.splitlines()[0] if head else ""
    return (first.startswith("HGNC ID\tApproved symbol") or first.startswith("hgnc_id\tsymbol")
            or (first.startswith("{") and '"hgnc_id"' in first and '"symbol"' in first))


def read_release(path: Path) -> ReleaseInfo:
    day = date_from_name(path)
    if day:
        return ReleaseInfo(day, day)
    # HGNC downloads carry no date; the loader names the release by content hash.
    return ReleaseInfo("", None, ("HGNC files carry no release date; put yyyy-mm-dd in the file name to name it",))


def _record(path: Path, line: int, values: dict[str, object], raw: str) -> GeneRecord | Problem:
    missing = [f for f in REQUIRED if not str(values.get(f) or "").strip()]
    if missing:
        return reject(path, line, "missing-value", f"empty {', '.join(missing)}", raw)
    try:
        hgnc_id = normalize_curie(str(values["hgnc_id"]))
        if not hgnc_id.startswith("HGNC:"):
            raise IdError(f"{values['hgnc_id']!r} is not an HGNC id")
    except IdError as exc:
        return reject(path, line, "bad-id", str(exc), raw)
    ncbi = str(values.get("entrez_id") or "").strip() or None
    rec = GeneRecord(
        str(path), line, hgnc_id=hgnc_id, symbol=str(values["symbol"]).strip(),
        name=str(values.get("name") or "").strip(), status=str(values["status"]).strip(),
        aliases=_split(values.get("alias_symbol")), previous=_split(values.get("prev_symbol")),
        ncbi_gene=ncbi, ensembl_gene=str(values.get("ensembl_gene_id") or "").strip() or None,
        locus_type=str(values.get("locus_type") or "").strip() or None,
    )
    if ncbi and not ncbi.isdigit():
        rec.ncbi_gene = None
        rec.warnings.append(warning(path, line, "bad-id", f"NCBI Gene id {ncbi!r} is not a number; left out"))
    return rec


def parse(path: Path) -> Iterator[GeneRecord | Problem]:
    head = ""
    for _, first in iter_lines(path):
        if isinstance(first, Problem):  # the header (or the first JSON line) is not UTF-8
            raise FileProblem(path, first.line, first.code, first.message)
        head = first
        break
    if not head:
        raise FileProblem(path, 1, "empty", "file is empty")
    if head.startswith("{"):
        for line, text in iter_lines(path):
            if isinstance(text, Problem):
                yield text
                continue
            if not text.strip():
                continue
            try:
                values = json.loads(text)
            except json.JSONDecodeError as exc:
                yield reject(path, line, "malformed", f"not a JSON object: {exc}", text)
                continue
            yield _record(path, line, values, text)
        return
    columns: dict[str, int] | None = None
    for line, fields, raw in iter_delimited(path, "\t"):
        if isinstance(fields, Problem):
            yield fields
            continue
        if columns is None:
            columns = {}
            for field, names in FIELDS.items():
                for i, h in enumerate(fields):
                    if h.strip() in names:
                        columns[field] = i
            missing = [f for f in REQUIRED if f not in columns]
            if missing:
                raise FileProblem(path, line, "header", f"missing required HGNC column(s) for {', '.join(missing)}")
            continue
        if not raw.strip():
            continue
        if len(fields) <= max(columns.values()):
            yield reject(path, line, "field-count", f"row has {len(fields)} fields (truncated row?)", raw)
            continue
        yield _record(path, line, {k: fields[i] for k, i in columns.items()}, raw)


SOURCE = SourceSpec(
    name="hgnc",
    title="HGNC approved human gene nomenclature",
    homepage="https://www.genenames.org/",
    license="CC0 1.0",
    role="reference",
    sniff=_sniff,
    read_release=read_release,
    parse=parse,
)
