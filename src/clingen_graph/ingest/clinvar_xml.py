"""ClinVar VCV XML (``ClinVarVCVRelease_*.xml.gz``, XSD ``ClinVar_VCV_2.0``): one record per ``<VariationArchive>``.

The full release is many GB, so it is streamed: a release file is read in chunks of whole records (~256 kB,
:func:`_parse_chunked`), each parsed by libxml2 in one call and freed once its records are made; anything
unusual (a break in the XML, an odd head) hands over to lxml's ``iterparse``, which hands over one
``VariationArchive`` at a time and clears it once it is turned into a :class:`VcvRecord`. Memory stays at a
chunk or one record (the biggest real ones have a few thousand SCVs, a few MB). lxml rather than the standard
library because it is about twice as fast here (libxml2 builds the tree) and knows the line each element
starts on, so every record and reject carries a real line number. A single-record file (``<VariationArchive>``
as root, or inside a ``<ClinVarVariationRelease>``) works the same.

A record carries the variant (ids, genes, GRCh38/GRCh37 locations, HGVS, SPDI, CAid, rsID), ClinVar's own
aggregate per classification kind (:class:`ClinVarAggregate`, as ClinVar states it), the submissions
(:class:`ScvRecord`), and — computed at parse time by :mod:`clingen_graph.clinvar_aggregate` — our aggregate
and the typed conflicts, so a loader can materialise them. Where ours differs from ClinVar's the record gets an
``aggregate-differs`` warning.

Bad input never raises past :func:`parse` except as :class:`~.base.FileProblem` (empty, not XML, another kind
of XML such as the RCV release). A file that stops mid-way (cut download, broken gzip, malformed XML, bytes
that are not UTF-8) yields the complete records before the break and then one ``truncated`` reject naming the
record that was cut and the line, which tells the loader not to publish a half-read release.
"""

from __future__ import annotations

import codecs
import gzip
import io
import multiprocessing as mp
import os
import re
import threading
import zlib
from collections import deque
from collections.abc import Generator, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from .. import clinvar_aggregate as agg
from .base import (
    FileProblem,
    Problem,
    Record,
    ReleaseInfo,
    SourceSpec,
    date_from_name,
    head_text,
    open_binary,
    reject,
    warning,
)

RELEASE_DATE = re.compile(r"<ClinVarVariationRelease\b[^>]*?\bReleaseDate=\"(\d{4}-\d{2}-\d{2})\"")
FIRST_TAG = re.compile(r"<([A-Za-z_][\w.\-]*)")
PROLOG = re.compile(r"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", re.DOTALL)
ROOTS = ("ClinVarVariationRelease", "VariationArchive")
CLINVAR_LICENSE = ("public domain (NCBI: ClinVar data are not subject to copyright; see "
                   "https://www.ncbi.nlm.nih.gov/home/about/policies/)")
OFFICIAL_NAME = re.compile(r"^ClinVar(VCV|Variation)Release_", re.IGNORECASE)

_KIND_OF_ELEMENT: dict[str, agg.Kind] = {
    "GermlineClassification": "germline",
    "SomaticClinicalImpact": "somatic-clinical-impact",
    "OncogenicityClassification": "oncogenicity",
}
# condition cross-references we keep, as CURIE prefixes
_TRAIT_DBS = {"MONDO": "MONDO", "MedGen": "MedGen", "OMIM": "OMIM", "Orphanet": "Orphanet",
              "Human Phenotype Ontology": "HP", "HP": "HP"}


# --- records ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Gene:
    symbol: str
    hgnc_id: str  # "HGNC:22197", "" when ClinVar gives none
    ncbi_gene_id: str  # "9907"
    relationship: str = ""  # "within single gene", …


@dataclass(frozen=True)
class SequenceLocation:
    """Where the variant is on one assembly; VCF-style position/ref/alt when ClinVar computed them."""

    assembly: str  # GRCh38, GRCh37
    chromosome: str
    accession: str  # NC_000007.14
    start: int | None
    stop: int | None
    position_vcf: int | None = None
    reference_allele_vcf: str = ""
    alternate_allele_vcf: str = ""
    variant_length: int | None = None


@dataclass(frozen=True)
class Condition:
    """A condition as given: preferred name and ids as CURIEs (MONDO:…, MedGen:C…, OMIM:…, Orphanet:…, HP:…)."""

    name: str
    ids: tuple[str, ...] = ()
    trait_type: str = ""  # Disease, DrugResponse, Finding, …


@dataclass(frozen=True)
class ClinVarAggregate:
    """ClinVar's own aggregate of one kind (``Classifications/GermlineClassification`` …), as ClinVar states it."""

    kind: agg.Kind
    classification: str  # Description
    review_status: str
    stars: int
    submissions: int | None
    submitters: int | None
    date_last_evaluated: str = ""
    explanation: str = ""  # per-term counts of a conflict
    conditions: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class RcvSummary:
    """An RCV (variant + condition aggregate) as listed inside the VCV record."""

    accession: str
    version: int | None
    title: str
    conditions: tuple[Condition, ...]
    classification: str  # germline description
    review_status: str


@dataclass
class ScvRecord(Record):
    """One submitted classification (``ClinicalAssertion``); ``line`` is where it starts in the file.

    Its problems (no classification, unknown review status) are on the enclosing :class:`VcvRecord`'s
    ``warnings``, so a loader counting record warnings sees each once."""

    accession: str  # SCV000020155
    version: int | None
    submitter_name: str
    submitter_id: str  # ClinVar organisation id ("3" for OMIM); the name when no id is given
    organization_category: str
    review_status: str  # as written
    stars: int
    kind: str  # "germline" | "somatic-clinical-impact" | "oncogenicity"; "" when no classification is stated
    classification: str  # normalised term(s) (clinvar_aggregate.normalize_term), several joined by "; "
    classification_raw: str
    conditions: tuple[Condition, ...]  # as submitted
    mapped_conditions: tuple[Condition, ...]  # ClinVar's mapping of them to MedGen (TraitMappingList)
    date_last_evaluated: str
    collection_methods: tuple[str, ...]  # "clinical testing", "literature only", …
    origins: tuple[str, ...]  # germline, somatic, unknown, …
    assertion_method: str  # "ACMG Guidelines, 2015", "" if none
    assertion_criteria: tuple[str, ...]  # "PMID:25741868" or a URL
    flagged: bool
    record_status: str = "current"
    submission_date: str = ""
    date_created: str = ""
    date_updated: str = ""
    clinical_assertion_id: str = ""
    somatic_details: tuple[tuple[str, str], ...] = ()  # ClinicalImpactAssertionType, DrugForTherapeuticAssertion …


