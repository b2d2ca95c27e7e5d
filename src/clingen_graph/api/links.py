"""IRI → the URL of its HTML page: the one place that knows which entities have pages.

Genes, MONDO diseases, variants and statements each have a page (``/genes/HGNC:1100``,
``/diseases/MONDO:0007254``, ``/variants/CA114360``, ``/statements/cggv:assertion_…``); anything else has
none. The entity pages, the search results and the query workbench all link through :func:`page_url`.

>>> page_url("https://identifiers.org/hgnc:1100")
'/genes/HGNC:1100'
>>> page_url("http://purl.obolibrary.org/obo/MONDO_0007254")
'/diseases/MONDO:0007254'
>>> page_url("http://reg.genome.network/allele/CA114360")
'/variants/CA114360'
>>> page_url("https://identifiers.org/clinvar:586")
'/variants/clinvar:586'
>>> page_url("https://w3id.org/clingen-graph/id/erepo/0a1b")
'/statements/cgid:erepo/0a1b'
>>> page_url("http://purl.obolibrary.org/obo/HP_0000006") is None
True
"""

from __future__ import annotations

from urllib.parse import quote

from ..ids import ID_BASE, prefix_map

_NS = prefix_map()
_GENE, _MONDO, _CAID, _CLINVAR, _VRS = (_NS[p] for p in ("hgnc", "mondo", "caid", "clinvar", "ga4gh"))
# statement IRIs: gene validity (GCI and GCI Express), ClinVar submissions, and the kinds minted under cgid:
_STATEMENT_NS = {_NS[p]: p + ":" for p in ("cggv", "cggciex", "clinvar.submission")}
_STATEMENT_KINDS = ("erepo/", "dosage/", "clinvar-aggregate/", "clinvar-summary/", "computed-classification/",
                    "conflict/")


def _path(curie: str) -> str:
    return quote(curie, safe=":/")


def page_url(iri: str) -> str | None:
    """The path of ``iri``'s HTML page (relative to the API root), or None when it has no page."""
    if iri.startswith(_GENE):
        return "/genes/HGNC:" + _path(iri[len(_GENE):])
    if iri.startswith(_MONDO):
        return "/diseases/MONDO:" + _path(iri[len(_MONDO):])
    if iri.startswith(_CAID):
        return "/variants/" + _path(iri[len(_CAID):])
    if iri.startswith(_CLINVAR):
        return "/variants/clinvar:" + _path(iri[len(_CLINVAR):])
    if iri.startswith(_VRS + "VA."):
        return "/variants/ga4gh:" + _path(iri[len(_VRS):])
    for ns, prefix in _STATEMENT_NS.items():
        if iri.startswith(ns):
            return "/statements/" + _path(prefix + iri[len(ns):])
    if iri.startswith(ID_BASE) and iri[len(ID_BASE):].startswith(_STATEMENT_KINDS):
        return "/statements/cgid:" + _path(iri[len(ID_BASE):])
    return None
