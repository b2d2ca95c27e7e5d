"""The API is safe to expose: read-only /sparql, SERVICE allow-list, row/size/rate limits, CORS, gzip and
conditional GETs (real stores: an in-memory one built here, the session's bundled on-disk store)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from email.utils import format_datetime, parsedate_to_datetime

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import Literal, NamedNode

from clingen_graph.api.app import create_app
from clingen_graph.api.settings import Settings
from clingen_graph.api.sparql_guard import SparqlRefused, check, host_allowed
from clingen_graph.ids import GRAPH_BASE
from clingen_graph.store import GraphStore, open_store

PROBLEM = "application/problem+json"
ROWS_GRAPH = GRAPH_BASE + "test/rows"
ROWS = f"SELECT ?s ?o WHERE {{ GRAPH <{ROWS_GRAPH}> {{ ?s ?p ?o }} }} ORDER BY ?o"
TOKEN_HASH = hashlib.sha256(b"s3cret").hexdigest()


@pytest.fixture
def rows_store() -> Iterator[GraphStore]:
    """30 triples in a graph of their own."""
    store = open_store("memory:")
    store.add_to_graph(ROWS_GRAPH, [(NamedNode(f"http://example.org/s{i}"), NamedNode("http://example.org/p"),
                                     Literal(i)) for i in range(30)])
    yield store
    store.close()


def _client(store: GraphStore, tmp_path=None, **settings) -> TestClient:
    if tmp_path is not None:
        settings.setdefault("audit_log", tmp_path / "audit.log")
    return TestClient(create_app(Settings(store="memory:", **settings), store=store))


def _is_problem(r, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    body = r.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


# --- read-only /sparql ----------------------------------------------------------------------------------

def test_updates_are_refused_on_sparql_even_with_a_write_token(rows_store, tmp_path):
    with _client(rows_store, tmp_path, write_token_sha256=TOKEN_HASH) as c:
        auth = {"authorization": "Bearer s3cret"}
        answers = [
            c.post("/sparql", data={"update": f"DROP GRAPH <{ROWS_GRAPH}>"}, headers=auth),
            c.post("/sparql", content=f"DROP GRAPH <{ROWS_GRAPH}>",
                   headers={"content-type": "application/sparql-update", **auth}),
            c.get("/sparql", params={"update": f"DROP GRAPH <{ROWS_GRAPH}>"}, headers=auth),
            c.get("/sparql", params={"query": "PREFIX ex: <http://example.org/>\nINSERT DATA { ex:a ex:b ex:c }"}),
        ]
        for r in answers:
            assert "/graphs" in _is_problem(r, 403)["detail"]
        assert len(c.get("/sparql", params={"query": ROWS}).json()["results"]["bindings"]) == 30


def test_non_queries_are_bad_requests(rows_store):
    with _client(rows_store) as c:
        _is_problem(c.get("/sparql", params={"query": "DEFINE input:x 1 SELECT * {}"}), 400)


# --- SERVICE ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("query", "host"), [
    ("SELECT * WHERE { SERVICE <http://evil.example/sparql> { ?s ?p ?o } }", "evil.example"),
    ("PREFIX e: <https://evil.example/> SELECT * WHERE { SERVICE SILENT e:sparql { ?s ?p ?o } }", "evil.example"),
    ("BASE <http://evil.example/a/> SELECT * WHERE { SERVICE <b> { ?s ?p ?o } }", "evil.example"),
    ("select * where { service <http://10.0.0.1:8890/sparql> { ?s ?p ?o } }", "10.0.0.1"),
    ("SELECT * WHERE { OPTIONAL { FILTER EXISTS { SERVICE <http://evil.example/> { ?s ?p ?o } } } }",
     "evil.example"),
    ("SELECT * WHERE { ?s ?p ?o . _:x.SERVICE <http://evil.example/> {} }", ""),
    ("SELECT * WHERE { BIND(CONCAT(STR(?a<?b),'>') AS ?z) SERVICE <http://evil.example/> { ?s ?p ?o } "
     "BIND('x' AS ?w) }", "evil.example"),
    ("SELECT * WHERE { \\u0053ERVICE <http://evil.example/> { ?s ?p ?o } }", "evil.example"),
], ids=["iri", "prefixed-silent", "base-relative", "lower-case-ip", "nested", "glued-after-bnode",
        "lt-operator-not-an-iri", "unicode-escape"])
def test_service_to_other_hosts_is_refused_naming_the_host(rows_store, query, host):
    with _client(rows_store, service_allow="allowed.example") as c:
        r = c.get("/sparql", params={"query": query})
        assert r.status_code in (400, 403), r.text
        assert r.headers["content-type"].startswith(PROBLEM)
        if r.status_code == 403:
            assert host in r.json()["detail"] and "CLINGEN_GRAPH_SERVICE_ALLOW" in r.json()["detail"]


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }",
    "SELECT * WHERE { VALUES ?e { <http://allowed.example/> } SERVICE SILENT ?e { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICESILENT<http://evil.example/x> { ?s ?p ?o } }",
    "PREFIX e: <http://evil.example/> SELECT * WHERE { SERVICEe:x { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE <file:///etc/passwd> { ?s ?p ?o } }",
])
def test_service_endpoints_that_cannot_be_checked_are_refused(rows_store, query):
    with _client(rows_store, service_allow="allowed.example") as c:
        r = c.get("/sparql", params={"query": query})
        assert r.status_code in (400, 403) and r.headers["content-type"].startswith(PROBLEM), r.text


def test_the_word_service_elsewhere_is_not_a_service_clause(rows_store):
    with _client(rows_store) as c:
        q = (f'SELECT ?serviceName WHERE {{ GRAPH <{ROWS_GRAPH}> {{ ?serviceName <http://example.org/service> ?o }}'
             ' FILTER(?o != "SERVICE <http://evil.example/> {}") } # SERVICE <http://evil.example/>')
        assert c.get("/sparql", params={"query": q}).status_code == 200


def test_guard_reads_service_endpoints():
    shape = check("PREFIX e: <http://allowed.example/> SELECT * { SERVICE e:s { ?a ?b ?c } "
                  "SERVICE <https://sub.allowed.example/q> { ?a ?b ?c } }", ["allowed.example", "*.allowed.example"])
    assert shape.form == "SELECT"
    assert {s.iri for s in shape.services} == {"http://allowed.example/s", "https://sub.allowed.example/q"}
    assert host_allowed("a.b.allowed.example", ["*.allowed.example"])
    assert not host_allowed("allowed.example.evil", ["*.allowed.example", "allowed.example"])
    with pytest.raises(SparqlRefused) as refused:
        check("SELECT * { SERVICE <http://evil.example/> {} }", [])
    assert refused.value.status == 403 and "allowed hosts: none" in str(refused.value)


def test_service_to_an_allowed_host_runs(rows_store, oxigraph_server):
    """A real SPARQL server on 127.0.0.1 (a session fixture) is called when its host is allowed."""
    q = f"SELECT ?x WHERE {{ SERVICE <{oxigraph_server.query_url}> {{ BIND(42 AS ?x) }} }}"
    with _client(rows_store, service_allow="127.0.0.1") as c:
        r = c.get("/sparql", params={"query": q})
        assert r.status_code == 200, r.text
        assert r.json()["results"]["bindings"][0]["x"]["value"] == "42"
    with _client(rows_store) as c:
        assert "127.0.0.1" in _is_problem(c.get("/sparql", params={"query": q}), 403)["detail"]


# --- row, size and rate limits ----------------------------------------------------------------------------

@pytest.mark.parametrize(("accept", "count"), [
    ("application/sparql-results+json", lambda r: len(r.json()["results"]["bindings"])),
    ("application/sparql-results+xml", lambda r: r.text.count("<result>")),
    ("text/csv", lambda r: len(r.text.strip().splitlines()) - 1),
    ("text/tab-separated-values", lambda r: len(r.text.strip().splitlines()) - 1),
], ids=["json", "xml", "csv", "tsv"])
def test_a_long_select_answers_its_first_rows_flagged(rows_store, accept, count):
    with _client(rows_store, max_result_rows=10) as c:
        r = c.get("/sparql", params={"query": ROWS}, headers={"accept": accept})
        assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
        assert r.headers["x-result-truncated"] == "true" and r.headers["x-result-row-limit"] == "10"
        assert count(r) == 10
        exact = c.get("/sparql", params={"query": ROWS + " LIMIT 10"}, headers={"accept": accept})
        assert "x-result-truncated" not in exact.headers and count(exact) == 10


def test_truncated_rows_keep_their_order_and_terms(rows_store):
    with _client(rows_store, max_result_rows=3) as c:
        rows = c.get("/sparql", params={"query": ROWS}).json()["results"]["bindings"]
        assert [b["o"]["value"] for b in rows] == ["0", "1", "2"]
        assert rows[0]["o"]["datatype"].endswith("#integer") and rows[0]["s"]["type"] == "uri"
        ask = c.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert ask.status_code == 200 and "x-result-truncated" not in ask.headers


def test_row_limit_in_the_query_workers(bundled_url):
    """On disk, queries run in worker processes: the flag travels back from them."""
    app = create_app(Settings(store=bundled_url, max_result_rows=2, sparql_workers=1))
    with TestClient(app) as c:
        r = c.get("/sparql", params={"query": "SELECT ?s WHERE { ?s a ?t } LIMIT 5"})
        assert r.status_code == 200 and r.headers["x-result-truncated"] == "true"
        assert len(r.json()["results"]["bindings"]) == 2


def test_the_byte_limit_stays(rows_store):
    with _client(rows_store, max_result_bytes=200) as c:
        _is_problem(c.get("/sparql", params={"query": ROWS}), 413)


def test_request_size_limits(rows_store):
    with _client(rows_store, max_request_bytes=1000) as c:
        big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 2000
        assert "CLINGEN_GRAPH_MAX_REQUEST_BYTES" in _is_problem(
            c.post("/sparql", content=big, headers={"content-type": "application/sparql-query"}), 413)["detail"]
        _is_problem(c.get("/sparql", params={"query": big}), 413)

        def chunked() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
            for _ in range(10):
                yield b"#" + b"x" * 299

        _is_problem(c.post("/sparql", content=chunked(), headers={"content-type": "application/sparql-query"}), 413)
        ok = c.post("/sparql", content="ASK {}", headers={"content-type": "application/sparql-query"})
        assert ok.status_code == 200


def test_rate_limit_per_client(rows_store):
    with _client(rows_store, rate_limit_per_s=0.5, rate_burst=3) as c:
        assert [c.get("/context.jsonld").status_code for _ in range(3)] == [200, 200, 200]
        r = c.get("/context.jsonld")
        body = _is_problem(r, 429)
        assert int(r.headers["retry-after"]) >= 1 and "CLINGEN_GRAPH_RATE_LIMIT_PER_S" in body["detail"]


def test_no_rate_limit_by_default(rows_store):
    assert Settings(store="memory:").rate_limit_per_s == 0
    with _client(rows_store) as c:
        assert {c.get("/context.jsonld").status_code for _ in range(300)} == {200}


def test_token_buckets_refill():
    from clingen_graph.api.limits import TokenBuckets

    now = [0.0]
    buckets = TokenBuckets(2.0, 2, clock=lambda: now[0])
    assert buckets.take("a") == 0 and buckets.take("a") == 0
    assert buckets.take("a") == pytest.approx(0.5)
    assert buckets.take("b") == 0  # per client
    now[0] = 0.5
    assert buckets.take("a") == 0


# --- CORS, gzip ---------------------------------------------------------------------------------------------

def test_cors_for_reads(rows_store):
    with _client(rows_store) as c:
        r = c.get("/releases", headers={"origin": "https://app.example"})
        assert r.headers["access-control-allow-origin"] == "*"
        assert "etag" in r.headers["access-control-expose-headers"].lower()
        pre = c.options("/releases", headers={"origin": "https://app.example", "access-control-request-method": "GET"})
        assert pre.status_code == 200 and "GET" in pre.headers["access-control-allow-methods"]
        put = c.options("/graphs/x", headers={"origin": "https://app.example", "access-control-request-method": "PUT"})
        assert put.status_code == 400  # writes are not offered cross-origin
        assert "Origin" in c.get("/releases").headers["vary"]
    with _client(rows_store, cors_origins="https://one.example,https://two.example") as c:
        assert c.get("/releases", headers={"origin": "https://two.example"}).headers[
            "access-control-allow-origin"] == "https://two.example"
        assert "access-control-allow-origin" not in c.get("/releases", headers={"origin": "https://x.example"}).headers


def test_gzip_above_a_kilobyte(rows_store):
    with _client(rows_store) as c:
        r = c.get("/openapi.json", headers={"accept-encoding": "gzip"})
        assert r.headers["content-encoding"] == "gzip" and r.json()["paths"]
        small = c.get("/health", headers={"accept-encoding": "gzip"})
        assert "content-encoding" not in small.headers
        plain = c.get("/openapi.json", headers={"accept-encoding": "identity"})
        assert "content-encoding" not in plain.headers and "Accept-Encoding" in plain.headers["vary"]


def test_head_is_get_without_the_body(client):
    for path, accept in (("/genes/HGNC:1100", "application/ld+json"), ("/genes/HGNC:1100", "text/turtle"),
                         ("/variants/CA114360", "text/html"), ("/health", "*/*"), ("/", "text/html"),
                         ("/queries/gene-validity", "application/json")):
        plain = {"accept": accept, "accept-encoding": "identity"}
        get, head = client.get(path, headers=plain), client.head(path, headers=plain)
        assert (head.status_code, head.content) == (200, b""), path
        for name in ("content-type", "content-length", "etag", "vary"):
            assert head.headers.get(name) == get.headers.get(name), (path, name)
        assert int(head.headers["content-length"]) == len(get.content)
    zipped = client.head("/genes/HGNC:1100?format=ttl", headers={"accept-encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip" and zipped.content == b""
    missing = client.head("/genes/HGNC:999999")
    assert missing.status_code == 404 and missing.content == b""
    etag = client.get("/genes/HGNC:1100").headers["etag"]
    assert client.head("/genes/HGNC:1100", headers={"if-none-match": etag}).status_code == 304
    assert client.head("/classify").status_code == 405  # POST only: as its GET would


# --- ETag / Last-Modified -------------------------------------------------------------------------------------

def test_entities_carry_validators_and_answer_304(client):
    r = client.get("/genes/HGNC:1100")
    etag, modified = r.headers["etag"], r.headers["last-modified"]
    assert etag.startswith('W/"') and parsedate_to_datetime(modified).year >= 2024
    assert "Accept" in r.headers["vary"] and r.headers["cache-control"] == "no-cache"
    again = client.get("/genes/HGNC:1100", headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert client.get("/genes/BRCA1", headers={"if-none-match": f'"other", {etag}'}).status_code == 304
    turtle = client.get("/genes/HGNC:1100", headers={"accept": "text/turtle"})
    assert turtle.headers["etag"] != etag  # another representation, another tag
    assert client.get("/genes/HGNC:1100", headers={"if-none-match": '"stale"'}).status_code == 200
    assert client.get("/genes/HGNC:1100", headers={"if-modified-since": modified}).status_code == 304
    older = format_datetime(parsedate_to_datetime(modified).replace(year=2000), usegmt=True)
    assert client.get("/genes/HGNC:1100", headers={"if-modified-since": older}).status_code == 200
    assert client.get("/genes/HGNC:999999", headers={"if-none-match": etag}).status_code == 404


def test_releases_carry_validators(client):
    r = client.get("/releases")
    assert r.status_code == 200 and r.headers["last-modified"]
    assert client.get("/releases", headers={"if-none-match": r.headers["etag"]}).status_code == 304
    assert client.get("/releases").json() == r.json()  # cached per release view


def test_timeouts_name_the_limit():
    """A store-level timeout outside /sparql (e.g. a remote server's) is a 503 problem too."""
    from clingen_graph.api.errors import timeout_detail

    detail = timeout_detail("query took longer than 2 s", 2.0)
    assert "2 s" in detail and "CLINGEN_GRAPH_QUERY_TIMEOUT" in detail


def test_openapi_documents_the_limits_and_writes(rows_store):
    with _client(rows_store) as c:
        spec = c.get("/openapi.json").json()
        get = spec["paths"]["/sparql"]["get"]["description"]
        assert "X-Result-Truncated" in get and "503" in get and "CLINGEN_GRAPH_SERVICE_ALLOW" in get
        assert {"put", "delete"} <= set(spec["paths"]["/graphs/{name}"])
        assert "post" in spec["paths"]["/releases"]