@dataclass
class VcvRecord(Record):
    """One ``VariationArchive``: the variant, ClinVar's aggregates, the SCVs, and our aggregate + conflicts."""

    accession: str  # VCV000000002
    version: int | None
    variation_id: str  # "2" (clinvar:2)
    name: str
    variation_type: str  # single nucleotide variant, Indel, Haplotype, CompoundHeterozygote, …
    record_type: str  # classified | included
    record_status: str
    allele_id: str  # SimpleAllele/@AlleleID ("" for haplotypes/genotypes)
    genes: tuple[Gene, ...]
    locations: tuple[SequenceLocation, ...]  # the variant's own (SimpleAllele), per assembly
    hgvs_genomic: tuple[str, ...]  # NC_ top-level expressions
    hgvs_coding: tuple[str, ...]
    hgvs_protein: tuple[str, ...]
    mane_select: str  # the MANE Select coding expression, if any
    spdi: str
    caid: str  # CA215070 (XRef DB="ClinGen")
    rsid: str  # rs397704705
    members: tuple[str, ...]  # VariationIDs of a haplotype's/genotype's parts
    clinvar: dict[str, ClinVarAggregate]  # ClinVar's own, per kind present
    scvs: tuple[ScvRecord, ...]
    rcvs: tuple[RcvSummary, ...]
    aggregates: dict[str, agg.Aggregate] = field(default_factory=dict)  # ours, per kind
    conflicts: tuple[agg.Conflict, ...] = ()
    included_in: tuple[str, ...] = ()  # an included record: the classified VCVs it is part of
    included_scvs: tuple[str, ...] = ()  # … and the SCVs of those
    date_created: str = ""
    date_last_updated: str = ""
    release_date: str = ""

    def agrees(self, kind: str = "germline") -> bool:
        """Our aggregate of ``kind`` has the same classification and review status as ClinVar's."""
        return agreement(self.aggregates.get(kind), self.clinvar.get(kind))


def agreement(ours: agg.Aggregate | None, theirs: ClinVarAggregate | None) -> bool:
    """Same classification text and review status (both absent counts as agreement)."""
    if ours is None or not ours.present:
        return theirs is None
    if theirs is None:
        return False
    return (ours.classification == theirs.classification
            and agg.normalize_status(ours.review_status) == agg.normalize_status(theirs.review_status))


def summarise(scvs: tuple[ScvRecord, ...], *, included_only: bool = False
              ) -> tuple[dict[str, agg.Aggregate], tuple[agg.Conflict, ...]]:
    """Our aggregates and typed conflicts for a set of SCVs (what :func:`parse` attaches to each record)."""
    kinds = _CONFLICT_KINDS
    if included_only:
        aggregates: dict[str, agg.Aggregate] = dict(agg.aggregate_all(scvs, included_only=True))
    else:
        # what aggregate_all gives, but only for the kinds that have SCVs (the others have neither an aggregate
        # nor conflicts): most records have germline SCVs only (test_summarise_is_aggregate_all_and_conflicts)
        present = {s.kind for s in scvs}
        aggregates = {}
        for kind in agg.KINDS:
            if kind in present and (ours := agg.aggregate(scvs, kind)).present:
                aggregates[kind] = ours
        kinds = tuple(k for k in kinds if k in present)
    return aggregates, tuple(c for kind in kinds for c in agg.conflicts(scvs, kind))


_CONFLICT_KINDS: tuple[agg.Kind, ...] = ("germline", "oncogenicity")


# --- source spec ---------------------------------------------------------------------------------------------

def _root_tag(head: str) -> str | None:
    m = FIRST_TAG.search(PROLOG.sub("", head))
    return m.group(1) if m else None


def _sniff(path: Path, head: str) -> bool:
    return _root_tag(head) in ROOTS


def read_release(path: Path) -> ReleaseInfo:
    """The release is the root's ``ReleaseDate``. A file not named like NCBI's release (an excerpt) is its own
    dataset (the file stem), so excerpts cut from releases of the same day do not replace each other."""
    head = head_text(path, 4096)
    m = RELEASE_DATE.search(head)
    dataset = "" if OFFICIAL_NAME.match(path.name) else _slug(path.name)
    notes: tuple[str, ...] = ()
    if dataset:
        notes = (f"not an NCBI release file name: loaded as its own dataset '{dataset}'",)
    if m:
        return ReleaseInfo(m.group(1), m.group(1), notes, dataset=dataset)
    named = date_from_name(path)
    if named:
        return ReleaseInfo(named, named, (*notes, "release date taken from the file name (no ReleaseDate)"),
                           dataset=dataset)
    raise FileProblem(path, 1, "release", "cannot tell the release date: no ReleaseDate on "
                      "<ClinVarVariationRelease> and no yyyy-mm-dd in the file name")


def _slug(name: str) -> str:
    stem = re.sub(r"(\.xml)?(\.gz)?$", "", name, flags=re.IGNORECASE)
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")


# --- parsing ---------------------------------------------------------------------------------------------------

