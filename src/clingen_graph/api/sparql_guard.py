"""What a /sparql request may do, read from the SPARQL text before anything runs it.

* The query form, from the first keyword after the prologue (``BASE``/``PREFIX``): an update (``INSERT``,
  ``DROP``, ``LOAD``…) is refused whatever the store behind us would do with it, and so is anything that is
  not SELECT/CONSTRUCT/DESCRIBE/ASK (e.g. a server's own pragmas).
* Every ``SERVICE`` clause and the endpoint it calls; only hosts on the allow-list pass, and an endpoint
  given by a variable (``SERVICE ?x``) cannot be checked, so it is refused.

SERVICE clauses are found twice, and a query is refused if either finds a disallowed one:

1. a small lexer over the raw text with the grammar's terminals (IRIs, strings, comments, variables,
   prefixed names…). Oxigraph matches keywords without a word boundary (``SERVICESILENT<…>`` and
   ``SERVICEex:e`` run), so the lexer looks for ``SERVICE`` inside word-like tokens too;
2. whenever the text mentions "service" at all (also spelt with ``\\u`` escapes, which some servers expand
   before parsing), rdflib's SPARQL parser: it tells a ``<`` operator from an IRI by the grammar, which a
   lexer cannot (``?a<?b,'>'`` is an operator and a string, not an IRI). A query that mentions SERVICE and
   that rdflib cannot parse is refused (400) rather than guessed at.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

UPDATE_WORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})
QUERY_WORDS = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})
SERVICE_SETTING = "CLINGEN_GRAPH_SERVICE_ALLOW"

# the SPARQL 1.1 grammar's character classes (§19.8)
_BASE = ("A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
         "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff")
_U = _BASE + "_"
_VAR = _U + "0-9\u00b7\u0300-\u036f\u203f-\u2040"
_CHARS = _VAR + "\\-"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_TOKEN = re.compile(rf"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
  | (?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''
             |\"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
             |'(?:[^'\\\n\r]|\\.)*'
             |"(?:[^"\\\n\r]|\\.)*")
  | (?P<var>[?$][{_VAR}]+)
  | (?P<bnode>_:[{_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?)
  | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<number>[0-9]+\.[0-9]*(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+(?:[eE][+-]?[0-9]+)?)
  | (?P<pname>(?:[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?)?:
               (?:(?:[{_U}0-9:]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?)?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)
_WORDLIKE = frozenset({"var", "bnode", "langtag", "number", "pname", "word"})
_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


class SparqlRefused(ValueError):
    """The request must not run; ``status`` 400 (unreadable) or 403 (not allowed here)."""

    def __init__(self, status: int, title: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.title = status, title


@dataclass(frozen=True)
class Service:
    """One ``SERVICE`` clause: the endpoint IRI, or the variable that would name it."""

    iri: str | None
    variable: str | None = None

    @property
    def host(self) -> str | None:
        """The IRI's host, lower-cased; None unless it is an http(s) IRI with a host."""
        if self.iri is None:
            return None
        try:
            parts = urlsplit(self.iri)
            host = parts.hostname
        except ValueError:
            return None
        if parts.scheme.lower() not in ("http", "https") or not host:
            return None
        return host.lower().rstrip(".")


@dataclass(frozen=True)
class Shape:
    form: str  # SELECT, CONSTRUCT, DESCRIBE, ASK, UPDATE, or "" when it is none of them
    services: tuple[Service, ...]


@dataclass(frozen=True)
class _Tok:
    kind: str
    text: str
    start: int


def _lex(text: str, pos: int = 0, limit: int | None = None) -> list[_Tok]:
    """Significant tokens from ``pos`` (whitespace and comments dropped), at most ``limit`` of them."""
    out: list[_Tok] = []
    while pos < len(text) and (limit is None or len(out) < limit):
        m = _TOKEN.match(text, pos)
        assert m is not None  # ``other`` matches any character
        kind = m.lastgroup or "other"
        if kind not in ("ws", "comment"):
            out.append(_Tok(kind, m.group(), pos))
        pos = m.end()
    return out


def _skip_blank(text: str, pos: int) -> int:
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.lastgroup not in ("ws", "comment"):
            break
        pos = m.end()
    return pos


def inspect(sparql: str) -> Shape:
    """The query form and the SERVICE clauses the lexer finds in ``sparql`` (see the module doc)."""
    toks = _lex(sparql)
    base: str | None = None
    prefixes: dict[str, str] = {}
    form = ""
    i = 0
    while i < len(toks):  # the prologue, then the form keyword
        word = toks[i].text.upper() if toks[i].kind == "word" else ""
        if word == "BASE" and i + 1 < len(toks) and toks[i + 1].kind == "iri":
            base = _resolve(base, toks[i + 1].text[1:-1])
            i += 2
        elif (word == "PREFIX" and i + 2 < len(toks) and toks[i + 1].kind == "pname"
              and toks[i + 1].text.endswith(":") and toks[i + 2].kind == "iri"):
            prefixes[toks[i + 1].text[:-1]] = _resolve(base, toks[i + 2].text[1:-1])
            i += 3
        else:
            form = "UPDATE" if word in UPDATE_WORDS else word if word in QUERY_WORDS else ""
            break
    services: list[Service] = []
    if "SERVICE" in sparql.upper():
        for tok in toks[i:]:
            if tok.kind not in _WORDLIKE:
                continue
            upper = tok.text.upper()
            at = upper.find("SERVICE")
            while at >= 0:
                strict = tok.kind == "word" and upper == "SERVICE"
                found = _endpoint(sparql, tok.start + at + len("SERVICE"), base, prefixes, strict)
                if found is not None:
                    services.append(found)
                at = upper.find("SERVICE", at + 1)
    return Shape(form, tuple(services))


