"""SHACL validation: pyshacl (the reference) and a fast engine that runs the same shapes as SPARQL.

pyshacl needs an rdflib graph, which is slow to build for a whole MONDO or HGNC release (DESIGN §5,
STORES.md). The fast engine compiles the constraint components our shapes use (targetClass; node
kind/pattern; property paths that are single predicates with minCount, maxCount, datatype, nodeKind,
pattern, in, class, hasValue, minInclusive/maxInclusive, node; SPARQL-based constraints) into SPARQL
queries run by pyoxigraph on the staged release. ``tests/test_validate.py`` checks that both engines
report the same (focus, path, component) triples on the shape fixtures and on real data. Shapes that use
anything else make the fast engine refuse (``UnsupportedShapeError``) rather than silently skip.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Store

from .resources import shapes_dir

SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF_FIRST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first"
RDF_REST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest"
RDF_NIL = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil"

SUPPORTED_PROPERTY = {
    "path", "minCount", "maxCount", "datatype", "nodeKind", "pattern", "flags", "in", "class", "hasValue",
    "minInclusive", "maxInclusive", "node", "message", "severity", "name", "description",
}
SUPPORTED_NODE = {"targetClass", "property", "nodeKind", "pattern", "flags", "message", "severity", "sparql",
                  "declare"}


class UnsupportedShapeError(ValueError):
    """A shape uses a SHACL feature the fast engine does not compile."""


@dataclass(frozen=True)
class Violation:
    focus: str
    shape: str
    path: str | None
    component: str  # e.g. "MinCountConstraintComponent"
    severity: str  # Violation | Warning | Info
    message: str
    value: str | None = None

    @property
    def key(self) -> tuple[str, str | None, str]:
        return (self.focus, self.path, self.component)


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    engine: str = "sparql"

    def focus_nodes(self) -> set[str]:
        return {v.focus for v in self.violations if v.severity == "Violation"}


# --- reading the shapes --------------------------------------------------------------------------------

def shape_files(folder: Path | None = None) -> list[Path]:
    return sorted((folder or shapes_dir()).glob("*.ttl"))


@cache
def shapes_store(folder: str | None = None) -> Store:
    store = Store()
    for f in shape_files(Path(folder) if folder else None):
        store.load(path=str(f), format=RdfFormat.TURTLE)
    return store


def _objects(store: Store, s: NamedNode | BlankNode, p: str) -> list:
    return [q.object for q in store.quads_for_pattern(s, NamedNode(p), None)]


def _one(store: Store, s, p: str):
    values = _objects(store, s, p)
    return values[0] if values else None


def _list(store: Store, head) -> list:
    items = []
    while head is not None and not (isinstance(head, NamedNode) and head.value == RDF_NIL):
        items.append(_one(store, head, RDF_FIRST))
        head = _one(store, head, RDF_REST)
    return items


def _term_sparql(term) -> str:
    if isinstance(term, NamedNode):
        return f"<{term.value}>"
    if isinstance(term, Literal):
        return str(term)
    raise UnsupportedShapeError(f"cannot use {term!r} in a constraint")


@dataclass(frozen=True)
class _Check:
    component: str
    path: str | None
    message: str
    severity: str
    pattern: str  # SPARQL group pattern over ?this (and ?v) that matches violations
    value_var: bool  # whether ?v is a value to report
    # the value constraints of one path, tested in one pass over its values: (component, condition) each;
    # ``pattern`` then only reaches the values and ``component`` is unused
    tests: tuple[tuple[str, str], ...] = ()

    def query(self, focus: str) -> str:
        if not self.tests:
            names = "?this ?v" if self.value_var else "?this"
            return f"SELECT DISTINCT {names} WHERE {{ {focus} {self.pattern} }}"
        # one BIND per condition (an error leaves it unbound, which a FILTER would also have dropped)
        binds = " ".join(f"BIND(({cond}) AS ?t{i})" for i, (_, cond) in enumerate(self.tests))
        flags = " ".join(f"?t{i}" for i in range(len(self.tests)))
        either = " || ".join(f"?t{i}" for i in range(len(self.tests)))
        return f"SELECT DISTINCT ?this ?v {flags} WHERE {{ {focus} {self.pattern} {binds} FILTER ({either}) }}"

    def components(self, row: dict) -> list[str]:
        """The components a result row of :meth:`query` violates."""
        if not self.tests:
            return [self.component]
        return [c for i, (c, _) in enumerate(self.tests)
                if isinstance(row.get(f"t{i}"), Literal) and row[f"t{i}"].value == "true"]


@dataclass
class _Shape:
    iri: str
    target_class: str | None
    checks: list[_Check]
    nested: list[tuple[str, str, str, str, str | None]]  # (path, node shape iri, message, severity, sh:class)


def _severity(store: Store, s) -> str:
    sev = _one(store, s, SH + "severity")
    return sev.value.rsplit("#", 1)[-1] if sev is not None else "Violation"


def _value_checks(store: Store, ps, path: str | None, message: str, severity: str) -> list[_Check]:
    """Constraints on each value ?v (for a node shape, ?v is ?this itself)."""
    tests: list[tuple[str, str]] = []
    reach = f"?this <{path}> ?v ." if path else "BIND(?this AS ?v)"

    def add(component: str, condition: str) -> None:
        tests.append((component, condition))

    dt = _one(store, ps, SH + "datatype")
    if dt is not None:
        add("DatatypeConstraintComponent", f"!isLiteral(?v) || datatype(?v) != <{dt.value}>")
    nk = _one(store, ps, SH + "nodeKind")
    if nk is not None:
        kind = nk.value.rsplit("#", 1)[-1]
        kinds = {"IRI": "!isIRI(?v)", "Literal": "!isLiteral(?v)", "BlankNode": "!isBlank(?v)",
                 "BlankNodeOrIRI": "isLiteral(?v)", "IRIOrLiteral": "isBlank(?v)", "BlankNodeOrLiteral": "isIRI(?v)"}
        add("NodeKindConstraintComponent", kinds[kind])
    pattern = _one(store, ps, SH + "pattern")
    if pattern is not None:
        flags = _one(store, ps, SH + "flags")
        regex = Literal(pattern.value)
        flag_arg = f", {Literal(flags.value)}" if flags is not None else ""
        add("PatternConstraintComponent", f"isBlank(?v) || !regex(str(?v), {regex}{flag_arg})")
    values = _one(store, ps, SH + "in")
    if values is not None:
        members = ", ".join(_term_sparql(t) for t in _list(store, values))
        add("InConstraintComponent", f"?v NOT IN ({members})")
    cls = _one(store, ps, SH + "class")
    if cls is not None:
        add("ClassConstraintComponent", f"NOT EXISTS {{ ?v <{RDF_TYPE}> <{cls.value}> }}")
    for name, op in (("minInclusive", "<"), ("maxInclusive", ">")):
        bound = _one(store, ps, SH + name)
        if bound is not None:
            add(f"{name[0].upper()}{name[1:]}ConstraintComponent", f"!(?v {'>=' if op == '<' else '<='} {bound})")
    if not tests:
        return []
    if len(tests) == 1:
        (component, condition), = tests
        return [_Check(component, path, message, severity, f"{reach} FILTER ({condition})", True)]
    return [_Check("", path, message, severity, reach, True, tuple(tests))]


def _compile_shape(store: Store, node: NamedNode) -> _Shape:
    used = {q.predicate.value.removeprefix(SH) for q in store.quads_for_pattern(node, None, None)
            if q.predicate.value.startswith(SH)}
    if used - SUPPORTED_NODE:
        raise UnsupportedShapeError(f"{node.value} uses {sorted(used - SUPPORTED_NODE)}")
    target = _one(store, node, SH + "targetClass")
    message = (_one(store, node, SH + "message") or Literal("")).value
    severity = _severity(store, node)
    checks = _value_checks(store, node, None, message, severity)
    nested: list[tuple[str, str, str, str, str | None]] = []
    for ps in _objects(store, node, SH + "property"):
        used = {q.predicate.value.removeprefix(SH) for q in store.quads_for_pattern(ps, None, None)
                if q.predicate.value.startswith(SH)}
        if used - SUPPORTED_PROPERTY:
            raise UnsupportedShapeError(f"a property of {node.value} uses {sorted(used - SUPPORTED_PROPERTY)}")
        path = _one(store, ps, SH + "path")
        if not isinstance(path, NamedNode):
            raise UnsupportedShapeError(f"{node.value}: only single-predicate paths are compiled")
        p = path.value
        pmsg = (_one(store, ps, SH + "message") or Literal(message)).value
        psev = _severity(store, ps)
        mn = _one(store, ps, SH + "minCount")
        if mn is not None and int(mn.value) > 0:
            checks.append(_Check("MinCountConstraintComponent", p, pmsg, psev,
                                 f"FILTER NOT EXISTS {{ {{ SELECT ?this WHERE {{ ?this <{p}> ?c }} "
                                 f"GROUP BY ?this HAVING (COUNT(DISTINCT ?c) >= {int(mn.value)}) }} }}"
                                 if int(mn.value) > 1 else f"FILTER NOT EXISTS {{ ?this <{p}> ?c }}", False))
        mx = _one(store, ps, SH + "maxCount")
        if mx is not None:
            checks.append(_Check("MaxCountConstraintComponent", p, pmsg, psev,
                                 f"{{ SELECT ?this WHERE {{ ?this <{p}> ?c }} GROUP BY ?this "
                                 f"HAVING (COUNT(DISTINCT ?c) > {int(mx.value)}) }}", False))
        hv = _one(store, ps, SH + "hasValue")
        if hv is not None:
            checks.append(_Check("HasValueConstraintComponent", p, pmsg, psev,
                                 f"FILTER NOT EXISTS {{ ?this <{p}> {_term_sparql(hv)} }}", False))
        checks += _value_checks(store, ps, p, pmsg, psev)
        nd = _one(store, ps, SH + "node")
        if nd is not None:
            cls = _one(store, ps, SH + "class")
            nested.append((p, nd.value, pmsg, psev, cls.value if cls is not None else None))
    for sp in _objects(store, node, SH + "sparql"):
        select = _one(store, sp, SH + "select")
        smsg = (_one(store, sp, SH + "message") or Literal(message)).value
        body = select.value.replace("$this", "?this")
        where = re.search(r"\bWHERE\s*\{", body, re.IGNORECASE)
        if not where:
            raise UnsupportedShapeError(f"{node.value}: SPARQL constraint without WHERE")
        inner = body[where.end():body.rstrip().rfind("}")]
        checks.append(_Check("SPARQLConstraintComponent", None, smsg, _severity(store, sp), inner, False))
    return _Shape(node.value, target.value if target is not None else None, checks, nested)


@cache
def compiled_shapes(folder: str | None = None) -> dict[str, _Shape]:
    store = shapes_store(folder)
    nodes = {q.subject for q in store.quads_for_pattern(None, NamedNode(RDF_TYPE), NamedNode(SH + "NodeShape"))}
    return {n.value: _compile_shape(store, n) for n in nodes if isinstance(n, NamedNode)}


# --- running them -------------------------------------------------------------------------------------

Run = Callable[[str], Iterable]
_POOL = ThreadPoolExecutor(max(2, min(4, os.cpu_count() or 2)), thread_name_prefix="shacl")


def _violators(run: Run, shapes: dict[str, _Shape], shape: _Shape, focus: str,
               out: list[Violation] | None, depth: int = 0,
               targeted: Callable[[str], set[str]] | None = None) -> set[str]:
    """Focus nodes (matched by ``focus``, a pattern binding ?this) that violate ``shape``.

    ``targeted(shape_iri)`` gives the violators of a shape over its own target class, computed once per
    run: a nested ``sh:node`` whose values must also be of that class (``sh:class``) reuses it for the
    values that have the class, and evaluates only the others, instead of validating them all again.
    """
    if depth > 8:
        raise UnsupportedShapeError("sh:node nesting deeper than 8")
    bad: set[str] = set()

    def rows_of(check: _Check) -> list[dict]:
        # the checks are independent read-only queries and the store releases the GIL while it evaluates
        # them; each is read to the end in its worker thread (pyoxigraph results must not cross threads)
        names = ["this", "v"] if check.value_var else ["this"]
        names += [f"t{i}" for i in range(len(check.tests))]
        return [{n: row[n] for n in names} for row in run(check.query(focus))]

    for check, rows in zip(shape.checks, _POOL.map(rows_of, shape.checks), strict=True):
        for row in rows:
            this = row["this"]
            components = check.components(row)
            if isinstance(this, Literal) or not components:
                continue
            bad.add(this.value)
            if out is not None:
                v = row["v"] if check.value_var else None
                out += [Violation(this.value, shape.iri, check.path, c, check.severity, check.message,
                                  str(v) if v is not None else None) for c in components]
    for path, node_iri, msg, sev, cls in shape.nested:
        child = shapes[node_iri]
        child_focus = focus.replace("?this", "?parent") + f" ?parent <{path}> ?this ."
        if targeted is not None and cls is not None and child.target_class == cls:
            child_bad = set(targeted(node_iri))
            child_focus += f" FILTER NOT EXISTS {{ ?this <{RDF_TYPE}> <{cls}> }}"
            # usually every value has the class: one probe instead of the child's checks over no focus node
            untyped = bool(list(run(f"SELECT ?this WHERE {{ {child_focus} }} LIMIT 1")))
        else:
            child_bad, untyped = set(), True
        if untyped:
            child_bad |= _violators(run, shapes, child, child_focus, None, depth + 1, targeted)
        for value in sorted(child_bad):
            q = f"SELECT DISTINCT ?this WHERE {{ {focus} ?this <{path}> <{value}> }}"
            for row in run(q):
                bad.add(row["this"].value)
                if out is not None:
                    out.append(Violation(row["this"].value, shape.iri, path, "NodeConstraintComponent", sev, msg,
                                         f"<{value}>"))
    return bad


def _validate(run: Run, folder: Path | None, only: Sequence[str] | None = None) -> ValidationReport:
    """``only``: validate just these focus nodes (IRIs) of the targeted shapes, with what they nest."""
    shapes = compiled_shapes(str(folder) if folder else None)
    violations: list[Violation] = []
    memo: dict[str, set[str]] = {}
    values = "VALUES ?this { " + " ".join(f"<{n}>" for n in only) + " } " if only is not None else ""

    def targeted(iri: str) -> set[str]:
        if iri not in memo:
            memo[iri] = set()  # a shape nested in itself sees no violators while it is being computed
            shape = shapes[iri]
            # only some focus nodes: the values they nest are checked as nested values, whatever their class (the
            # violators of a targeted shape are known only for the focus nodes)
            memo[iri] = _violators(run, shapes, shape, f"{values}?this <{RDF_TYPE}> <{shape.target_class}> .",
                                   violations, targeted=targeted if only is None else None)
        return memo[iri]

    for iri, shape in shapes.items():
        if shape.target_class is not None:
            targeted(iri)
    return _report(violations)


def _report(violations: list[Violation]) -> ValidationReport:
    violations.sort(key=lambda v: (v.focus, v.path or "", v.component))
    return ValidationReport(not any(v.severity == "Violation" for v in violations), violations, "sparql")


def validate_store(data: Store, *, graph: str | None = None, folder: Path | None = None) -> ValidationReport:
    """Validate the default graph (or the named ``graph``) of a pyoxigraph store with the compiled shapes."""
    if graph is not None:
        return _validate(lambda q: data.query(q, default_graph=NamedNode(graph)), folder)
    return _validate(data.query, folder)


def validate_graph(store: object, graph: str, *, folder: Path | None = None,
                   focus: Iterable[str] | None = None, chunk: int = 2000) -> ValidationReport:
    """Validate one named graph of any :class:`~clingen_graph.store.GraphStore` (SPARQL only, so it runs
    where the data is, embedded or remote). ``focus``: only these nodes (IRIs) as focus nodes of the targeted
    shapes, ``chunk`` at a time (the checks of a large graph then cost what its few nodes cost)."""
    from .query import select_rows

    def run(q: str) -> list[dict[str, object]]:
        return select_rows(store, q, [graph])

    if focus is None:
        return _validate(run, folder)
    nodes = sorted(focus)
    violations: list[Violation] = []
    for start in range(0, len(nodes), chunk):
        violations += _validate(run, folder, nodes[start:start + chunk]).violations
    return _report(violations)


def _to_default(store: Store) -> Store:
    from pyoxigraph import DefaultGraph, Quad

    out = Store()
    out.extend(Quad(q.subject, q.predicate, q.object, DefaultGraph()) for q in store)
    return out


def validate_triples(triples: Iterable, *, folder: Path | None = None,
                     ntriples: Sequence[bytes] | None = None) -> ValidationReport:
    """Validate triples in an in-memory store of their own; ``ntriples``, the same triples serialized
    (:func:`~clingen_graph.model.rdf.ntriples_chunks`), load without holding the GIL."""
    from pyoxigraph import DefaultGraph, Quad

    store = Store()
    if ntriples is not None:
        for chunk in ntriples:
            store.load(chunk, format=RdfFormat.N_TRIPLES, lenient=True)
    else:
        store.extend(Quad(s, p, o, DefaultGraph()) for s, p, o in triples)
    return validate_store(store, folder=folder)


def validate_with_pyshacl(data_turtle_or_graph, *, folder: Path | None = None) -> ValidationReport:
    """The reference: pySHACL over an rdflib graph, report built from its results graph (not its text)."""
    import pyshacl
    import rdflib
    from rdflib.namespace import SH as RSH

    if isinstance(data_turtle_or_graph, rdflib.Graph):
        data = data_turtle_or_graph
    else:
        data = rdflib.Graph().parse(data=data_turtle_or_graph, format="turtle")
    shapes = rdflib.Graph()
    for f in shape_files(folder):
        shapes.parse(f, format="turtle")
    _conforms, results, _text = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=False,
                                                 allow_warnings=True)
    violations = []
    for r in results.subjects(rdflib.RDF.type, RSH.ValidationResult):
        path = results.value(r, RSH.resultPath)
        comp = str(results.value(r, RSH.sourceConstraintComponent)).rsplit("#", 1)[-1]
        value = results.value(r, RSH.value)
        violations.append(Violation(
            str(results.value(r, RSH.focusNode)), str(results.value(r, RSH.sourceShape)),
            str(path) if path is not None else None, comp,
            str(results.value(r, RSH.resultSeverity)).rsplit("#", 1)[-1],
            str(results.value(r, RSH.resultMessage) or ""), value.n3() if value is not None else None,
        ))
    violations.sort(key=lambda v: (v.focus, v.path or "", v.component))
    return ValidationReport(not any(v.severity == "Violation" for v in violations), violations, "pyshacl")
