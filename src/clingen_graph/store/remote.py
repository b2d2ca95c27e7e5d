"""A remote triplestore behind the :class:`GraphStore` protocol (DESIGN §6).

Queries and updates go over the SPARQL 1.1 Protocol (SPARQLWrapper); whole graphs over the SPARQL 1.1
Graph Store HTTP Protocol (httpx). Store URLs name the server's URL layout::

    fuseki+http://HOST:PORT/DATASET   /DATASET/sparql, /DATASET/update, /DATASET/data   (the default layout)
    oxigraph+http://HOST:PORT         /query, /update, /store
    virtuoso+http://HOST:PORT         /sparql (reads), /sparql-auth (updates), /sparql-graph-crud-auth
    sparql+http(s)://HOST/PATH        the URL is the query endpoint; the others are given explicitly

Credentials come from the environment only, never from the command line or the URL:
``CLINGEN_GRAPH_STORE_USER`` and ``CLINGEN_GRAPH_STORE_PASSWORD`` (HTTP basic, or digest with
``CLINGEN_GRAPH_STORE_AUTH=digest``; Virtuoso's ``-auth`` endpoints use digest), or
``CLINGEN_GRAPH_STORE_TOKEN`` (bearer). Explicit endpoints can also come from
``CLINGEN_GRAPH_QUERY_ENDPOINT``, ``CLINGEN_GRAPH_UPDATE_ENDPOINT`` and ``CLINGEN_GRAPH_GRAPH_STORE_ENDPOINT``.

Every request has a timeout; connection errors and 5xx answers are retried with exponential backoff (all our
writes are idempotent: ``INSERT DATA``/``DELETE DATA`` on sets, ``DROP SILENT``, a ``PUT`` of a whole graph).
A graph is replaced by writing it under a temporary graph name and moving it into place with one
``MOVE`` update, so a failed upload leaves the previous content untouched; a temporary graph left behind by
a killed load is an orphan that the next load drops (:func:`clingen_graph.release._remove_orphans`).

Default graphs are always explicit: a query with ``default_graphs`` sends them as ``default-graph-uri``
(Virtuoso's default graph is otherwise the union of *every* graph, its system graphs included). Unlike the
embedded store, the union default graph is never used as a shortcut for "every graph": another process may
be writing a new release graph into the server at that moment, and it must stay invisible.
"""

from __future__ import annotations

import os
import re
import time
import urllib.error
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import httpx
from pyoxigraph import (
    NamedNode,
    Quad,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Triple,
    parse,
    parse_query_results,
    serialize,
)
from SPARQLWrapper import BASIC, DIGEST, JSON, POST, TURTLE, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    SPARQLWrapperException,
    Unauthorized,
)

from ..ids import GRAPH_BASE
from ..model.rdf import Triple as TripleTuple
from ..model.rdf import to_ntriples
from .base import MaterialisedSolutions, QueryResult, QueryTimeout, StoreError

ENV_USER = "CLINGEN_GRAPH_STORE_USER"
ENV_PASSWORD = "CLINGEN_GRAPH_STORE_PASSWORD"
ENV_TOKEN = "CLINGEN_GRAPH_STORE_TOKEN"
ENV_AUTH = "CLINGEN_GRAPH_STORE_AUTH"
ENV_ENDPOINTS = {"query": "CLINGEN_GRAPH_QUERY_ENDPOINT", "update": "CLINGEN_GRAPH_UPDATE_ENDPOINT",
                 "graph_store": "CLINGEN_GRAPH_GRAPH_STORE_ENDPOINT"}
SCHEMES = ("fuseki", "oxigraph", "virtuoso", "sparql")
# triples per upload request / per DELETE DATA: bounded request bodies (servers cap them) and memory; a proxy
# that caps request bodies lower needs smaller uploads (ENV_UPLOAD_CHUNK)
CHUNK = 100_000
ENV_UPLOAD_CHUNK = "CLINGEN_GRAPH_UPLOAD_CHUNK"
DELETE_CHUNK = 5_000
TMP_PREFIX = GRAPH_BASE + "tmp/"
# graphs every Virtuoso database holds (its RDF views, LDP, the endpoint's and WebDAV's own)
VIRTUOSO_SYSTEM_GRAPHS = r"^(http://www\.openlinksw\.com/schemas/|http://www\.w3\.org/ns/ldp#$|https?://[^/]+/(sparql|DAV/)$)"

