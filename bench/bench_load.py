#!/usr/bin/env python
"""Load benchmarks (prints figures, never asserts).

(a) the bundled real data (``data/``) end to end into a fresh on-disk store with
    ``clingen_graph.release.load_paths``: per file seconds, rows, triples, triples/s, and the total
    (target: <= 60 s on 2 cores);
(b) the synthetic dataset (default 10M quads, ``bench/synthetic.py``), loaded twice into fresh directories:
    raw ``pyoxigraph.Store(dir).bulk_load(path=..., format=N_QUADS)``, and our path — ``replace_graph`` per
    release graph (triples streamed from ``pyoxigraph.parse``), ``add_to_graph`` of the metadata, then
    ``optimize`` as ``load_paths`` does — with the ratio (target: ours within 2x of raw).

Each measurement runs in its own child process (clean peak RSS, hard time limit ``--timeout``).

    .venv/bin/python bench/bench_load.py                       # both, 10M synthetic
    .venv/bin/python bench/bench_load.py --triples 300000      # quick
    .venv/bin/python bench/bench_load.py --skip-real --keep --workdir /tmp/bench
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib
from benchlib import count_quads, dir_size, fresh_dir, in_child

REAL_TARGET_S = 60.0
RATIO_TARGET = 2.0


def bench_real(workdir: Path, data: Path | None, timeout: float) -> None:
    store_dir = fresh_dir(workdir, "real-store")
    print(f"\n== (a) bundled data → {store_dir} (release.load_paths, {benchlib.cpu_note()})")
    status, value, rss = in_child(benchlib.load_real, store_dir, data, timeout=timeout)
    if status != "ok":
        print(f"  FAILED ({status}): {value}")
        return
    print(f"  {'file':<58} {'source':<24} {'status':<9} {'rows':>8} {'triples':>9} {'s':>7} {'triples/s':>10}")
    for r in value["summaries"]:
        name = Path(r["file"]).name if r["file"] else "?"
        rate = r["triples"] / r["seconds"] if r["seconds"] else 0.0
        print(f"  {name[:58]:<58} {r['source'][:24]:<24} {r['status']:<9} {r['rows']:>8,} {r['triples']:>9,} "
              f"{r['seconds']:>7.2f} {rate:>10,.0f}")
        if r["status"] not in ("loaded", "unchanged") and r["message"]:
            print(f"      {r['message'][:150]}")
    triples = sum(r["triples"] for r in value["summaries"])
    total = value["seconds"]
    print(f"  TOTAL {total:.1f} s wall (ontology, all files, optimize) for {triples:,} triples "
          f"= {triples / total:,.0f} triples/s; peak RSS {rss:,.0f} MB; store {dir_size(store_dir) / 1e6:,.0f} MB")
    print(f"  target <= {REAL_TARGET_S:.0f} s: {'met' if total <= REAL_TARGET_S else 'NOT met'} ({total:.1f} s)")


def bench_synthetic(workdir: Path, path: Path, timeout: float) -> None:
    size = path.stat().st_size
    lines = sum(1 for _ in path.open("rb"))
    print(f"\n== (b) synthetic {path} ({lines:,} quads, {size / 1e6:,.0f} MB)")

    raw_dir = fresh_dir(workdir, "synthetic-raw")
    status, raw, raw_rss = in_child(benchlib.load_synthetic_raw, path, raw_dir, timeout=timeout)
    if status != "ok":
        print(f"  raw bulk_load FAILED ({status}): {raw}")
        raw = None
    else:
        n = count_quads(raw_dir)
        print(f"  raw  Store.bulk_load:       {raw['seconds']:8.1f} s  {lines / raw['seconds']:>10,.0f} quads/s  "
              f"peak RSS {raw_rss:,.0f} MB  disk {dir_size(raw_dir) / 1e6:,.0f} MB  ({n:,} quads in store)")
        raw_total = raw["seconds"] + raw["optimize_seconds"]
        print(f"  raw  bulk_load + optimize:  {raw_total:8.1f} s  {lines / raw_total:>10,.0f} quads/s  "
              f"(optimize {raw['optimize_seconds']:.1f} s)")

    ours_dir = fresh_dir(workdir, "synthetic-ours")
    status, ours, ours_rss = in_child(benchlib.load_synthetic_ours, path, ours_dir, timeout=timeout)
    if status != "ok":
        print(f"  ours FAILED ({status}): {ours}")
        return
    n = count_quads(ours_dir)
    print(f"  ours replace_graph+meta:    {ours['write_seconds']:8.1f} s  "
          f"{lines / ours['write_seconds']:>10,.0f} quads/s")
    print(f"  ours + optimize:            {ours['seconds']:8.1f} s  {lines / ours['seconds']:>10,.0f} quads/s  "
          f"peak RSS {ours_rss:,.0f} MB  disk {dir_size(ours_dir) / 1e6:,.0f} MB  ({n:,} quads in store)")
    for graph, count, seconds in ours["steps"]:
        rate = count / seconds if seconds else 0.0
        print(f"      {count:>11,} quads {seconds:7.1f} s {rate:>10,.0f}/s  {graph}")
    print(f"      optimize {ours['optimize_seconds']:.1f} s; current releases seen by release.current_releases: "
          f"{len(ours['releases'])} ({', '.join(ours['releases'])})")
    if raw:
        ratio_w = ours["write_seconds"] / raw["seconds"]
        ratio = ours["seconds"] / raw["seconds"]
        ratio_o = ours["seconds"] / (raw["seconds"] + raw["optimize_seconds"])
        print(f"  ratio ours/raw: {ratio_w:.2f}x (our write vs bulk_load), {ratio:.2f}x (ours with optimize vs "
              f"bulk_load alone), {ratio_o:.2f}x (both with optimize); target <= {RATIO_TARGET:.0f}x: "
              f"{'met' if ratio_w <= RATIO_TARGET else 'NOT met'} on the write, "
              f"{'met' if ratio_o <= RATIO_TARGET else 'NOT met'} like for like")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--triples", type=int, default=10_000_000, help="synthetic size (default 10,000,000)")
    ap.add_argument("--synthetic-file", type=Path, default=None,
                    help="N-Quads to load; reused if it exists, else generated there")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--data", type=Path, default=None, help="real data folder (default: the bundled data/)")
    ap.add_argument("--workdir", type=Path, default=None, help="where the stores go (default: a temp dir)")
    ap.add_argument("--keep", action="store_true", help="keep the stores (else they are deleted)")
    ap.add_argument("--timeout", type=float, default=1800, help="hard limit per measurement, seconds")
    ap.add_argument("--skip-real", action="store_true")
    ap.add_argument("--skip-synthetic", action="store_true")
    args = ap.parse_args(argv)

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="clingen-bench-load-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"bench_load: workdir {workdir}; {benchlib.cpu_note()}; started {time.strftime('%Y-%m-%d %H:%M:%S')}")
    try:
        if not args.skip_real:
            bench_real(workdir, args.data, args.timeout)
        if not args.skip_synthetic:
            print()
            path, _ = benchlib.synthetic_file(args.synthetic_file, args.triples, args.seed)
            bench_synthetic(workdir, path, args.timeout)
    finally:
        if args.keep:
            print(f"\nstores kept under {workdir} (real-store, synthetic-raw, synthetic-ours)")
        else:
            for name in ("real-store", "synthetic-raw", "synthetic-ours"):
                shutil.rmtree(workdir / name, ignore_errors=True)
            if args.workdir is None:
                shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
