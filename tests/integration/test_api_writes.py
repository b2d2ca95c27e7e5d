"""The curators' write path: token, Graph Store Protocol PUT/DELETE, POST /releases, audit log (real stores:
in memory, on disk in tmp, and an Oxigraph server when one can be started)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from clingen_graph.api.app import create_app
from clingen_graph.api.settings import Settings
from clingen_graph.api.state import GENERATION_FILE
from clingen_graph.ids import GRAPH_BASE
from clingen_graph.store import GraphStore, StoreError, open_store

PROBLEM = "application/problem+json"
TOKEN = "curator-token-1"
TOKEN_HASH = hashlib.sha256(TOKEN.encode()).hexdigest()
AUTH = {"authorization": f"Bearer {TOKEN}"}
TURTLE = b"""@prefix ex: <http://example.org/> .
ex:BRCA1 ex:note "reviewed" ; ex:by <curator/1> .
"""
NTRIPLES = b"<http://example.org/a> <http://example.org/b> \"c\" .\n"
NOTES = GRAPH_BASE + "curated/notes"


def _audit(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def _count(c: TestClient, graph: str) -> int:
    q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    r = c.get("/sparql", params={"query": q})
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


@pytest.fixture
def writer(memory_store: GraphStore, tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(store="memory:", write_token_sha256=TOKEN_HASH, audit_log=tmp_path / "audit.log",
                              upload_dir=tmp_path), store=memory_store)
    with TestClient(app) as c:
        yield c


@pytest.fixture
def hgnc_file(fixtures_dir: Path) -> Path:
    return fixtures_dir / "hgnc" / "hgnc_entries_2024-07-23.tsv"


def test_writes_are_disabled_without_a_token_hash(memory_store, tmp_path):
    app = create_app(Settings(store="memory:", audit_log=tmp_path / "audit.log"), store=memory_store)
    with TestClient(app) as c:
        for r in (c.put("/graphs/curated/notes", content=TURTLE, headers={"content-type": "text/turtle", **AUTH}),
                  c.delete("/graphs/curated/notes", headers=AUTH),
                  c.post("/releases?filename=x.tsv", content=b"x", headers=AUTH)):
            assert r.status_code == 403 and r.headers["content-type"].startswith(PROBLEM)
            assert "writes are disabled" in r.json()["detail"]
    assert not (tmp_path / "audit.log").exists()


def test_the_setting_is_a_hash_not_a_token():
    with pytest.raises(ValueError, match="sha256"):
        Settings(store="memory:", write_token_sha256=TOKEN)
    assert Settings(store="memory:", write_token_sha256=TOKEN_HASH.upper()).write_token_sha256 == TOKEN_HASH


def test_a_valid_bearer_token_is_required(writer, tmp_path):
    for headers in ({}, {"authorization": "Bearer wrong"}, {"authorization": f"Basic {TOKEN}"}):
        r = writer.put("/graphs/curated/notes", content=TURTLE, headers={"content-type": "text/turtle", **headers})
        assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer")
        assert r.headers["content-type"].startswith(PROBLEM)
    assert _count(writer, NOTES) == 0
    lines = _audit(tmp_path / "audit.log")
    assert [e["outcome"] for e in lines] == ["unauthorized"] * 3
    assert lines[1]["token"] == hashlib.sha256(b"wrong").hexdigest()[:8] and lines[1]["client"]


def test_put_replaces_and_delete_drops_a_graph(writer, tmp_path):
    r = writer.put("/graphs/curated/notes", content=TURTLE, headers={"content-type": "text/turtle", **AUTH})
    assert r.status_code == 201 and r.json() == {"graph": NOTES, "status": "created", "triples": 2}
    assert _count(writer, NOTES) == 2
    rel = writer.get("/sparql", params={"query": f"SELECT ?o WHERE {{ GRAPH <{NOTES}> {{ ?s "
                                                 f"<http://example.org/by> ?o }} }}"}).json()
    assert rel["results"]["bindings"][0]["o"]["value"] == NOTES.rsplit("/", 1)[0] + "/curator/1"  # base: the graph

    r = writer.put("/graphs/curated/notes", content=NTRIPLES,
                   headers={"content-type": "application/n-triples; charset=utf-8", **AUTH})
    assert r.status_code == 200 and r.json()["status"] == "replaced" and _count(writer, NOTES) == 1

    r = writer.delete("/graphs/curated/notes", headers=AUTH)
    assert r.status_code == 200 and r.json()["status"] == "deleted" and _count(writer, NOTES) == 0
    assert writer.delete("/graphs/curated/notes", headers=AUTH).status_code == 404

    lines = _audit(tmp_path / "audit.log")
    assert [(e["method"], e["status"], e["outcome"]) for e in lines] == [
        ("PUT", 201, "created"), ("PUT", 200, "replaced"), ("DELETE", 200, "deleted"), ("DELETE", 404, "absent")]
    first = lines[0]
    assert first["token"] == TOKEN_HASH[:8] and first["graph"] == NOTES and first["path"] == "/graphs/curated/notes"
    assert first["bodySha256"] == hashlib.sha256(TURTLE).hexdigest() and first["bodyBytes"] == len(TURTLE)
    assert first["time"].endswith("Z") and first["client"] and first["triples"] == 2


@pytest.mark.parametrize(("name", "ctype", "body", "status"), [
    ("meta", "text/turtle", TURTLE, 403),
    ("%2E%2E/etc", "text/turtle", TURTLE, 400),
    ("curated//x", "text/turtle", TURTLE, 400),
    ("https:/w3id.org/x", "text/turtle", TURTLE, 400),
    ("curated/notes", "application/rdf+xml", TURTLE, 415),
    ("curated/notes", "text/turtle", b"this is not turtle", 400),
    ("notes", "text/turtle", TURTLE, 400),  # curated graphs live under curated/, where loads never look
    ("hgnc/2099-01-01", "text/turtle", TURTLE, 400),
])
def test_put_refusals(writer, tmp_path, name, ctype, body, status):
    r = writer.put(f"/graphs/{name}", content=body, headers={"content-type": ctype, **AUTH})
    assert r.status_code == status and r.headers["content-type"].startswith(PROBLEM), r.text
    assert _audit(tmp_path / "audit.log")[-1]["status"] == status


def test_releases_load_answer_their_summary_and_are_audited(writer, hgnc_file, tmp_path):
    before = writer.get("/releases")
    body = hgnc_file.read_bytes()
    r = writer.post(f"/releases?filename={hgnc_file.name}", content=body,
                    headers={"content-type": "text/tab-separated-values", **AUTH})
    assert r.status_code == 201, r.text
    summary = r.json()
    assert summary["status"] == "loaded" and summary["source"] == "hgnc" and summary["release"] == "2024-07-23"
    assert summary["file"] == hgnc_file.name and summary["rowsRead"] == 14 and summary["rowsLoaded"] >= 1
    assert summary["graph"] == GRAPH_BASE + "hgnc/2024-07-23" and summary["triples"] > 0
    assert summary["ontology"]["status"] == "loaded"

    listed = writer.get("/releases")
    assert any(x["id"] == summary["graph"] and x["current"] and x["file"] == hgnc_file.name
               for x in listed.json()["releases"])
    assert listed.headers["etag"] != before.headers["etag"]  # a new release view, a new tag
    gene = writer.get("/genes/HGNC:23336")
    assert gene.status_code == 200 and writer.get("/genes/A2ML1").status_code == 200

    again = writer.post(f"/releases?filename={hgnc_file.name}", content=body, headers=AUTH)
    assert again.status_code == 200 and again.json()["status"] == "unchanged"
    assert writer.get("/genes/HGNC:23336", headers={"if-none-match": gene.headers["etag"]}).status_code == 304

    # a release graph is not written by PUT/DELETE: its metadata describes it
    assert writer.delete("/graphs/hgnc/2024-07-23", headers=AUTH).status_code == 409

    lines = [e for e in _audit(tmp_path / "audit.log") if e["method"] == "POST"]
    assert [(e["status"], e["outcome"]) for e in lines] == [(201, "loaded"), (200, "unchanged")]
    assert lines[0]["file"] == hgnc_file.name and lines[0]["release"] == summary["graph"]
    assert lines[0]["bodySha256"] == hashlib.sha256(body).hexdigest() and lines[0]["rowsRead"] == 14
    assert not list(tmp_path.glob("clingen-graph-upload-*"))  # the upload is removed


def test_a_file_that_cannot_load_is_422_with_its_problems(writer, tmp_path):
    r = writer.post("/releases?filename=notes.txt", content=b"just some words\n", headers=AUTH)
    assert r.status_code == 422
    body = r.json()
    assert body["status"] == "failed" and body["problems"] and body["problems"][0]["code"] == "unknown-kind"
    assert "tmp" not in body["message"] or "clingen-graph-upload" not in body["message"]
    assert _audit(tmp_path / "audit.log")[-1]["outcome"] == "failed"


def test_release_upload_refusals(writer, tmp_path):
    assert writer.post("/releases", content=b"x", headers=AUTH).status_code == 400  # no file name
    for name in ("../../etc/passwd", ".hidden", "a b.tsv"):
        assert writer.post("/releases", params={"filename": name}, content=b"x", headers=AUTH).status_code == 400
    by_header = writer.post("/releases", content=b"x", headers={
        "content-disposition": 'attachment; filename="words.txt"', **AUTH})
    assert by_header.status_code == 422 and by_header.json()["file"] == "words.txt"
    r = writer.post("/releases?filename=x.tsv", content=b"--b\r\n", headers={
        "content-type": "multipart/form-data; boundary=b", **AUTH})
    assert r.status_code == 415


def test_upload_size_limit(memory_store, tmp_path):
    app = create_app(Settings(store="memory:", write_token_sha256=TOKEN_HASH, audit_log=tmp_path / "audit.log",
                              max_upload_bytes=100, max_request_bytes=50), store=memory_store)
    with TestClient(app) as c:
        r = c.post("/releases?filename=big.tsv", content=b"x" * 101, headers=AUTH)
        assert r.status_code == 413 and r.headers["content-type"].startswith(PROBLEM)

        def chunked() -> Iterator[bytes]:
            yield b"x" * 60
            yield b"x" * 60

        assert c.put("/graphs/curated/big", content=chunked(),
                     headers={"content-type": "text/turtle", **AUTH}).status_code == 413
        # the write routes take uploads larger than the request limit
        ok = c.put("/graphs/curated/small", content=NTRIPLES, headers={"content-type": "application/n-triples",
                                                                        **AUTH})
        assert ok.status_code == 201
    assert [e["status"] for e in _audit(tmp_path / "audit.log")] == [413, 413, 201]  # refusals audited too


def test_an_on_disk_store_is_opened_read_write_by_the_app(tmp_path, hgnc_file):
    """With a token the app holds the directory read-write: its writes reach the /sparql worker processes
    through the generation file, and no other process can open it for writing meanwhile."""
    url = f"oxigraph:{tmp_path / 'store'}"
    app = create_app(Settings(store=url, write_token_sha256=TOKEN_HASH, audit_log=tmp_path / "audit.log",
                              sparql_workers=1))
    with TestClient(app) as c:
        assert _count(c, NOTES) == 0
        r = c.put("/graphs/curated/notes", content=TURTLE, headers={"content-type": "text/turtle", **AUTH})
        assert r.status_code == 201
        assert _count(c, NOTES) == 2  # answered by a worker process with its own read-only handle
        r = c.post(f"/releases?filename={hgnc_file.name}", content=hgnc_file.read_bytes(), headers=AUTH)
        assert r.status_code == 201, r.text
        assert c.get("/genes/HGNC:23336").status_code == 200
        assert _count(c, GRAPH_BASE + "hgnc/2024-07-23") > 0
        assert int((tmp_path / "store" / GENERATION_FILE).read_text()) >= 2
        with pytest.raises(StoreError, match="open for writing"):
            open_store(url)


def test_writes_go_through_to_a_remote_store(oxigraph_server, tmp_path):
    url = f"oxigraph+{oxigraph_server.base_url}"
    app = create_app(Settings(store=url, write_token_sha256=TOKEN_HASH, audit_log=tmp_path / "audit.log"))
    name = f"curated/api-writes-{tmp_path.name}"
    with TestClient(app) as c:
        r = c.put(f"/graphs/{name}", content=TURTLE, headers={"content-type": "text/turtle", **AUTH})
        assert r.status_code == 201, r.text
        remote = open_store(url, read_only=True)
        try:
            assert len(list(remote.query(f"SELECT * WHERE {{ GRAPH <{GRAPH_BASE}{name}> {{ ?s ?p ?o }} }}"))) == 2
            assert c.delete(f"/graphs/{name}", headers=AUTH).status_code == 200
            assert not remote.query(f"ASK {{ GRAPH <{GRAPH_BASE}{name}> {{ ?s ?p ?o }} }}")
        finally:
            remote.close()


def test_curated_graphs_stay_out_of_the_release_view(writer, hgnc_file, tmp_path):
    """A graph written by PUT is queryable by name, never part of entity answers (the default view is the
    current releases): after the write the store's graph list is read again."""
    assert writer.post(f"/releases?filename={hgnc_file.name}", content=hgnc_file.read_bytes(),
                       headers=AUTH).status_code == 201
    before = writer.get("/genes/HGNC:23336", headers={"accept": "application/n-triples"}).text
    note = b'<https://identifiers.org/hgnc:23336> <http://www.w3.org/2000/01/rdf-schema#label> "CURATED NOTE" .\n'
    assert writer.put("/graphs/curated/a2ml1", content=note,
                      headers={"content-type": "application/n-triples", **AUTH}).status_code == 201
    after = writer.get("/genes/HGNC:23336", headers={"accept": "application/n-triples"}).text
    assert "CURATED NOTE" not in after and after == before
    assert _count(writer, GRAPH_BASE + "curated/a2ml1") == 1
    # a later load drops orphan graphs of interrupted loads, never curated ones
    newer = tmp_path / hgnc_file.name.replace("2024-07-23", "2025-02-02")
    newer.write_bytes(hgnc_file.read_bytes())
    assert writer.post(f"/releases?filename={newer.name}", content=newer.read_bytes(),
                       headers=AUTH).status_code in (200, 201)
    assert _count(writer, GRAPH_BASE + "curated/a2ml1") == 1
    state = writer.app.state.clingen
    with state.writing():
        assert state.graphs[-1].startswith("urn:")  # names its graphs one by one while a write runs
    assert not state.graphs[-1].startswith("urn:")