def _check_head(path: Path) -> None:
    if path.stat().st_size == 0:
        raise FileProblem(path, 1, "empty", "file is empty")
    head = head_text(path, 4096)
    if not head.strip():
        raise FileProblem(path, 1, "empty", "no text could be read (empty, or not a text/gzip file)")
    root = _root_tag(head)
    if root in ("ReleaseSet", "ClinVarSet"):
        raise FileProblem(path, 1, "wrong-kind",
                          "this is ClinVar's RCV XML (<ReleaseSet>/<ClinVarSet>), which is not supported: load the "
                          "VCV release (ClinVarVCVRelease_*.xml.gz), which has the same submissions per variant")
    if root not in ROOTS:
        what = f"its first element is <{root}>" if root else "it does not start with an XML element"
        raise FileProblem(path, 1, "wrong-kind", f"not a ClinVar VCV XML file: {what}; expected "
                          "<ClinVarVariationRelease> or <VariationArchive>")


def parse(path: Path) -> Iterator[VcvRecord | Problem]:
    """Stream the records of a VCV XML file (plain or gzip): one :class:`VcvRecord` or reject per record.

    A release file is read a chunk of whole records at a time (:func:`_parse_chunked`); anything that chunk
    reading does not handle exactly like the streaming parser (a break in the XML, an unusual head) makes the
    streaming parser (:func:`_stream`) take over, so the records, rejects and messages are the same either way.
    With :data:`PARALLEL` on, a big release file (:data:`PARALLEL_MIN_BYTES`) on a machine with several cores is
    split at ``<VariationArchive`` boundaries into chunks that this process and one worker process parse in turn
    (:func:`_parse_parallel`); records still come in file order with their real line numbers.

    :raises FileProblem: empty, not XML, or not a VCV file.
    """
    path = Path(path)
    _check_head(path)
    file = str(path)
    head = head_text(path, 4096)
    m = RELEASE_DATE.search(head)
    release = m.group(1) if m else ""
    if _parallel_ok(path, head):
        yield from _parse_parallel(path, file, release)
        return
    given = 0
    if CHUNKED and _root_tag(head) == "ClinVarVariationRelease":
        given = yield from _parse_chunked(path, file, release)
        if given is None:
            return
    state = _State()
    try:
        with open_binary(path) as fh:
            yield from _stream(fh, file, release, 0, state, skip=given, utf8=_declares_utf8(head))
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        state.error = (0, f"compressed stream ends early ({exc})", False)
    if state.error:
        line, why, encoding = state.error
        yield _stopped(file, line, why, state.started, state.done, state.count, encoding=encoding)
    elif state.count == 0:
        # a well-formed VCV file without records: nothing to load, but say so
        yield warning(file, 1, "no-records", "the file holds no <VariationArchive> record")


def _declares_utf8(head: str) -> bool:
    """Whether the file is UTF-8 by its XML declaration (or by default: no declaration, no UTF-16 mark)."""
    m = re.match(r"\ufeff?<\?xml\b[^>]*?encoding\s*=\s*[\"']([^\"']*)[\"']", head)
    if m:
        return m.group(1).lower() in ("utf-8", "utf8")
    return not head.startswith("\ufffd\ufffd")  # a UTF-16 byte order mark, read as UTF-8 (head_text)


class _State:
    """Where a stream (or a chunk of one) got to: complete records, the one being read, a break."""

    __slots__ = ("count", "done", "error", "started")

    def __init__(self) -> None:
        self.count = 0
        self.started: tuple[str, int] | None = None  # the record being read
        self.done: tuple[str, int] | None = None  # the last complete one
        self.error: tuple[int, str, bool] | None = None  # (line, why, is an encoding error)


def _parser_options() -> dict[str, Any]:
    # remove_blank_text: the indentation is not data, and skipping it makes libxml2 ~12 % faster
    # collect_ids=False: no table of xml:id attributes, which nothing here looks up (~2 % of the parse)
    return {"huge_tree": True, "resolve_entities": False, "no_network": True, "remove_comments": True,
            "remove_blank_text": True, "collect_ids": False}


def _items(file: str, va: Any, release: str, base: int) -> list[VcvRecord | Problem]:
    """What one ``VariationArchive`` gives: its record, or a reject when it cannot be read."""
    try:
        return list(_archive(file, va, release, base))
    except (ValueError, TypeError, AttributeError, KeyError, IndexError) as exc:
        acc = va.get("Accession") or f"VariationID {va.get('VariationID', '?')}"
        return [reject(file, (va.sourceline or 0) + base, "malformed-record", f"{acc}: cannot read the record ({exc})",
                       etree.tostring(va, encoding="unicode", with_tail=False)[:2000])]


def _stream(fh: Any, file: str, release: str, offset: int, state: _State, skip: int = 0, *, utf8: bool = True
            ) -> Iterator[VcvRecord | Problem]:
    """The records of an XML byte stream; ``offset`` is added to every line (a chunk's place in the file), and
    the first ``skip`` records are read but not given (the chunked pass gave them already). ``utf8``: the
    stream is UTF-8 (declared, or by default), checked as it is read.
    An XML error ends the stream and is left in ``state.error``; a read error propagates."""
    checked = _Utf8Checked(fh) if utf8 else None
    try:
        yield from _events(checked or fh, file, release, offset, state, skip)
    finally:
        if checked is not None and checked.bad is not None:
            line, bad = checked.bad
            state.error = (line + offset, f"{bad!r} cannot be read as UTF-8", True)


class _Utf8Checked:
    """A UTF-8 byte stream that ends before its first bytes that are not UTF-8, and keeps where they are.
    libxml2 converts the input a block at a time and, since 2.14, refuses a block with bad bytes as a whole,
    so the records before them in that block were lost; given only the good bytes, it reads every record
    before the break and then stops inside the broken one, which is then named."""

    def __init__(self, fh: Any) -> None:
        self.fh = fh
        self.carry = b""  # the start of a character cut by the end of a block
        self.line = 1
        self.bad: tuple[int, bytes] | None = None  # (line, the first bad bytes)
        name = getattr(fh, "name", None)
        if isinstance(name, str):
            self.name = name  # libxml2's messages name the file, as they did without this wrapper

    def read(self, size: int = -1) -> bytes:
        while self.bad is None:
            block = self.fh.read(size if size and size > 0 else 1 << 16)
            data = self.carry + block if self.carry else block
            if not block:
                if data:  # the stream ends inside a character
                    self.bad = (self.line, data[:4])
                return b""
            try:
                _, used = codecs.utf_8_decode(data, "strict", False)
            except UnicodeDecodeError as exc:
                good = data[:exc.start]
                self.bad = (self.line + good.count(b"\n"), data[exc.start:exc.end + 1])
                return good
            self.carry = data[used:]
            if used:
                out = data[:used]
                self.line += out.count(b"\n")
                return out
        return b""


