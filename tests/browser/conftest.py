"""Browser tests: the real server (``clingen-graph serve``) on the bundled store, driven by headless Chromium.

The store is the session store of ``tests/conftest.py``. Chromium
and its WebDriver are Debian's ``chromium`` and ``chromium-driver`` (``make install`` installs them); the tests
skip, saying so, only when they are not installed. Each step's screenshot is saved under
``test-artifacts/browser/`` and its path printed.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webdriver import WebDriver

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(bundled_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``clingen-graph serve`` on a free 127.0.0.1 port; yields its base URL."""
    port = _free_port()
    log = tmp_path_factory.mktemp("server") / "serve.log"
    env = {**os.environ, "CLINGEN_GRAPH_SPARQL_WORKERS": "1", "CLINGEN_GRAPH_HOME": str(ROOT)}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-c", "from clingen_graph.cli import app; app()", "serve", "--store", bundled_url,
             "--port", str(port), "--timeout", "60"],
            stdout=out, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                pytest.fail(f"clingen-graph serve exited with {proc.returncode}:\n{log.read_text()}")
            with contextlib.suppress(httpx.HTTPError):  # not listening yet: ask again
                if httpx.get(base + "/health", timeout=2).status_code == 200:
                    break
            if time.monotonic() > deadline:
                pytest.fail(f"clingen-graph serve did not answer /health:\n{log.read_text()}")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="session")
def browser(downloads: Path) -> Iterator[WebDriver]:
    """Headless Chromium through chromedriver; downloads go to ``downloads``."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        pytest.skip(f"Chromium is not installed ({', '.join(missing)} missing): as root, "
                    "apt-get install chromium chromium-driver (make install does it)")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1000", "--lang=en-US"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {
        "download.default_directory": str(downloads), "download.prompt_for_download": False,
        "safebrowsing.enabled": False})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


Screenshot = Callable[[str], Path]


@pytest.fixture
def screenshot(browser: WebDriver, request: pytest.FixtureRequest) -> Screenshot:
    """``screenshot(step)``: saves ``test-artifacts/browser/<test>-<step>.png`` and prints its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    test = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name).strip("_")

    def take(step: str) -> Path:
        path = ARTIFACTS / f"{test}-{step}.png"
        browser.save_screenshot(str(path))
        print(f"screenshot: {path}")
        return path

    return take
