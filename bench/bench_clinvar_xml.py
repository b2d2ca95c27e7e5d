#!/usr/bin/env python
"""ClinVar VCV XML parse speed (prints figures, never asserts).

Builds a release-style file (``<ClinVarVariationRelease>`` with many ``<VariationArchive>`` records) by
repeating the 11 real samples of ``tests/fixtures/clinvar/samples/`` in turn, bounded by ``--records`` and
``--max-mb`` (the
samples average ~64 KB a record, the BRAF V600E record alone 439 KB, so 50k records would be ~3 GB; the size
cap usually decides). Then, each in a fresh child process with a hard time limit and its own peak RSS:

(a) ``clingen_graph.ingest.clinvar_xml.parse``: records, SCVs, our aggregates and conflicts (target >= 2,000
    VCV records/s), ``--repeat`` times (median and best), then once with chunked reading off (the streaming
    parser, which reads odd files and takes over after a break in the XML), for comparison in the same run;
(b) floors: lxml ``iterparse`` of the same file doing nothing but clearing each record, and ``parse`` with
    chunked reading but without building records (libxml2 and the chunking alone);
(c) (a) again on a file without the biggest sample (BRAF V600E, 41 SCVs): records/s depends on record size,
    and that one record is ~60 % of the bytes of the full mix.

Every line gives the 1-minute load average when it was measured: the machines are shared, and a busy second
core slows everything down.

    .venv/bin/python bench/bench_clinvar_xml.py                      # 50k records or 512 MB
    .venv/bin/python bench/bench_clinvar_xml.py --repeat 3           # (a) three times: median and best
    .venv/bin/python bench/bench_clinvar_xml.py --records 5000 --gz  # gzip, as NCBI ships it
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib
from benchlib import in_child
from clingen_graph.resources import data_dir

TARGET = 2000.0


def build(path: Path, records: int, max_bytes: int, gz: bool, skip: str = "") -> tuple[int, int]:
    """Write the release file (without the sample named ``skip``); returns (records written, uncompressed bytes)."""
    bodies = []
    for sample in sorted((data_dir().parent / "tests" / "fixtures" / "clinvar" / "samples").glob("VCV*.xml")):
        if skip and sample.stem == skip:
            continue
        text = sample.read_text(encoding="utf-8")
        bodies.append(text[text.index("<VariationArchive"):text.rindex("</VariationArchive>")
                           + len("</VariationArchive>")].encode() + b"\n")
    head = b'<?xml version="1.0" encoding="UTF-8"?>\n<ClinVarVariationRelease ReleaseDate="2024-09-17">\n'
    tail = b"</ClinVarVariationRelease>\n"
    written = len(head) + len(tail)
    n = 0
    opener = gzip.open if gz else open
    with opener(path, "wb") as out:  # type: ignore[operator]
        out.write(head)
        while n < records:
            body = bodies[n % len(bodies)]
            if written + len(body) > max_bytes:
                break
            out.write(body)
            written += len(body)
            n += 1
        out.write(tail)
    return n, written


def run_parser(path: str, chunked: bool = True, build: bool = True) -> dict:
    """``parse`` the file (in a fresh process); ``chunked`` False: the streaming parser only; ``build`` False:
    the records are not built (the floor of chunked reading)."""
    from clingen_graph.ingest import clinvar_xml
    from clingen_graph.ingest.clinvar_xml import VcvRecord, parse

    clinvar_xml.CHUNKED = chunked
    if not build:
        clinvar_xml._archive = lambda *args: iter((None,))  # type: ignore[assignment]  # one item a record
    started = time.perf_counter()
    records = scvs = conflicts = problems = 0
    if not build:
        records = sum(1 for _ in parse(Path(path)))
        return {"seconds": time.perf_counter() - started, "records": records}
    for item in parse(Path(path)):
        if isinstance(item, VcvRecord):
            records += 1
            scvs += len(item.scvs)
            conflicts += len(item.conflicts)
        else:
            problems += 1
    return {"seconds": time.perf_counter() - started, "records": records, "scvs": scvs, "conflicts": conflicts,
            "problems": problems}


def run_floor(path: str) -> dict:
    from lxml import etree

    from clingen_graph.ingest.base import open_binary

    started = time.perf_counter()
    records = 0
    with open_binary(Path(path)) as fh:
        for _, el in etree.iterparse(fh, events=("end",), tag="VariationArchive", huge_tree=True,
                                     remove_blank_text=True, resolve_entities=False):
            records += 1
            el.clear(keep_tail=True)
            parent = el.getparent()
            while el.getprevious() is not None:
                del parent[0]
    return {"seconds": time.perf_counter() - started, "records": records}


def load() -> str:
    return f"load {os.getloadavg()[0]:.2f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--records", type=int, default=50_000, help="records to write at most (default 50,000)")
    ap.add_argument("--max-mb", type=float, default=512, help="uncompressed size cap in MB (default 512)")
    ap.add_argument("--gz", action="store_true", help="write and parse a .xml.gz file")
    ap.add_argument("--workdir", type=Path, default=None, help="where the file goes (default: a temp dir)")
    ap.add_argument("--timeout", type=float, default=900, help="hard limit per measurement, seconds")
    ap.add_argument("--repeat", type=int, default=1, help="runs of (a) on the full mix (default 1, at most 9)")
    args = ap.parse_args(argv)
    repeat = max(1, min(args.repeat, 9))

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="clingen-bench-clinvar-"))
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / ("ClinVarVCVRelease_bench.xml" + (".gz" if args.gz else ""))
    print(f"bench_clinvar_xml: {benchlib.cpu_note()}; started {time.strftime('%Y-%m-%d %H:%M:%S')}")
    try:
        for label, skip in (("(a)", ""), ("(c)", "VCV000013961")):
            t0 = time.perf_counter()
            n, size = build(path, args.records, int(args.max_mb * 1e6), args.gz, skip)
            what = "the 11 samples in turn" if not skip else f"the samples without {skip}"
            print(f"  {label} file {path.name}: {n:,} records ({what}), {size / 1e6:,.0f} MB uncompressed, "
                  f"{path.stat().st_size / 1e6:,.0f} MB on disk, {size / n / 1e3:,.0f} KB/record, written in "
                  f"{time.perf_counter() - t0:.1f} s")
            rates = []
            for _ in range(1 if skip else repeat):
                status, value, rss = in_child(run_parser, str(path), timeout=args.timeout)
                if status != "ok":
                    print(f"  {label} parse FAILED ({status}): {value}")
                    break
                rate = value["records"] / value["seconds"]
                rates.append(rate)
                print(f"  {label} clinvar_xml.parse: {value['records']:,} VCV records, {value['scvs']:,} SCVs, "
                      f"{value['conflicts']:,} conflicts, {value['problems']} problems in {value['seconds']:.1f} s = "
                      f"{rate:,.0f} records/s, {size / 1e6 / value['seconds']:,.0f} MB/s; peak RSS {rss:,.0f} MB; "
                      f"{load()}")
            if rates:
                if len(rates) > 1:
                    print(f"      {len(rates)} runs: median {statistics.median(rates):,.0f}, best {max(rates):,.0f} "
                          "records/s")
                rate = statistics.median(rates)
                print(f"      target >= {TARGET:,.0f} records/s: {'met' if rate >= TARGET else 'NOT met'} on this mix")
            if skip:
                continue
            status, value, rss = in_child(run_parser, str(path), False, timeout=args.timeout)
            if status == "ok":
                print(f"  {label} the same with chunked reading off (streaming parser): "
                      f"{value['records'] / value['seconds']:,.0f} records/s; peak RSS {rss:,.0f} MB; {load()}")
            else:
                print(f"  {label} streaming parser FAILED ({status}): {value}")
            status, floor, rss = in_child(run_floor, str(path), timeout=args.timeout)
            if status != "ok":
                print(f"  (b) lxml floor FAILED ({status}): {floor}")
            else:
                print(f"  (b) lxml iterparse alone, same file: {floor['records'] / floor['seconds']:,.0f} records/s, "
                      f"{size / 1e6 / floor['seconds']:,.0f} MB/s; peak RSS {rss:,.0f} MB; {load()}")
            status, floor, rss = in_child(run_parser, str(path), True, False, timeout=args.timeout)
            if status != "ok":
                print(f"  (b) chunked floor FAILED ({status}): {floor}")
            else:
                print(f"  (b) parse's chunked reading without building records: "
                      f"{floor['records'] / floor['seconds']:,.0f} records/s, "
                      f"{size / 1e6 / floor['seconds']:,.0f} MB/s; peak RSS {rss:,.0f} MB; {load()}")
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