T = TypeVar("T")


def _upload_chunk() -> int:
    """Triples per upload request: ``CLINGEN_GRAPH_UPLOAD_CHUNK`` (a positive integer) or :data:`CHUNK`."""
    value = os.environ.get(ENV_UPLOAD_CHUNK, "").strip()
    if not value:
        return CHUNK
    if not value.isdigit() or int(value) < 1:
        raise StoreError(f"{ENV_UPLOAD_CHUNK} must be a positive number of triples, not {value!r}")
    return int(value)


class RemoteStoreError(StoreError):
    """The server refused or failed a request (the message names the endpoint and the server's answer)."""


@dataclass(frozen=True)
class Endpoints:
    """Where a server answers. ``bulk_param``: the Graph Store POST flag for a non-transactional bulk load
    (used only for a graph that is new, so nobody reads it half-written)."""

    query: str
    update: str | None = None
    graph_store: str | None = None
    graph_param: str = "graph"
    bulk_param: str | None = None  # a Graph Store POST flag for a fast, non-transactional load
    auth: str = "basic"
    union_default: bool = False  # a query's default graph is the union of all graphs (Virtuoso)
    hidden_graphs: str | None = None  # a regex of the server's own graphs, left out of graphs()


def endpoints_for(url: str, *, query_endpoint: str | None = None, update_endpoint: str | None = None,
                  graph_store_endpoint: str | None = None) -> Endpoints:
    """The endpoints of a store URL (see the module docstring); explicit ones (argument, then environment)
    override the layout's.

    >>> endpoints_for("fuseki+http://127.0.0.1:3030/clingen").update
    'http://127.0.0.1:3030/clingen/update'
    >>> endpoints_for("oxigraph+http://127.0.0.1:7878").graph_store
    'http://127.0.0.1:7878/store'
    """
    scheme, _, rest = url.partition("+")
    if scheme not in SCHEMES or not rest.startswith(("http://", "https://")):
        raise StoreError(f"bad remote store URL {url!r}: expected one of "
                         + ", ".join(f"{s}+http(s)://..." for s in SCHEMES))
    parts = urlsplit(rest)
    if parts.username or parts.password:
        raise StoreError(f"{url}: credentials do not belong in the store URL; set {ENV_USER} and "
                         f"{ENV_PASSWORD} (or {ENV_TOKEN}) in the environment")
    base = urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))
    if scheme == "fuseki":
        if not parts.path.strip("/"):
            raise StoreError(f"{url}: a Fuseki store URL names its dataset, e.g. fuseki+http://host:3030/clingen")
        layout = Endpoints(f"{base}/sparql", f"{base}/update", f"{base}/data")
    elif scheme == "oxigraph":
        layout = Endpoints(f"{base}/query", f"{base}/update", f"{base}/store", bulk_param="no_transaction")
    elif scheme == "virtuoso":
        # updates and Graph Store writes only on the -auth endpoints, with HTTP digest (Basic gets 401)
        layout = Endpoints(f"{base}/sparql", f"{base}/sparql-auth", f"{base}/sparql-graph-crud-auth",
                           auth="digest", union_default=True, hidden_graphs=VIRTUOSO_SYSTEM_GRAPHS)
    else:
        layout = Endpoints(base)
    given = {"query": query_endpoint, "update": update_endpoint, "graph_store": graph_store_endpoint}
    for key, value in given.items():
        value = value or os.environ.get(ENV_ENDPOINTS[key])
        if value:
            layout = replace(layout, **{key: value})
    auth = os.environ.get(ENV_AUTH, "").strip().lower()
    if auth:
        if auth not in ("basic", "digest"):
            raise StoreError(f"{ENV_AUTH}={auth!r}: use basic or digest")
        layout = replace(layout, auth=auth)
    return layout


@dataclass(frozen=True)
class Retry:
    """Attempts and backoff for connection errors and 5xx answers; timeouts are per request, in seconds.
    Updates get a long one: a client that gives up does not stop the server's update."""

    attempts: int = 4
    backoff: float = 0.25
    timeout: float = 60.0
    update_timeout: float = 1800.0


