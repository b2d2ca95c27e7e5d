#!/usr/bin/env python
"""ACMG/AMP classifier throughput (prints figures, never asserts). Target: >= 50,000 criteria sets/s.

1. Parse the bundled ClinGen ERepo export (``clingen_graph.ingest.clingen_erepo.parse``): rows/s.
2. ``acmg.parse_codes`` on the raw "Applied Evidence Codes (Met)" cells: cells/s (token cache warm).
3. ``acmg.classify`` on the parsed met-criteria of every row, ``rules="vcep"`` and ``"table5"``:
   - warm: the per-set cache filled (what a loader sees: ~2,000 distinct sets among 4,734 rows);
   - cold: the cache cleared before every pass, so every distinct set is computed again;
   - random: fresh random criteria sets (all 28 codes, all allowed strengths), cache cleared per pass.

Every measurement repeats passes until ``--budget`` seconds are spent (default 2) or ``--max-passes`` is reached.

    .venv/bin/python bench/bench_classifier.py
    .venv/bin/python bench/bench_classifier.py --budget 5 --erepo other_erepo_2024-10.tsv.gz
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib
from clingen_graph import acmg
from clingen_graph.ingest.base import Problem
from clingen_graph.ingest.clingen_erepo import ErepoRecord, parse
from clingen_graph.resources import data_dir

TARGET = 50_000
DEFAULT_FILE = "clingen/clingen_erepo_vcep_interpretations_2024-04.shared.tsv.gz"


def rate(items: int, fn: Callable[[], object], budget: float, max_passes: int,
         before: Callable[[], object] | None = None) -> tuple[float, int]:
    """Items per second over repeated passes of ``fn`` (``before`` runs untimed before each pass)."""
    spent = 0.0
    passes = 0
    while passes < max_passes and spent < budget:
        if before is not None:
            before()
        t0 = time.perf_counter()
        fn()
        spent += time.perf_counter() - t0
        passes += 1
    return items * passes / spent if spent else float("nan"), passes


def random_sets(n: int, seed: int) -> list[list[acmg.Criterion]]:
    rng = random.Random(seed)
    codes = list(acmg.CODES)
    out = []
    for _ in range(n):
        chosen = rng.sample(codes, rng.randint(0, 7))
        out.append([acmg.parse_criterion(f"{c}_{rng.choice(sorted(acmg.ALLOWED_STRENGTHS[c]))}") for c in chosen])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--erepo", type=Path, default=None, help="ERepo export (default: the bundled one)")
    ap.add_argument("--budget", type=float, default=2.0, help="seconds per measurement (default 2)")
    ap.add_argument("--max-passes", type=int, default=1000, help="passes per measurement at most (default 1000)")
    ap.add_argument("--random", type=int, default=20_000, help="random criteria sets for the cold random test")
    args = ap.parse_args()
    path = args.erepo or data_dir() / DEFAULT_FILE
    print(f"# ACMG classifier benchmark ({acmg.RULES_VERSION}); {benchlib.cpu_note()}")
    print(f"file: {path}")

    t0 = time.perf_counter()
    items = list(parse(path))
    parse_s = time.perf_counter() - t0
    records = [r for r in items if isinstance(r, ErepoRecord)]
    rejects = sum(1 for r in items if isinstance(r, Problem) and r.level == "reject")
    print(f"parse: {len(records):,} records, {rejects:,} rejects in {parse_s:.2f} s "
          f"({len(records) / parse_s:,.0f} rows/s, includes HGVS/MOI/criteria checks)")

    cells = [", ".join(c.raw for c in r.met) for r in records]
    per_s, passes = rate(len(cells), lambda: [acmg.parse_codes(c) for c in cells], args.budget, args.max_passes)
    print(f"parse_codes: {per_s:,.0f} cells/s ({passes} passes over {len(cells):,} cells)")

    sets = [r.met for r in records]
    panels = [(r.expert_panel, r.guideline) for r in records]
    distinct = len({frozenset(s) for s in sets})
    for rules in ("vcep", "table5"):
        def run(rules: str = rules) -> None:
            for s, (panel, guideline) in zip(sets, panels, strict=True):
                acmg.classify(s, rules=rules, expert_panel=panel, guideline=guideline)  # type: ignore[arg-type]

        run()  # fill the cache
        warm, wp = rate(len(sets), run, args.budget, args.max_passes)
        cold, cp = rate(len(sets), run, args.budget, args.max_passes, before=acmg._classify_set.cache_clear)
        verdict = "meets" if warm >= TARGET else "BELOW"
        print(f"classify rules={rules}: warm {warm:,.0f} sets/s ({wp} passes; {verdict} the {TARGET:,}/s target), "
              f"cold {cold:,.0f} sets/s ({cp} passes; {distinct:,} distinct sets per pass of {len(sets):,})")

    rnd = random_sets(args.random, seed=1)

    def run_random() -> None:
        for s in rnd:
            acmg.classify(s)

    cold_rnd, rp = rate(len(rnd), run_random, args.budget, args.max_passes, before=acmg._classify_set.cache_clear)
    print(f"classify random sets (table5, cache cleared per pass): {cold_rnd:,.0f} sets/s ({rp} passes of "
          f"{len(rnd):,})")


if __name__ == "__main__":
    main()