def _events(fh: Any, file: str, release: str, offset: int, state: _State, skip: int
            ) -> Iterator[VcvRecord | Problem]:
    events = etree.iterparse(fh, events=("start", "end"), tag="VariationArchive", **_parser_options())
    try:
        for event, el in events:
            if event == "start":
                state.started = (el.get("Accession") or f"VariationID {el.get('VariationID', '?')}",
                                 (el.sourceline or 0) + offset)
                continue
            state.count += 1
            if state.count > skip:
                yield from _items(file, el, release, offset)
            state.done, state.started = state.started, None
            el.clear(keep_tail=True)
            parent = el.getparent()
            if parent is not None:
                while el.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        line = exc.lineno + offset if exc.lineno else 0
        why = str(exc)
        if offset:  # a chunk: say the file's lines (libxml2 may name two: the break, the open tag) and name
            why = re.sub(r"\bline (\d+)", lambda m: f"line {int(m.group(1)) + offset}", why)
            why = why.replace("(<string>, ", f"({Path(file).name}, ")
        state.error = (line, why, "encoding" in why.lower())


# --- chunked reading -----------------------------------------------------------------------------------------

# Why chunks: lxml's iterparse calls back into Python (taking the GIL) at every element start and end to look
# for the tag it reports; libxml2 builds the same tree from a byte string in one call, ~11 % faster here
# (callgrind: 4.0M instead of 4.9M instructions a record of the benchmark mix). So a release is cut before
# ``<VariationArchive`` every CHUNKED_BYTES or so and each piece is parsed whole, inside a copy of the release's
# own root element, and its tree freed at once.
CHUNKED = True
CHUNKED_BYTES = 1 << 18  # ~4 records of the benchmark mix; a chunk's tree is ~8 times its size
_HEAD_MAX = 1 << 20  # the head (XML declaration, root start tag) must end before this
_HEAD = re.compile(rb"\A(?:\xef\xbb\xbf)?(<\?xml\b[^>]*\?>)?(?:\s|<!--.*?-->)*(<ClinVarVariationRelease\b[^<>]*>)\s*\Z",
                   re.DOTALL)
_CHUNK_END = b"<ClinGenChunkEnd/>"  # marks the end of a chunk; libxml2 gives its line, so lines need no count


class _Fallback(Exception):
    """The chunked pass cannot go on exactly like the streaming parser would: hand over to it."""


def _wrapper(head: bytes) -> bytes | None:
    """The start of every chunk: an XML declaration and the file's root start tag, on one line (so lines in
    the chunk are lines of the file), or None when the head is anything but plain UTF-8 without a DTD or a
    default namespace (the streaming parser reads those)."""
    m = _HEAD.match(head)
    if m is None or b"\r" in head:
        return None
    decl, root = m.group(1) or b"", m.group(2)
    if not _declares_utf8(decl.decode("latin-1")):
        return None
    if re.search(rb"\sxmlns\s*=", root):
        return None
    return b'<?xml version="1.0" encoding="UTF-8"?>' + root.replace(b"\n", b" ").replace(b"\t", b" ")


def _record_start(buf: bytes, end: int) -> int:
    """Where the last ``<VariationArchive`` start tag before ``end`` begins (-1 if none)."""
    at = buf.rfind(_START, 0, end)
    while at >= 0 and buf[at + len(_START):at + len(_START) + 1] not in (b" ", b"\n", b"\t", b"\r", b">", b"/"):
        at = buf.rfind(_START, 0, at)  # <VariationArchiveX…: not a record
    return at


def _parse_chunked(path: Path, file: str, release: str) -> Generator[VcvRecord | Problem, None, int | None]:
    """The records of a release file, a chunk at a time. Returns None when the whole file was read, else how
    many records it gave before the streaming parser has to take over (0: the file does not suit). The
    streaming parser then reads the file from its start again but does not build the records already given:
    a broken file costs about one more parse of what came before the break."""
    given = 0
    try:
        with open_binary(path) as fh:
            buf = b""
            while (at := buf.find(_START)) < 0:  # the head: everything before the first record
                block = fh.read(CHUNKED_BYTES)
                if not block or len(buf) > _HEAD_MAX:
                    return 0  # no record, or a very long head: the streaming parser reads it
                buf += block
            wrap = _wrapper(buf[:at])
            if wrap is None:
                return 0
            base = buf.count(b"\n", 0, at)  # lines before the chunk: its line 1 is line base + 1 of the file
            parser = etree.XMLParser(**_parser_options())
            docs = _chunk_docs(fh, buf[at:], wrap)
            del buf
            for doc, last in docs:
                records, lines = _read_chunk(parser, doc, last)
                for va in records:
                    yield from _items(file, va, release, base)
                    given += 1
                base += lines
                doc = va = records = None  # type: ignore[assignment]  # free the chunk's tree before reading on
    except (_Fallback, EOFError, zlib.error, gzip.BadGzipFile):
        return given
    return None if given else 0


def _chunk_docs(fh: Any, buf: bytes, wrap: bytes) -> Iterator[tuple[bytes, bool]]:
    """The chunks of the stream as small documents, and whether each is the last; ``buf`` is what was read of
    the stream already (it starts at the first record)."""
    while True:
        block = fh.read(CHUNKED_BYTES)
        if not block:  # the last chunk runs to the end of the file: the root's end tag is in it
            yield wrap + buf, True
            return
        buf += block
        del block
        cut = _record_start(buf, len(buf))
        if cut <= 0:
            continue  # a record longer than a block: read on
        yield b"".join((wrap, memoryview(buf)[:cut], _CHUNK_END, b"</ClinVarVariationRelease>")), False
        buf = buf[cut:]


