"""Load one source file as one release: parse → triples → SHACL → named graph → metadata (DESIGN §4).

A release is written into its own named graph and becomes visible only when its metadata is added to
the metadata graph, in one transaction. An interrupted load leaves a graph without metadata, which no
query sees and the next load removes; the previous release of the source is never touched. Loading a
file whose sha256 is already a release of its source is a no-op.
"""

from __future__ import annotations

import ctypes
import gc
import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pyoxigraph import NamedNode, RdfFormat, Store

from . import __version__
from .ids import CURATED_BASE, GRAPH_BASE, META_GRAPH, compress_iri, graph_iri, mint, slug
from .ingest import BY_NAME, detect
from .ingest.base import FileProblem, Problem, Record, SourceSpec, reject
from .ingest.clingen_dosage import DosageRecord
from .ingest.clingen_erepo import ErepoRecord
from .ingest.clingen_gene_validity import GeneValidityRecord
from .ingest.clinvar_summary import VariantSummaryRecord
from .ingest.clinvar_xml import VcvRecord
from .ingest.hgnc import GeneRecord
from .ingest.obo import TermRecord
from .ingest.sssom import MappingRecord
from .model import dosage, gene_validity, genes, mappings, ontology_terms, variants
from .model.rdf import Triple, boolean, date_or_datetime, integer, iri, ntriples_chunks, text
from .model.references import References, TermStatus
from .query import bind_values, construct_triples, internal_query, select_rows
from .resources import ontology_dir
from .store.base import GraphStore
from .terms import CGV, DCTERMS, PROV, RDFS, TYPE, VOID
from .validate import ValidationReport, Violation, validate_graph, validate_triples

ONTOLOGY_SOURCE = "clingen-graph-ontology"
LOAD_BATCH_ENV = "CLINGEN_GRAPH_LOAD_BATCH"
LOAD_BATCH = 1_000_000  # triples built before a load writes them (ERepo, the largest bundled file: 726k)
Progress = Callable[[str, int], None]


@dataclass
class LoadSummary:
    file: str
    source: str = "?"
    release: str = ""
    graph: str = ""
    status: str = "failed"  # loaded | unchanged | failed | refused
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    rows_quarantined: int = 0
    warnings: int = 0
    triples: int = 0
    seconds: float = 0.0
    conforms: bool | None = None
    message: str = ""
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class ReleaseMeta:
    graph: str
    source: str
    label: str
    issued: str | None
    sha256: str
    file: str
    loaded_at: str
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    rows_quarantined: int
    triples: int
    conforms: bool
    title: str | None = None


# --- reading release metadata ---------------------------------------------------------------------------

def releases(store: GraphStore) -> list[ReleaseMeta]:
    """Every complete release, oldest first."""
    out = []
    for row in select_rows(store, internal_query("releases"), [META_GRAPH]):
        def v(name: str, row: dict = row) -> str | None:
            term = row[name]
            return term.value if term is not None else None  # type: ignore[attr-defined]

        out.append(ReleaseMeta(
            v("release") or "", v("source") or "", v("label") or "", v("issued"), v("sha256") or "",
            v("file") or "", v("loadedAt") or "", int(v("rowsRead") or 0), int(v("rowsLoaded") or 0),
            int(v("rowsRejected") or 0), int(v("rowsQuarantined") or 0), int(v("triples") or 0),
            v("conforms") == "true", v("title"),
        ))
    # a release without a date of its own counts as issued on the day it was loaded
    return sorted(out, key=lambda r: (r.source, r.issued or r.loaded_at[:10], r.loaded_at))


def current_releases(store: GraphStore) -> dict[str, ReleaseMeta]:
    """The current release of each source: the newest by release date, then by load time."""
    current: dict[str, ReleaseMeta] = {}
    for r in releases(store):  # sorted, so the last one per source wins
        current[r.source] = r
    return current


