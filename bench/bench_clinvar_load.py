#!/usr/bin/env python
"""Loading a ClinVar VCV release much larger than one batch: time, records/s and peak memory (prints figures,
never asserts).

A full ClinVar release (~3M records) cannot be held in memory, so ``load`` stages a file batch by batch
(``$CLINGEN_GRAPH_LOAD_BATCH`` triples, default 1,000,000): each batch validated and appended while the next
is built, then one check of the whole staged graph. This benchmark writes release-style files from the 11
real samples of ``tests/fixtures/clinvar/samples/``, each copy renumbered (VCV, RCV and SCV accessions,
VariationIDs) so that the graph grows as a real release's does instead of collapsing onto the same nodes, and
loads each into a copy of an on-disk store that holds the bundled HGNC release (the reference for genes), in
a fresh child process (its peak RSS is the load's own).

For each size it loads twice: with the default batch, and as one batch (the batch set above the file's size,
which is how the loader ran before batching). Peak RSS should stay flat with the default batch as the file grows;
as one batch it grows with the file.

    .venv/bin/python bench/bench_clinvar_load.py                     # 3,000, 6,000 and 11,000 records
    .venv/bin/python bench/bench_clinvar_load.py --records 3000 --skip-single
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib
from benchlib import in_child
from clingen_graph.resources import data_dir

SAMPLES = data_dir().parent / "tests" / "fixtures" / "clinvar" / "samples"
ACCESSION = re.compile(rb"\b(VCV|RCV|SCV)(\d{9})\b")
VARIATION_ID = re.compile(rb'\bVariationID="(\d+)"')


def _bodies() -> list[bytes]:
    out = []
    for sample in sorted(SAMPLES.glob("VCV*.xml")):
        text = sample.read_bytes()
        out.append(text[text.index(b"<VariationArchive"):text.rindex(b"</VariationArchive>")
                        + len(b"</VariationArchive>")] + b"\n")
    return out


def renumbered(body: bytes, copy: int) -> bytes:
    """The record as copy number ``copy``: every accession and VariationID moved to a range of its own."""
    if copy == 0:
        return body
    # the copy number before all nine digits (VCV000000002 -> VCV7000000002): unique, never another record's
    body = ACCESSION.sub(lambda m: m[1] + b"%d%s" % (copy, m[2]), body)
    return VARIATION_ID.sub(lambda m: b'VariationID="%d"' % (copy * 1_000_000 + int(m[1])), body)


def build(path: Path, records: int) -> int:
    """Write ``records`` records (the samples in turn, renumbered per round); returns the bytes written."""
    bodies = _bodies()
    with path.open("wb") as out:
        out.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<ClinVarVariationRelease ReleaseDate="2024-09-17">\n')
        for n in range(records):
            out.write(renumbered(bodies[n % len(bodies)], n // len(bodies)))
        out.write(b"</ClinVarVariationRelease>\n")
    return path.stat().st_size


def run_reference(store_dir: str, hgnc: str) -> None:
    """The store every load starts from: the bundled HGNC release (genes for the variants)."""
    from clingen_graph.release import load_paths
    from clingen_graph.store import open_store

    store = open_store(f"oxigraph:{store_dir}")
    load_paths(store, [Path(hgnc)])
    store.close()


def run_load(store_dir: str, vcv: str, batch: int | None) -> dict:
    """Load (timed) the VCV file into a copy of the reference store, in a process of its own."""
    if batch is not None:
        os.environ["CLINGEN_GRAPH_LOAD_BATCH"] = str(batch)
    from clingen_graph.release import load_paths
    from clingen_graph.store import open_store

    store = open_store(f"oxigraph:{store_dir}")
    started = time.perf_counter()
    (summary,) = [s for s in load_paths(store, [Path(vcv)]) if s.file == vcv]
    seconds = time.perf_counter() - started
    store.close()
    return {"seconds": seconds, "status": summary.status, "read": summary.rows_read, "loaded": summary.rows_loaded,
            "quarantined": summary.rows_quarantined, "triples": summary.triples}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--records", type=int, nargs="+", default=[3000, 6000, 11000], help="file sizes, in records")
    ap.add_argument("--skip-single", action="store_true", help="only the default batch (not also as one batch)")
    ap.add_argument("--workdir", type=Path, default=None, help="where files and stores go (default: a temp dir)")
    ap.add_argument("--timeout", type=float, default=3600, help="hard limit per load, seconds")
    args = ap.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="clingen-bench-clinvar-load-"))
    workdir.mkdir(parents=True, exist_ok=True)
    hgnc = next((data_dir() / "hgnc").glob("hgnc_entries_*.tsv.gz"))
    print(f"bench_clinvar_load: {benchlib.cpu_note()}; started {time.strftime('%Y-%m-%d %H:%M:%S')}")
    reference = benchlib.fresh_dir(workdir, "reference")
    status, result, _ = in_child(run_reference, str(reference), str(hgnc), timeout=args.timeout)
    if status != "ok":
        print(f"  loading HGNC into the reference store: {status}: {result}")
        return 1
    for records in args.records:
        path = workdir / f"ClinVarVCVRelease_{records}.xml"
        size = build(path, records)
        modes = [("default batch", None)] + ([] if args.skip_single else [("one batch", 10**12)])
        for label, batch in modes:
            store_dir = workdir / "store"
            if store_dir.exists():
                shutil.rmtree(store_dir)
            shutil.copytree(reference, store_dir)
            status, result, rss = in_child(run_load, str(store_dir), str(path), batch, timeout=args.timeout)
            if status != "ok":
                print(f"  {records:>6,} records ({size / 1e6:.0f} MB), {label}: {status}: {result}")
                continue
            r = result
            print(f"  {records:>6,} records ({size / 1e6:.0f} MB), {label:>13}: {r['seconds']:7.1f} s, "
                  f"{r['read'] / r['seconds']:5.0f} records/s, {r['triples']:>10,} triples, peak RSS {rss:6.0f} MB "
                  f"({r['status']}, {r['loaded']:,} loaded, {r['quarantined']:,} quarantined; "
                  f"load {os.getloadavg()[0]:.2f})", flush=True)
        path.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
