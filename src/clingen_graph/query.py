"""Named, parameterised SPARQL queries from ``queries/*.rq`` (the competency questions).

Each catalogue file starts with a comment header::

    # title: Gene → gene-disease validity statements
    # description: ...
    # param: gene (iri) the gene, as HGNC:1100 or its IRI
    # example: gene=HGNC:1100
    # min-rows: 1

Parameters are bound by typed escaping into a ``VALUES`` block placed at the start of the outermost
``WHERE`` group (never by string formatting of user text), so the same text runs on every store. The
escaped term also replaces the variable inside that group where this cannot change the answer (no
sub-select, ``BIND … AS`` or ``BOUND`` of it): Oxigraph plans a join on a ``VALUES`` table late, after
scanning what the constant would have narrowed (region-dosage at 10M triples: 850 → 16 ms). A query whose
plan gets worse with the constant says ``# bind: values`` in its header (disease-subtypes-genes: 44 ms →
8 s inlined at 13.8M triples).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pyoxigraph import Literal, NamedNode

from .ids import IdError, to_iri
from .resources import queries_dir

HEADER = re.compile(r"^#\s*([a-z-]+):\s*(.*)$")
PARAM = re.compile(r"^(\w+)\s*\((iri|string|integer|decimal|date)\)\s*(.*)$")
WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


class QueryError(ValueError):
    """A named query is unknown, or its parameters are missing or malformed."""


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    description: str


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    text: str
    title: str
    description: str
    params: tuple[Param, ...] = ()
    example: dict[str, str] = field(default_factory=dict)
    min_rows: int = 0
    inline: bool = True  # ``# bind: values`` turns off putting bound terms in the patterns (see bind_values)

    def bind(self, values: dict[str, str]) -> str:
        """The query text with ``values`` bound. Unknown names are an error; missing ones stay unbound.

        :raises QueryError: unknown parameter or a value of the wrong type.
        """
        known = {p.name: p for p in self.params}
        unknown = set(values) - set(known)
        if unknown:
            raise QueryError(f"{self.name} has no parameter(s) {', '.join(sorted(unknown))}; "
                             f"it takes: {', '.join(known) or 'none'}")
        terms = {name: typed_term(known[name].kind, value) for name, value in values.items()}
        blocks = [f"VALUES ?{name} {{ {term} }}" for name, term in terms.items()]
        return bind_values(self.text, blocks, terms if self.inline else None)


def typed_term(kind: str, value: str) -> str:
    """A SPARQL term for a user value of a declared type (escaped by pyoxigraph, never by hand).

    >>> typed_term("iri", "HGNC:1100")
    '<https://identifiers.org/hgnc:1100>'
    >>> typed_term("string", 'say "hi"')
    '"say \\\\"hi\\\\""'
    """
    try:
        if kind == "iri":
            return str(NamedNode(to_iri(value)))
        if kind == "integer":
            return str(Literal(str(int(value)), datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
        if kind == "decimal":
            return str(Literal(str(float(value)), datatype=NamedNode("http://www.w3.org/2001/XMLSchema#decimal")))
        if kind == "date":
            if not re.match(r"^\d{4}-\d{2}-\d{2}$", value):
                raise ValueError("expected yyyy-mm-dd")
            return str(Literal(value, datatype=NamedNode("http://www.w3.org/2001/XMLSchema#date")))
        return str(Literal(value))
    except (ValueError, IdError) as exc:
        raise QueryError(f"{value!r} is not a valid {kind}: {exc}") from exc


def bind_values(text: str, blocks: list[str], terms: dict[str, str] | None = None) -> str:
    """``blocks`` (``VALUES`` clauses) at the start of the outermost WHERE group; each variable of ``terms``
    is also replaced by its term inside that group where that is safe (see the module docstring)."""
    if not blocks:
        return text
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    m = WHERE.search(body)
    if not m:
        raise QueryError("the query has no WHERE { … } group to bind parameters in")
    end = _group_end(body, m.end())
    group = body[m.end():end]
    for name, term in (terms or {}).items():
        if _inlinable(group, name):
            group = re.sub(rf"[?$]{name}\b", lambda _m, t=term: t, group)
    return body[: m.end()] + "\n  " + "\n  ".join(blocks) + "\n" + group + body[end:]


def _group_end(text: str, start: int) -> int:
    """Index of the ``}`` closing the group opened just before ``start`` (braces in strings and IRIs skipped)."""
    depth, i, quote = 1, start, ""
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        elif c == "<" and re.match(r"<[^<>\"{}|^`\\\s]*>", text[i:]):
            i = text.index(">", i)
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise QueryError("the WHERE group of the query is not closed")


def _inlinable(group: str, name: str) -> bool:
    """Replacing ``?name`` by a constant inside ``group`` keeps the answer: no sub-select (which may project
    it), no ``BIND … AS ?name`` and no ``BOUND(?name)``."""
    return not (re.search(r"\bSELECT\b", group, re.IGNORECASE)
                or re.search(rf"\bAS\s+[?$]{name}\b", group, re.IGNORECASE)
                or re.search(rf"\bBOUND\s*\(\s*[?$]{name}\b", group, re.IGNORECASE))


def parse_query_file(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    meta: dict[str, list[str]] = {}
    key = None
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            key = None
            continue
        m = HEADER.match(line)
        if m:
            key = m.group(1)
            meta.setdefault(key, []).append(m.group(2).strip())
        elif key == "description" and line.startswith("#  ") and line[1:].strip():
            meta[key][-1] += " " + line[1:].strip()  # an indented continuation line
        else:
            key = None
    params = []
    for raw in meta.get("param", []):
        m = PARAM.match(raw)
        if not m:
            raise QueryError(f"{path.name}: bad '# param:' line {raw!r} (expected 'name (type) description')")
        params.append(Param(m.group(1), m.group(2), m.group(3)))
    example: dict[str, str] = {}
    for raw in meta.get("example", []):
        for pair in raw.split():
            k, _, v = pair.partition("=")
            example[k] = v
    return NamedQuery(
        name=path.stem, path=path, text=text, title=(meta.get("title") or [path.stem])[0],
        description=" ".join(meta.get("description", [])), params=tuple(params), example=example,
        min_rows=int((meta.get("min-rows") or ["0"])[0]),
        inline=(meta.get("bind") or ["inline"])[0] != "values",
    )


@cache
def catalogue(folder: str | None = None) -> dict[str, NamedQuery]:
    """The researcher catalogue: every ``queries/*.rq`` by name."""
    root = Path(folder) if folder else queries_dir()
    return {q.name: q for q in (parse_query_file(p) for p in sorted(root.glob("*.rq")))}


def get(name_or_path: str) -> NamedQuery:
    """A catalogue query by name, or any ``.rq`` file by path. :raises QueryError: unknown."""
    path = Path(name_or_path)
    if name_or_path.endswith(".rq") and path.is_file():
        return parse_query_file(path)
    found = catalogue().get(name_or_path)
    if found is None:
        raise QueryError(f"no query named {name_or_path!r}; known: {', '.join(catalogue())}")
    return found


@cache
def internal_query(name: str) -> str:
    """Bookkeeping queries from ``queries/internal/`` (releases, reference look-ups)."""
    return (queries_dir() / "internal" / f"{name}.rq").read_text(encoding="utf-8")


@cache
def api_query(name: str) -> NamedQuery:
    """CONSTRUCT/SELECT queries behind the API's entity endpoints, from ``queries/api/``."""
    return parse_query_file(queries_dir() / "api" / f"{name}.rq")


def select_rows(store: object, text: str, graphs: list[str] | None) -> list[dict[str, object]]:
    """Run a SELECT and return plain rows (``{var: term or None}``), consumed on this thread.

    pyoxigraph result iterators must not outlive the thread that made them (they are not ``Send``),
    so API code reads them to the end here instead of holding them across an exception or a thread hop.
    """
    result = store.query(text, default_graphs=graphs)  # type: ignore[attr-defined]
    names = [v.value for v in result.variables]
    # a solution iterates its values in the order of ``variables`` (None when unbound): one call per row
    # instead of one look-up per cell (59 → 24 ms on the 13,500 rows of conflicts-by-gene at 10M)
    rows = [dict(zip(names, row, strict=True)) for row in result]
    del result
    return rows


def construct_triples(store: object, text: str, graphs: list[str] | None) -> list:
    """Run a CONSTRUCT/DESCRIBE and return its triples as a list (see :func:`select_rows`)."""
    result = store.query(text, default_graphs=graphs)  # type: ignore[attr-defined]
    triples = list(result)
    del result
    return triples