def archive_superseded(store: GraphStore) -> list[str]:
    """Move every superseded release still in the live store into the store's archive, where it stays listed
    and queryable by name. Only the embedded store has an archive: there, a live store holding nothing but
    the current view is queried through Oxigraph's union default graph (several times faster). Servers
    keep every release in place. Also finishes a move that an interruption left half-done. Nothing moves while
    a read-only handle is open on the directory (a server): the next load without one moves it."""
    archive = getattr(store, "archive_graph", None)
    if archive is None or store.active_readers():  # type: ignore[attr-defined]
        return []  # with a reader open (a server), the move waits for a load when none is (see active_readers)
    live = store.live_graphs()  # type: ignore[attr-defined]
    current = {r.graph for r in current_releases(store).values()}
    moved = []
    for r in releases(store):
        if r.graph not in current and r.graph in live:
            archive(r.graph)
            moved.append(r.graph)
    return moved


def default_graphs(store: GraphStore) -> list[str]:
    """The default query view: the current release of every source, plus the metadata graph."""
    return [*sorted(r.graph for r in current_releases(store).values()), META_GRAPH]


# --- references ---------------------------------------------------------------------------------------

def load_references(store: GraphStore, *, cache: dict[str, Any] | None = None) -> References:
    """What the loaders check rows against: the current MONDO and HPO terms (with their status) and HGNC ids.

    ``cache`` (release graph → what was read from it) spares reading a release again: ``load_paths`` reloads
    the references after each reference file it loads, and only that file's release is new."""
    cache = {} if cache is None else cache
    refs = References()
    current = current_releases(store)
    for source, prefix in (("mondo", "MONDO"), ("hpo", "HP")):
        r = current.get(source)
        if r is None:
            continue
        if r.graph not in cache:
            cache[r.graph] = _term_table(store, r.graph)
        refs.terms[prefix] = dict(cache[r.graph])
        refs.releases[prefix] = r.label
    hgnc = current.get("hgnc")
    if hgnc is not None:
        if hgnc.graph not in cache:
            cache[hgnc.graph] = _gene_ids(store, hgnc.graph)
        ids, symbols, ncbi = cache[hgnc.graph]
        refs.hgnc_ids, refs.hgnc_symbols, refs.ncbi_to_hgnc = set(ids), dict(symbols), dict(ncbi)
    return refs


def _term_table(store: GraphStore, graph: str) -> dict[str, TermStatus]:
    """CURIE → status (deprecated, replaced by) of every term of an ontology release."""
    table: dict[str, TermStatus] = {}
    replacements: dict[str, list[str]] = {}
    deprecated: set[str] = set()
    for row in select_rows(store, internal_query("term-status"), [graph]):
        cid = row["id"].value
        table.setdefault(cid, TermStatus(False))
        if row["deprecated"] is not None and row["deprecated"].value == "true":
            deprecated.add(cid)
        if row["replacement"] is not None:
            replacements.setdefault(cid, []).append(compress_iri(row["replacement"].value))
    for cid in table:
        table[cid] = TermStatus(cid in deprecated, tuple(sorted(set(replacements.get(cid, [])))))
    return table


def _gene_ids(store: GraphStore, graph: str) -> tuple[set[str], dict[str, str], dict[str, str]]:
    """An HGNC release's ids, their approved symbols, and NCBI Gene id → HGNC id of its approved genes."""
    ids: set[str] = set()
    symbols: dict[str, str] = {}
    ncbi: dict[str, str] = {}
    for row in select_rows(store, internal_query("gene-ids"), [graph]):
        hid = row["id"].value
        ids.add(hid)
        symbols[hid] = row["symbol"].value
        if row["ncbi"] is not None and row["status"].value == "Approved":
            ncbi[row["ncbi"].value.rsplit(":", 1)[-1]] = hid
    return ids, symbols, ncbi


# --- building a release -------------------------------------------------------------------------------

def _build(record: Record, refs: References) -> tuple[list[Triple], list[Problem]]:
    match record:
        case GeneValidityRecord():
            return gene_validity.to_triples(record, refs)
        case DosageRecord():
            return dosage.to_triples(record, refs)
        case ErepoRecord():
            return variants.erepo_to_triples(record, refs)
        case VcvRecord():
            return variants.vcv_to_triples(record, refs)
        case VariantSummaryRecord():
            return variants.summary_to_triples(record, refs)
        case GeneRecord():
            return genes.to_triples(record), []
        case TermRecord():
            cls = "Disease" if record.curie.startswith("MONDO:") else "Phenotype"
            return ontology_terms.to_triples(record, cls), []
        case MappingRecord():
            return mappings.to_triples(record), []
    raise TypeError(f"no model for {type(record).__name__}")


