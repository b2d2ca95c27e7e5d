"""Entity pages and search in headless Chromium: gene → disease → its validity statements; typeahead to a gene."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from clingen_graph import query
from clingen_graph.ids import expand_curie
from clingen_graph.release import default_graphs

pytestmark = pytest.mark.browser


def test_gene_page_links_to_a_disease_with_its_validity_statements(browser, server, screenshot, reader):
    browser.get(server + "/genes/HGNC:1100")
    assert browser.title.startswith("BRCA1"), browser.title
    screenshot("gene")
    link = browser.find_element(By.CSS_SELECTOR, "section#gene-validity a[href^='/diseases/']")
    link.click()
    WebDriverWait(browser, 30).until(lambda d: urlsplit(d.current_url).path.startswith("/diseases/"))
    mondo = unquote(urlsplit(browser.current_url).path).removeprefix("/diseases/")
    # the disease's label, from the same data through the catalogue query the page must agree with
    q = query.get("gene-validity")
    rows = query.select_rows(reader, q.bind({"gene": "HGNC:1100"}), default_graphs(reader))
    labels = {r["disease"].value: r["diseaseLabel"].value for r in rows}
    label = labels[expand_curie(mondo)]
    assert browser.title.startswith(label), (browser.title, label)
    statements = browser.find_elements(By.CSS_SELECTOR, "section#gene-validity table tbody tr")
    assert statements, "the disease page lists no gene-validity statements"
    assert any("BRCA1" in tr.text for tr in statements)
    screenshot("disease")


def test_search_typeahead_lands_on_the_gene_page(browser, server, screenshot):
    browser.get(server + "/")
    box = browser.find_element(By.ID, "search")
    box.send_keys("BRC")

    def brca1(driver):
        for a in driver.find_elements(By.CSS_SELECTOR, "#search-results li a"):
            if a.text.startswith("BRCA1") and urlsplit(a.get_attribute("href")).path == "/genes/HGNC:1100":
                return a
        return None

    item = WebDriverWait(browser, 30).until(brca1)
    screenshot("typeahead")
    item.click()
    WebDriverWait(browser, 30).until(lambda d: urlsplit(d.current_url).path == "/genes/HGNC:1100")
    assert browser.title.startswith("BRCA1"), browser.title
    screenshot("gene")