def _endpoint(text: str, pos: int, base: str | None, prefixes: dict[str, str], strict: bool) -> Service | None:
    """The endpoint after a SERVICE keyword that ends at ``pos``. ``strict`` (a keyword on its own):
    a malformed clause is a bad query; otherwise (``SERVICE`` inside a longer token) it counts only if an
    endpoint and ``{`` follow, as Oxigraph would read it."""
    pos = _skip_blank(text, pos)
    if text[pos:pos + 6].upper() == "SILENT":
        pos += 6
    nxt = _lex(text, _skip_blank(text, pos), 2)
    target = nxt[0] if nxt else None
    service: Service | None = None
    if target is not None and target.kind == "iri":
        service = Service(_resolve(base, target.text[1:-1]))
    elif target is not None and target.kind == "var":
        service = Service(None, target.text)
    elif target is not None and target.kind == "pname":
        prefix, _, local = target.text.partition(":")
        if prefix in prefixes:
            service = Service(prefixes[prefix] + re.sub(r"\\(.)", r"\1", local))
        elif strict:
            raise SparqlRefused(400, "Bad query", f"SERVICE {target.text}: the prefix {prefix}: is not declared")
    if strict:
        if service is None:
            raise SparqlRefused(400, "Bad query", "SERVICE must be followed by an IRI")
        return service
    return service if len(nxt) == 2 and nxt[1].text == "{" else None


def _resolve(base: str | None, iri: str) -> str:
    return urljoin(base, iri) if base else iri


def _unescape(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else m.group(0)

    return _UNICODE_ESCAPE.sub(one, text)


def parsed_services(sparql: str) -> list[Service]:
    """SERVICE clauses as rdflib's SPARQL parser reads them (prefixes and BASE resolved).

    :raises SparqlRefused: rdflib cannot parse the query.
    """
    from rdflib import URIRef, Variable
    from rdflib.plugins.sparql.algebra import translatePName, translatePrologue, traverse
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        parsed = parseQuery(sparql)
        prologue = translatePrologue(parsed[0], None)
        tree = traverse(parsed[1], functools.partial(translatePName, prologue=prologue))
    except Exception as exc:  # pyparsing and rdflib raise several types; all mean "not verified"
        raise SparqlRefused(400, "SERVICE not verified", "the query mentions SERVICE, and its SERVICE clauses "
                            f"could not be read to check them: {str(exc)[:300]}") from exc
    out: list[Service] = []

    def walk(node: Any) -> None:
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                term = node.get("term")
                if isinstance(term, Variable):
                    out.append(Service(None, f"?{term}"))
                elif isinstance(term, URIRef):
                    out.append(Service(str(term)))
                else:
                    out.append(Service(str(term)))
            for value in node.values():
                walk(value)
        elif isinstance(node, list | tuple) or hasattr(node, "asList"):
            for value in node:
                walk(value)

    walk(tree)
    return out


def host_allowed(host: str, allow: list[str]) -> bool:
    """``host`` is on ``allow`` exactly, or under an entry ``*.example.org``."""
    for entry in allow:
        if entry.startswith("*."):
            if host.endswith(entry[1:]):
                return True
        elif host == entry:
            return True
    return False


def check(sparql: str, service_allow: list[str]) -> Shape:
    """Refuse updates, non-queries and SERVICE calls to hosts off ``service_allow``; returns what was read.

    :raises SparqlRefused: 403 for what is not allowed, 400 for what cannot be read.
    """
    shape = inspect(sparql)
    if shape.form == "UPDATE":
        raise SparqlRefused(403, "Updates not accepted here", "/sparql only answers queries: SPARQL Update is "
                            "refused here even with a write token. Curators change data through the write "
                            "routes: PUT/DELETE /graphs/{name} and POST /releases.")
    if not shape.form:
        raise SparqlRefused(400, "Bad query", "not a SPARQL query: after PREFIX/BASE declarations it must start "
                            "with SELECT, CONSTRUCT, DESCRIBE or ASK")
    services = list(shape.services)
    if "service" in sparql.lower() or ("\\u" in sparql.lower() and "service" in _unescape(sparql).lower()):
        services += parsed_services(sparql)
    for service in services:
        if service.variable is not None:
            raise SparqlRefused(403, "SERVICE refused", f"SERVICE {service.variable}: an endpoint given by a "
                                "variable cannot be checked against the allowed hosts")
        host = service.host
        if host is None:
            raise SparqlRefused(403, "SERVICE refused", f"SERVICE <{service.iri}>: only http(s) IRIs with a host "
                                "can be called")
        if not host_allowed(host, service_allow):
            allowed = ", ".join(service_allow) if service_allow else "none"
            raise SparqlRefused(403, "SERVICE refused", f"SERVICE <{service.iri}>: the host {host} is not allowed "
                                f"(allowed hosts: {allowed}; setting {SERVICE_SETTING})")
    return shape
