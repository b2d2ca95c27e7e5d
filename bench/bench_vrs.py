#!/usr/bin/env python
"""VRS id minting throughput (prints figures, never asserts).

Ids per second for SNVs given as VCF, SPDI and HGVS (parse + ga4gh.vrs normalize + ga4gh_identify), and the
two halves separately (building the normalised Allele; ``allele_id`` alone). Each series stops at ``--count``
alleles or ``--budget`` seconds, whichever comes first; positions are spread over chromosome 1.

    .venv/bin/python bench/bench_vrs.py
    .venv/bin/python bench/bench_vrs.py --count 50000 --budget 20
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import cpu_note
from clingen_graph.vrs import allele_from_hgvs, allele_from_spdi, allele_from_vcf, allele_id

BASES = "ACGT"


def _snv(i: int) -> tuple[int, str, str]:
    """A deterministic SNV: 1-based position on chr1, ref, alt (ref != alt)."""
    ref = BASES[i % 4]
    return 1_000_000 + 37 * i, ref, BASES[(i + 1 + i // 4 % 3) % 4]


def _series(name: str, step: Callable[[int], object], count: int, budget: float) -> None:
    start = time.perf_counter()
    deadline = start + budget
    done = 0
    while done < count:
        step(done)
        done += 1
        if done % 256 == 0 and time.perf_counter() > deadline:
            break
    seconds = time.perf_counter() - start
    rate = done / seconds
    print(f"{name:<34} {done:>8,} in {seconds:6.2f} s  {rate:>10,.0f} /s  {1e6 / rate:8.1f} us each")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=20_000, help="alleles per series (default 20000)")
    parser.add_argument("--budget", type=float, default=10.0, help="seconds per series at most (default 10)")
    args = parser.parse_args(argv)

    print(cpu_note())
    prebuilt = [allele_from_vcf("1", *_snv(i)) for i in range(min(args.count, 1000))]

    def vcf(i: int) -> object:
        return allele_id(allele_from_vcf("1", *_snv(i)))

    def spdi(i: int) -> object:
        pos, ref, alt = _snv(i)
        return allele_id(allele_from_spdi(f"NC_000001.11:{pos - 1}:{ref}:{alt}"))

    def hgvs(i: int) -> object:
        pos, ref, alt = _snv(i)
        return allele_id(allele_from_hgvs(f"NC_000001.11:g.{pos}{ref}>{alt}"))

    _series("SNV ids from VCF (end to end)", vcf, args.count, args.budget)
    _series("SNV ids from SPDI (end to end)", spdi, args.count, args.budget)
    _series("SNV ids from HGVS (end to end)", hgvs, args.count, args.budget)
    _series("build normalised Allele (VCF)", lambda i: allele_from_vcf("1", *_snv(i)), args.count, args.budget)
    _series("allele_id of a built Allele", lambda i: allele_id(prebuilt[i % len(prebuilt)]), args.count, args.budget)


if __name__ == "__main__":
    main()
