"""Compact JSON-LD for entity responses: the ``@context`` (generated from ``ids`` and the ontology) and a
small framing step that nests propositions, contributions and labelled targets under their statement.

Keys read like VA-Spec (``proposition``, ``subjectGene``, ``objectCondition``, ``classification``,
``contributions``, ``specifiedBy``); IRIs are CURIEs. ``tests/api`` parses the output back with rdflib's
JSON-LD parser and checks it is isomorphic to the CONSTRUCT graph it came from, so nothing is lost.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Store

from ..export.jsonld import prefix_context
from ..ids import CONTEXT_VERSION, PREFIXES, VOCAB, compress_iri
from ..resources import ontology_dir

XSD = "http://www.w3.org/2001/XMLSchema#"
OWL_OBJECT_PROPERTY = "http://www.w3.org/2002/07/owl#ObjectProperty"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

# Terms from other vocabularies, with the key we give them.
EXTERNAL: dict[str, tuple[str, bool]] = {  # key → (IRI, is an IRI-valued property)
    "label": ("http://www.w3.org/2000/01/rdf-schema#label", False),
    "subClassOf": ("http://www.w3.org/2000/01/rdf-schema#subClassOf", True),
    "prefLabel": ("http://www.w3.org/2004/02/skos/core#prefLabel", False),
    "definition": ("http://www.w3.org/2004/02/skos/core#definition", False),
    "notation": ("http://www.w3.org/2004/02/skos/core#notation", False),
    "exactMatch": ("http://www.w3.org/2004/02/skos/core#exactMatch", True),
    "closeMatch": ("http://www.w3.org/2004/02/skos/core#closeMatch", True),
    "identifier": ("http://purl.org/dc/terms/identifier", False),
    "isVersionOf": ("http://purl.org/dc/terms/isVersionOf", True),
    "title": ("http://purl.org/dc/terms/title", False),
    "issued": ("http://purl.org/dc/terms/issued", False),
    "license": ("http://purl.org/dc/terms/license", False),
    "synonyms": ("http://www.geneontology.org/formats/oboInOwl#hasExactSynonym", False),
    "deprecated": ("http://www.w3.org/2002/07/owl#deprecated", False),
    "generatedAtTime": ("http://www.w3.org/ns/prov#generatedAtTime", False),
    "wasGeneratedBy": ("http://www.w3.org/ns/prov#wasGeneratedBy", True),
    "triples": ("http://rdfs.org/ns/void#triples", False),
}
# Keys that are always arrays, so integrators see one shape whatever the count.
SETS = {"type", "contributions", "reportedIn", "synonyms", "aliasSymbol", "previousSymbol", "exactMatch",
        "subClassOf", "closeMatch", "hasEvidenceLines", "replacedBy", "hgvs", "rsid", "aggregates",
        "conflictingStatement"}
NATIVE = {XSD + "string", XSD + "integer", XSD + "boolean"}


RDFS_RANGE = "http://www.w3.org/2000/01/rdf-schema#range"
OWL_DATATYPE_PROPERTY = "http://www.w3.org/2002/07/owl#DatatypeProperty"
RDFS_LITERAL = "http://www.w3.org/2000/01/rdf-schema#Literal"
CONTEXT_PATH = f"/context/v{CONTEXT_VERSION}.jsonld"  # where entity documents point their @context


@cache
def _property_types() -> dict[str, str | None]:
    """Each cgv: property of the ontology → its JSON-LD ``@type`` coercion, decided by its ``rdfs:range``:
    ``@id`` for a class (or a union of classes), the datatype for an XSD datatype other than xsd:string,
    none for xsd:string and rdfs:Literal (plain JSON strings, or value objects that carry their own type)."""
    store = Store()
    store.load(path=str(ontology_dir() / "clingen-graph.ttl"), format=RdfFormat.TURTLE)
    out: dict[str, str | None] = {}
    for kind in (OWL_OBJECT_PROPERTY, OWL_DATATYPE_PROPERTY):
        for q in store.quads_for_pattern(None, NamedNode(RDF_TYPE), NamedNode(kind)):
            prop = q.subject
            if not isinstance(prop, NamedNode) or not prop.value.startswith(VOCAB):
                continue
            ranges = [r.object for r in store.quads_for_pattern(prop, NamedNode(RDFS_RANGE), None)]
            coerce: str | None = "@id" if kind == OWL_OBJECT_PROPERTY else None
            for r in ranges:
                if isinstance(r, NamedNode) and r.value.startswith(XSD):
                    coerce = None if r.value == XSD + "string" else compress_iri(r.value)
                elif isinstance(r, NamedNode) and r.value == RDFS_LITERAL:
                    coerce = None
                else:
                    coerce = "@id"
            out[prop.value] = coerce
    return out


def _object_properties() -> frozenset[str]:
    return frozenset(iri for iri, coerce in _property_types().items() if coerce == "@id")


@cache
def context() -> dict[str, Any]:
    """The versioned JSON-LD ``@context`` served at ``/context/v1.jsonld`` (and ``/context.jsonld``), generated
    from the prefix table (``ids``) and the ontology (each property's range decides its ``@type``)."""
    ctx: dict[str, Any] = {"@version": 1.1, "@vocab": VOCAB, "id": "@id", "type": "@type"}
    ctx.update(prefix_context())  # the prefixes, as the dumps declare them
    for iri, coerce in sorted(_property_types().items()):
        key = iri[len(VOCAB):]
        entry: dict[str, Any] = {"@id": f"cgv:{key}"}
        if coerce:
            entry["@type"] = coerce
        if key in SETS:
            entry["@container"] = "@set"
        if len(entry) > 1 or key in _prefix_names():  # a property named like a prefix takes the term
            ctx[key] = entry
    for key, (iri, is_iri) in EXTERNAL.items():
        entry = {"@id": compress_iri(iri)}
        if is_iri:
            entry["@type"] = "@id"
        if key in SETS:
            entry["@container"] = "@set"
        ctx[key] = entry if len(entry) > 1 else entry["@id"]
    return {"@context": ctx, "version": CONTEXT_VERSION}


@cache
def _prefix_names() -> frozenset[str]:
    return frozenset(n for p in PREFIXES for n in (p.prefix, p.display) if n)


@cache
def _shadowed() -> tuple[str, ...]:
    """IRI prefixes whose CURIE prefix is also a property key (``caid``): the property keeps the term, so
    IRIs under them are written in full."""
    keys = {iri[len(VOCAB):] for iri in _property_types()} | set(EXTERNAL)
    return tuple(p.uri_prefix for p in PREFIXES if p.prefix in keys or p.display in keys)


def _compact(iri: str) -> str:
    """The CURIE of ``iri`` in the context's terms (the IRI itself under a shadowed prefix)."""
    return iri if iri.startswith(_shadowed()) else compress_iri(iri)


@cache
def _keys() -> dict[str, str]:
    """Property IRI → JSON key."""
    keys = {iri: key for key, (iri, _) in EXTERNAL.items()}
    keys[RDF_TYPE] = "type"
    return keys


def _key(predicate: str) -> str:
    known = _keys().get(predicate)
    if known:
        return known
    if predicate.startswith(VOCAB):
        return predicate[len(VOCAB):]
    return compress_iri(predicate)


def _is_iri_valued(key: str) -> bool:
    entry = context()["@context"].get(key)
    return isinstance(entry, dict) and entry.get("@type") == "@id"


def _literal(lit: Literal) -> Any:
    dt = lit.datatype.value if lit.datatype is not None else XSD + "string"
    if lit.language:
        return {"@value": lit.value, "@language": lit.language}
    if dt == XSD + "string":
        return lit.value
    if dt == XSD + "integer":
        return int(lit.value)
    if dt == XSD + "boolean":
        return lit.value == "true"
    return {"@value": lit.value, "@type": compress_iri(dt)}


def frame(triples: Iterable, roots: list[str]) -> dict[str, Any]:
    """Nest a CONSTRUCT result under ``roots``: a node described in the graph is embedded where it is
    referenced (once per path, cycles cut), otherwise written as a CURIE."""
    index: dict[str, list[tuple[str, Any]]] = defaultdict(list)
    for t in triples:
        index[t.subject.value].append((t.predicate.value, t.object))
    root_set = set(roots)

    def node(iri: str, path: frozenset[str]) -> dict[str, Any]:
        out: dict[str, Any] = {"id": _compact(iri)}
        here = path | {iri}
        for predicate, obj in sorted(index.get(iri, ()), key=lambda po: (po[0], str(po[1]))):
            key = _key(predicate)
            if key == "type":
                value: Any = obj.value[len(VOCAB):] if obj.value.startswith(VOCAB) else _compact(obj.value)
            elif isinstance(obj, Literal):
                value = _literal(obj)
            elif isinstance(obj, BlankNode):
                value = {"id": f"_:{obj.value}"}
            elif obj.value in index and obj.value not in here and obj.value not in root_set:
                value = node(obj.value, here)
            elif _is_iri_valued(key):
                value = _compact(obj.value)
            else:
                value = {"id": _compact(obj.value)}
            if key in SETS:
                out.setdefault(key, []).append(value)
            elif key in out:
                existing = out[key]
                out[key] = [*existing, value] if isinstance(existing, list) else [existing, value]
            else:
                out[key] = value
        return out

    graph = [node(r, frozenset()) for r in roots if r in index]
    doc: dict[str, Any] = {"@context": CONTEXT_PATH}
    if len(graph) == 1:
        doc.update(graph[0])
    else:
        doc["@graph"] = graph
    return doc


def jsonld_ready(doc: dict[str, Any]) -> dict[str, Any]:
    """The document with the context inlined (for offline parsers and tests)."""
    return {**doc, "@context": context()["@context"]}