class RemoteStore:
    """A SPARQL 1.1 Protocol + Graph Store Protocol server behind the :class:`GraphStore` protocol."""

    def __init__(self, url: str, endpoints: Endpoints, *, writable: bool = True, retry: Retry | None = None) -> None:
        self.url = url
        self.endpoints = endpoints
        self.writable = writable
        self.retry = retry or Retry()
        self._user = os.environ.get(ENV_USER)
        self._password = os.environ.get(ENV_PASSWORD)
        self._token = os.environ.get(ENV_TOKEN)
        self._http = httpx.Client(timeout=self.retry.timeout, auth=self._httpx_auth(), follow_redirects=True)

    @classmethod
    def from_url(cls, url: str, *, read_only: bool = False, query_endpoint: str | None = None,
                 update_endpoint: str | None = None, graph_store_endpoint: str | None = None) -> RemoteStore:
        eps = endpoints_for(url, query_endpoint=query_endpoint, update_endpoint=update_endpoint,
                            graph_store_endpoint=graph_store_endpoint)
        return cls(url, eps, writable=not read_only)

    # --- reading -------------------------------------------------------------------------------------

    def query(self, sparql: str, *, default_graphs: Sequence[str] | None = None,
              timeout: float | None = None) -> QueryResult:
        wrapper = self._wrapper(self.endpoints.query, timeout)
        _set_text(wrapper, sparql, query_form(sparql))
        for name, value in self._dataset_params(default_graphs):
            wrapper.addParameter(name, value)
        graph_form = wrapper.queryType in ("CONSTRUCT", "DESCRIBE")
        wrapper.setReturnFormat(TURTLE if graph_form else JSON)
        started = time.monotonic()
        body, ctype = self._send(lambda: _read(wrapper), self.endpoints.query, timeout)
        if timeout is not None and time.monotonic() - started > timeout:
            raise QueryTimeout(f"query took longer than {timeout:g} s")  # as the embedded store: never late
        if graph_form:
            fmt = RdfFormat.from_media_type(ctype) or RdfFormat.TURTLE
            return [Triple(q.subject, q.predicate, q.object)  # type: ignore[return-value]
                    for q in parse(body, format=fmt)]
        fmt_results = QueryResultsFormat.from_media_type(ctype) or QueryResultsFormat.JSON
        try:
            result = parse_query_results(body, format=fmt_results)
            if timeout is not None and isinstance(result, QuerySolutions):
                return _ReadSolutions(result.variables, list(result), body, fmt_results)  # type: ignore[return-value]
            return result
        except SyntaxError as exc:
            raise RemoteStoreError(f"{self.endpoints.query} answered {ctype or 'no content type'} that is not "
                                   f"a SPARQL result: {exc}") from exc

    def graphs(self) -> list[str]:
        rows = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        names = [row["g"].value for row in rows if isinstance(row["g"], NamedNode)]  # type: ignore[union-attr,index]
        hidden = re.compile(self.endpoints.hidden_graphs) if self.endpoints.hidden_graphs else None
        return sorted(n for n in names if not (hidden and hidden.match(n)))

    @property
    def default_graph_is_union(self) -> bool:
        """A query without ``default_graphs`` sees every graph (Virtuoso); our queries always name theirs."""
        return self.endpoints.union_default

    def dump(self, fmt: RdfFormat, *, graph: str | None = None) -> bytes:
        """A graph (Graph Store GET), or every named graph as N-Quads/TriG when ``graph`` is None."""
        if graph is not None:
            answer = self._gsp("GET", graph, headers={"Accept": "application/n-triples, text/turtle;q=0.9"})
            ctype = answer.headers.get("content-type", "").split(";")[0].strip()
            triples = list(parse(answer.content, format=RdfFormat.from_media_type(ctype) or RdfFormat.TURTLE))
            return serialize([Triple(q.subject, q.predicate, q.object) for q in triples], format=fmt)
        if not fmt.supports_datasets:
            raise StoreError(f"dumping every graph needs a dataset format (N-Quads, TriG), not {fmt.name}")
        quads: list[Quad] = []
        for name in self.graphs():
            g = NamedNode(name)
            quads += [Quad(t.subject, t.predicate, t.object, g)
                      for t in parse(self.dump(RdfFormat.N_TRIPLES, graph=name), format=RdfFormat.N_TRIPLES)]
        return serialize(quads, format=fmt)

    # --- writing -------------------------------------------------------------------------------------

    def update(self, sparql: str) -> None:
        self._require_writable()
        if not self.endpoints.update:
            raise StoreError(f"{self.url} has no update endpoint: give --update-endpoint "
                             f"(or {ENV_ENDPOINTS['update']})")
        wrapper = self._wrapper(self.endpoints.update, self.retry.update_timeout)
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(URLENCODED)
        _set_text(wrapper, sparql, "INSERT")  # any update form: it makes SPARQLWrapper send ``update=``
        self._send(lambda: _read(wrapper), self.endpoints.update, self.retry.update_timeout)

    def replace_graph(self, name: str, triples: Iterable[TripleTuple], *,
                      ntriples: Sequence[bytes] | None = None) -> int:
        """Make ``name`` hold exactly ``triples``, never leaving a half-written graph where one was.

        A graph that does not exist yet (every new release: its name is new, and it stays invisible until
        its metadata is added) is written in chunks under that name. An existing graph is replaced by one
        Graph Store PUT when the triples fit in one request, else written under a temporary name and moved
        over it by one ``MOVE`` update (slow on some servers: Oxigraph copies quad by quad). ``ntriples`` is
        not used: the requests are cut by this store's own chunk size."""
        self._require_writable()
        self._graph_store_endpoint()  # before anything is written
        chunk = _upload_chunk()
        rows = triples if isinstance(triples, list) else list(triples)
        if not self._graph_exists(name):
            target = name
        elif len(rows) <= chunk:
            self._gsp("PUT", name, content=to_ntriples(rows), ctype="application/n-triples")
            return len(rows)
        else:
            target = f"{TMP_PREFIX}{uuid.uuid4().hex}"
        try:
            self._post_chunks(target, rows, bulk=target == name)
            if target != name:
                self.update(f"MOVE SILENT GRAPH <{target}> TO GRAPH <{name}>")
        except BaseException:
            try:
                self.update(f"DROP SILENT GRAPH <{target}>")
            except StoreError:
                pass  # a release graph without metadata is an orphan: the next load drops it
            raise
        return len(rows)

    def append_to_graph(self, name: str, triples: Iterable[TripleTuple], *,
                        ntriples: Sequence[bytes] | None = None) -> None:
        """Add triples to a graph no reader sees yet (a release staged batch by batch), in requests of this
        store's chunk size: not one transaction (an interrupted append leaves part of the batch; the staged
        graph is an orphan that the next load drops)."""
        self._require_writable()
        self._graph_store_endpoint()
        self._post_chunks(name, triples if isinstance(triples, list) else list(triples), bulk=True)

    def _post_chunks(self, target: str, rows: list[TripleTuple], *, bulk: bool) -> None:
        chunk = _upload_chunk()
        flags = {self.endpoints.bulk_param: ""} if self.endpoints.bulk_param and bulk else {}
        for start in range(0, len(rows), chunk):
            self._gsp("POST", target, content=to_ntriples(rows[start:start + chunk]),
                      ctype="application/n-triples", flags=flags)

    def _graph_exists(self, name: str) -> bool:
        body, _ = self._send(lambda: _read(self._ask(f"ASK {{ GRAPH <{name}> {{ ?s ?p ?o }} }}")),
                             self.endpoints.query, None)
        return bool(parse_query_results(body, format=QueryResultsFormat.JSON))

    def add_to_graph(self, name: str, triples: Iterable[TripleTuple]) -> None:
        """One Graph Store POST: the server adds all of it or none."""
        self._require_writable()
        rows = list(triples)
        if rows:
            self._gsp("POST", name, content=to_ntriples(rows), ctype="application/n-triples")

    def remove_from_graph(self, name: str, triples: Iterable[TripleTuple]) -> None:
        self._require_writable()
        rows = list(triples)
        for start in range(0, len(rows), DELETE_CHUNK):
            body = to_ntriples(rows[start:start + DELETE_CHUNK]).decode()
            self.update(f"DELETE DATA {{ GRAPH <{name}> {{\n{body}}} }}")

    def drop_graph(self, name: str) -> None:
        self.update(f"DROP SILENT GRAPH <{name}>")

    def optimize(self) -> None:
        """Nothing to do: the server manages its own storage."""

    def close(self) -> None:
        self._http.close()

    # --- plumbing ------------------------------------------------------------------------------------

    def _dataset_params(self, default_graphs: Sequence[str] | None) -> list[tuple[str, str]]:
        if default_graphs is None:
            return []
        if not default_graphs:
            # an empty dataset: a graph nobody writes to
            return [("default-graph-uri", f"{GRAPH_BASE}empty")]
        return [("default-graph-uri", g) for g in default_graphs]

    def _ask(self, sparql: str) -> SPARQLWrapper:
        wrapper = self._wrapper(self.endpoints.query, None)
        _set_text(wrapper, sparql, "ASK")
        wrapper.setReturnFormat(JSON)
        return wrapper

    def _wrapper(self, endpoint: str, timeout: float | None) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(endpoint, updateEndpoint=endpoint, agent="clingen-graph")
        wrapper.setMethod(POST)  # long queries and many default-graph-uri parameters
        wrapper.timeout = timeout or self.retry.timeout  # urllib takes seconds as a float
        if self._token:
            wrapper.addCustomHttpHeader("Authorization", f"Bearer {self._token}")
        elif self._user is not None and self._password is not None:
            wrapper.setHTTPAuth(DIGEST if self.endpoints.auth == "digest" else BASIC)
            wrapper.setCredentials(self._user, self._password)
        return wrapper

    def _httpx_auth(self) -> httpx.Auth | None:
        if self._token:
            return _Bearer(self._token)
        if self._user is not None and self._password is not None:
            if self.endpoints.auth == "digest":
                return httpx.DigestAuth(self._user, self._password)
            return httpx.BasicAuth(self._user, self._password)
        return None

    def _graph_store_endpoint(self) -> str:
        if not self.endpoints.graph_store:
            raise StoreError(f"{self.url} has no Graph Store endpoint: give --graph-store-endpoint "
                             f"(or {ENV_ENDPOINTS['graph_store']})")
        return self.endpoints.graph_store

    def _gsp(self, method: str, graph: str, *, content: bytes | None = None, ctype: str | None = None,
             headers: dict[str, str] | None = None, flags: dict[str, str] | None = None) -> httpx.Response:
        endpoint = self._graph_store_endpoint()
        all_headers = dict(headers or {})
        if ctype:
            all_headers["Content-Type"] = ctype

        def send() -> httpx.Response:
            answer = self._http.request(method, endpoint, params={self.endpoints.graph_param: graph, **(flags or {})},
                                        content=content, headers=all_headers)
            if answer.status_code >= 500:
                raise _ServerError(answer.status_code, answer.text[:500])
            return answer

        answer = self._retrying(send, endpoint)
        if answer.status_code == 404 and method in ("GET", "DELETE"):
            if method == "GET":
                return httpx.Response(200, content=b"", headers={"content-type": "application/n-triples"})
            return answer
        if answer.status_code in (401, 403):
            raise RemoteStoreError(f"{method} {endpoint}: {answer.status_code} — check {ENV_USER}/{ENV_PASSWORD} "
                                   f"or {ENV_TOKEN}")
        if answer.status_code >= 400:
            raise RemoteStoreError(f"{method} {endpoint} graph {graph}: {answer.status_code} {answer.text[:300]}")
        return answer

    def _send(self, call: Callable[[], tuple[bytes, str]], endpoint: str,
              timeout: float | None) -> tuple[bytes, str]:
        def attempt() -> tuple[bytes, str]:
            try:
                return call()
            except EndPointInternalError as exc:
                raise _ServerError(500, _message(exc)) from exc
            except urllib.error.HTTPError as exc:
                if exc.code >= 500:
                    raise _ServerError(exc.code, exc.read()[:500].decode("utf-8", "replace")) from exc
                raise _ClientError(exc) from exc

        try:
            return self._retrying(attempt, endpoint, timeout)
        except QueryBadFormed as exc:
            raise RemoteStoreError(f"{endpoint} refused the request (400): {_message(exc)}") from exc
        except Unauthorized as exc:
            raise RemoteStoreError(f"{endpoint}: 401 unauthorised — check {ENV_USER}/{ENV_PASSWORD} "
                                   f"or {ENV_TOKEN}") from exc
        except EndPointNotFound as exc:
            raise RemoteStoreError(f"{endpoint}: 404, no SPARQL endpoint there (check the store URL's layout "
                                   "or give the endpoints explicitly)") from exc
        except _ClientError as exc:
            http = exc.error
            detail = http.read()[:300].decode("utf-8", "replace").strip()
            raise RemoteStoreError(f"{endpoint}: {http.code} {http.reason}" + (f": {detail}" if detail else "")) \
                from exc
        except SPARQLWrapperException as exc:
            raise RemoteStoreError(f"{endpoint}: {_message(exc)}") from exc

    def _retrying(self, call: Callable[[], T], endpoint: str, timeout: float | None = None) -> T:
        delay = self.retry.backoff
        for attempt in range(1, self.retry.attempts + 1):
            try:
                return call()
            except (TimeoutError, httpx.TimeoutException) as exc:
                limit = timeout or self.retry.timeout
                raise QueryTimeout(f"{endpoint} did not answer within {limit:g} s") from exc
            except (_ServerError, ConnectionError, urllib.error.URLError, httpx.TransportError) as exc:
                if isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, TimeoutError):
                    raise QueryTimeout(f"{endpoint} did not answer within {timeout or self.retry.timeout:g} s") \
                        from exc
                if attempt == self.retry.attempts:
                    raise RemoteStoreError(f"{endpoint}: {exc} (after {attempt} attempts)") from exc
                time.sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")

    def _require_writable(self) -> None:
        if not self.writable:
            raise StoreError(f"{self.url} is open read-only")


