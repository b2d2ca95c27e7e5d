"""Entity endpoints: genes, diseases, variants, statements and releases, as JSON-LD, Turtle, N-Triples or HTML.

The formats are one table (``REPRESENTATIONS``); ``register`` adds one (e.g. a statement export).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import Response
from pyoxigraph import RdfFormat, serialize

from ...ids import CONTEXT_VERSION, IdError, compress_iri, expand_curie, gene_iri, mondo_iri, prefix_map, to_iri
from ...query import api_query, construct_triples, select_rows
from .. import pages
from ..deps import StateDep
from ..errors import ApiProblem
from ..http_cache import MEDIA_CODES, entity_tag, not_modified, unchanged, validator_headers
from ..jsonld import CONTEXT_PATH, context, frame
from ..sparql_exec import negotiate
from ..state import Snapshot

router = APIRouter(tags=["entities"])


@dataclass(frozen=True)
class Entity:
    """What a representation is rendered from: the entity's CONSTRUCT and the release view it came from."""

    kind: str  # gene, disease, variant, statement (the name of its query in queries/api/)
    iri: str
    triples: list
    roots: list[str]  # the entity, then the statements about it
    view: Snapshot


@dataclass(frozen=True)
class Representation:
    """One format an entity is served in: by ``?format=name`` or by ``Accept`` (``media`` or ``accept``)."""

    name: str
    media: str
    render: Callable[[Entity], bytes]
    accept: tuple[str, ...] = ()  # further media types that choose it (answered with that type)
    kinds: frozenset[str] = frozenset()  # the entity kinds it is offered for; empty: all

    def offered_for(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds


def _rdf(fmt: RdfFormat) -> Callable[[Entity], bytes]:
    def render(entity: Entity) -> bytes:
        return serialize(entity.triples, format=fmt, prefixes=prefix_map() if fmt == RdfFormat.TURTLE else None)
    return render


def _jsonld(entity: Entity) -> bytes:
    return orjson.dumps(frame(entity.triples, entity.roots))


def _html(entity: Entity) -> bytes:
    return pages.render(entity.kind, entity.iri, entity.triples, entity.view, entity.roots)


# ?format= name → representation, in the order listed in errors; JSON-LD is the default (no Accept, */*).
# More (e.g. va-spec, fhir for statements) are added with ``register``.
REPRESENTATIONS: dict[str, Representation] = {}


def register(rep: Representation) -> None:
    """Offer one more representation (its ``?format=`` name must be new)."""
    if rep.name in REPRESENTATIONS:
        raise ValueError(f"format {rep.name!r} is already registered")
    REPRESENTATIONS[rep.name] = rep


register(Representation("jsonld", "application/ld+json", _jsonld, ("application/json",)))
register(Representation("ttl", "text/turtle", _rdf(RdfFormat.TURTLE)))
register(Representation("nt", "application/n-triples", _rdf(RdfFormat.N_TRIPLES)))
register(Representation("html", "text/html; charset=utf-8", _html, ("text/html", "application/xhtml+xml")))


def _export(build: Callable[..., dict]) -> Callable[[Entity], bytes]:
    """A statement through one of the exports (GA4GH VA-Spec, FHIR): 404 for statements it does not cover."""
    def render(entity: Entity) -> bytes:
        from ...export.records import StatementNotFound

        try:
            return orjson.dumps(build(entity.view.store, entity.view.graphs, entity.iri))
        except StatementNotFound as exc:
            raise ApiProblem(404, "Not exportable", f"{compress_iri(entity.iri)} is not an ACMG 2015 variant "
                             f"pathogenicity statement with a classification in the current releases ({exc})") from exc
    return render


def _va_spec(entity: Entity) -> bytes:
    from ...export.va_spec import va_spec_statement

    return _export(va_spec_statement)(entity)


def _fhir(entity: Entity) -> bytes:
    from ...export.fhir import fhir_bundle

    return _export(fhir_bundle)(entity)


STATEMENTS = frozenset({"statement"})
register(Representation("va-spec", "application/json", _va_spec, kinds=STATEMENTS))  # GA4GH VA-Spec 1.0 JSON
register(Representation("fhir", "application/fhir+json", _fhir, kinds=STATEMENTS))  # FHIR R4 Genomics Reporting
DEFAULT = "jsonld"
ACCEPT_DOC = ("JSON-LD (default), Turtle, N-Triples or an HTML page, by `Accept` (`application/ld+json`, "
              "`text/turtle`, `application/n-triples`, `text/html`) or by `?format=jsonld|ttl|nt|html` (which wins "
              "over `Accept`). Carries a weak `ETag` and `Last-Modified` that change with the current releases; "
              "`If-None-Match` (or `If-Modified-Since`) answers 304.")


def choose(request: Request, kind: str) -> tuple[Representation, str]:
    """The representation asked for (``?format=`` first, then ``Accept``) and the media type to answer with.

    :raises ApiProblem: 400 for an unknown ``format``, 406 when nothing in ``Accept`` is offered.
    """
    offered = {name: rep for name, rep in REPRESENTATIONS.items() if rep.offered_for(kind)}
    name = request.query_params.get("format")
    if name is not None:
        rep = offered.get(name.strip().lower())
        if rep is None:
            raise ApiProblem(400, "Unknown format", f"format={name!r}: this {kind} is available as "
                             + ", ".join(offered))
        return rep, rep.media
    by_media: dict[str, tuple[Representation, str]] = {}
    for rep in offered.values():  # the first registered wins a media type (JSON-LD for application/json)
        by_media.setdefault(rep.media.split(";")[0], (rep, rep.media))
        for media in rep.accept:
            by_media.setdefault(media, (rep, rep.media if media == rep.media.split(";")[0] else media))
    default = offered[DEFAULT].media
    chosen = negotiate(request.headers.get("accept", ""), by_media, default)
    if chosen is None:
        raise ApiProblem(406, "Not acceptable", "available as " + ", ".join(by_media))
    return by_media[chosen]


def _render(request: Request, state: StateDep, name: str, param: str, iri: str,
            roots_from: tuple[str, ...] = ()) -> Response:
    """CONSTRUCT the entity and render it as asked; JSON-LD and HTML are framed from the entity plus the
    subjects of ``roots_from`` predicates (local names, e.g. the statements whose ``proposition`` is about it)."""
    rep, media = choose(request, name)
    tag, modified = state.validators
    # one validator per representation (JSON-LD: per media type, as served as application/json too)
    variant = MEDIA_CODES.get(media, rep.name) if rep.name == DEFAULT else rep.name
    headers = validator_headers(entity_tag(tag, variant), modified)
    key = (tag, name, iri, rep.name, media)  # the tag in the key: a hit always belongs to the view the ETag names
    hit = state.cached(key)
    if hit is not None:  # (a 304 only for what exists: checked once the entity is known)
        if not_modified(request, headers["ETag"], modified):
            return unchanged(headers)
        return Response(hit, media_type=media, headers=headers)
    view = state.snapshot()
    triples = construct_triples(view.store, api_query(name).bind({param: iri}), view.graphs)
    if not any(t.subject.value == iri for t in triples):
        raise ApiProblem(404, "Not found", f"{compress_iri(iri)} is not in the current releases")
    roots = [iri]
    if roots_from:
        ends = tuple(f"#{local}" for local in roots_from)
        roots += sorted({t.subject.value for t in triples
                         if t.predicate.value.endswith(ends) and t.subject.value != iri})
    body = rep.render(Entity(name, iri, triples, roots, view))
    state.remember(key, body)
    if not_modified(request, headers["ETag"], modified):
        return unchanged(headers)
    return Response(body, media_type=media, headers=headers)


def resolve_gene(state: StateDep, gene_id: str) -> str:
    """HGNC:1100, hgnc:1100, 1100, the IRI, or a symbol (approved, then previous, then alias)."""
    text = gene_id.strip()
    if re.fullmatch(r"(?i)(hgnc:)?\d{1,6}", text) or text.startswith("http"):
        return to_iri(text) if text.startswith("http") else gene_iri(text)
    key = ("gene-by-symbol", text)
    hit = state.cached(key)  # per release view, like the responses: a symbol resolves once
    if hit is not None:
        return hit
    view = state.snapshot()
    rows = select_rows(view.store, api_query("gene-by-symbol").bind({"symbol": text}), view.graphs)
    if rows:
        state.remember(key, rows[0]["gene"].value)
        return rows[0]["gene"].value  # type: ignore[union-attr]
    raise ApiProblem(404, "Not found", f"no gene with HGNC id or symbol {gene_id!r}")


@router.get("/genes/{gene_id}", summary="A gene and the statements about it",
            description="`gene_id` is an HGNC id (`HGNC:1100`) or a symbol (`BRCA1`). " + ACCEPT_DOC)
def get_gene(gene_id: str, request: Request, state: StateDep) -> Response:
    return _render(request, state, "gene", "gene", resolve_gene(state, gene_id), ("proposition",))


@router.get("/diseases/{disease_id}", summary="A MONDO disease and the statements naming it",
            description="`disease_id` is a MONDO id (`MONDO:0007254`). " + ACCEPT_DOC)
def get_disease(disease_id: str, request: Request, state: StateDep) -> Response:
    try:
        iri = mondo_iri(disease_id)
    except IdError as exc:
        raise ApiProblem(400, "Bad identifier", str(exc)) from exc
    return _render(request, state, "disease", "disease", iri, ("proposition",))


@router.get("/statements/{statement_id:path}", summary="One statement with its proposition and provenance",
            description="`statement_id` is a CURIE (`cggv:assertion_…`, `cgid:dosage/…`) or a full IRI. "
                        + ACCEPT_DOC)
def get_statement(statement_id: str, request: Request, state: StateDep) -> Response:
    text = statement_id
    if text.upper().startswith("CGGV:"):
        text = "cggv:" + text[5:]
    try:
        iri = to_iri(text) if not text.startswith("cgid:") else expand_curie(text)
    except IdError as exc:
        raise ApiProblem(400, "Bad identifier", str(exc)) from exc
    return _render(request, state, "statement", "statement", iri)


def resolve_variant(state: StateDep, variant_id: str) -> str:
    """A variant by any identifier it carries: ClinVar variation id (``586``, ``clinvar:586``,
    ``VCV000000586``), CAid, VRS id, HGVS, SPDI or rsID; a GRCh38 ``NC_`` HGVS or SPDI that is not stored
    is also tried through its computed VRS id."""
    text = variant_id.strip()
    if text.startswith(("http://", "https://")):
        return text
    candidates = [text]
    if m := re.fullmatch(r"(?i)(?:clinvar:|VCV)?0*(\d+)(?:\.\d+)?", text):
        candidates = [m.group(1)]
    elif re.fullmatch(r"(?i)ca\d+", text):
        candidates = [text.upper()]
    elif re.fullmatch(r"(?i)rs\d+", text):
        candidates = [text.lower()]
    elif text.startswith("VA."):
        candidates = ["ga4gh:" + text]
    view = state.snapshot()
    for candidate in candidates:
        rows = select_rows(view.store, api_query("variant-by-id").bind({"id": candidate}), view.graphs)
        if rows:
            return rows[0]["variant"].value  # type: ignore[union-attr]
    vrs_id = _vrs_id_of(text)
    if vrs_id:
        rows = select_rows(view.store, api_query("variant-by-id").bind({"id": vrs_id}), view.graphs)
        if rows:
            return rows[0]["variant"].value  # type: ignore[union-attr]
    raise ApiProblem(404, "Not found", f"no variant with the identifier {variant_id!r} in the current releases "
                     "(ClinVar variation id, CAid, VRS id, HGVS, SPDI or rsID)")


def _vrs_id_of(text: str) -> str | None:
    from ...vrs import VrsError, allele_from_hgvs, allele_from_spdi, allele_id

    try:
        if re.fullmatch(r"NC_\d+\.\d+:g\..+", text):
            return allele_id(allele_from_hgvs(text))
        if re.fullmatch(r"NC_\d+\.\d+:\d+:[A-Za-z]*:[A-Za-z]*", text):
            return allele_id(allele_from_spdi(text))
    except VrsError:
        return None
    return None


@router.get("/variants/{variant_id:path}", summary="A variant and every statement about it",
            description="`variant_id` is any identifier the variant carries: a ClinVar variation id (`586`), a "
                        "ClinGen CAid (`CA114360`), a VRS id (`ga4gh:VA.…`), an HGVS expression, SPDI or rsID. "
                        + ACCEPT_DOC)
def get_variant(variant_id: str, request: Request, state: StateDep) -> Response:
    key = ("variant-by-id", variant_id.strip())
    iri = state.cached(key)  # per release view, like the responses: each identifier resolves once
    if iri is None:
        iri = resolve_variant(state, variant_id)
        state.remember(key, iri)
    return _render(request, state, "variant", "variant", iri, ("proposition", "conflictAbout"))


@router.get("/releases", summary="The loaded releases, current ones first",
            description="With a weak `ETag` and `Last-Modified` (the newest load); `If-None-Match` answers 304.")
def get_releases(request: Request, state: StateDep) -> Response:
    from ...release import releases

    tag, modified = state.validators
    headers = validator_headers(entity_tag(tag, "releases"), modified)
    if not_modified(request, headers["ETag"], modified):
        return unchanged(headers)
    hit = state.cached((tag, "releases"))
    if hit is not None:
        return Response(hit, media_type="application/json", headers=headers)
    current = {r.graph for r in state.releases.values()}
    items: list[dict[str, Any]] = []
    for r in releases(state.store):
        items.append({
            "id": r.graph, "source": r.source, "release": r.label, "issued": r.issued, "current": r.graph in current,
            "file": r.file, "sha256": r.sha256, "loadedAt": r.loaded_at, "rowsRead": r.rows_read,
            "rowsLoaded": r.rows_loaded, "rowsRejected": r.rows_rejected, "rowsQuarantined": r.rows_quarantined,
            "triples": r.triples, "conforms": r.conforms,
        })
    items.sort(key=lambda i: (not i["current"], i["source"], i["release"]))
    body = orjson.dumps({"releases": items})
    state.remember((tag, "releases"), body)
    return Response(body, media_type="application/json", headers=headers)


IMMUTABLE = {"Cache-Control": "public, max-age=31536000, immutable"}


@router.get("/context/v{version}.jsonld", summary="The versioned JSON-LD @context of every entity response",
            description="Generated from the prefix table and the ontology. A published version never changes "
                        "(served `immutable`); a changed context gets a new version.")
def get_versioned_context(version: str) -> Response:
    if version != CONTEXT_VERSION:
        raise ApiProblem(404, "Not found", f"no context version {version!r}; the current one is "
                         f"/context/v{CONTEXT_VERSION}.jsonld")
    return Response(orjson.dumps(context()), media_type="application/ld+json", headers=IMMUTABLE)


@router.get("/context.jsonld", summary="The current JSON-LD @context (same as /context/v1.jsonld)")
def get_context() -> Response:
    return Response(orjson.dumps(context()), media_type="application/ld+json",
                    headers={"Cache-Control": "public, max-age=3600", "Link": f'<{CONTEXT_PATH}>; rel="canonical"'})
