"""The query workbench at ``/`` in headless Chromium: catalogue, run, results, downloads, share links, errors."""

from __future__ import annotations

import csv
import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from clingen_graph import query

pytestmark = pytest.mark.browser
CATALOGUE = query.catalogue()
EDITOR_TEXT = ("return window.CodeMirror ? document.querySelector('.CodeMirror').CodeMirror.getValue()"
               " : document.getElementById('editor').value")
SET_EDITOR_TEXT = ("window.CodeMirror ? document.querySelector('.CodeMirror').CodeMirror.setValue(arguments[0])"
                   " : (document.getElementById('editor').value = arguments[0],"
                   " document.getElementById('editor').dispatchEvent(new Event('input')))")

# the CodeMirror token type of the first line that starts with arguments[0]
TOKEN_TYPE = ("var cm = document.querySelector('.CodeMirror').CodeMirror;"
              " for (var i = 0; i < cm.lineCount(); i++) {"
              "   if (cm.getLine(i).indexOf(arguments[0]) === 0) { return cm.getTokenTypeAt({line: i, ch: 1}); } }"
              " return null;")


def _open(browser: WebDriver, url: str) -> None:
    browser.get(url)
    WebDriverWait(browser, 30).until(lambda d: d.execute_script(EDITOR_TEXT))


def _run(browser: WebDriver) -> str:
    """Click Run and wait for the outcome: the status line ('N rows') or the error box."""
    browser.find_element(By.ID, "run").click()
    WebDriverWait(browser, 120).until(
        lambda d: re.match(r"\d+ rows?", d.find_element(By.ID, "status").text)
        or d.find_element(By.ID, "error").is_displayed())
    return browser.find_element(By.ID, "status").text


def _error(browser: WebDriver) -> str:
    box = browser.find_element(By.ID, "error")
    return box.text if box.is_displayed() else ""


def _rows(status: str) -> int:
    m = re.match(r"(\d+) rows?", status)
    assert m, status
    return int(m.group(1))


def test_editor_starts_with_our_prefixes_and_highlights_sparql(browser, server, screenshot):
    _open(browser, server + "/")
    text = browser.execute_script(EDITOR_TEXT)
    assert text.startswith("PREFIX cgv: <https://w3id.org/clingen-graph/vocab#>")
    assert "PREFIX hgnc: <https://identifiers.org/hgnc:>" in text
    if browser.execute_script("return Boolean(window.CodeMirror)"):  # CodeMirror installed by npm
        keywords = {e.text for e in browser.find_elements(By.CSS_SELECTOR, ".CodeMirror .cm-keyword")}
        assert "PREFIX" in keywords
        # SELECT is below the prefixes, out of view (CodeMirror renders what is visible): ask the mode
        assert browser.execute_script(TOKEN_TYPE, "SELECT") == "keyword"
        assert browser.execute_script(TOKEN_TYPE, "WHERE") == "keyword"
    screenshot("start")


@pytest.mark.parametrize("name", sorted(CATALOGUE), ids=sorted(CATALOGUE))
def test_every_catalogue_query_runs_from_the_page(browser, server, screenshot, name):
    q = CATALOGUE[name]
    _open(browser, server + "/")
    button = browser.find_element(By.CSS_SELECTOR, f'.wb-query[data-name="{name}"]')
    assert q.title in button.text
    button.click()
    assert browser.find_element(By.ID, "chosen-title").text == q.title
    for p in q.params:  # a field per parameter, prefilled with the example
        assert browser.find_element(By.ID, f"param-{p.name}").get_attribute("value") == q.example[p.name]
    assert browser.execute_script(EDITOR_TEXT) == q.text
    status = _run(browser)
    screenshot("results")
    assert not _error(browser), _error(browser)
    assert _rows(status) >= q.min_rows
    shown = browser.find_elements(By.CSS_SELECTOR, "#results-table tbody tr")
    assert len(shown) == _rows(status)
    headers = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "#results-table thead th")]
    assert headers and all(h.startswith("?") for h in headers)


def test_results_link_to_entity_pages(browser, server, screenshot):
    _open(browser, server + "/")
    browser.find_element(By.CSS_SELECTOR, '.wb-query[data-name="gene-validity"]').click()
    _run(browser)
    links = {a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "#results-table a")}
    paths = {urlsplit(h).path for h in links}
    assert "/genes/HGNC:1100" in paths
    assert any(p.startswith("/diseases/MONDO:") for p in paths)
    assert any(p.startswith("/statements/") for p in paths)
    screenshot("links")


