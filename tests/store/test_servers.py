"""The real servers of :mod:`clingen_graph.devservers` answer the protocols the remote backend will use.

Each server is started once per session (``tests/conftest.py``) and skipped, with the reason, only when it cannot
be started here. Every test writes to graph names of its own, since the servers are shared. Both servers are
talked to with httpx, without the environment's proxies (loopback).
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pyoxigraph import RdfFormat, Store, parse

from clingen_graph import devservers
from clingen_graph.devservers import Server, ServerUnavailable, start_oxigraph

SPARQL_JSON = {"Accept": "application/sparql-results+json"}
TURTLE = """@prefix cg: <https://w3id.org/clingen-graph/vocab#> .
@prefix hgnc: <https://identifiers.org/hgnc:> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
hgnc:1100 a cg:Gene ; cg:symbol "BRCA1" ; cg:name "BRCA1 DNA repair associated"@en ;
  cg:hgncId 1100 ; cg:approved "2024-07-23"^^xsd:date ; cg:note "Sjögren–Larsson ≥ 2" .
hgnc:8582 a cg:Gene ; cg:symbol "PAH" .
"""


@pytest.fixture(params=[pytest.param("oxigraph", marks=pytest.mark.server),
                        pytest.param("virtuoso", marks=pytest.mark.server)])
def server(request: pytest.FixtureRequest) -> Server:
    return request.getfixturevalue(f"{request.param}_server")


def client(server: Server, *, auth: httpx.Auth | None = None) -> httpx.Client:
    """A client with the server's credentials (digest for Virtuoso), unless ``auth`` is given."""
    if auth is None and server.username is not None:
        assert server.password is not None and server.auth_scheme == "digest"
        auth = httpx.DigestAuth(server.username, server.password)
    return httpx.Client(auth=auth, timeout=30, trust_env=False)


@pytest.fixture
def http(server: Server) -> Iterator[httpx.Client]:
    with client(server) as c:
        yield c


def graph_name() -> str:
    return f"https://w3id.org/clingen-graph/graph/test/{uuid.uuid4().hex}"


def select(http: httpx.Client, server: Server, query: str, **params: str) -> list[dict[str, str]]:
    resp = http.post(server.query_url, data={"query": query, **params}, headers=SPARQL_JSON)
    assert resp.status_code == 200, resp.text
    # Virtuoso answers an interrupted ("anytime") query with 200 and partial results: never accept that.
    assert "x-sql-state" not in resp.headers, resp.headers
    return [{k: v["value"] for k, v in row.items()} for row in resp.json()["results"]["bindings"]]


def update(http: httpx.Client, server: Server, sparql: str) -> None:
    resp = http.post(server.update_url, data={"update": sparql})
    assert resp.status_code in (200, 204), resp.text


def triples(data: bytes) -> set[str]:
    return {str(t) for t in parse(data, format=RdfFormat.TURTLE)}


def test_query(server: Server, http: httpx.Client) -> None:
    resp = http.get(server.query_url, params={"query": "ASK {}"}, headers=SPARQL_JSON)
    assert resp.status_code == 200 and resp.json()["boolean"] is True
    assert select(http, server, "SELECT ?x WHERE { VALUES ?x { 1 2 } } ORDER BY ?x") == [{"x": "1"}, {"x": "2"}]


def test_update_insert_data_into_named_graph(server: Server, http: httpx.Client) -> None:
    g = graph_name()
    update(http, server, f'INSERT DATA {{ GRAPH <{g}> {{ <urn:s> <urn:p> "Sjögren ≥ 2" }} }}')
    assert select(http, server, f"SELECT ?o WHERE {{ GRAPH <{g}> {{ <urn:s> <urn:p> ?o }} }}") == [{"o": "Sjögren ≥ 2"}]
    if server.name == "virtuoso":  # Virtuoso drops only graphs made by CREATE GRAPH; DROP SILENT and CLEAR work
        refused = http.post(server.update_url, data={"update": f"DROP GRAPH <{g}>"})
        assert refused.status_code == 500 and "has not been explicitly created" in refused.text
    update(http, server, f"DROP SILENT GRAPH <{g}>")
    assert select(http, server, f"SELECT ?o WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}") == []


def test_graph_store_put_get_delete(server: Server, http: httpx.Client) -> None:
    g = graph_name()
    url, turtle = server.graph_store_url, {"Content-Type": "text/turtle"}
    assert http.put(url, params={"graph": g}, content=TURTLE.encode(), headers=turtle).status_code == 201
    assert http.put(url, params={"graph": g}, content=TURTLE.encode(), headers=turtle).status_code in (200, 204)
    got = http.get(url, params={"graph": g}, headers={"Accept": "text/turtle"})
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/turtle")
    assert triples(got.content) == triples(TURTLE.encode())  # literals, language tag, datatypes and UTF-8 intact
    assert http.delete(url, params={"graph": g}).status_code in (200, 204)
    assert http.get(url, params={"graph": g}).status_code == 404
    assert http.delete(url, params={"graph": g}).status_code == 404


def test_default_graph(server: Server, http: httpx.Client) -> None:
    """Oxigraph's default graph is the unnamed graph; Virtuoso's is the union of all graphs. With
    ``default-graph-uri`` both use just the graphs named."""
    g1, g2 = graph_name(), graph_name()
    s = f"urn:uuid:{uuid.uuid4()}"
    update(http, server, f"INSERT DATA {{ GRAPH <{g1}> {{ <{s}> <urn:p> 1 }} GRAPH <{g2}> {{ <{s}> <urn:p> 2 }} }}")
    query = f"SELECT ?o WHERE {{ <{s}> <urn:p> ?o }} ORDER BY ?o"
    union = {"oxigraph": [], "virtuoso": [{"o": "1"}, {"o": "2"}]}[server.name]
    assert select(http, server, query) == union
    assert select(http, server, query, **{"default-graph-uri": g2}) == [{"o": "2"}]
    update(http, server, f"DROP SILENT GRAPH <{g1}> ; DROP SILENT GRAPH <{g2}>")