def _read_chunk(parser: Any, doc: bytes, last: bool) -> tuple[list[Any], int]:
    """The ``VariationArchive`` elements of one chunk and the number of lines it spans (0 for the last)."""
    try:
        root = etree.fromstring(doc, parser)
    except etree.XMLSyntaxError:
        raise _Fallback from None  # the streaming parser says where and how the file breaks
    records = [el for el in root if el.tag == "VariationArchive"]
    if sum(1 for _ in root.iter("VariationArchive")) != len(records):
        raise _Fallback  # a record inside another element: the streaming parser reads those too
    if last:
        return records, 0
    end = root[-1]
    if end.tag != "ClinGenChunkEnd":
        raise _Fallback
    return records, end.sourceline - 1


# --- parallel parsing of big files ---------------------------------------------------------------------------

# Off by default: measured on 2 cores it costs ~50 % more CPU in all (pickling records back, fork), so it loses
# when the second core is busy (895 vs 1,294 records/s on the 512 MB mix) and gains at most ~1.3x when idle.
PARALLEL = False
PARALLEL_MIN_BYTES = 50_000_000  # on disk; a gzip file counts ~8 times its size
CHUNK_BYTES = 1 << 20  # a chunk holds whole records, about this much XML
_START = b"<VariationArchive"
_WRAP = b'<?xml version="1.0" encoding="UTF-8"?><ClinVarVariationRelease>'  # no newline: lines stay the file's
_UNWRAP = b"</ClinVarVariationRelease>"


def _parallel_ok(path: Path, head: str) -> bool:
    # a daemonic process (a multiprocessing worker itself) may not start one
    if not PARALLEL or (os.cpu_count() or 1) < 2 or mp.current_process().daemon \
            or _root_tag(head) != "ClinVarVariationRelease":
        return False
    try:
        with open_binary(path) as fh:
            gz = not isinstance(fh, io.BufferedReader)
    except OSError:
        return False
    return path.stat().st_size * (8 if gz else 1) >= PARALLEL_MIN_BYTES


def _parse_chunk(file: str, release: str, data: bytes, first_line: int, last: bool
                 ) -> tuple[list[VcvRecord | Problem], _State]:
    """Parse one chunk (whole records; the last one runs to the end of the file) as a small document."""
    state = _State()
    doc = _WRAP + data if last else _WRAP + data + _UNWRAP
    items = list(_stream(io.BytesIO(doc), file, release, first_line - 1, state))
    return items, state


def _chunks(fh: Any) -> Iterator[tuple[bytes, int, bool, BaseException | None]]:
    """(bytes, first line, is last, read error) of each chunk of whole records, after the head of the file.

    A chunk starts at ``<VariationArchive`` and ends before the next one; the last runs to the end of the
    stream (the root's end tag, or the cut of a truncated file). A read error ends the stream: what was read
    goes out as the last chunk, with the error."""
    buf = b""
    line = 1
    head_done = False
    error: BaseException | None = None
    eof = False
    while not eof:
        try:
            block = fh.read(CHUNK_BYTES)
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
            block, error = b"", exc
        if not block:
            eof = True
        else:
            buf += block
        if not head_done:
            at = buf.find(_START)
            if at < 0 and not eof:
                continue
            if at < 0:  # no record at all: what is left is the root's end tag (or the cut)
                at = buf.find(_UNWRAP)
                at = len(buf) if at < 0 else at
            line += buf.count(b"\n", 0, at)
            buf = buf[at:]
            head_done = True
        if eof:
            break
        while len(buf) > CHUNK_BYTES:
            cut = buf.find(_START, CHUNK_BYTES)  # the first record start past the chunk size
            if cut < 0:
                break  # a record longer than that: read on
            chunk, buf = buf[:cut], buf[cut:]
            yield chunk, line, False, None
            line += chunk.count(b"\n")
    yield buf, line, True, error


def _parse_parallel(path: Path, file: str, release: str) -> Iterator[VcvRecord | Problem]:
    """Chunks go in file order either to one worker process or, when it has enough queued, to this process;
    results come back in order. At most a few chunks are in flight, so memory stays bounded."""
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() and threading.active_count() == 1
                         else "spawn")
    count = 0
    done: tuple[str, int] | None = None
    stop: Problem | None = None
    broken = False
    pending: deque[tuple[Future | None, tuple]] = deque()
    with ProcessPoolExecutor(max_workers=1, mp_context=ctx) as pool, open_binary(path) as fh:
        chunks = _chunks(fh)
        more = True
        try:
            while more or pending:
                while more and len(pending) < 4:
                    try:
                        data, first, last, error = next(chunks)
                    except StopIteration:
                        more = False
                        break
                    args = (file, release, data, first, last)
                    busy = sum(1 for f, _ in pending if f is not None and not f.done())
                    fut = None
                    if busy < 2 and not last and not error and not broken:
                        try:
                            fut = pool.submit(_parse_chunk, *args)
                        except BrokenProcessPool:  # the worker died (killed, out of memory): go on alone
                            broken = True
                    pending.append((fut, (*args, error)))
                    more = not last
                fut, (*args, error) = pending.popleft()
                try:
                    items, state = fut.result() if fut is not None else _parse_chunk(*args)
                except BrokenProcessPool:
                    broken = True
                    items, state = _parse_chunk(*args)
                yield from items
                if state.done:
                    done = state.done
                started = state.started
                count += state.count
                if error is not None:
                    stop = _stopped(file, 0, f"compressed stream ends early ({error})", started, done, count)
                elif state.error:
                    line, why, encoding = state.error
                    stop = _stopped(file, line, why, started, done, count, encoding=encoding)
                if stop:
                    break
        finally:
            for f, _ in pending:
                if f is not None:
                    f.cancel()
    if stop:
        yield stop
    elif count == 0:
        yield warning(file, 1, "no-records", "the file holds no <VariationArchive> record")


