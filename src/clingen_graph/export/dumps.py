"""Bulk dumps of releases, gzip-compressed, with a DCAT/VoID manifest (``manifest.ttl``, ``manifest.jsonld``).

One file per release and format: ``<source>-<release>.<nt|ttl|nq|jsonld>.gz`` (N-Quads and JSON-LD keep the
release's graph name, N-Triples and Turtle hold its triples). Triples are streamed from the store through
pyoxigraph's serialisers (JSON-LD through :mod:`.jsonld`) into a temporary file that is renamed into place
once complete, so a reader never sees half a dump. The manifest is a ``dcat:Catalog`` of the releases
(``dcat:Dataset``/``void:Dataset``: source, label, licence, source home page) whose ``dcat:distribution``\\ s
are the files (``dcat:downloadURL``, ``dcat:byteSize``, an ``spdx:checksum`` sha256, ``void:triples``,
``dcat:mediaType``, ``dcat:compressFormat`` gzip). A later run into the same folder keeps the entries of
files it did not rewrite, so ``--format nt`` then ``--format ttl`` leaves one manifest listing both.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pyoxigraph import NamedNode, Quad, RdfFormat, Triple, parse, serialize

from .. import __version__
from ..ids import META_GRAPH, prefix_map, slug
from ..query import api_query, select_rows
from ..release import ReleaseMeta, current_releases, releases
from ..store.base import GraphStore
from .jsonld import curie, prefix_context, write_jsonld

DUMPS_BASE = "https://w3id.org/clingen-graph/dumps/"
MANIFEST_TTL, MANIFEST_JSONLD = "manifest.ttl", "manifest.jsonld"
FORMATS: dict[str, tuple[str, RdfFormat | None]] = {  # name → (media type, pyoxigraph format; None: JSON-LD)
    "nt": ("application/n-triples", RdfFormat.N_TRIPLES),
    "ttl": ("text/turtle", RdfFormat.TURTLE),
    "nq": ("application/n-quads", RdfFormat.N_QUADS),
    "jsonld": ("application/ld+json", None),
}
IANA = "https://www.iana.org/assignments/media-types/"
Progress = Callable[[str], None]


class DumpError(ValueError):
    """A dump cannot be made as asked (unknown release or format)."""


@dataclass(frozen=True)
class ReleaseInfo:
    graph: str
    source: str
    label: str
    title: str | None
    issued: str | None
    license: str | None
    source_url: str | None
    triples: int | None


@dataclass(frozen=True)
class DumpFile:
    file: str
    format: str
    media_type: str
    release: str  # the release's graph IRI
    byte_size: int
    sha256: str
    triples: int


@dataclass(frozen=True)
class Manifest:
    generated: str
    releases: tuple[ReleaseInfo, ...]
    dumps: tuple[DumpFile, ...]


# --- which releases ------------------------------------------------------------------------------------------

def select_releases(store: GraphStore, name: str | None = None) -> list[ReleaseMeta]:
    """The current releases, or the one release ``name`` names: its graph IRI, ``source/label``, its source
    (that source's current release) or its label when only one release has it.

    :raises DumpError: no release has that name; the message lists the loaded ones.
    """
    current = sorted(current_releases(store).values(), key=lambda r: r.graph)
    if name is None:
        return current
    loaded = releases(store)
    by_source = {r.source: r for r in current}
    found = [r for r in loaded if name in (r.graph, f"{r.source}/{r.label}")]
    if not found and name in by_source:
        found = [by_source[name]]
    if not found:
        found = [r for r in loaded if r.label == name]
    if len(found) != 1:
        names = ", ".join(f"{r.source}/{r.label}" for r in loaded)
        why = "is ambiguous" if found else "is not a loaded release"
        raise DumpError(f"{name!r} {why}; loaded releases: {names}")
    return found


def release_info(store: GraphStore, graphs: Iterable[str]) -> list[ReleaseInfo]:
    wanted = set(graphs)
    out = []
    for row in select_rows(store, api_query("dump-releases").text, [META_GRAPH]):
        def v(key: str, row: dict = row) -> str | None:
            term = row[key]
            return term.value if term is not None else None  # type: ignore[attr-defined]

        if v("release") in wanted:
            triples = v("triples")
            out.append(ReleaseInfo(v("release") or "", v("source") or "", v("label") or "", v("title"), v("issued"),
                                   v("license"), v("sourceUrl"), int(triples) if triples else None))
    return sorted({r.graph: r for r in out}.values(), key=lambda r: r.graph)


# --- writing dumps -------------------------------------------------------------------------------------------

def dump_name(release: ReleaseMeta | ReleaseInfo, fmt: str) -> str:
    return f"{slug(release.source)}-{slug(release.label)}.{fmt}.gz"


def _triples(store: GraphStore, graph: str) -> Iterator[Triple]:
    store_for = getattr(store, "store_for", None)
    if store_for is not None:  # embedded: stream from the index (of the archive, for a superseded release)
        raw, _ = store_for([graph])
        for q in raw.quads_for_pattern(None, None, None, NamedNode(graph)):
            yield Triple(q.subject, q.predicate, q.object)
        return
    # remote: one Graph Store GET per release
    yield from parse(store.dump(RdfFormat.N_TRIPLES, graph=graph), format=RdfFormat.N_TRIPLES)


def write_dump(store: GraphStore, graph: str, fmt: str, path: Path) -> DumpFile:
    """Write one release graph as ``fmt``, gzipped, at ``path`` (atomically). :raises DumpError: unknown format."""
    if fmt not in FORMATS:
        raise DumpError(f"unknown dump format {fmt!r}; use one of: {', '.join(FORMATS)}")
    media, rdf_format = FORMATS[fmt]
    count = 0

    def counted() -> Iterator[Triple]:
        nonlocal count
        for t in _triples(store, graph):
            count += 1
            yield t

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as raw, \
                gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0) as out:
            if rdf_format is None:
                write_jsonld(counted(), out, graph=graph)
            elif rdf_format == RdfFormat.N_QUADS:
                g = NamedNode(graph)
                serialize((Quad(t.subject, t.predicate, t.object, g) for t in counted()), out, rdf_format)
            else:
                serialize(counted(), out, rdf_format,
                          prefixes=prefix_map() if rdf_format == RdfFormat.TURTLE else None)
        size, sha = _size_and_sha(Path(tmp))
        os.chmod(tmp, 0o644)  # a published file (mkstemp makes it private)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return DumpFile(path.name, fmt, media, graph, size, sha, count)


def _size_and_sha(path: Path) -> tuple[int, str]:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return path.stat().st_size, h.hexdigest()


def write_dumps(store: GraphStore, out_dir: Path, formats: Sequence[str], *, release: str | None = None,
                progress: Progress | None = None) -> Manifest:
    """Dump the current releases (or the one named ``release``) in each of ``formats`` into ``out_dir`` and
    write the manifest there. :raises DumpError: unknown release or format."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise DumpError(f"unknown dump format(s) {', '.join(unknown)}; use: {', '.join(FORMATS)}")
    chosen = select_releases(store, release)
    written: list[DumpFile] = []
    for r in chosen:
        for fmt in formats:
            if progress:
                progress(f"dumping {r.source}/{r.label} as {fmt}")
            written.append(write_dump(store, r.graph, fmt, out_dir / dump_name(r, fmt)))
    previous = read_manifest(out_dir)
    names = {d.file for d in written}
    kept = [d for d in (previous.dumps if previous else ()) if d.file not in names and (out_dir / d.file).is_file()]
    dumps = sorted([*kept, *written], key=lambda d: (d.release, d.format))
    infos = {r.graph: r for r in (previous.releases if previous else ())}
    infos.update({r.graph: r for r in release_info(store, [r.graph for r in chosen])})
    manifest = Manifest(_now(), tuple(infos[g] for g in sorted({d.release for d in dumps}) if g in infos),
                        tuple(dumps))
    write_manifest(out_dir, manifest)
    return manifest


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- the manifest --------------------------------------------------------------------------------------------

MANIFEST_CONTEXT: dict[str, Any] = {
    **prefix_context(),
    "spdx": "http://spdx.org/rdf/terms#",
    "Catalog": "dcat:Catalog", "Dataset": "dcat:Dataset", "Distribution": "dcat:Distribution",
    "VoidDataset": "void:Dataset", "Checksum": "spdx:Checksum",
    "title": "dcterms:title", "description": "dcterms:description", "license": "dcterms:license",
    "issued": {"@id": "dcterms:issued", "@type": "xsd:date"},
    "modified": {"@id": "dcterms:modified", "@type": "xsd:dateTime"},
    "source": {"@id": "dcterms:source", "@type": "@id"},
    "dataset": {"@id": "dcat:dataset", "@type": "@id", "@container": "@set"},
    "distribution": {"@id": "dcat:distribution", "@type": "@id", "@container": "@set"},
    "downloadURL": {"@id": "dcat:downloadURL", "@type": "@id"},
    "mediaType": {"@id": "dcat:mediaType", "@type": "@id"},
    "compressFormat": {"@id": "dcat:compressFormat", "@type": "@id"},
    "byteSize": {"@id": "dcat:byteSize", "@type": "xsd:nonNegativeInteger"},
    "checksum": {"@id": "spdx:checksum"},
    "algorithm": {"@id": "spdx:algorithm", "@type": "@id"},
    "checksumValue": {"@id": "spdx:checksumValue", "@type": "xsd:hexBinary"},
    "triples": {"@id": "void:triples", "@type": "xsd:integer"},
    "dataDump": {"@id": "void:dataDump", "@type": "@id"},
    "fileName": "cgv:fileName", "format": "dcterms:format", "sourceName": "cgv:sourceName",
    "releaseLabel": "cgv:releaseLabel", "release": {"@id": "dcterms:isPartOf", "@type": "@id"},
    "generatedBy": "cgv:loaderVersion",
}


def manifest_jsonld(m: Manifest) -> dict[str, Any]:
    catalog: dict[str, Any] = {
        "@id": DUMPS_BASE, "@type": ["Catalog", "VoidDataset"], "title": "clingen-graph bulk dumps",
        "description": "Each release of the knowledge graph as gzip-compressed N-Triples, Turtle, N-Quads and "
                       "JSON-LD, with byte sizes, sha256 checksums and triple counts.",
        "modified": m.generated, "generatedBy": f"clingen-graph {__version__}",
        "dataset": [curie(r.graph) for r in m.releases],
    }
    nodes: list[dict[str, Any]] = [catalog]
    for r in m.releases:
        node: dict[str, Any] = {"@id": curie(r.graph), "@type": ["Dataset", "VoidDataset"], "sourceName": r.source,
                                "releaseLabel": r.label,
                                "distribution": [DUMPS_BASE + d.file for d in m.dumps if d.release == r.graph]}
        node["dataDump"] = node["distribution"]
        for key, value in (("title", r.title), ("issued", r.issued[:10] if r.issued else None),
                           ("license", r.license), ("source", r.source_url), ("triples", r.triples)):
            if value is not None:
                node[key] = value
        nodes.append(node)
    for d in m.dumps:
        nodes.append({
            "@id": DUMPS_BASE + d.file, "@type": "Distribution", "fileName": d.file, "title": d.file,
            "format": d.format, "release": curie(d.release), "downloadURL": DUMPS_BASE + d.file,
            "mediaType": IANA + d.media_type, "compressFormat": IANA + "application/gzip",
            "byteSize": d.byte_size, "triples": d.triples,
            "checksum": {"@type": "Checksum", "algorithm": "spdx:checksumAlgorithm_sha256",
                         "checksumValue": d.sha256},
        })
    return {"@context": MANIFEST_CONTEXT, "@graph": nodes}


def write_manifest(out_dir: Path, m: Manifest) -> None:
    """``manifest.jsonld`` and the same graph as ``manifest.ttl`` (parsed back from the JSON-LD)."""
    doc = manifest_jsonld(m)
    body = json.dumps(doc, indent=1).encode()
    quads = parse(body, format=RdfFormat.JSON_LD)
    turtle = serialize([Triple(q.subject, q.predicate, q.object) for q in quads], format=RdfFormat.TURTLE,
                       prefixes={**prefix_map(), "spdx": "http://spdx.org/rdf/terms#"})
    for name, data in ((MANIFEST_JSONLD, body), (MANIFEST_TTL, turtle)):
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out_dir)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out_dir / name)


