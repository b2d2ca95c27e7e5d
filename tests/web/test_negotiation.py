"""Content negotiation of the entity URLs: Accept and ?format=, the default, 400 and 406, ETags per format."""

from __future__ import annotations

import pytest

from .conftest import BROWSER_ACCEPT, PAGES

URL = PAGES["gene"]


@pytest.mark.parametrize(("accept", "media"), [
    (None, "application/ld+json"),
    ("*/*", "application/ld+json"),
    ("application/ld+json", "application/ld+json"),
    ("application/json", "application/json"),
    ("text/turtle", "text/turtle"),
    ("application/n-triples", "application/n-triples"),
    ("text/html", "text/html"),
    (BROWSER_ACCEPT, "text/html"),
    ("text/turtle;q=0.5, text/html;q=0.9", "text/html"),
], ids=["none", "any", "jsonld", "json", "turtle", "ntriples", "html", "browser", "q-values"])
def test_accept_chooses_the_format(client, accept, media):
    headers = {"Accept": accept} if accept is not None else {}
    r = client.get(URL, headers=headers)
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == media
    assert "Accept" in r.headers["vary"]


@pytest.mark.parametrize(("fmt", "media", "marker"), [
    ("jsonld", "application/ld+json", b'"@context"'),
    ("ttl", "text/turtle", b"@prefix"),
    ("nt", "application/n-triples", b"<https://identifiers.org/hgnc:1100>"),
    ("html", "text/html", b'<section id="gene-validity">'),
])
def test_format_parameter_wins_over_accept(client, fmt, media, marker):
    accept = "text/turtle" if fmt != "ttl" else "text/html"
    r = client.get(URL, params={"format": fmt}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == media
    assert marker in r.content


@pytest.mark.parametrize("path", list(PAGES.values()), ids=list(PAGES))
def test_every_entity_kind_answers_every_format(client, path):
    bodies = {fmt: client.get(path, params={"format": fmt}) for fmt in ("jsonld", "ttl", "nt", "html")}
    assert {fmt: r.status_code for fmt, r in bodies.items()} == dict.fromkeys(bodies, 200)
    assert bodies["html"].text.startswith("<!doctype html>")


def test_unknown_format_is_a_400_listing_the_formats(client):
    r = client.get(URL, params={"format": "rdfxml"})
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/problem+json")
    detail = r.json()["detail"]
    for fmt in ("jsonld", "ttl", "nt", "html"):
        assert fmt in detail


def test_unacceptable_accept_is_a_406(client):
    r = client.get(URL, headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "text/html" in r.json()["detail"]


def test_unknown_entity_is_a_404_in_html_too(client):
    r = client.get("/genes/HGNC:999999", params={"format": "html"})
    assert r.status_code == 404


def test_each_format_has_its_own_etag_and_answers_304(client):
    html = client.get(URL, headers={"Accept": "text/html"})
    jsonld = client.get(URL)
    assert html.headers["etag"] != jsonld.headers["etag"]
    again = client.get(URL, headers={"Accept": "text/html", "If-None-Match": html.headers["etag"]})
    assert again.status_code == 304
    by_param = client.get(URL, params={"format": "html"}, headers={"If-None-Match": html.headers["etag"]})
    assert by_param.status_code == 304
    stale = client.get(URL, headers={"Accept": "text/html", "If-None-Match": jsonld.headers["etag"]})
    assert stale.status_code == 200