def _stopped(file: str, line: int, why: str, started: tuple[str, int] | None, done: tuple[str, int] | None,
             count: int, *, encoding: bool = False) -> Problem:
    """The one reject for a file that could not be read to its end."""
    if started:
        where = f"inside record {started[0]} (it starts at line {started[1]})"
        at = line or started[1]
    else:
        where = "between records"
        at = line or (done[1] if done else 1)
    cause = (f"bytes that are not valid UTF-8 at line {line} ({why})" if encoding
             else f"the XML stops or breaks at line {line or '?'}: {why}")
    after = f"the {count:,} complete record(s) before it were read (last: {done[0]})" if done else \
        "no complete record was read"
    return reject(file, at, "truncated", f"file not read to the end: {cause}, {where}; {after}. Is the download "
                  "complete? The release should not be published from a half-read file.")


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text not in (None, "") else None
    except ValueError:
        return None


# Why plain loops over children: an lxml ``iterchildren(tag)``/``find`` call costs ~0.5 µs before it yields
# anything (it builds a tag matcher each time), several times the ~80 ns per child of ``for child in el``; the
# elements read here have a handful of children, so one pass that dispatches on ``child.tag`` is cheapest.
# ``tag`` is compared with plain names only, so comments and PIs (whose tag is not a str) never match.

def _text(el: Any, tag: str) -> str:
    """The stripped text of the first child ``tag`` ('' if none)."""
    for found in el:
        if found.tag == tag:
            return (found.text or "").strip()
    return ""


def _kids(parent: Any | None, tag: str) -> list[Any]:
    """The children ``tag`` of ``parent`` (none if ``parent`` is None)."""
    return [] if parent is None else [c for c in parent if c.tag == tag]


def _curie(prefix: str, ident: str) -> str:
    """``prefix:ident`` for a condition XRef, without doubling a prefix the ID already has ('' if no ID)."""
    ident = ident.strip()
    if not ident:
        return ""
    head, sep, rest = ident.partition(":")
    if sep and head.upper() == prefix.upper():
        return f"{prefix}:{rest}"
    return f"{prefix}:{ident}"


def _condition(trait: Any, default_type: str) -> Condition:
    """A Trait's preferred name (else its first name) and its own XRefs as CURIEs."""
    name = fallback = ""
    ids: list[str] = []
    for child in trait:
        tag = child.tag
        if tag == "XRef":
            prefix = _TRAIT_DBS.get(child.get("DB"))  # most XRefs are to other databases: skip them first
            if prefix is not None:
                curie = _curie(prefix, child.get("ID") or "")
                if curie and curie not in ids:
                    ids.append(curie)
        elif tag == "Name" and not name:
            for value in child:  # the first ElementValue only
                if value.tag == "ElementValue":
                    text = (value.text or "").strip()
                    if value.get("Type") == "Preferred":
                        name = text
                    elif not fallback:
                        fallback = text
                    break
    return Condition(name or fallback, tuple(ids), trait.get("Type") or default_type)


def _conditions(trait_set: Any | None) -> tuple[Condition, ...]:
    if trait_set is None:
        return ()
    default = trait_set.get("Type") or ""
    return tuple([_condition(t, default) for t in trait_set if t.tag == "Trait"])


def _location(sl: Any) -> SequenceLocation:
    get = sl.get
    return SequenceLocation(
        get("Assembly", ""), get("Chr", ""), get("Accession", ""), _int(get("start")), _int(get("stop")),
        _int(get("positionVCF")), get("referenceAlleleVCF", ""), get("alternateAlleleVCF", ""),
        _int(get("variantLength")),
    )


def _clinvar_aggregates(classifications: Any | None) -> dict[str, ClinVarAggregate]:
    out: dict[str, ClinVarAggregate] = {}
    if classifications is None:
        return out
    for child in classifications:
        kind = _KIND_OF_ELEMENT.get(child.tag)
        if kind is None:
            continue
        texts: dict[str, str] = {}  # the first ReviewStatus, Description, Explanation
        conditions: list[Condition] = []
        # a filtered pass here: an aggregate can have a hundred Citation children
        for part in child.iterchildren("ReviewStatus", "Description", "Explanation", "ConditionList"):
            tag = part.tag
            if tag == "ConditionList":
                for ts in part:
                    if ts.tag == "TraitSet":
                        conditions.extend(_conditions(ts))
            elif tag not in texts:
                texts[tag] = (part.text or "").strip()
        status = texts.get("ReviewStatus", "")
        try:
            n_stars = agg.stars(status)
        except agg.UnknownReviewStatus:
            n_stars = 0
        out[kind] = ClinVarAggregate(
            kind, texts.get("Description", ""), status, n_stars, _int(child.get("NumberOfSubmissions")),
            _int(child.get("NumberOfSubmitters")), child.get("DateLastEvaluated", ""), texts.get("Explanation", ""),
            tuple(conditions),
        )
    return out


def _rcvs(rcv_list: Any | None) -> tuple[RcvSummary, ...]:
    if rcv_list is None:
        return ()
    out = []
    for rcv in rcv_list:
        if rcv.tag != "RCVAccession":
            continue
        conditions: tuple[Condition, ...] = ()
        germ = None
        for child in rcv:  # the last of each list counts, as before
            tag = child.tag
            if tag == "ClassifiedConditionList":
                found = []
                for c in child:
                    if c.tag == "ClassifiedCondition":
                        ident = c.get("ID")
                        found.append(Condition((c.text or "").strip(), (f"{c.get('DB')}:{ident}",) if ident else ()))
                conditions = tuple(found)
            elif tag == "RCVClassifications":
                germ = None
                for g in child:
                    if g.tag == "GermlineClassification":
                        germ = g
                        break
        description = status = None  # the first of each in the germline classification
        if germ is not None:
            for part in germ:
                tag = part.tag
                if tag == "Description":
                    if description is None:
                        description = (part.text or "").strip()
                elif tag == "ReviewStatus" and status is None:
                    status = (part.text or "").strip()
        out.append(RcvSummary(rcv.get("Accession", ""), _int(rcv.get("Version")), rcv.get("Title", ""), conditions,
                              description or "", status or ""))
    return tuple(out)


