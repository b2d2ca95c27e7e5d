"""HTML entity pages (gene, disease, variant, statement), server-rendered with Jinja2.

Each page starts from the entity's CONSTRUCT (the same triples as its JSON-LD, framed by :func:`.jsonld.frame`)
and adds a few SELECTs from ``queries/api/page-*.rq`` where a table is easier. Every gene, disease, variant and
statement mentioned links to its own page through :func:`.links.page_url`. Templates are in ``templates/``,
CSS and the typeahead script in ``static/`` (served at ``/static/``; nothing from a CDN).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from pyoxigraph import NamedNode

from ..ids import GRAPH_BASE, IdError, compress_iri, to_iri
from ..query import api_query, select_rows
from ..terms import APPROVER_ROLE, EVALUATOR_ROLE
from .jsonld import frame
from .links import page_url
from .state import Snapshot

API_DIR = Path(__file__).resolve().parent
TEMPLATES = API_DIR / "templates"
STATIC = API_DIR / "static"
ROLES = {compress_iri(APPROVER_ROLE.value): "approver", compress_iri(EVALUATOR_ROLE.value): "evaluator",
         "SEPIO:0000331": "interpreter/evaluator"}
PUBMED = "https://pubmed.ncbi.nlm.nih.gov/"
MAX_ROWS = 200  # longest statement table on a page (a common disease has thousands of ClinVar submissions)


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                             autoescape=jinja2.select_autoescape(default=True), trim_blocks=True,
                             lstrip_blocks=True, undefined=jinja2.ChainableUndefined)
    env.globals.update(href=href, label=label, as_list=as_list, value=value, external=external, role=role)
    return env


# --- helpers the templates call ----------------------------------------------------------------------

def as_list(v: Any) -> list[Any]:
    if v is None or v == "" or isinstance(v, jinja2.Undefined):
        return []
    return v if isinstance(v, list) else [v]


def node_id(v: Any) -> str:
    return str(v.get("id", "")) if isinstance(v, dict) else str(v)


def href(v: Any) -> str | None:
    """The page of a framed node or CURIE, if it has one."""
    curie = node_id(v)
    if not curie:
        return None
    try:
        return page_url(to_iri(curie))
    except IdError:
        return None


def label(v: Any) -> str:
    """What to show for a framed node: its label, preferred label or symbol, else its CURIE."""
    if isinstance(v, dict):
        for key in ("label", "prefLabel", "symbol", "title"):
            if v.get(key):
                return str(as_list(v[key])[0])
        return node_id(v)
    return str(v)


def value(v: Any) -> str:
    """A literal as text (``{"@value": …}`` objects unwrapped)."""
    if isinstance(v, dict):
        return str(v.get("@value", v.get("id", "")))
    return "" if v is None else str(v)


def external(v: Any) -> str | None:
    """A link for a source outside the graph: PubMed for PMIDs, the IRI itself for http(s) documents."""
    curie = node_id(v)
    if curie.startswith("PMID:"):
        return PUBMED + curie[5:] + "/"
    if curie.startswith(("http://", "https://")):
        return curie
    try:
        iri = to_iri(curie)
    except IdError:
        return None
    return iri if iri.startswith(("http://", "https://")) else None


def role(v: Any) -> str:
    curie = node_id(v)
    return ROLES.get(curie, curie)


def types(node: dict[str, Any]) -> set[str]:
    return set(as_list(node.get("type")))


# --- page data ---------------------------------------------------------------------------------------

@dataclass
class Row:
    """One statement as a table row."""

    statement: dict[str, Any]
    proposition: dict[str, Any] = field(default_factory=dict)
    contributors: list[dict[str, Any]] = field(default_factory=list)
    date: str = ""

    @property
    def classification(self) -> str:
        return label(self.statement.get("classification")) if self.statement.get("classification") else ""


def _row(statement: dict[str, Any]) -> Row:
    prop = statement.get("proposition")
    contributions = [c for c in as_list(statement.get("contributions")) if isinstance(c, dict)]
    dates = sorted((value(c.get("date")) for c in contributions if c.get("date")), reverse=True)
    return Row(statement, prop if isinstance(prop, dict) else {"id": node_id(prop)},
               [c["contributor"] for c in contributions if isinstance(c.get("contributor"), dict)],
               dates[0][:10] if dates else "")


def _nodes(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return list(doc.get("@graph", [doc]))


def _split(doc: dict[str, Any], iri: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    curie = compress_iri(iri)
    nodes = _nodes(doc)
    main = next((n for n in nodes if n.get("id") == curie), {"id": curie})
    return main, [n for n in nodes if n is not main]


def _select(view: Snapshot, name: str, param: str, iri: str) -> list[dict[str, str]]:
    rows = select_rows(view.store, api_query(name).bind({param: iri}), view.graphs)
    return [{k: compress_iri(t.value) if isinstance(t, NamedNode) else t.value  # type: ignore[union-attr]
             for k, t in row.items() if t is not None} for row in rows]


def _by_type(statements: Iterable[dict[str, Any]], kind: str) -> list[Row]:
    rows = [_row(s) for s in statements if kind in types(s)]
    return sorted(rows, key=lambda r: (label(r.proposition.get("objectCondition")).lower(), r.date))


def gene_page(iri: str, triples: list, view: Snapshot, roots: list[str]) -> tuple[str, dict[str, Any]]:
    gene, statements = _split(frame(triples, roots), iri)
    return "gene.html", {
        "gene": gene, "title": label(gene),
        "validity": _by_type(statements, "GeneDiseaseValidityStatement"),
        "dosage": _by_type(statements, "DosageSensitivityStatement"),
        "variants": _select(view, "page-gene-variants", "gene", iri),
    }


def disease_page(iri: str, triples: list, view: Snapshot, roots: list[str]) -> tuple[str, dict[str, Any]]:
    disease, statements = _split(frame(triples, roots), iri)
    hierarchy = _select(view, "page-disease-hierarchy", "disease", iri)
    validity = _by_type(statements, "GeneDiseaseValidityStatement")
    curators: dict[str, list[dict[str, str]]] = {}
    for c in _select(view, "page-disease-validity", "disease", iri):
        curators.setdefault(c["statement"], []).append(c)
    for row in validity:
        found = curators.get(node_id(row.statement), [])
        row.contributors = [{"id": c["agent"], "label": c.get("agentLabel", c["agent"])} for c in found]
        row.date = max((c.get("date", "") for c in found), default="")[:10]
    other = [_row(s) for s in statements if "GeneDiseaseValidityStatement" not in types(s)]
    return "disease.html", {
        "disease": disease, "title": label(disease), "validity": validity,
        "other": other[:MAX_ROWS], "other_count": len(other),
        "superclasses": [h for h in hierarchy if h["relation"] == "superclass"],
        "subtypes": [h for h in hierarchy if h["relation"] == "subtype"],
    }


def variant_page(iri: str, triples: list, view: Snapshot, roots: list[str]) -> tuple[str, dict[str, Any]]:
    variant, others = _split(frame(triples, roots), iri)
    statements = [n for n in others if "Statement" in types(n)]
    scvs = [s for s in statements if "ClinVarSubmission" in types(s)]
    aggregates = [s for s in statements if "ClinVarAggregate" in types(s)]
    rest = [s for s in statements if s not in scvs and s not in aggregates]
    title = label(variant) if variant.get("label") else variant.get("caid") or variant["id"]
    return "variant.html", {
        "variant": variant, "title": title,
        "statements": [_row(s) for s in rest], "scvs": [_row(s) for s in scvs],
        "aggregates": [_row(s) for s in aggregates],
        "conflicts": [n for n in others if "ClassificationConflict" in types(n)],
    }


def statement_page(iri: str, triples: list, view: Snapshot, roots: list[str]) -> tuple[str, dict[str, Any]]:
    statement, _ = _split(frame(triples, roots), iri)
    lines = _select(view, "page-statement-evidence", "statement", iri)
    current = set(view.graphs)
    graphs = [r["graph"] for r in select_rows(view.store, api_query("page-statement-release").bind(
        {"statement": iri}), None) if r.get("graph") is not None and r["graph"].value in current]  # type: ignore[union-attr]
    sources = as_list(statement.get("reportedIn"))
    return "statement.html", {
        "statement": statement, "title": label(statement), "row": _row(statement),
        "met": [x for x in lines if x.get("met") == "true"],
        "not_met": [x for x in lines if x.get("met") != "true"],
        "pmids": [s for s in sources if node_id(s).startswith("PMID:")],
        "documents": [s for s in sources if not node_id(s).startswith("PMID:")],
        "releases": [g.value.removeprefix(GRAPH_BASE) for g in graphs],  # type: ignore[union-attr]
    }


BUILDERS = {"gene": gene_page, "disease": disease_page, "variant": variant_page, "statement": statement_page}


def render(kind: str, iri: str, triples: list, view: Snapshot, roots: list[str]) -> bytes:
    """The HTML page of one entity (``kind`` is the API query name: gene, disease, variant, statement)."""
    template, context = BUILDERS[kind](iri, triples, view, roots)
    context.update(kind=kind, iri=iri, curie=compress_iri(iri))
    return environment().get_template(template).render(context).encode()