def build(record: Record, refs: References) -> tuple[list[Triple], list[Problem]]:
    """The triples of one record; a record the model cannot write (an id or an IRI its parser let through)
    is a reject of its row, never an exception that stops the whole load."""
    try:
        return _build(record, refs)
    except ValueError as exc:  # IdError, an IRI pyoxigraph refuses, a variant without any id
        return [], [reject(record.file, record.line, "unwritable", f"the row cannot be written as RDF: {exc}")]


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _metadata(summary: LoadSummary, spec_title: str, homepage: str, licence: str, issued: str | None,
              sha: str, path: Path, started: str) -> list[Triple]:
    rel = iri(summary.graph)
    source = iri(f"{GRAPH_BASE}source/{summary.source}")
    activity = iri(mint("load", summary.graph, sha, started))
    out: list[Triple] = [
        (rel, TYPE, CGV.Release), (rel, TYPE, PROV.Entity), (rel, TYPE, NamedNode("http://www.w3.org/ns/dcat#Dataset")),
        (rel, TYPE, VOID.Dataset),
        (rel, CGV.sourceName, text(summary.source)), (rel, CGV.source, source),
        (rel, CGV.releaseLabel, text(summary.release)),
        (rel, DCTERMS.title, text(f"{spec_title}, release {summary.release}")),
        (rel, CGV.fileName, text(path.name)), (rel, CGV.sha256, text(sha)),
        (rel, CGV.rowsRead, integer(summary.rows_read)), (rel, CGV.rowsLoaded, integer(summary.rows_loaded)),
        (rel, CGV.rowsRejected, integer(summary.rows_rejected)),
        (rel, CGV.rowsQuarantined, integer(summary.rows_quarantined)),
        (rel, CGV.warnings, integer(summary.warnings)),
        (rel, VOID.triples, integer(summary.triples)), (rel, CGV.conforms, boolean(bool(summary.conforms))),
        (rel, PROV.generatedAtTime, date_or_datetime(_now())), (rel, PROV.wasGeneratedBy, activity),
        (rel, DCTERMS.license, text(licence)),
        (source, TYPE, CGV.Source), (source, RDFS.label, text(spec_title)),
        (source, CGV.sourceName, text(summary.source)),
        (source, DCTERMS.source, iri(homepage)),
        (activity, TYPE, CGV.LoadActivity), (activity, TYPE, PROV.Activity),
        (activity, CGV.loaderVersion, text(__version__)), (activity, PROV.startedAtTime, date_or_datetime(started)),
        (activity, PROV.used, text(str(path))),
    ]
    if issued:
        out.append((rel, DCTERMS.issued, date_or_datetime(issued[:10])))
    return out


