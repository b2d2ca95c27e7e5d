"""MONDO / HPO term records → triples, with the materialised ``cgv:ancestorOrSelf`` closure."""

from __future__ import annotations

from ..ids import expand_curie, normalize_curie
from ..ingest.obo import TermRecord
from ..terms import CGV, DCTERMS, OBOINOWL, OWL, RDFS, SKOS, TYPE, types_for
from .rdf import Triple, boolean, iri, text

MOI_ROOT = "HP:0000005"


def to_triples(rec: TermRecord, cls: str) -> list[Triple]:
    """``cls`` is ``Disease`` for MONDO, ``Phenotype`` for HPO."""
    t = iri(expand_curie(rec.curie))
    out: list[Triple] = [(t, TYPE, c) for c in types_for(cls)]
    out.append((t, DCTERMS.identifier, text(rec.curie)))
    if rec.label:
        out.append((t, RDFS.label, text(rec.label)))
    if rec.definition:
        out.append((t, SKOS.definition, text(rec.definition)))
    out += [(t, OBOINOWL.hasExactSynonym, text(s)) for s in rec.synonyms]
    out += [(t, RDFS.subClassOf, iri(expand_curie(p))) for p in rec.parents]
    if rec.deprecated:
        out.append((t, OWL.deprecated, boolean(True)))
        out += [(t, CGV.replacedBy, iri(expand_curie(r))) for r in rec.replaced_by]
    else:
        out.append((t, CGV.ancestorOrSelf, t))
        out += [(t, CGV.ancestorOrSelf, iri(expand_curie(a))) for a in rec.ancestors]
    for x in rec.xrefs:
        try:
            out.append((t, SKOS.exactMatch, iri(expand_curie(normalize_curie(x)))))
        except ValueError:
            continue  # xrefs to sources outside our prefix table are not kept
    return out
