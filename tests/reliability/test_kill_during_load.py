"""``kill -9`` of ``clingen-graph load`` at random points while it replaces a release (DESIGN §4).

A store on disk holds HGNC 2024-07-23 (the fixture). A newer release made from it (the fixture's genes plus
400 more from the bundled real HGNC download, dated 2025-01-01) is loaded by the real command in a child
process, which is SIGKILLed after a seeded random delay; the delays are spread over the whole measured
duration of the command (opening the store, parsing, writing the graph aside, validating it, the metadata,
compaction, the generation file). After each kill:

- the store opens (read-only and for writing);
- the current HGNC release is either the previous one, unchanged (same graphs, triples, gene count), or the new
  one complete (the same as a load that was not interrupted): never a half-written graph in ``default_graphs``;
- every release the metadata describes holds the triples its metadata says;
- the only graph without metadata is the new release's graph (an orphan of the killed run);
- the same command run again ends with the new release current and complete, and no orphan left.

The same again with the release staged in small batches (``CLINGEN_GRAPH_LOAD_BATCH``): kills then also land
between batches, with part of the new graph written.

The load is fast, so the moment between the staged graph and its metadata is short and a random kill may miss
it. One more trial kills the load exactly there (the child stops before writing the metadata and says so): the
new graph is complete on disk, the previous release must still be the current one, and the rerun must clean up.
"""

from __future__ import annotations

import random
import shutil
import time
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clingen_graph.api.state import GENERATION_FILE
from clingen_graph.cli import app
from clingen_graph.release import LOAD_BATCH_ENV, current_releases, load_paths
from clingen_graph.store import open_store

from .conftest import HGNC_OLD, Child, assert_releases_complete, newer_hgnc, orphans, view

TRIALS = 20
SEED = 4_2024_07_23


def _load_in_child(store: Path, newer: Path, log: Path, command: str = "load") -> Child:
    return Child(command, f"oxigraph:{store}", str(store.parent / "rejects.tsv"), str(newer), log=log)


@pytest.mark.slow
@pytest.mark.parametrize("batch", [None, 300], ids=["one-batch", "batches"])
def test_kill_9_at_random_points_of_a_load(batch: int | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if batch is not None:  # the release staged in batches of 300 triples (about ten), as a full ClinVar release is
        monkeypatch.setenv(LOAD_BATCH_ENV, str(batch))
    pristine = tmp_path / "pristine" / "store"
    store = open_store(f"oxigraph:{pristine}")
    assert {s.status for s in load_paths(store, [HGNC_OLD])} == {"loaded"}
    before = view(store)
    store.close()
    newer = newer_hgnc(tmp_path, extra=150)

    # the load as it should end, and how long the command takes (from "go" to its exit)
    reference = tmp_path / "reference" / "store"
    shutil.copytree(pristine, reference)
    child = _load_in_child(reference, newer, tmp_path / "reference.log")
    child.go()
    assert child.wait(120) == 0, child.log.read_text()
    duration = time.monotonic() - child.started
    store = open_store(f"oxigraph:{reference}", read_only=True)
    after = view(store)
    new_graph = current_releases(store)["hgnc"].graph
    store.close()
    assert new_graph not in before["graphs"] and after["genes"] > before["genes"]

    rng = random.Random(SEED)
    delays = [duration * (i + rng.random()) / TRIALS for i in range(TRIALS)]
    outcomes: Counter[str] = Counter()

    def prepare(i: int) -> tuple[Path, Child]:
        folder = tmp_path / f"trial{i:02d}" / "store"
        shutil.copytree(pristine, folder)
        return folder, _load_in_child(folder, newer, folder.parent / "load.log")

    def check(folder: Path, code: int, label: str) -> str:
        """What a kill left (asserting it is one of the two allowed states), then the rerun's repair."""
        url = f"oxigraph:{folder}"
        # the store opens; the previous release is current and untouched, or the new one is, complete
        reader = open_store(url, read_only=True)
        seen = view(reader)
        reader.close()
        store = open_store(url)
        assert view(store) == seen, label
        assert_releases_complete(store)
        left = orphans(store)
        assert set(left) <= {new_graph}, label
        if seen["current"]["hgnc"] == new_graph:
            assert {k: seen[k] for k in ("releases", "current", "default", "genes")} == {
                k: after[k] for k in ("releases", "current", "default", "genes")}, label
            assert seen["sizes"] == after["sizes"], label
            outcome = "new release complete"
        else:
            assert {k: seen[k] for k in ("releases", "current", "default", "genes")} == {
                k: before[k] for k in ("releases", "current", "default", "genes")}, label
            assert {g: n for g, n in seen["sizes"].items() if g != new_graph} == before["sizes"], label
            outcome = "previous release, orphan graph left" if left else "previous release, nothing written"
        store.close()

        # the same command again: the new release is current and complete, the orphan is gone
        generation = (folder / GENERATION_FILE).read_text() if (folder / GENERATION_FILE).exists() else "0"
        result = CliRunner().invoke(app, ["load", "--store", url, "--report", str(folder.parent / "rerun.tsv"),
                                          str(newer)])
        assert result.exit_code == 0, f"{label}: {result.output}"
        store = open_store(url, read_only=True)
        final = view(store)
        assert {k: final[k] for k in ("releases", "current", "default", "genes", "graphs", "sizes")} == {
            k: after[k] for k in ("releases", "current", "default", "genes", "graphs", "sizes")}, label
        assert orphans(store) == []
        store.close()
        assert (folder / GENERATION_FILE).read_text() != generation  # servers will reopen
        return outcome

    folder, child = prepare(0)
    for i, delay in enumerate(delays):
        child.go()
        time.sleep(delay)
        code = child.kill()
        if i + 1 < TRIALS:  # the next child imports while this trial is checked
            next_folder, next_child = prepare(i + 1)
        outcomes[check(folder, code, f"trial {i} (killed after {delay:.3f} s of {duration:.3f} s, exit {code})")] += 1
        if code != -9:
            outcomes["command had ended"] += 1
        shutil.rmtree(folder.parent)
        if i + 1 < TRIALS:
            folder, child = next_folder, next_child
    print(f"\n{TRIALS} kills over {duration:.2f} s loads: {dict(outcomes)}")

    # the kill that lands between the written graph and its metadata, every time
    folder = tmp_path / "staged" / "store"
    shutil.copytree(pristine, folder)
    child = _load_in_child(folder, newer, folder.parent / "load.log", command="load-staged")
    child.go()
    line = child.read_line(120)
    assert line == "staged", f"{line!r}: {child.log.read_text(errors='replace')}"
    code = child.kill()
    assert code == -9
    assert check(folder, code, "kill before the metadata") == "previous release, orphan graph left"
