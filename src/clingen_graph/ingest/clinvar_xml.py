"""ClinVar VCV XML (``ClinVarVCVRelease_*.xml.gz``, XSD ``ClinVar_VCV_2.0``): one record per ``<VariationArchive>``.

The full release is many GB, so it is streamed: lxml's ``iterparse`` hands over one ``VariationArchive`` at a
time and the element is cleared once it is turned into a :class:`VcvRecord`; memory stays at one record
(the biggest real ones have a few thousand SCVs, a few MB). lxml rather than the standard library because it
is about twice as fast here (libxml2 builds the tree) and knows the line each element starts on, so every
record and reject carries a real line number. A single-record file (``<VariationArchive>`` as root, or inside
a ``<ClinVarVariationRelease>``) works the same.

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

import gzip
import io
import multiprocessing as mp
import os
import re
import threading
import zlib
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
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
    aggregates: dict[str, agg.Aggregate] = dict(agg.aggregate_all(scvs, included_only=included_only))
    kinds: tuple[agg.Kind, ...] = ("germline", "oncogenicity")
    found = tuple(c for kind in kinds for c in agg.conflicts(scvs, kind))
    return aggregates, found


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
    state = _State()
    try:
        with open_binary(path) as fh:
            yield from _stream(fh, file, release, 0, state)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        state.error = (0, f"compressed stream ends early ({exc})", False)
    if state.error:
        line, why, encoding = state.error
        yield _stopped(file, line, why, state.started, state.done, state.count, encoding=encoding)
    elif state.count == 0:
        # a well-formed VCV file without records: nothing to load, but say so
        yield warning(file, 1, "no-records", "the file holds no <VariationArchive> record")


class _State:
    """Where a stream (or a chunk of one) got to: complete records, the one being read, a break."""

    __slots__ = ("count", "done", "error", "started")

    def __init__(self) -> None:
        self.count = 0
        self.started: tuple[str, int] | None = None  # the record being read
        self.done: tuple[str, int] | None = None  # the last complete one
        self.error: tuple[int, str, bool] | None = None  # (line, why, is an encoding error)


def _stream(fh: Any, file: str, release: str, offset: int, state: _State) -> Iterator[VcvRecord | Problem]:
    """The records of an XML byte stream; ``offset`` is added to every line (a chunk's place in the file).
    An XML error ends the stream and is left in ``state.error``; a read error propagates."""
    # remove_blank_text: the indentation is not data, and skipping it makes libxml2 ~12 % faster
    events = etree.iterparse(fh, events=("start", "end"), tag="VariationArchive", huge_tree=True,
                             resolve_entities=False, no_network=True, remove_comments=True, remove_blank_text=True)
    try:
        for event, el in events:
            if event == "start":
                state.started = (el.get("Accession") or f"VariationID {el.get('VariationID', '?')}",
                                 (el.sourceline or 0) + offset)
                continue
            state.count += 1
            try:
                items = list(_archive(file, el, release))
            except (ValueError, TypeError, AttributeError, KeyError, IndexError) as exc:
                acc, line = state.started or ("?", 0)
                items = [reject(file, line, "malformed-record", f"{acc}: cannot read the record ({exc})",
                                etree.tostring(el, encoding="unicode")[:2000])]
            else:
                if offset:
                    items = [_shift(item, offset) for item in items]
            yield from items
            state.done, state.started = state.started, None
            el.clear(keep_tail=True)
            parent = el.getparent()
            if parent is not None:
                while el.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        line = exc.lineno + offset if exc.lineno else 0
        why = str(exc)
        if offset:  # a chunk: say the file's line and name
            why = why.replace(f"line {exc.lineno}", f"line {line}").replace("(<string>, ", f"({Path(file).name}, ")
        state.error = (line, why, "encoding" in why.lower())


def _shift(item: VcvRecord | Problem, offset: int) -> VcvRecord | Problem:
    """A record or problem of a chunk, with its lines made lines of the file."""
    if isinstance(item, Problem):
        return replace(item, line=item.line + offset)
    item.line += offset
    for scv in item.scvs:
        scv.line += offset
    item.warnings[:] = [replace(w, line=w.line + offset) for w in item.warnings]
    return item


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


def _text(el: Any, tag: str) -> str:
    """The stripped text of the first child ``tag`` ('' if none)."""
    for found in el.iterchildren(tag):
        return (found.text or "").strip()
    return ""


def _curie(db: str, ident: str) -> str:
    prefix = _TRAIT_DBS.get(db)
    ident = ident.strip()
    if not prefix or not ident:
        return ""
    if ":" in ident and ident.split(":", 1)[0].upper() == prefix.upper():
        return f"{prefix}:{ident.split(':', 1)[1]}"
    return f"{prefix}:{ident}"


def _condition(trait: Any, default_type: str) -> Condition:
    """A Trait's preferred name (else its first name) and its own XRefs as CURIEs."""
    name = fallback = ""
    ids: list[str] = []
    for child in trait.iterchildren("XRef", "Name"):  # only these: a Trait has many other children
        tag = child.tag
        if tag == "XRef":
            curie = _curie(child.get("DB", ""), child.get("ID") or "")
            if curie and curie not in ids:
                ids.append(curie)
        elif tag == "Name" and not name:
            for value in child.iterchildren("ElementValue"):
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
    return tuple(_condition(t, default) for t in trait_set.iterchildren("Trait"))


def _location(sl: Any) -> SequenceLocation:
    return SequenceLocation(
        sl.get("Assembly", ""), sl.get("Chr", ""), sl.get("Accession", ""), _int(sl.get("start")),
        _int(sl.get("stop")), _int(sl.get("positionVCF")), sl.get("referenceAlleleVCF", ""),
        sl.get("alternateAlleleVCF", ""), _int(sl.get("variantLength")),
    )


def _clinvar_aggregates(classifications: Any | None) -> dict[str, ClinVarAggregate]:
    out: dict[str, ClinVarAggregate] = {}
    if classifications is None:
        return out
    for child in classifications:
        kind = _KIND_OF_ELEMENT.get(child.tag)
        if kind is None:
            continue
        status = _text(child, "ReviewStatus")
        try:
            n_stars = agg.stars(status)
        except agg.UnknownReviewStatus:
            n_stars = 0
        conditions = tuple(c for cl in child.iterchildren("ConditionList") for ts in cl.iterchildren("TraitSet")
                           for c in _conditions(ts))
        out[kind] = ClinVarAggregate(
            kind, _text(child, "Description"), status, n_stars, _int(child.get("NumberOfSubmissions")),
            _int(child.get("NumberOfSubmitters")), child.get("DateLastEvaluated", ""), _text(child, "Explanation"),
            conditions,
        )
    return out


def _kids(parent: Any | None, tag: str) -> Any:
    """The children ``tag`` of ``parent`` (none if ``parent`` is None)."""
    return () if parent is None else parent.iterchildren(tag)


def _rcvs(rcv_list: Any | None) -> tuple[RcvSummary, ...]:
    out = []
    for rcv in _kids(rcv_list, "RCVAccession"):
        conditions: tuple[Condition, ...] = ()
        germ = None
        for child in rcv.iterchildren("ClassifiedConditionList", "RCVClassifications"):
            if child.tag == "ClassifiedConditionList":
                conditions = tuple(Condition((c.text or "").strip(),
                                             (f"{c.get('DB')}:{c.get('ID')}",) if c.get("ID") else ())
                                   for c in child.iterchildren("ClassifiedCondition"))
            else:
                germ = next(child.iterchildren("GermlineClassification"), None)
        out.append(RcvSummary(rcv.get("Accession", ""), _int(rcv.get("Version")), rcv.get("Title", ""), conditions,
                              _text(germ, "Description") if germ is not None else "",
                              _text(germ, "ReviewStatus") if germ is not None else ""))
    return tuple(out)


def _trait_mappings(mapping_list: Any | None) -> dict[str, list[Condition]]:
    out: dict[str, list[Condition]] = {}
    for tm in _kids(mapping_list, "TraitMapping"):
        medgen = next(tm.iterchildren("MedGen"), None)
        if medgen is None or not medgen.get("CUI"):
            continue
        cond = Condition(medgen.get("Name", ""), (f"MedGen:{medgen.get('CUI')}",), tm.get("TraitType", ""))
        bucket = out.setdefault(tm.get("ClinicalAssertionID", ""), [])
        if cond not in bucket:
            bucket.append(cond)
    return out


_SCV_CHILDREN = ("ClinVarAccession", "Classification", "RecordStatus", "TraitSet", "ObservedInList", "AttributeSet")


def _scv(file: str, vcv: str, ca: Any, mappings: dict[str, list[Condition]]) -> tuple[ScvRecord, list[Problem]]:
    line = ca.sourceline or 0
    acc = cl = trait_set = None
    record_status = method = ""
    criteria: list[str] = []
    methods: list[str] = []
    origins: list[str] = []
    for child in ca.iterchildren(*_SCV_CHILDREN):  # one pass, proxies only for the children used
        tag = child.tag
        if tag == "ClinVarAccession":
            acc = child
        elif tag == "Classification":
            cl = child
        elif tag == "RecordStatus":
            record_status = (child.text or "").strip()
        elif tag == "TraitSet":
            trait_set = child
        elif tag == "ObservedInList":
            for item in child.iter("MethodType", "Origin"):
                text = (item.text or "").strip()
                bucket = methods if item.tag == "MethodType" else origins
                if text and text not in bucket:
                    bucket.append(text)
        elif tag == "AttributeSet" and not method:
            attr = next(child.iterchildren("Attribute"), None)
            if attr is not None and attr.get("Type") == "AssertionMethod":
                method = (attr.text or "").strip()
                for item in child.iter("ID", "URL"):
                    text = (item.text or "").strip()
                    if item.tag == "URL" and text:
                        criteria.append(text)
                    elif item.get("Source") == "PubMed" and text:
                        criteria.append(f"PMID:{text}")
    if acc is None or not acc.get("Accession"):
        raise ValueError(f"a ClinicalAssertion (ID {ca.get('ID')}) at line {line} has no SCV accession")
    accession = acc.get("Accession")
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
            elif tag in _KIND_OF_ELEMENT and kind is None:
                kind = _KIND_OF_ELEMENT[tag]
                raw = (child.text or "").strip()
                details = tuple(child.attrib.items())
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
    terms = [agg.normalize_term(t, kind or "germline") for t in raw.split(";") if t.strip()]
    record_status = record_status or "current"
    submitter = acc.get("SubmitterName", "")
    rec = ScvRecord(
        file, line, accession=accession, version=_int(acc.get("Version")), submitter_name=submitter,
        submitter_id=acc.get("OrgID") or submitter, organization_category=acc.get("OrganizationCategory", ""),
        review_status=status, stars=n_stars, kind=kind or "", classification="; ".join(terms), classification_raw=raw,
        conditions=_conditions(trait_set), mapped_conditions=tuple(mappings.get(ca.get("ID", ""), ())),
        date_last_evaluated=evaluated, collection_methods=tuple(methods), origins=tuple(origins),
        assertion_method=method, assertion_criteria=tuple(dict.fromkeys(criteria)),
        flagged=agg.normalize_status(status) == agg.FLAGGED or "flag" in record_status.lower(),
        record_status=record_status, submission_date=ca.get("SubmissionDate", ""),
        date_created=acc.get("DateCreated", ""), date_updated=acc.get("DateUpdated", ""),
        clinical_assertion_id=ca.get("ID", ""), somatic_details=details,
    )
    return rec, warnings


_VARIATIONS = ("SimpleAllele", "Haplotype", "Genotype")
_RECORD_PARTS = (*_VARIATIONS, "Classifications", "RCVList", "TraitMappingList", "ClinicalAssertionList",
                 "ClassifiedVariationList", "SubmittedClassificationList")


def _archive(file: str, va: Any, release: str) -> Iterator[VcvRecord | Problem]:
    line = va.sourceline or 0
    accession = va.get("Accession") or ""
    if not accession:
        yield reject(file, line, "missing-accession",
                     f"VariationArchive (VariationID {va.get('VariationID', '?')}) has no Accession")
        return
    record = next(va.iterchildren("ClassifiedRecord"), None)
    included = record is None
    if included:
        record = next(va.iterchildren("IncludedRecord"), None)
    if record is None:
        yield reject(file, line, "malformed-record",
                     f"{accession}: neither <ClassifiedRecord> nor <IncludedRecord>; cannot read it")
        return
    variation = None
    parts: dict[str, Any] = {}  # the record's containers we read, by tag (the first of each)
    for child in record.iterchildren(*_RECORD_PARTS):
        tag = child.tag
        if tag in _VARIATIONS:
            if variation is None:
                variation = child
        elif tag not in parts:
            parts[tag] = child
    if variation is None:
        yield reject(file, line, "malformed-record", f"{accession}: no SimpleAllele, Haplotype or Genotype")
        return

    genes: dict[str, Gene] = {}
    for g in variation.iter("Gene"):
        symbol = g.get("Symbol", "")
        if symbol and symbol not in genes:
            genes[symbol] = Gene(symbol, g.get("HGNC_ID", ""), g.get("GeneID", ""), g.get("RelationshipType", ""))
    locations = tuple(_location(sl) for loc in variation.iterchildren("Location")
                      for sl in loc.iterchildren("SequenceLocation"))
    genomic, coding, protein, mane = [], [], [], ""
    for h in (h for hl in variation.iterchildren("HGVSlist") for h in hl.iterchildren("HGVS")):
        kind = h.get("Type", "")
        nuc = next(h.iterchildren("NucleotideExpression"), None)
        expr = _text(nuc, "Expression") if nuc is not None else ""
        if expr:
            if kind == "genomic, top-level" and expr.startswith("NC_"):
                genomic.append(expr)
            elif kind == "coding":
                coding.append(expr)
                if nuc.get("MANESelect") == "true":
                    mane = expr
        prot = next(h.iterchildren("ProteinExpression"), None)
        if prot is not None:
            p = _text(prot, "Expression")
            if p and p not in protein:
                protein.append(p)
    caid = rsid = ""
    for x in (x for xl in variation.iterchildren("XRefList") for x in xl.iterchildren("XRef")):
        if x.get("DB") == "ClinGen" and not caid:
            caid = x.get("ID", "")
        elif x.get("DB") == "dbSNP" and x.get("Type", "rs") == "rs" and not rsid:
            rsid = "rs" + x.get("ID", "").removeprefix("rs")
    members = tuple(m.get("VariationID", "") for m in variation if m.tag in ("SimpleAllele", "Haplotype"))

    mappings = _trait_mappings(parts.get("TraitMappingList"))
    scvs: list[ScvRecord] = []
    problems: list[Problem] = []
    for ca in _kids(parts.get("ClinicalAssertionList"), "ClinicalAssertion"):
        try:
            scv, scv_problems = _scv(file, accession, ca, mappings)
            scvs.append(scv)
            problems.extend(scv_problems)
        except ValueError as exc:
            problems.append(warning(file, ca.sourceline or line, "malformed-scv", f"{accession}: {exc}; skipped"))
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
        variation_id=va.get("VariationID", ""), name=va.get("VariationName", "") or _text(variation, "Name"),
        variation_type=va.get("VariationType", ""), record_type=va.get("RecordType", ""),
        record_status=_text(va, "RecordStatus"), allele_id=variation.get("AlleleID", ""),
        genes=tuple(genes.values()), locations=locations, hgvs_genomic=tuple(genomic), hgvs_coding=tuple(coding),
        hgvs_protein=tuple(protein), mane_select=mane, spdi=_text(variation, "CanonicalSPDI"), caid=caid,
        rsid=rsid, members=members, clinvar=dict(clinvar), scvs=tuple(scvs), rcvs=_rcvs(parts.get("RCVList")),
        aggregates=aggregates, conflicts=found,
        included_in=tuple(c.get("Accession", "")
                          for c in _kids(parts.get("ClassifiedVariationList"), "ClassifiedVariation")),
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