class _ServerError(Exception):
    def __init__(self, status: int, text: str) -> None:
        super().__init__(f"server error {status}: {text.strip()[:300]}")
        self.status = status


class _ReadSolutions(MaterialisedSolutions):
    """Solutions read to the end, which can still be serialised like ``QuerySolutions`` (from the server's
    own answer)."""

    def __init__(self, variables: list, rows: list, body: bytes, fmt: QueryResultsFormat) -> None:
        super().__init__(variables, rows)
        self._body, self._fmt = body, fmt

    def serialize(self, output: None = None, format: QueryResultsFormat = QueryResultsFormat.JSON) -> bytes:
        again = parse_query_results(self._body, format=self._fmt)
        return again.serialize(format=format)  # type: ignore[union-attr,return-value]


class _ClientError(Exception):
    """A 4xx answer: the request is wrong, so it is never retried."""

    def __init__(self, error: urllib.error.HTTPError) -> None:
        super().__init__(str(error))
        self.error = error


class _Bearer(httpx.Auth):
    def __init__(self, token: str) -> None:
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Any:
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request


_COMMENT = re.compile(r"(?m)^\s*#.*$")
_PROLOGUE = re.compile(r"^\s*(?:(?:PREFIX\s+[^:\s]*:\s*<[^>]*>|BASE\s+<[^>]*>)\s*)*", re.IGNORECASE)
_FORM = re.compile(r"^\s*(SELECT|CONSTRUCT|DESCRIBE|ASK)\b", re.IGNORECASE)