def _remove_orphans(store: GraphStore) -> list[str]:
    """Drop graphs that an interrupted load left without metadata (curated graphs are not a load's)."""
    known = {r.graph for r in releases(store)} | {META_GRAPH}
    orphans = [g for g in store.graphs()
               if g.startswith(GRAPH_BASE) and not g.startswith(CURATED_BASE) and g not in known]
    for g in orphans:
        store.drop_graph(g)
    return orphans


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often. A load makes millions of long-lived, acyclic objects
    (terms, triples) that the default thresholds walk again and again: about half the build time."""
    old = gc.get_threshold()
    gc.set_threshold(100_000, 50, 1000)
    try:
        yield
    finally:
        gc.set_threshold(*old)


def load_file(store: GraphStore, path: Path, refs: References, *, strict: bool = False,
              progress: Progress | None = None, spec: SourceSpec | None = None) -> LoadSummary:
    """Load one file as a release of its source. Never raises for bad input: the summary says why."""
    with fewer_collections():
        return _load_file(store, path, refs, strict=strict, progress=progress, spec=spec)


def _load_file(store: GraphStore, path: Path, refs: References, *, strict: bool,
               progress: Progress | None, spec: SourceSpec | None) -> LoadSummary:
    started_clock = time.perf_counter()
    started = _now()
    summary = LoadSummary(str(path))
    try:
        spec = spec or detect(path)
        info = spec.read_release(path)
    except FileProblem as exc:
        summary.problems.append(exc.problem)
        summary.message = exc.problem.message
        summary.rows_rejected = 0
        return summary
    except OSError as exc:
        summary.message = f"cannot read the file: {exc}"
        summary.problems.append(reject(path, 0, "unreadable", summary.message))
        return summary
    sha = sha256_of(path)
    summary.source = f"{spec.name}-{info.dataset}" if info.dataset else spec.name
    summary.release = slug(info.release) if info.release else f"sha256-{sha[:12]}"
    existing = [r for r in releases(store) if r.source == summary.source]
    same = next((r for r in existing if r.sha256 == sha), None)
    if same is not None:
        summary.status, summary.graph, summary.release = "unchanged", same.graph, same.label
        summary.message = f"already loaded as {same.graph} (same sha256)"
        summary.rows_read, summary.rows_loaded = same.rows_read, same.rows_loaded
        summary.rows_rejected, summary.triples = same.rows_rejected, same.triples
        return summary
    if any(r.label == summary.release for r in existing):
        summary.release = f"{summary.release}-{sha[:8]}"
    summary.graph = graph_iri(summary.source, summary.release)

    # 1. parse and build, one record at a time; every row ends loaded or reported. A file whose triples do not
    #    fit in one batch is staged batch by batch (each validated and written while the next is built)
    kept: list[tuple[Record, list[Triple]]] = []
    built, limit = 0, load_batch()
    staging: _Staging | None = None
    try:
        for item in spec.parse(path):
            if isinstance(item, Problem):
                summary.problems.append(item)
                if item.level == "reject":
                    summary.rows_read += 1
                    summary.rows_rejected += 1
                continue
            summary.rows_read += 1
            triples, problems = build(item, refs)
            summary.problems += item.warnings + problems
            if any(p.level == "reject" for p in problems):
                summary.rows_rejected += 1
                continue
            # where it came from is all a quarantine needs of a record: not the parsed record (a ClinVar VCV
            # record with its SCVs weighs more than its triples)
            kept.append((Record(item.file, item.line), triples))
            built += len(triples)
            if built >= limit:
                if staging is None:
                    _remove_orphans(store)
                    staging = _Staging(store, summary.graph, summary.source)
                staging.submit(kept)
                kept, built = [], 0
                if progress:
                    progress("written", staging.records)
            if progress and summary.rows_read % 5000 == 0:
                progress("parsed", summary.rows_read)
        if staging is not None:
            if kept:
                staging.submit(kept)
                kept = []
            staging.finish()
    except FileProblem as exc:
        summary.problems.append(exc.problem)
        summary.message = exc.problem.message
        summary.warnings = sum(p.level == "warning" for p in summary.problems)
        _abandon(staging)
        return summary  # the file cannot be read to its end: never write a partial release (DESIGN §4)
    except BaseException:
        _abandon(staging, drop=False)  # the staged graph stays an orphan, which the next load removes
        raise
    cut = _cut_mid_row(path, summary.problems)
    if cut is not None:
        summary.problems.append(cut)
    truncated = next((p for p in summary.problems if p.code == "truncated"), None)
    if truncated is not None:
        summary.message = f"{truncated.message}; release not loaded"
        summary.warnings = sum(p.level == "warning" for p in summary.problems)
        _abandon(staging)
        return summary
    if progress:
        progress("parsed", summary.rows_read)
    if staging is not None:
        return _finish_staged(store, staging, summary, spec, info, path, refs, sha, started, started_clock,
                              strict=strict, progress=progress)
    if not kept:
        summary.message = summary.message or "no row could be loaded"
        summary.problems.append(reject(path, 1, "no-rows", f"{summary.message}: {summary.rows_read} row(s) read, "
                                       f"{summary.rows_rejected} rejected; release not loaded"))
        summary.warnings = sum(p.level == "warning" for p in summary.problems)
        return summary

    # 2. write the release graph aside (invisible until its metadata exists), validate the same triples,
    #    and quarantine the records that own a violating node
    _remove_orphans(store)
    if progress:
        progress("writing and validating", len(kept))
    # distinct triples: records share nodes (agents, variants, concepts), the count is what the graph holds
    rows = list(dict.fromkeys(t for _, ts in kept for t in ts))
    # The shapes are checked on an in-memory copy of exactly these triples while the store writes them (the
    # staged graph holds nothing else, so the report is the same). Both load the one N-Triples serialization,
    # which they read without the GIL.
    ntriples = ntriples_chunks(rows)
    with ThreadPoolExecutor(1, thread_name_prefix="validate") as pool:
        checking = pool.submit(validate_triples, rows, ntriples=ntriples)
        summary.triples = store.replace_graph(summary.graph, rows, ntriples=ntriples)
        report = checking.result()
    del rows, ntriples
    summary.conforms = report.conforms
    if not report.conforms:
        if strict:
            return _refuse(store, summary, report, _violation_problems(report, kept, summary.source))
        quarantined = _quarantine(report, kept)
        summary.problems += _violation_problems(report, [kept[i] for i in sorted(quarantined)], summary.source)
        summary.rows_quarantined = len(quarantined)
        summary.rows_rejected += len(quarantined)
        dropped = {t for i in quarantined for t in kept[i][1]}
        kept = [k for i, k in enumerate(kept) if i not in quarantined]
        # take out only what no kept record also wrote (shared nodes: agents, variants, concepts), instead
        # of rewriting the whole graph
        still = {t for _, ts in kept for t in ts}
        store.remove_from_graph(summary.graph, dropped - still)
        summary.triples = len(still)

    # 3. release-level summaries computed from the kept records (conflict tallies per gene, with the symbols
    #    of the current HGNC release; gene-validity classifications per contributing expert panel)
    summary.rows_loaded = len(kept)
    tallies = _tallies(summary.graph, (t for _, ts in kept for t in ts), (t for _, ts in kept for t in ts), refs)
    return _publish(store, summary, spec, info, path, sha, started, started_clock, tallies)


def _tallies(graph: str, conflict_facts: Iterable[Triple], validity_facts: Iterable[Triple],
             refs: References) -> list[Triple]:
    """Conflict tallies per gene (with the symbols of the current HGNC release) and gene-validity
    classifications per contributing expert panel, from the triples each reads."""
    return (variants.conflict_tallies(graph, conflict_facts, refs.hgnc_symbols)
            + gene_validity.classification_tallies(graph, validity_facts))


def _publish(store: GraphStore, summary: LoadSummary, spec: SourceSpec, info: Any, path: Path, sha: str,
             started: str, started_clock: float, tallies: list[Triple]) -> LoadSummary:
    """Add the tallies, then make the release visible: its metadata goes in, in one transaction."""
    if tallies:
        store.add_to_graph(summary.graph, tallies)
        summary.triples += len(tallies)
    summary.warnings = sum(p.level == "warning" for p in summary.problems)
    meta = _metadata(summary, spec.title, spec.homepage, spec.license, info.issued, sha, path, started)
    store.add_to_graph(META_GRAPH, meta)
    summary.status = "loaded"
    archive_superseded(store)  # the release this one replaced (if any) leaves the live view
    summary.seconds = time.perf_counter() - started_clock
    return summary


def _refuse(store: GraphStore, summary: LoadSummary, report: ValidationReport,
            problems: list[Problem]) -> LoadSummary:
    store.drop_graph(summary.graph)
    summary.status = "refused"
    summary.message = f"{len(report.violations)} SHACL violation(s) and --strict: release refused"
    summary.problems += problems
    summary.graph = ""
    summary.warnings = sum(p.level == "warning" for p in summary.problems)
    return summary


# --- files too large for one batch -----------------------------------------------------------------------

def load_batch() -> int:
    """Triples a load builds before it writes them (``$CLINGEN_GRAPH_LOAD_BATCH``, default
    :data:`LOAD_BATCH`): a file with more is staged batch by batch, so memory stays bounded whatever its size."""
    raw = os.environ.get(LOAD_BATCH_ENV, "").strip()
    if not raw:
        return LOAD_BATCH
    try:
        value = int(raw.replace("_", ""))
    except ValueError:
        value = 0
    if value < 1:
        raise ValueError(f"{LOAD_BATCH_ENV}={raw!r}: give a positive number of triples (default {LOAD_BATCH:,})")
    return value


class _Staging:
    """A release written batch by batch into its (still invisible) graph. Each batch is validated on its own
    in memory, its violating records are quarantined, and the rest is appended, by one worker thread while
    the load builds the next batch; at most two batches are held at once."""

    def __init__(self, store: GraphStore, graph: str, source: str) -> None:
        self.store, self.graph, self.source = store, graph, source
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="stage")
        self.pending: Future[None] | None = None
        self.batches = 0
        self.records = 0  # records handed over
        self.loaded = 0  # records written
        self.quarantined: set[int] = set()  # their lines
        self.violations: list[Violation] = []  # what the batches' own checks found (severity Violation)
        self.shared: set[str] = set()  # subjects that records of more than one batch describe
        self.problems: list[Problem] = []

    def submit(self, batch: list[tuple[Record, list[Triple]]]) -> None:
        self._wait()  # one batch in flight: the load holds at most this one and the one it builds
        self.pending = self.pool.submit(self._write, batch, self.batches == 0)
        self.batches += 1
        self.records += len(batch)

    def finish(self) -> None:
        self._wait()
        self.pool.shutdown()

    def _wait(self) -> None:
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()

    def _write(self, batch: list[tuple[Record, list[Triple]]], first: bool) -> None:
        rows = list(dict.fromkeys(t for _, ts in batch for t in ts))
        ntriples = ntriples_chunks(rows)
        report = validate_triples(rows, ntriples=ntriples)
        if not report.conforms:
            self.violations += [v for v in report.violations if v.severity == "Violation"]
            quarantined = _quarantine(report, batch)
            self.problems += _violation_problems(report, [batch[i] for i in sorted(quarantined)], self.source)
            self.quarantined |= {batch[i][0].line for i in quarantined}
            rows = list(dict.fromkeys(t for i, (_, ts) in enumerate(batch) if i not in quarantined for t in ts))
            ntriples = ntriples_chunks(rows)
            self.loaded -= len(quarantined)
        self.loaded += len(batch)
        if first:
            self.store.replace_graph(self.graph, rows, ntriples=ntriples)
        else:
            # what earlier batches also described: only there can the whole graph break a shape the batches kept
            subjects = {s.value for s, _, _ in rows if isinstance(s, NamedNode)}
            self.shared |= _present(self.store, self.graph, subjects)
            self.store.append_to_graph(self.graph, rows, ntriples=ntriples)
        del rows, ntriples, report
        _return_free_memory()


def _return_free_memory() -> None:
    """Hand memory freed by a batch back to the system (glibc keeps it in per-thread arenas otherwise, and a
    load's resident size would creep up batch after batch). A no-op where there is no glibc."""
    with suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _abandon(staging: _Staging | None, *, drop: bool = True) -> None:
    """Stop staging a release that will not be published; its graph goes (or stays an orphan)."""
    if staging is None:
        return
    staging.pool.shutdown(wait=True, cancel_futures=True)
    if drop:
        staging.store.drop_graph(staging.graph)


def _finish_staged(store: GraphStore, staging: _Staging, summary: LoadSummary, spec: SourceSpec, info: Any,
                   path: Path, refs: References, sha: str, started: str, started_clock: float, *, strict: bool,
                   progress: Progress | None) -> LoadSummary:
    """The end of a batched load: the shapes once more, in the staged graph, for the nodes that records of
    more than one batch describe (only whole there), quarantine of what that adds, size, tallies, metadata."""
    summary.problems += staging.problems
    if strict and staging.violations:
        return _refuse(store, summary, ValidationReport(False, staging.violations), [])
    if progress:
        progress("checking the staged release", staging.loaded)
    report = validate_graph(store, summary.graph, focus=staging.shared)
    # A node found violating in a batch that records of other batches also describe (an agent, a variant)
    # is still in the graph: its other records are quarantined too, as a single-batch load would do.
    kept_bad = _present(store, summary.graph, {v.focus for v in staging.violations})
    violations = report.violations + [v for v in staging.violations if v.focus in kept_bad]
    across: list[tuple[Record, list[Triple]]] = []
    if any(v.severity == "Violation" for v in violations):
        combined = ValidationReport(False, violations, report.engine)
        across, dropped = _owners(spec, path, refs, combined.focus_nodes(), staging.quarantined)
        if strict:
            return _refuse(store, summary, combined, _violation_problems(combined, across, summary.source))
        summary.problems += _violation_problems(combined, across, summary.source)
        store.remove_from_graph(summary.graph, dropped)
    summary.conforms = not staging.violations and report.conforms
    summary.rows_quarantined = len(staging.quarantined) + len(across)
    summary.rows_rejected += summary.rows_quarantined
    summary.rows_loaded = staging.loaded - len(across)
    summary.triples = int(select_rows(store, internal_query("graph-size"), [summary.graph])[0]["n"].value)  # type: ignore[union-attr]
    tallies = _tallies(summary.graph, construct_triples(store, internal_query("conflict-facts"), [summary.graph]),
                       construct_triples(store, internal_query("validity-facts"), [summary.graph]), refs)
    return _publish(store, summary, spec, info, path, sha, started, started_clock, tallies)


def _present(store: GraphStore, graph: str, nodes: set[str]) -> set[str]:
    """Which of these IRIs are subjects in the graph."""
    out: set[str] = set()
    ordered = sorted(nodes)
    for start in range(0, len(ordered), 2000):
        values = " ".join(f"<{n}>" for n in ordered[start:start + 2000])
        rows = select_rows(store, bind_values(internal_query("present-subjects"), [f"VALUES ?s {{ {values} }}"]),
                           [graph])
        out |= {row["s"].value for row in rows}  # type: ignore[union-attr]
    return out


def _owners(spec: SourceSpec, path: Path, refs: References, bad: set[str],
            skip: set[int]) -> tuple[list[tuple[Record, list[Triple]]], set[Triple]]:
    """The records (not yet quarantined) that own a node violating a shape across batches, and the triples
    only they wrote: two more passes over the file, taken only when such a violation exists."""
    def records() -> Iterator[tuple[Record, list[Triple]]]:
        for item in spec.parse(path):
            if isinstance(item, Problem) or item.line in skip:
                continue
            triples, problems = build(item, refs)
            if not any(p.level == "reject" for p in problems):
                yield item, triples

    owners = [(rec, ts) for rec, ts in records() if any(s.value in bad for s, _, _ in ts)]
    lines = {rec.line for rec, _ in owners}
    dropped = {t for _, ts in owners for t in ts}
    for rec, ts in records():
        if rec.line not in lines:
            dropped.difference_update(ts)
    return owners, dropped


def _cut_mid_row(path: Path, problems: list[Problem]) -> Problem | None:
    """A plain file that stops without a line end, in a line that was rejected, was cut in the middle of a row (an
    interrupted copy or download): a ``truncated`` problem, so that it never becomes a release with the rows before
    the cut (a gzip file says so itself when its stream ends early). A complete file without a final line end
    whose last row reads well still loads."""
    rejected = {p.line for p in problems if p.level == "reject"}
    if not rejected or any(p.code == "truncated" for p in problems):
        return None
    try:
        with path.open("rb") as fh:
            if fh.read(2) == b"\x1f\x8b" or fh.seek(0, 2) == 0:
                return None
            fh.seek(-1, 2)
            if fh.read(1) in b"\r\n":
                return None
            fh.seek(0)
            last = 1 + sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
    except OSError:
        return None
    if last not in rejected:
        return None
    return reject(path, last, "truncated", f"the file stops in the middle of line {last} (no line end, and the row "
                  "cannot be read): is the copy or download complete?")


def _quarantine(report: ValidationReport, kept: list[tuple[Record, list[Triple]]]) -> set[int]:
    bad = report.focus_nodes()
    out: set[int] = set()
    for i, (_, triples) in enumerate(kept):
        if any(s.value in bad for s, _, _ in triples):
            out.add(i)
    return out


def _violation_problems(report: ValidationReport, records: Sequence[tuple[Record, list[Triple]]],
                        source: str) -> list[Problem]:
    by_focus: dict[str, list[str]] = {}
    for v in report.violations:
        if v.severity == "Violation":
            where = v.path.rsplit("#", 1)[-1].rsplit("/", 1)[-1] if v.path else "node"
            by_focus.setdefault(v.focus, []).append(f"{where}: {v.message}")
    out = []
    for rec, triples in records:
        msgs = sorted({m for s, _, _ in triples for m in by_focus.get(s.value, [])})
        if msgs:
            out.append(reject(rec.file, rec.line, "shacl", "quarantined by SHACL: " + "; ".join(msgs)))
    return out


# --- the ontology itself is a release too ---------------------------------------------------------------

def load_ontology(store: GraphStore) -> LoadSummary:
    """Load ``ontology/*.ttl`` (classes, properties, value sets) so their labels are queryable."""
    files = sorted(ontology_dir().glob("*.ttl"))
    h = hashlib.sha256()
    for f in files:
        h.update(f.read_bytes())
    sha = h.hexdigest()
    summary = LoadSummary(str(ontology_dir()), ONTOLOGY_SOURCE, f"v{__version__}-{sha[:8]}")
    summary.graph = graph_iri(ONTOLOGY_SOURCE, summary.release)
    if any(r.source == ONTOLOGY_SOURCE and r.sha256 == sha for r in releases(store)):
        summary.status, summary.message = "unchanged", "ontology already loaded"
        return summary
    tmp = Store()
    for f in files:
        tmp.load(path=str(f), format=RdfFormat.TURTLE)
    triples = [(q.subject, q.predicate, q.object) for q in tmp]
    summary.triples = store.replace_graph(summary.graph, triples)
    summary.rows_read = summary.rows_loaded = len(triples)
    summary.conforms = True
    store.add_to_graph(META_GRAPH, _metadata(summary, "clingen-graph ontology and value sets",
                                             "https://w3id.org/clingen-graph/vocab", "Apache-2.0", None, sha,
                                             ontology_dir(), _now()))
    summary.status = "loaded"
    return summary


# --- many files ---------------------------------------------------------------------------------------

def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files and folders (recursively) → files, skipping hidden files and our own docs."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith(".")
                          and f.suffix.lower() not in {".md", ".yaml", ".yml"})
        else:
            out.append(p)
    return out