def _trait_mappings(mapping_list: Any | None) -> dict[str, list[Condition]]:
    out: dict[str, list[Condition]] = {}
    if mapping_list is None:
        return out
    seen: set[tuple[str, str, str, str]] = set()  # (assertion, name, CUI, type): a Condition once per assertion
    for tm in mapping_list:
        if tm.tag != "TraitMapping":
            continue
        for medgen in tm:  # the first MedGen
            if medgen.tag == "MedGen":
                break
        else:
            continue
        cui = medgen.get("CUI")
        if not cui:
            continue
        assertion, name, trait_type = tm.get("ClinicalAssertionID", ""), medgen.get("Name", ""), tm.get("TraitType", "")
        key = (assertion, name, cui, trait_type)
        if key not in seen:
            seen.add(key)
            out.setdefault(assertion, []).append(Condition(name, (f"MedGen:{cui}",), trait_type))
    return out


def _scv(file: str, vcv: str, ca: Any, mappings: dict[str, list[Condition]], base: int = 0
         ) -> tuple[ScvRecord, list[Problem]]:
    line = (ca.sourceline or 0) + base
    acc = cl = trait_set = status_el = None  # the first of each counts
    method = ""
    criteria: list[str] = []
    methods: list[str] = []
    origins: list[str] = []
    for child in ca:
        tag = child.tag
        if tag == "ClinVarAccession":
            if acc is None:
                acc = child
        elif tag == "Classification":
            if cl is None:
                cl = child
        elif tag == "ObservedInList":
            for item in child.iter("MethodType", "Origin"):
                text = (item.text or "").strip()
                bucket = methods if item.tag == "MethodType" else origins
                if text and text not in bucket:
                    bucket.append(text)
        elif tag == "TraitSet":
            if trait_set is None:
                trait_set = child
        elif tag == "RecordStatus":
            if status_el is None:
                status_el = child
        elif tag == "AttributeSet" and not method:
            for attr in child:  # the first Attribute says what the set is
                if attr.tag == "Attribute":
                    break
            else:
                continue
            if attr.get("Type") == "AssertionMethod":
                method = (attr.text or "").strip()
                for item in child.iter("ID", "URL"):
                    text = (item.text or "").strip()
                    if item.tag == "URL" and text:
                        criteria.append(text)
                    elif item.get("Source") == "PubMed" and text:
                        criteria.append(f"PMID:{text}")
    accession = acc.get("Accession") if acc is not None else None
    if not accession:
        raise ValueError(f"a ClinicalAssertion (ID {ca.get('ID')}) at line {line} has no SCV accession")
    warnings: list[Problem] = []
    kind: agg.Kind | None = None
    raw = status = evaluated = ""
    details: tuple[tuple[str, str], ...] = ()
    if cl is not None:
        evaluated = cl.get("DateLastEvaluated", "")
        for child in cl:
            tag = child.tag
            if tag == "ReviewStatus":
                status = (child.text or "").strip()
            elif kind is None and tag in _KIND_OF_ELEMENT:
                kind = _KIND_OF_ELEMENT[tag]
                raw = (child.text or "").strip()
                details = tuple(child.items())
    if not raw:
        warnings.append(warning(file, line, "scv-no-classification",
                                f"{vcv}: {accession} states no germline, somatic or oncogenicity classification; "
                                "it is kept but cannot count in the aggregate"))
    try:
        n_stars = agg.stars(status)
    except agg.UnknownReviewStatus:
        n_stars = 0
        warnings.append(warning(file, line, "unknown-review-status",
                                f"{vcv}: {accession} has review status {status!r}, unknown to us; counted as 0 stars "
                                "and not aggregated"))
    if ";" in raw:
        classification = "; ".join([agg.normalize_term(t, kind or "germline") for t in raw.split(";") if t.strip()])
    else:  # one term, the usual case (raw is stripped already)
        classification = agg.normalize_term(raw, kind or "germline") if raw else ""
    record_status = ((status_el.text or "").strip() if status_el is not None else "") or "current"
    get = acc.get  # type: ignore[union-attr]
    submitter = get("SubmitterName", "")
    ca_id = ca.get("ID", "")
    rec = ScvRecord(
        file, line, accession=accession, version=_int(get("Version")), submitter_name=submitter,
        submitter_id=get("OrgID") or submitter, organization_category=get("OrganizationCategory", ""),
        review_status=status, stars=n_stars, kind=kind or "", classification=classification, classification_raw=raw,
        conditions=_conditions(trait_set), mapped_conditions=tuple(mappings.get(ca_id, ())),
        date_last_evaluated=evaluated, collection_methods=tuple(methods), origins=tuple(origins),
        assertion_method=method, assertion_criteria=tuple(dict.fromkeys(criteria)),
        flagged=agg.normalize_status(status) == agg.FLAGGED or "flag" in record_status.lower(),
        record_status=record_status, submission_date=ca.get("SubmissionDate", ""),
        date_created=get("DateCreated", ""), date_updated=get("DateUpdated", ""),
        clinical_assertion_id=ca_id, somatic_details=details,
    )
    return rec, warnings


_VARIATIONS = ("SimpleAllele", "Haplotype", "Genotype")
_RECORD_PARTS = frozenset(("Classifications", "RCVList", "TraitMappingList", "ClinicalAssertionList",
                           "ClassifiedVariationList", "SubmittedClassificationList"))