@pytest.mark.server
def test_virtuoso_refuses_wrong_and_anonymous_writes(virtuoso_server: Server) -> None:
    """Writes need dba's password by Digest: Basic (even with the right password), a wrong password and
    anonymous writes are all refused. (Wrong passwords only over HTTP: four failed *SQL* logins block the IP's
    SQL logins for 60 s, and the fixture's isql would then fail.)"""
    v, g = virtuoso_server, graph_name()
    insert = {"update": f"INSERT DATA {{ GRAPH <{g}> {{ <urn:s> <urn:p> 1 }} }}"}
    assert v.username is not None and v.password is not None
    with client(v, auth=httpx.DigestAuth(v.username, "wrong")) as c:
        assert c.post(v.update_url, data=insert).status_code == 401
        put = c.put(v.graph_store_url, params={"graph": g}, content=TURTLE.encode(),
                    headers={"Content-Type": "text/turtle"})
        assert put.status_code == 401
    with client(v, auth=httpx.BasicAuth(v.username, v.password)) as c:
        assert c.post(v.update_url, data=insert).status_code == 401
    with httpx.Client(timeout=30, trust_env=False) as anonymous:
        assert anonymous.post(v.update_url, data=insert).status_code == 401
        assert anonymous.post(v.query_url, data=insert).status_code >= 400  # /sparql: no SPARQL_UPDATE
        put = anonymous.put(f"{v.base_url}/sparql-graph-crud", params={"graph": g}, content=TURTLE.encode(),
                            headers={"Content-Type": "text/turtle"})
        assert put.status_code == 403
        assert select(anonymous, v, f"SELECT * WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}") == []  # nothing written
    # dba's password is no longer the well-known one
    with client(v, auth=httpx.DigestAuth(v.username, "dba")) as c:
        assert c.get(v.update_url, params={"query": "ASK {}"}).status_code == 401


@pytest.mark.server
def test_oxigraph_read_only_and_stop(tmp_path: Path) -> None:
    Store(str(tmp_path / "store")).flush()  # an existing store for serve-read-only
    with start_oxigraph(tmp_path, read_only=True) as ro, client(ro) as c:
        assert c.get(ro.query_url, params={"query": "ASK {}"}).status_code == 200
        assert c.post(ro.update_url, data={"update": "INSERT DATA { <urn:s> <urn:p> 1 }"}).status_code >= 400
    assert ro.process.poll() is not None  # stopped on leaving the block
    ro.stop()  # twice is fine


def test_missing_binaries_say_how_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    with pytest.raises(ServerUnavailable, match=r"virtuoso-t not found: apt-get install virtuoso-opensource"):
        devservers.start_virtuoso(tmp_path)
    monkeypatch.setattr(devservers.sys, "executable", str(tmp_path / "python"))
    with pytest.raises(ServerUnavailable, match=r"oxigraph not found .* pip install oxigraph"):
        start_oxigraph(tmp_path)


@pytest.mark.server
def test_not_ready_reports_the_log(tmp_path: Path) -> None:
    (tmp_path / "store").write_text("a file where the store directory should be")
    with pytest.raises(ServerUnavailable, match=r"oxigraph exited with code \d+ before it was ready; log .*\n"):
        start_oxigraph(tmp_path)


def test_virtuoso_ini(tmp_path: Path) -> None:
    template = """[Database]
DatabaseFile       = /var/lib/virtuoso-opensource-7/db/virtuoso.db
ErrorLogLevel      = 7
[Parameters]
ServerPort               = 1111
NumberOfBuffers          = 10000
;NumberOfBuffers          = 340000
NumberOfBuffers          = 20000
MaxDirtyBuffers          = 6000
[HTTPServer]
ServerPort                  = 8890
[SPARQL]
ResultSetMaxRows           = 10000
MaxQueryExecutionTime      = 60	; in seconds
[Plugins]
LoadPath = /usr/lib
Load1    = plain, wikiv
"""
    ini = devservers.virtuoso_ini(template, tmp_path, sql_port=1234, http_port=5678, buffers=1000,
                                  dirs_allowed=(Path("/data"),))
    lines = ini.splitlines()
    assert f"DatabaseFile = {tmp_path}/virtuoso.db" in lines and "ErrorLogLevel      = 7" in lines
    assert f"ErrorLogFile = {tmp_path}/virtuoso.log" in lines  # missing keys are added to their section
    assert "ServerPort = 127.0.0.1:1234" in lines and "ServerPort = 127.0.0.1:5678" in lines
    assert [ln for ln in lines if ln.startswith("NumberOfBuffers")] == ["NumberOfBuffers = 1000"]
    assert ";NumberOfBuffers          = 340000" in lines and "MaxDirtyBuffers = 750" in lines
    assert f"DirsAllowed = ., {tmp_path}, /data, /usr/share/virtuoso-opensource-7/vad" in lines
    assert "ResultSetMaxRows = 100000000" in lines and "MaxQueryExecutionTime = 300" in lines
    assert not [ln for ln in lines if ln.startswith("Load1")] and "LoadPath = /usr/lib" in lines
    assert "[URIQA]" in lines and "DefaultHost = 127.0.0.1:5678" in lines  # missing sections are appended