def read_manifest(out_dir: Path) -> Manifest | None:
    """The manifest this module wrote in ``out_dir`` (None if there is none or it is not ours)."""
    try:
        doc = json.loads((out_dir / MANIFEST_JSONLD).read_text(encoding="utf-8"))
        nodes = doc["@graph"]
        from ..ids import to_iri

        catalog = next(n for n in nodes if "Catalog" in n.get("@type", []))
        infos = tuple(ReleaseInfo(to_iri(n["@id"]), n["sourceName"], n["releaseLabel"], n.get("title"),
                                  n.get("issued"), n.get("license"), n.get("source"), n.get("triples"))
                      for n in nodes if "Dataset" in n.get("@type", []))
        dumps = tuple(DumpFile(n["fileName"], n["format"], n["mediaType"].removeprefix(IANA), to_iri(n["release"]),
                               n["byteSize"], n["checksum"]["checksumValue"], n["triples"])
                      for n in nodes if n.get("@type") == "Distribution")
        return Manifest(catalog["modified"], infos, dumps)
    except (OSError, ValueError, KeyError, StopIteration, TypeError):
        return None


def has_dumps(out_dir: Path, graphs: Iterable[str], formats: Sequence[str] = tuple(FORMATS)) -> bool:
    """Whether ``out_dir`` holds a dump of each of ``graphs`` in each format, as its manifest lists them."""
    m = read_manifest(out_dir)
    if m is None:
        return False
    have = {(d.release, d.format) for d in m.dumps if (out_dir / d.file).is_file()}
    return all((g, f) in have for g in graphs for f in formats)


def manifest_dict(m: Manifest) -> dict[str, Any]:
    return asdict(m)