def _archive(file: str, va: Any, release: str, base: int = 0) -> Iterator[VcvRecord | Problem]:
    """One record (or its reject); ``base`` is added to every line (the lines before its chunk)."""
    line = (va.sourceline or 0) + base
    accession = va.get("Accession") or ""
    if not accession:
        yield reject(file, line, "missing-accession",
                     f"VariationArchive (VariationID {va.get('VariationID', '?')}) has no Accession")
        return
    classified = included_record = status_el = None
    for child in va:
        tag = child.tag
        if tag == "ClassifiedRecord":
            if classified is None:
                classified = child
        elif tag == "IncludedRecord":
            if included_record is None:
                included_record = child
        elif tag == "RecordStatus" and status_el is None:
            status_el = child
    included = classified is None
    record = included_record if included else classified
    if record is None:
        yield reject(file, line, "malformed-record",
                     f"{accession}: neither <ClassifiedRecord> nor <IncludedRecord>; cannot read it")
        return
    variation = None
    parts: dict[str, Any] = {}  # the record's containers we read, by tag (the first of each)
    for child in record:
        tag = child.tag
        if tag in _VARIATIONS:
            if variation is None:
                variation = child
        elif tag in _RECORD_PARTS and tag not in parts:
            parts[tag] = child
    if variation is None:
        yield reject(file, line, "malformed-record", f"{accession}: no SimpleAllele, Haplotype or Genotype")
        return

    genes: dict[str, Gene] = {}
    for g in variation.iter("Gene"):
        symbol = g.get("Symbol", "")
        if symbol and symbol not in genes:
            genes[symbol] = Gene(symbol, g.get("HGNC_ID", ""), g.get("GeneID", ""), g.get("RelationshipType", ""))
    locations: list[SequenceLocation] = []
    genomic: list[str] = []
    coding: list[str] = []
    protein: list[str] = []
    members: list[str] = []
    mane = caid = rsid = ""
    variant_name = spdi = None  # the first Name and CanonicalSPDI
    for part in variation:  # one pass over the variation's children
        tag = part.tag
        if tag == "HGVSlist":
            for h in part:
                if h.tag != "HGVS":
                    continue
                nuc = prot = None
                for e in h:
                    etag = e.tag
                    if etag == "NucleotideExpression":
                        if nuc is None:
                            nuc = e
                    elif etag == "ProteinExpression" and prot is None:
                        prot = e
                if nuc is not None and (expr := _text(nuc, "Expression")):
                    kind = h.get("Type", "")
                    if kind == "genomic, top-level" and expr.startswith("NC_"):
                        genomic.append(expr)
                    elif kind == "coding":
                        coding.append(expr)
                        if nuc.get("MANESelect") == "true":
                            mane = expr
                if prot is not None and (p := _text(prot, "Expression")) and p not in protein:
                    protein.append(p)
        elif tag == "Location":
            locations.extend(_location(sl) for sl in part if sl.tag == "SequenceLocation")
        elif tag == "XRefList":
            for x in part:
                if x.tag != "XRef":
                    continue
                db = x.get("DB")
                if db == "ClinGen" and not caid:
                    caid = x.get("ID", "")
                elif db == "dbSNP" and x.get("Type", "rs") == "rs" and not rsid:
                    rsid = "rs" + x.get("ID", "").removeprefix("rs")
        elif tag == "SimpleAllele" or tag == "Haplotype":
            members.append(part.get("VariationID", ""))
        elif tag == "Name":
            if variant_name is None:
                variant_name = (part.text or "").strip()
        elif tag == "CanonicalSPDI" and spdi is None:
            spdi = (part.text or "").strip()

    mappings = _trait_mappings(parts.get("TraitMappingList"))
    scvs: list[ScvRecord] = []
    problems: list[Problem] = []
    for ca in _kids(parts.get("ClinicalAssertionList"), "ClinicalAssertion"):
        try:
            scv, scv_problems = _scv(file, accession, ca, mappings, base)
            scvs.append(scv)
            problems.extend(scv_problems)
        except ValueError as exc:
            at = ca.sourceline + base if ca.sourceline else line
            problems.append(warning(file, at, "malformed-scv", f"{accession}: {exc}; skipped"))
    clinvar = _clinvar_aggregates(parts.get("Classifications"))
    aggregates, found = summarise(tuple(scvs), included_only=included)
    for kind in agg.KINDS:
        ours, theirs = aggregates.get(kind), clinvar.get(kind)
        if not agreement(ours, theirs):
            said = f"{theirs.classification!r} / {theirs.review_status!r}" if theirs else "nothing"
            mine = f"{ours.classification!r} / {ours.review_status!r}" if ours else "nothing"
            problems.append(warning(file, line, "aggregate-differs",
                                    f"{accession}: our {kind} aggregate is {mine}, ClinVar's is {said}"))
    rec = VcvRecord(
        file, line, accession=accession, version=_int(va.get("Version")),
        variation_id=va.get("VariationID", ""), name=va.get("VariationName", "") or variant_name or "",
        variation_type=va.get("VariationType", ""), record_type=va.get("RecordType", ""),
        record_status=(status_el.text or "").strip() if status_el is not None else "",
        allele_id=variation.get("AlleleID", ""), genes=tuple(genes.values()), locations=tuple(locations),
        hgvs_genomic=tuple(genomic), hgvs_coding=tuple(coding), hgvs_protein=tuple(protein), mane_select=mane,
        spdi=spdi or "", caid=caid, rsid=rsid, members=tuple(members), clinvar=clinvar, scvs=tuple(scvs),
        rcvs=_rcvs(parts.get("RCVList")), aggregates=aggregates, conflicts=found,
        included_in=tuple(c.get("Accession", "") for c in _kids(parts.get("ClassifiedVariationList"),
                                                                 "ClassifiedVariation")),
        included_scvs=tuple(s.get("Accession", "") for s in _kids(parts.get("SubmittedClassificationList"), "SCV")),
        date_created=va.get("DateCreated", ""), date_last_updated=va.get("DateLastUpdated", ""), release_date=release,
    )
    rec.warnings.extend(problems)
    yield rec


SOURCE = SourceSpec(
    name="clinvar-vcv",
    title="ClinVar variation archive (VCV XML)",
    homepage="https://www.ncbi.nlm.nih.gov/clinvar/",
    license=CLINVAR_LICENSE,
    role="curation",
    sniff=_sniff,
    read_release=read_release,
    parse=parse,
)