def test_download_csv(browser, server, screenshot, downloads: Path):
    for old in downloads.glob("gene-validity*.csv"):
        old.unlink()
    _open(browser, server + "/")
    browser.find_element(By.CSS_SELECTOR, '.wb-query[data-name="gene-validity"]').click()
    rows = _rows(_run(browser))
    browser.find_element(By.ID, "download-csv").click()
    target = downloads / "gene-validity.csv"
    deadline = time.monotonic() + 30
    while not target.is_file() and time.monotonic() < deadline:
        time.sleep(0.2)
    screenshot("downloaded")
    assert target.is_file(), f"no download in {downloads}: {sorted(p.name for p in downloads.iterdir())}"
    with target.open(newline="", encoding="utf-8") as f:
        table = list(csv.DictReader(f))
    assert len(table) == rows
    assert {r["gene"] for r in table} == {"https://identifiers.org/hgnc:1100"}


def test_share_url_restores_a_catalogue_query_and_its_parameters(browser, server, screenshot):
    _open(browser, server + "/")
    browser.find_element(By.CSS_SELECTOR, '.wb-query[data-name="gene-validity"]').click()
    field = browser.find_element(By.ID, "param-gene")
    field.clear()
    field.send_keys("HGNC:8582")  # PAH
    browser.find_element(By.ID, "share").click()
    url = browser.find_element(By.ID, "share-url").get_attribute("value")
    assert url.startswith(server + "/#") and "q=gene-validity" in url and "HGNC%3A8582" in url
    _open(browser, server + "/")  # a fresh page first, so the restore below comes from the URL alone
    assert browser.find_element(By.ID, "chosen").get_attribute("hidden") is not None
    _open(browser, url)
    assert browser.find_element(By.ID, "chosen-title").text == CATALOGUE["gene-validity"].title
    assert browser.find_element(By.ID, "param-gene").get_attribute("value") == "HGNC:8582"
    assert browser.execute_script(EDITOR_TEXT) == CATALOGUE["gene-validity"].text
    screenshot("restored")
    assert _rows(_run(browser)) >= 1
    symbols = {td.text for td in browser.find_elements(By.CSS_SELECTOR, "#results-table tbody td:nth-child(3)")}
    assert symbols == {"PAH"}


def test_share_url_restores_edited_text(browser, server, screenshot):
    text = ("PREFIX cgv: <https://w3id.org/clingen-graph/vocab#>\n"
            "SELECT ?gene ?symbol WHERE { ?gene cgv:symbol ?symbol } ORDER BY ?symbol LIMIT 3\n")
    _open(browser, server + "/")
    browser.execute_script(SET_EDITOR_TEXT, text)
    browser.find_element(By.ID, "share").click()
    url = browser.find_element(By.ID, "share-url").get_attribute("value")
    _open(browser, server + "/")
    _open(browser, url)
    assert browser.execute_script(EDITOR_TEXT) == text
    assert _rows(_run(browser)) == 3
    screenshot("restored")


def test_syntax_errors_show_their_position(browser, server, screenshot):
    _open(browser, server + "/")
    browser.execute_script(SET_EDITOR_TEXT, "SELECT * WHERE {\n  ?s ?p ?o .\n  ?s <a b> ?o\n}\n")  # space in an IRI
    _run(browser)
    box = browser.find_element(By.ID, "error")
    assert box.is_displayed() and box.get_attribute("data-kind") == "syntax"
    assert "Syntax error at line 3, column 11" in box.text, box.text
    if browser.execute_script("return Boolean(window.CodeMirror)"):
        assert browser.find_elements(By.CSS_SELECTOR, ".CodeMirror .wb-error-mark")
    screenshot("syntax-error")


def test_edited_catalogue_text_runs_as_written(browser, server, screenshot):
    _open(browser, server + "/")
    browser.find_element(By.CSS_SELECTOR, '.wb-query[data-name="gene-validity"]').click()
    edited = CATALOGUE["gene-validity"].text.replace("ORDER BY ?diseaseLabel ?date", "LIMIT 1")
    browser.execute_script(SET_EDITOR_TEXT, edited)
    assert browser.find_element(By.ID, "edited-note").is_displayed()
    assert _rows(_run(browser)) == 1
    screenshot("edited")
