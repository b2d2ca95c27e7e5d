"""Releases load into a real server with the embedded store's semantics (DESIGN §4), through the CLI as a user
runs it: ``clingen-graph load --store oxigraph+http://…`` / ``virtuoso+http://…`` with credentials in the
environment. A newer release becomes current only when complete; a truncated one, or a load killed half-way,
leaves the previous release current and intact; loading the same file again changes nothing.

The files are real HGNC rows (the first rows of the bundled HGNC export), written as two releases.
"""

from __future__ import annotations

import gzip
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from clingen_graph.release import current_releases, default_graphs, load_paths, releases
from clingen_graph.resources import data_dir
from clingen_graph.store import GraphStore, open_store
from clingen_graph.store import remote as remote_mod

pytestmark = [pytest.mark.server, pytest.mark.slow]
CLI = [sys.executable, "-m", "clingen_graph.cli"]
GENES = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { ?g <https://w3id.org/clingen-graph/vocab#symbol> ?s }"


def _hgnc_rows(n: int) -> bytes:
    with gzip.open(next((data_dir() / "hgnc").glob("hgnc_entries_*.tsv.gz")), "rb") as f:
        return b"".join(line for _, line in zip(range(n + 1), f, strict=False))


@pytest.fixture(scope="module")
def releases_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hgnc-releases")
    (folder / "hgnc_entries_2024-07-23.tsv").write_bytes(_hgnc_rows(2000))
    (folder / "hgnc_entries_2025-01-01.tsv").write_bytes(_hgnc_rows(8000))
    newer = gzip.compress(_hgnc_rows(8000))
    (folder / "hgnc_entries_2025-06-01.tsv.gz").write_bytes(newer[: len(newer) // 2])  # cut off
    return folder


@pytest.fixture(params=["oxigraph-server", "virtuoso"])
def server_env(request: pytest.FixtureRequest, emptied_server: Callable[[str], str]) -> tuple[str, dict]:
    """(store URL, environment with the credentials) for an emptied session server."""
    url = emptied_server(request.param)
    return url, dict(os.environ)


def _load(url: str, env: dict, *files: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, "load", "--store", url, "--report", str(tmp_path / "rejects.tsv"),
                           *map(str, files)], env=env, capture_output=True, text=True, timeout=600)


def _genes(store: GraphStore) -> int:
    return int(next(iter(store.query(GENES, default_graphs=default_graphs(store))))["n"].value)


def test_releases_swap_on_a_server(server_env: tuple[str, dict], releases_dir: Path, tmp_path: Path) -> None:
    url, env = server_env
    first = _load(url, env, releases_dir / "hgnc_entries_2024-07-23.tsv", tmp_path=tmp_path)
    assert first.returncode == 0, first.stderr
    store = open_store(url)
    assert current_releases(store)["hgnc"].label == "2024-07-23"
    assert _genes(store) == 2000

    # the same file again: nothing changes
    again = _load(url, env, releases_dir / "hgnc_entries_2024-07-23.tsv", tmp_path=tmp_path)
    assert again.returncode == 0 and "unchanged" in again.stdout + again.stderr
    graphs = store.graphs()

    # a truncated newer release is refused; the server is as it was
    cut = _load(url, env, releases_dir / "hgnc_entries_2025-06-01.tsv.gz", tmp_path=tmp_path)
    assert cut.returncode != 0
    assert store.graphs() == graphs
    assert current_releases(store)["hgnc"].label == "2024-07-23"

    # a complete newer release becomes current
    newer = _load(url, env, releases_dir / "hgnc_entries_2025-01-01.tsv", tmp_path=tmp_path)
    assert newer.returncode == 0, newer.stderr
    assert current_releases(store)["hgnc"].label == "2025-01-01"
    assert _genes(store) == 8000
    # both releases stay described (the older one no longer current)
    assert sorted((r.label, r.rows_loaded) for r in releases(store) if r.source == "hgnc") == [
        ("2024-07-23", 2000), ("2025-01-01", 8000)]
    store.close()


def test_a_load_killed_half_way_leaves_the_previous_release(server_env: tuple[str, dict], releases_dir: Path,
                                                            tmp_path: Path) -> None:
    url, env = server_env
    store = open_store(url)
    load_paths(store, [releases_dir / "hgnc_entries_2024-07-23.tsv"])
    before = (current_releases(store)["hgnc"].graph, _genes(store))
    # kill the newer release's load once it has started writing to the server; small uploads (many requests)
    # keep it writing for a while after its graph appears, so the kill lands before the metadata
    child = subprocess.Popen([*CLI, "load", "--store", url, "--report", str(tmp_path / "r.tsv"),
                              str(releases_dir / "hgnc_entries_2025-01-01.tsv")],
                             env={**env, remote_mod.ENV_UPLOAD_CHUNK: "500"},
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and child.poll() is None:
        if any("2025-01-01" in g for g in store.graphs()):
            break
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait(30)
    assert (current_releases(store)["hgnc"].graph, _genes(store)) == before
    # the rerun completes and clears what the killed run left behind
    rerun = _load(url, env, releases_dir / "hgnc_entries_2025-01-01.tsv", tmp_path=tmp_path)
    assert rerun.returncode == 0, rerun.stderr
    assert current_releases(store)["hgnc"].label == "2025-01-01"
    assert _genes(store) == 8000
    assert not [g for g in store.graphs() if "/tmp/" in g]
    store.close()


def test_stats_and_query_on_a_server(server_env: tuple[str, dict], releases_dir: Path, tmp_path: Path) -> None:
    url, env = server_env
    assert _load(url, env, releases_dir / "hgnc_entries_2024-07-23.tsv", tmp_path=tmp_path).returncode == 0
    stats = subprocess.run([*CLI, "stats", "--store", url, "--json"], env=env, capture_output=True, text=True,
                           timeout=120)
    assert stats.returncode == 0, stats.stderr
    assert '"source": "hgnc"' in stats.stdout
    sparql = tmp_path / "genes.rq"
    sparql.write_text(GENES)
    answer = subprocess.run([*CLI, "query", str(sparql), "--store", url, "--format", "csv"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.splitlines()[1:] == ["2000"]


def test_credentials_never_in_the_url() -> None:
    with pytest.raises(Exception, match="credentials do not belong"):
        open_store("virtuoso+http://dba:secret@127.0.0.1:8890")
