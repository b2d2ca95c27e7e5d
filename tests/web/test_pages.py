"""HTML entity pages on real bundled ids: the contract the browser tests rely on, and links that all work."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

from clingen_graph.api.links import page_url

from .conftest import EREPO_STATEMENT, PAGES


class Page(HTMLParser):
    """The ids, links and title of an HTML page, and the links inside each element with an id."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: dict[str, dict[str, str]] = {}
        self.links: list[str] = []
        self.title = ""
        self.section_links: dict[str, list[str]] = {}
        self._open: list[tuple[str, str | None]] = []
        self._in_title = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids[a["id"]] = {"tag": tag, **a}
        if tag not in ("input", "meta", "link", "br", "img"):
            self._open.append((tag, a.get("id")))
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
            for _, open_id in self._open:
                if open_id:
                    self.section_links.setdefault(open_id, []).append(a["href"])
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        while self._open:
            if self._open.pop()[0] == tag:
                break
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def get_page(client, path: str) -> Page:
    r = client.get(path, headers={"Accept": "text/html"})
    assert r.status_code == 200, (path, r.text[:300])
    assert r.headers["content-type"].startswith("text/html")
    return Page(r.text)


@pytest.mark.parametrize("kind", list(PAGES))
def test_every_page_has_the_search_box_and_a_labelled_title(client, kind):
    page = get_page(client, PAGES[kind])
    assert page.ids["search"]["tag"] == "input" and page.ids["search"]["type"] == "search"
    assert page.ids["search-results"]["tag"] == "ul"
    assert page.title.endswith(" — clingen-graph") and not page.title.startswith(("HGNC:", "cgid:"))
    assert "/static/search.js" in client.get(PAGES[kind], headers={"Accept": "text/html"}).text


def test_gene_page_lists_its_validity_statements_with_links(client):
    page = get_page(client, PAGES["gene"])
    assert page.title.startswith("BRCA1 — clingen-graph")
    links = page.section_links["gene-validity"]
    assert any(h.startswith("/diseases/MONDO:0700268") for h in links)  # BRCA1-related cancer predisposition
    assert any(h.startswith("/statements/cggv:assertion_") for h in links)
    assert any(h.startswith("/variants/") for h in page.section_links["variants"])


def test_disease_page_lists_its_validity_statements_with_gene_links(client):
    page = get_page(client, PAGES["disease"])
    assert page.title.startswith("BRCA1-related cancer predisposition — ")
    links = page.section_links["gene-validity"]
    assert "/genes/HGNC:1100" in links
    assert any(h.startswith("/statements/") for h in links)
    assert any(h.startswith("/diseases/MONDO:") for h in page.section_links["hierarchy"])  # parents, subtypes


def test_variant_page_has_ids_and_statements(client):
    r = client.get(PAGES["variant"], headers={"Accept": "text/html"})
    page = Page(r.text)
    assert page.title.startswith("NM_000277.2(PAH):c.1A>G")
    for text in ("CA114360", "586", "ga4gh:VA.", "NC_000012.12:g.102917130T&gt;C"):
        assert text in r.text
    assert f"/statements/{EREPO_STATEMENT}" in page.section_links["statements"]
    assert "/genes/HGNC:8582" in page.links  # PAH


def test_statement_page_shows_the_evidence_tree(client):
    r = client.get(PAGES["statement"], headers={"Accept": "text/html"})
    page = Page(r.text)
    assert "evidence" in page.ids
    assert page.title.startswith("NM_000277.2(PAH):c.1A>G (p.Met1Val): Pathogenic for phenylketonuria")
    evidence = r.text[r.text.index('<section id="evidence">'):r.text.index('<section id="method">')]
    for code in ("PS3", "PM2", "PM3", "PP4_moderate", "PVS1_not_met"):
        assert code in evidence
    assert ">not met<" in evidence and ">met<" in evidence and "strong" in evidence
    assert "https://pubmed.ncbi.nlm.nih.gov/9450897/" in page.links  # a source PMID
    assert "/diseases/MONDO:0009861" in page.links  # phenylketonuria
    assert "/releases" in page.links and "clingen-erepo/" in r.text  # the release it came from
    assert "Phenylketonuria VCEP" in r.text and "approver" in r.text  # contributor and role
    # the variant and the gene by their names, linked to their pages
    variant = re.search(r'<dt>Variant</dt><dd><a href="(/variants/[^"]+)">([^<]+)</a>', r.text)
    assert variant and variant.group(2) == "NM_000277.2(PAH):c.1A>G (p.Met1Val)".replace(">", "&gt;")


@pytest.mark.parametrize("kind", ["gene", "disease", "variant", "statement"])
def test_every_link_on_a_page_works(client, kind):
    path = PAGES[kind]
    page = get_page(client, path)
    internal = sorted({urljoin(path, h) for h in page.links if not urlsplit(h).scheme})
    assert len(internal) >= 5
    broken = {}
    for href in internal:
        r = client.get(href, headers={"Accept": "text/html"})
        if r.status_code >= 400:
            broken[href] = r.status_code
    assert broken == {}


def test_page_url_maps_every_entity_kind():
    assert page_url("https://identifiers.org/hgnc:1100") == "/genes/HGNC:1100"
    assert page_url("http://purl.obolibrary.org/obo/MONDO_0007254") == "/diseases/MONDO:0007254"
    assert page_url("http://reg.genome.network/allele/CA114360") == "/variants/CA114360"
    assert page_url("https://identifiers.org/clinvar:586") == "/variants/clinvar:586"
    assert page_url("https://identifiers.org/clinvar.submission:SCV000050612") == \
        "/statements/clinvar.submission:SCV000050612"
    assert page_url("http://purl.obolibrary.org/obo/HP_0000006") is None


def test_static_assets_are_served(client):
    js = client.get("/static/search.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    assert "/search?" in js.text
    assert client.get("/static/pages.css").status_code == 200
    assert client.get("/static/missing.js").status_code == 404