def query_form(sparql: str) -> str:
    """SELECT, CONSTRUCT, DESCRIBE or ASK, read after comment lines and the prologue.

    >>> query_form("# described below\nPREFIX a: <http://a/>\nSELECT * WHERE { ?s ?p ?o }")
    'SELECT'
    """
    text = _PROLOGUE.sub("", _COMMENT.sub("", sparql), count=1)
    m = _FORM.match(text)
    return m.group(1).upper() if m else "SELECT"


def _set_text(wrapper: SPARQLWrapper, sparql: str, form: str) -> None:
    """What ``setQuery`` does, with our reading of the query form: SPARQLWrapper's own guess reads keywords
    inside comments ("# described ..." → DESCRIBE) and warns on forms it does not know."""
    wrapper.queryString = sparql
    wrapper.queryType = form


def _read(wrapper: SPARQLWrapper) -> tuple[bytes, str]:
    result = wrapper.query()
    try:
        body = result.response.read()
        ctype = result.response.headers.get("Content-Type", "") or ""
        # Virtuoso's "anytime" answers: 200 with partial (or no) rows, flagged only by this header
        if result.response.headers.get("X-SQL-State", "") == "S1TAT":
            raise QueryTimeout(f"{wrapper.endpoint} stopped the query at its time limit and sent partial results")
    finally:
        result.response.close()
    return body, ctype.split(";")[0].strip().lower()


def _message(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) < 500 else text[:500] + "…"