def order_for_load(files: list[Path]) -> list[tuple[Path, SourceSpec | None, FileProblem | None]]:
    """Detect each file's source and order references (HGNC, MONDO, HPO) before curations."""
    rank = {name: i for i, name in enumerate(BY_NAME)}
    detected = []
    for f in files:
        try:
            detected.append((f, detect(f), None))
        except FileProblem as exc:
            detected.append((f, None, exc))
        except OSError as exc:
            detected.append((f, None, FileProblem(f, 0, "unreadable", f"cannot read the file: {exc}")))
    return sorted(detected, key=lambda d: (rank.get(d[1].name, 99) if d[1] else 100, str(d[0])))


def load_paths(store: GraphStore, paths: Iterable[Path], *, strict: bool = False,
               progress: Callable[[Path, str, int], None] | None = None) -> list[LoadSummary]:
    """Load files/folders in dependency order; returns one summary per file (plus the ontology)."""
    summaries = [load_ontology(store)]
    archive_superseded(store)  # an ontology version replaced, or a move an interruption left half-done
    cache: dict[str, Any] = {}
    refs = load_references(store, cache=cache)
    for path, spec, problem in order_for_load(expand_paths(paths)):
        if problem is not None:
            s = LoadSummary(str(path), message=problem.problem.message, problems=[problem.problem])
            summaries.append(s)
            continue
        assert spec is not None
        s = load_file(store, path, refs, strict=strict, spec=spec,
                      progress=(lambda phase, n, p=path: progress(p, phase, n)) if progress else None)
        summaries.append(s)
        if s.status == "loaded" and spec.role == "reference":
            refs = load_references(store, cache=cache)
    if hasattr(store, "optimize"):
        store.optimize()
    return summaries
