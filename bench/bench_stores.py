#!/usr/bin/env python
"""The same workload on every store: embedded pyoxigraph, an Oxigraph server and Virtuoso 7 (prints figures,
never asserts).

Stores: ``embedded`` (``oxigraph:DIR``, the API's default), ``oxigraph-server`` (the PyPI package's ``oxigraph
serve``, through ``oxigraph+http://``) and ``virtuoso`` (Debian's Virtuoso 7, through ``virtuoso+http://`` with
digest credentials). The servers are started on 127.0.0.1 by this script (``clingen_graph.devservers``) and are
always stopped, also on errors, Ctrl-C and SIGTERM; every step has a time limit.

(a) Bundled real data. ``data/`` is loaded into the embedded store with ``release.load_paths`` (or ``--store DIR``
    is reused); every named graph of it (the release graphs and the metadata graph) is then written into each
    server through our remote store, ``open_store(url).replace_graph(name, triples)`` per graph (Graph Store
    Protocol; what ``clingen-graph load --store URL`` uses), and the write rate is printed per server. Then
    catalogue query latency, one table (query x store): every ``queries/*.rq`` bound with its ``# example:``,
    one cold run, then the warm median and p95 of up to ``--runs`` runs within ``--budget`` s per query and store;
    a run past ``--limit`` s is reported as "> N s" (the client and the servers stop it: ``oxigraph serve
    --timeout-s``, Virtuoso's ``MaxQueryExecutionTime``; the embedded worker process is killed). The look-ups
    ``gene-validity`` and ``variant-statements`` come first. Queries are timed as a client sees them: the
    embedded store in process, the servers over HTTP (request, JSON results parsed), all with
    ``default_graphs=release.default_graphs(store)`` and stores taking turns per query.
(b) The API on each store: ``clingen-graph serve --store URL --port P`` (one process), then ``wrk -t1 -c16 -d10s
    --latency`` on ``/genes/HGNC:1100``, ``/variants/CA114360`` and ``/sparql?query=`` (the ``gene-validity``
    catalogue query for HGNC:1100): requests/s, p50, p99, non-2xx and socket errors. Entity responses are cached
    by the API, ``/sparql`` runs its query every time. With ``--soak`` (the default), on the embedded store only:
    ``wrk -t2 -c64 -d60s`` on ``/genes/{id}`` cycling over ~200 genes (the issue's stability target: 0 errors,
    >= 800 requests/s, p99 <= 50 ms on one worker).
(c) At ~10M triples, with ``--synthetic FILE.nq`` (from ``bench/synthetic.py``): the embedded store is
    ``--synthetic-store DIR`` (e.g. one kept by ``bench_load.py --keep``) or built from the file with pyoxigraph's
    ``bulk_load`` + ``optimize``; the servers load the file by their own fast paths, not through our remote
    store: ``oxigraph load --location DIR --file FILE`` + ``oxigraph optimize`` before ``serve``, and Virtuoso's
    bulk loader (``ld_dir`` + ``rdf_loader_run()`` + ``checkpoint``, through isql). Then the catalogue table as in
    (a), with a verdict column: embedded/virtuoso ratio of the warm medians (the issue's target: every catalogue
    query on the embedded store at 10M no slower than on Virtuoso).

The CPU count and load average are printed at the start and the end; the machines are shared, so differences
under ~20% are noise.

    .venv/bin/python bench/bench_stores.py                                   # (a) + (b), ~10 min
    .venv/bin/python bench/bench_stores.py --store /tmp/bench/real-store --no-soak      # quicker
    .venv/bin/python bench/bench_stores.py --skip-real --synthetic /tmp/clingen-synthetic-10000000.nq \\
        --synthetic-store /tmp/bench/synthetic-ours                          # (c) only
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_api
import benchlib
from benchlib import Worker, fresh_dir, in_child, median, percentile

STORES = ("embedded", "oxigraph-server", "virtuoso")
LOOKUPS = ("gene-validity", "variant-statements")
API_PATHS = ("/genes/HGNC:1100", "/variants/CA114360")
SPARQL_QUERY = ("gene-validity", {"gene": "HGNC:1100"})
RPS_TARGET = 800.0
P99_TARGET_MS = 50.0
GRAPH_PREFIX = "https://w3id.org/clingen-graph/graph/"
# a run stopped at its limit: by our client, by Oxigraph's --timeout-s, by Virtuoso's MaxQueryExecutionTime
TIMED_OUT = re.compile(r"QueryTimeout|S1T00|timed? ?out", re.IGNORECASE)


@dataclass
class Target:
    """One store under test: its URL, the credentials a client needs, the server (None: embedded)."""

    name: str
    url: str
    creds: dict[str, str] = field(default_factory=dict)
    server: Any = None


# --- run in child processes -------------------------------------------------------------------------------------

def _set_creds(creds: dict[str, str]) -> None:
    from clingen_graph.store import remote

    for key in (remote.ENV_USER, remote.ENV_PASSWORD):
        os.environ.pop(key, None)
    os.environ.update(creds)


def open_ctx(url: str, creds: dict[str, str], limit: float) -> dict[str, Any]:
    """A query worker's store: read-only; a remote one without retries and with the client limit ``limit``."""
    from clingen_graph import release
    from clingen_graph.store.base import open_store
    from clingen_graph.store.remote import RemoteStore, Retry

    _set_creds(creds)
    store = open_store(url, read_only=True)
    remote = isinstance(store, RemoteStore)
    if remote:
        store.retry = Retry(attempts=1, timeout=limit + 2)  # type: ignore[attr-defined]  # a retry hides errors
    return {"store": store, "graphs": release.default_graphs(store), "limit": limit if remote else None}


def _execute(ctx: dict[str, Any], text: str) -> int:
    from pyoxigraph import QueryBoolean

    result = ctx["store"].query(text, default_graphs=ctx["graphs"], timeout=ctx["limit"])
    if isinstance(result, QueryBoolean):
        return int(bool(result))
    return sum(1 for _ in result)


def job_info(ctx: dict[str, Any]) -> list[str]:
    return list(ctx["graphs"])


def job_cold(ctx: dict[str, Any], text: str) -> dict[str, Any]:
    t0 = time.perf_counter()
    rows = _execute(ctx, text)
    return {"rows": rows, "cold": time.perf_counter() - t0}


def job_warm(ctx: dict[str, Any], text: str, runs: int, budget: float) -> list[float]:
    times, _ = benchlib.timed_runs(lambda: _execute(ctx, text), runs=runs, budget=budget)
    return times


def copy_release_graphs(store_dir: str, targets: list[tuple[str, str, dict[str, str]]]) -> dict[str, Any]:
    """Every named graph of the embedded store (release graphs + metadata) written into each server with
    ``replace_graph``, graph by graph (read once, then written to each server in turn; only the writes are timed)."""
    from pyoxigraph import NamedNode

    from clingen_graph.store.base import open_store

    source = open_store(f"oxigraph:{store_dir}", read_only=True)
    remotes = {}
    for name, url, creds in targets:
        _set_creds(creds)
        remotes[name] = open_store(url)
    rows: list[dict[str, Any]] = []
    read_s = 0.0
    for graph in source.graphs():
        t0 = time.perf_counter()
        store_for = getattr(source, "store_for", None)
        if store_for is not None:  # pyoxigraph directly (the archive for a superseded release): as a CONSTRUCT
            raw, _ = store_for([graph])
            triples = [(q.subject, q.predicate, q.object) for q in raw.quads_for_pattern(None, None, None,
                                                                                       NamedNode(graph))]
        else:
            triples = [(t.subject, t.predicate, t.object)
                       for t in source.query("CONSTRUCT WHERE { ?s ?p ?o }", default_graphs=[graph])]
        read_s += time.perf_counter() - t0
        row: dict[str, Any] = {"graph": graph, "triples": len(triples)}
        for name, store in remotes.items():
            t0 = time.perf_counter()
            store.replace_graph(graph, triples)
            row[name] = time.perf_counter() - t0
        rows.append(row)
        del triples
    for store in remotes.values():
        store.close()
    source.close()
    return {"graphs": rows, "read_seconds": read_s}


# --- helpers ----------------------------------------------------------------------------------------------------

def creds_of(server: Any) -> dict[str, str]:
    from clingen_graph.store import remote

    if server is None or not server.username:
        return {}
    return {remote.ENV_USER: server.username, remote.ENV_PASSWORD: server.password}


def start_servers(names: list[str], workdir: Path, tag: str, limit: float, built: list[Path],
                  dirs_allowed: tuple[Path, ...] = (), oxigraph_location: Path | None = None) -> list[Target]:
    """The servers among ``names``, started, each on a fresh database in ``workdir/<name>-<tag>`` (added to
    ``built``); one that cannot start is left out."""
    from clingen_graph import devservers

    out = []
    for name in names:
        if name not in ("oxigraph-server", "virtuoso"):
            continue
        home = fresh_dir(workdir, f"{name}-{tag}")
        built.append(home)
        t0 = time.perf_counter()
        seconds = max(1, math.ceil(limit))  # the servers' own limits are whole seconds
        try:
            if name == "oxigraph-server":
                server = devservers.start_oxigraph(home, location=oxigraph_location, query_timeout_s=seconds)
                url = f"oxigraph+{server.base_url}"
            else:
                server = devservers.start_virtuoso(home, dirs_allowed=dirs_allowed, max_query_seconds=seconds)
                url = f"virtuoso+{server.base_url}"
        except devservers.ServerUnavailable as exc:
            print(f"  {name}: not available, left out: {str(exc)[:500]}")
            continue
        print(f"  {name} started in {time.perf_counter() - t0:.1f} s: {url} (log {server.log_path})")
        out.append(Target(name, url, creds_of(server), server))
    return out


def stop_servers(targets: list[Target]) -> None:
    for t in targets:
        if t.server is not None:
            try:
                t.server.stop()
            except Exception as exc:  # keep stopping the others
                print(f"  stopping {t.name}: {exc}")
            t.server = None


def run_bounded(cmd: list[str], timeout: float, log: Path) -> tuple[int | None, float]:
    """Run ``cmd`` in its own process group with its output in ``log``; killed at ``timeout``.
    Returns (exit code or None if killed, seconds)."""
    t0 = time.perf_counter()
    with log.open("ab") as out:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
        code: int | None = None
        try:
            with contextlib.suppress(subprocess.TimeoutExpired):  # code stays None: reported as over the limit
                code = proc.wait(timeout)
        finally:
            if proc.poll() is None:  # past its limit, or we are interrupted
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(10)
    return code, time.perf_counter() - t0


def count_lines(path: Path) -> int:
    n = 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 24):
            n += chunk.count(b"\n")
    return n


def fmt_ms(seconds: float) -> str:
    if seconds != seconds:
        return "n/a"
    value = seconds * 1000
    return f"{value:,.1f}" if value < 10_000 else f"{value:,.0f}"


# --- the catalogue table ----------------------------------------------------------------------------------------

def catalogue_order() -> list[tuple[str, Any]]:
    from clingen_graph.query import catalogue

    cat = catalogue()
    first = [n for n in LOOKUPS if n in cat]
    return [(n, cat[n]) for n in first + sorted(n for n in cat if n not in first)]


def measure_catalogue(targets: list[Target], args: argparse.Namespace, *, verdict: bool) -> None:
    """One table, query x store (stores take turns per query); printed row by row as it is measured."""
    limit = args.limit
    workers = {t.name: Worker(open_ctx, t.url, t.creds, limit) for t in targets}
    try:
        views = {}
        for t in targets:
            status, value = workers[t.name].run(job_info, timeout=300)
            if status != "ok":
                print(f"  {t.name}: cannot open the store ({status}): {str(value)[:300]}")
                continue
            views[t.name] = value
        live = [t for t in targets if t.name in views]
        if not live:
            return
        ref = views[live[0].name]
        for t in live:
            same = "the same list" if views[t.name] == ref else f"DIFFERENT from {live[0].name}'s"
            print(f"  {t.name}: {len(views[t.name])} default graphs (release.default_graphs), {same}")
        names = [t.name for t in live]
        has_virtuoso = "embedded" in names and "virtuoso" in names
        print(f"\n  catalogue: warm median / p95 ms of up to {args.runs} runs after one cold run, budget "
              f"{args.budget:g} s per query and store, limit {limit:g} s per run")
        head = f"  {'query':<32} {'rows':>9}"
        sub = f"  {'':<32} {'':>9}"
        for n in names:
            head += f" | {n:^25}"
            sub += f" | {'median':>9} {'p95':>9} {'n':>5}"
        if has_virtuoso:
            head += f" | {'embedded/virtuoso':>17}"
            sub += f" | {'ratio':>7}" + (f" {'<= 1':>9}" if verdict else f" {'':>9}")
        print(head)
        print(sub)
        met = total = 0
        notes: list[str] = []
        empty: list[str] = []
        for qname, q in catalogue_order():
            try:
                text = q.bind(q.example)
            except Exception as exc:
                print(f"  {qname:<32} cannot bind its example {q.example}: {exc}")
                continue
            cells: dict[str, dict[str, Any]] = {}
            for t in live:
                cells[t.name] = measure_one(workers[t.name], text, args)
                if cells[t.name]["status"] == "error":
                    notes.append(f"{qname} on {t.name}: {cells[t.name]['msg'][:300]}")
            rows = {n: c.get("rows") for n, c in cells.items() if c["status"] == "ok"}
            distinct = set(rows.values())
            rows_text = "—" if not distinct else f"{next(iter(distinct)):,}" if len(distinct) == 1 else "/".join(
                "?" if rows.get(n) is None else str(rows[n]) for n in names) + ("!" if len(distinct) > 1 else "")
            if distinct == {0}:
                empty.append(qname)
            if len(distinct) > 1:
                notes.append(f"{qname}: row counts differ ({', '.join(f'{n} {rows.get(n)}' for n in names)})")
            line = f"  {qname:<32} {rows_text:>9}"
            for n in names:
                c = cells[n]
                if c["status"] == "ok":
                    line += f" | {fmt_ms(c['median']):>9} {fmt_ms(c['p95']):>9} {c['n']:>5}"
                elif c["status"] == "timeout":
                    line += f" | {'> ' + format(limit, 'g') + ' s':>9} {'':>9} {'':>5}"
                else:
                    line += f" | {'error':>9} {'':>9} {'':>5}"
            if has_virtuoso:
                e, v = cells["embedded"], cells["virtuoso"]
                ratio, ok = compare(e, v)
                line += f" | {ratio:>7}"
                if verdict and ok is not None:
                    total += 1
                    met += ok
                    line += f" {'met' if ok else 'NOT met':>9}"
            print(line, flush=True)
        if verdict and total:
            print(f"  target (every query on the embedded store no slower than on Virtuoso): met by {met} of {total} "
                  f"queries (ratios of warm medians; under ~1.2 is within this machine's noise)")
        if empty:
            print(f"  0 rows on every store (nothing in this data for its example; its time says little): "
                  f"{', '.join(empty)}")
        for note in notes:
            print(f"  note: {note}")
    finally:
        for w in workers.values():
            w.stop()


def compare(e: dict[str, Any], v: dict[str, Any]) -> tuple[str, bool | None]:
    """The embedded/virtuoso ratio text and whether the embedded store is no slower (None: cannot tell)."""
    if e["status"] == "ok" and v["status"] == "ok":
        ratio = e["median"] / v["median"] if v["median"] > 0 else float("inf")
        return (f"{ratio:,.2f}" if ratio < 100 else f"{ratio:,.0f}"), ratio <= 1.0
    if e["status"] == "ok" and v["status"] == "timeout":
        return "< 1", True
    if e["status"] == "timeout" and v["status"] == "ok":
        return "> 1", False
    return "n/a", None


def measure_one(worker: Worker, text: str, args: argparse.Namespace) -> dict[str, Any]:
    limit = args.limit
    if worker.proc is None or not worker.proc.is_alive():  # (re)open the store outside the query's limit
        worker.run(job_info, timeout=300)
    status, r = worker.run(job_cold, text, timeout=limit + 10)
    if status == "timeout" or (status == "error" and TIMED_OUT.search(str(r))) or \
            (status == "ok" and r["cold"] > limit):
        return {"status": "timeout"}
    if status != "ok":
        return {"status": "error", "msg": str(r)}
    status, warm = worker.run(job_warm, text, args.runs, args.budget, timeout=args.budget + limit + 15)
    if status != "ok":  # the cold figure stands in, flagged by n = 0
        warm = []
    series = warm or [r["cold"]]
    return {"status": "ok", "rows": r["rows"], "cold": r["cold"], "median": median(series),
            "p95": percentile(series, 95), "n": len(warm)}


# --- (a) ---------------------------------------------------------------------------------------------------------

def part_a_copy(store_dir: Path, servers: list[Target], timeout: float) -> bool:
    print(f"\n  writing every named graph of {store_dir} into each server with replace_graph (Graph Store "
          "Protocol, our remote store's write path) ...")
    status, r, _ = in_child(copy_release_graphs, str(store_dir), [(t.name, t.url, t.creds) for t in servers],
                            timeout=timeout)
    if status != "ok":
        print(f"  writing failed ({status}): {str(r)[:1500]}")
        return False
    graphs = r["graphs"]
    print(f"  {'graph':<78} {'triples':>10}" + "".join(f" {t.name + ' s':>18}" for t in servers))
    for g in graphs:
        short = g["graph"].removeprefix(GRAPH_PREFIX)
        print(f"  {short[:78]:<78} {g['triples']:>10,}" + "".join(f" {g[t.name]:>18.2f}" for t in servers))
    total = sum(g["triples"] for g in graphs)
    print(f"  read from the embedded store (every quad of each graph): {r['read_seconds']:.1f} s, not counted below")
    for t in servers:
        seconds = sum(g[t.name] for g in graphs)
        print(f"  {t.name:<18} {total:>11,} triples in {len(graphs)} graphs, {seconds:7.1f} s = "
              f"{total / seconds if seconds else 0:>9,.0f} triples/s")
    return True


def part_a(args: argparse.Namespace, workdir: Path, built: list[Path]) -> Path | None:
    started = time.perf_counter()
    print(f"\n== (a) bundled real data, {benchlib.cpu_note()}")
    store_dir = args.store
    if store_dir is None or not (store_dir / "CURRENT").exists():
        store_dir = fresh_dir(workdir, "embedded-real")
        built.append(store_dir)
        print(f"  loading data/ into {store_dir} with release.load_paths ...")
        status, r, rss = in_child(benchlib.load_real, store_dir, None, timeout=1800)
        if status != "ok":
            print(f"  load failed ({status}): {str(r)[:1500]}")
            return None
        triples = sum(s["triples"] for s in r["summaries"])
        print(f"  loaded {triples:,} triples in {r['seconds']:.1f} s (peak RSS {rss:,.0f} MB)")
    else:
        print(f"  reusing the embedded store {store_dir}")
    args._real_store = store_dir
    print("  starting the servers ...")
    servers = start_servers([s for s in args.stores if s != "embedded"], workdir, "real", args.limit, built)
    args._servers = servers
    if servers and not part_a_copy(store_dir, servers, args.copy_timeout):
        stop_servers(servers)
        servers[:] = []
    targets = ([Target("embedded", f"oxigraph:{store_dir}")] if "embedded" in args.stores else []) + servers
    print()
    measure_catalogue(targets, args, verdict=False)
    print(f"  (a) took {time.perf_counter() - started:.0f} s")
    return store_dir


# --- (b) ---------------------------------------------------------------------------------------------------------

def parse_socket_errors(out: str) -> int:
    m = re.search(r"Socket errors:\s*connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return sum(int(x) for x in m.groups()) if m else 0


def run_wrk(url: str, threads: int, connections: int, duration: int, script: Path | None = None) -> dict | None:
    out = bench_api.wrk_output(url, threads, connections, duration, script, indent="    ")
    if out is None:
        return None
    r = bench_api.parse_wrk(out)
    r["socket_errors"] = parse_socket_errors(out)
    r["socket_text"] = r.pop("errors", "")
    return r


def wrk_line(what: str, r: dict | None) -> str:
    if r is None:
        return f"    {what:<40} (no figures)"
    return (f"    {what:<40} {r['rps']:>9,.0f} {r['p50']:>8.1f} {r['p99']:>8.1f} {r['requests']:>9,} "
            f"{r['non2xx']:>8,} {r['socket_errors']:>8,}")


WRK_HEAD = (f"    {'path':<40} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'requests':>9} {'non-2xx':>8} "
            f"{'sock err':>8}")


def serve(target: Target, workdir: Path, ready_timeout: float) -> tuple[subprocess.Popen | None, str, Any]:
    """``clingen-graph serve --store URL`` on a free port; returns (process, base URL, log file)."""
    cli = Path(sys.executable).parent / "clingen-graph"
    port = bench_api.free_port()
    cmd = [str(cli), "serve", "--store", target.url, "--host", "127.0.0.1", "--port", str(port)]
    env = dict(os.environ)
    env.update(target.creds)
    log = (workdir / f"api-{target.name}.log").open("w+")
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    t0 = time.perf_counter()
    if not bench_api.wait_ready(proc, f"{base}{API_PATHS[0]}", ready_timeout):
        log.seek(0)
        print(f"  {target.name}: the API did not become ready in {ready_timeout:g} s (exit {proc.poll()}):\n"
              f"{log.read()[-2000:]}")
        bench_api.stop(proc)
        log.close()
        return None, base, None
    print(f"  {target.name}: clingen-graph serve --store {target.url} ready in {time.perf_counter() - t0:.1f} s; "
          f"search index built {bench_api.wait_search_index(base):.1f} s later (measured after it)")
    return proc, base, log


def part_b(args: argparse.Namespace, workdir: Path, store_dir: Path, servers: list[Target]) -> None:
    from clingen_graph.query import catalogue

    started = time.perf_counter()
    print(f"\n== (b) the API on each store, {benchlib.cpu_note()}")
    name, params = SPARQL_QUERY
    q = catalogue().get(name)
    sparql_path = None
    if q is not None:
        sparql_path = "/sparql?query=" + urllib.parse.quote(q.bind(params), safe="")
    paths = [*API_PATHS] + ([sparql_path] if sparql_path else [])
    labels = {p: p for p in API_PATHS}
    if sparql_path:
        labels[sparql_path] = f"/sparql ({name} {' '.join(f'{k}={v}' for k, v in params.items())})"
    targets = ([Target("embedded", f"oxigraph:{store_dir}")] if "embedded" in args.stores else []) + servers
    summary: dict[str, dict[str, Any]] = {}
    for target in targets:
        proc, base, log = serve(target, workdir, args.ready_timeout)
        if proc is None:
            continue
        try:
            for p in paths:
                code, size, dt = bench_api.get(base + p, timeout=args.limit)
                print(f"    GET {labels[p]}: HTTP {code}, {size:,} bytes, {dt * 1000:.1f} ms (first request)")
            print(f"    wrk -t1 -c{args.connections} -d{args.duration}s --latency")
            print(WRK_HEAD)
            for p in paths:
                r = run_wrk(base + p, 1, args.connections, args.duration)
                summary.setdefault(labels[p], {})[target.name] = r
                print(wrk_line(labels[p][:40], r), flush=True)
            if target.name == "embedded" and args.soak:
                soak(args, workdir, store_dir, base)
        finally:
            bench_api.stop(proc)
            log.close()
    if summary:
        names = [t.name for t in targets]
        print(f"\n  summary, wrk -t1 -c{args.connections} -d{args.duration}s: req/s, p50 / p99 ms, errors "
              "(non-2xx + socket)")
        print(f"  {'path':<40}" + "".join(f" | {n:^30}" for n in names))
        for label, per in summary.items():
            line = f"  {label[:40]:<40}"
            for n in names:
                r = per.get(n)
                if r is None:
                    line += f" | {'—':^30}"
                    continue
                errors = r["non2xx"] + r["socket_errors"]
                line += f" | {r['rps']:>7,.0f} {r['p50']:>6.1f} / {r['p99']:>6.1f} {errors:>6,}"
            print(line)
    print(f"  (b) took {time.perf_counter() - started:.0f} s")


def soak(args: argparse.Namespace, workdir: Path, store_dir: Path, base: str) -> None:
    status, value, _ = in_child(bench_api.read_gene_ids, str(store_dir), args.ids, 0, timeout=300)
    if status != "ok" or not value[0]:
        print(f"    soak: cannot read gene ids ({status}): {str(value)[:300]}")
        return
    ids = value[0]
    lua = bench_api.write_lua(workdir, "soak-genes", ids)
    print(f"\n    stability (embedded): wrk -t2 -c64 -d{args.soak_duration}s --latency on /genes/{{id}} cycling "
          f"{len(ids)} genes with validity statements")
    print(WRK_HEAD)
    r = run_wrk(base, 2, 64, args.soak_duration, lua)
    print(wrk_line(f"/genes/{{id}} x{len(ids)}", r))
    if r is None:
        return
    errors = r["non2xx"] + r["socket_errors"]
    print(f"    targets: 0 errors in {args.soak_duration} s at 64 connections: {'met' if errors == 0 else 'NOT met'} "
          f"({r['non2xx']:,} non-2xx, {r['socket_text'] or 'no socket errors'}); "
          f">= {RPS_TARGET:.0f} req/s: {'met' if r['rps'] >= RPS_TARGET else 'NOT met'}; "
          f"p99 <= {P99_TARGET_MS:.0f} ms: {'met' if r['p99'] <= P99_TARGET_MS else 'NOT met'}")


# --- (c) ---------------------------------------------------------------------------------------------------------

def part_c(args: argparse.Namespace, workdir: Path, built: list[Path]) -> None:
    from clingen_graph import devservers

    started = time.perf_counter()
    path: Path = args.synthetic.resolve()
    print(f"\n== (c) synthetic {path} ({path.stat().st_size / 1e6:,.0f} MB), {benchlib.cpu_note()}")
    t0 = time.perf_counter()
    lines = count_lines(path)
    print(f"  {lines:,} lines (quads) in the file (counted in {time.perf_counter() - t0:.1f} s)")
    targets: list[Target] = []
    servers: list[Target] = []
    try:
        if "embedded" in args.stores:
            syn = args.synthetic_store
            if syn is not None and (syn / "CURRENT").exists():
                print(f"  embedded: reusing {syn}")
            else:
                syn = fresh_dir(workdir, "embedded-synthetic")
                built.append(syn)
                print(f"  embedded: pyoxigraph Store.bulk_load + optimize into {syn} (the same quads as our "
                      "loader writes) ...")
                status, r, rss = in_child(benchlib.load_synthetic_raw, path, syn, timeout=args.load_timeout)
                if status != "ok":
                    print(f"  embedded: load failed ({status}): {str(r)[:1000]}")
                    syn = None
                else:
                    print(f"  embedded: bulk_load {r['seconds']:.1f} s ({lines / r['seconds']:,.0f} quads/s) + "
                          f"optimize {r['optimize_seconds']:.1f} s, peak RSS {rss:,.0f} MB")
            if syn is not None:
                targets.append(Target("embedded", f"oxigraph:{syn}"))
        print("  the servers load the file by their own fast paths (not through our remote store):")
        if "oxigraph-server" in args.stores:
            loc = fresh_dir(workdir, "oxigraph-synthetic-store")
            built.append(loc)
            binary = devservers._find_oxigraph()
            log = workdir / "oxigraph-load.log"
            code, load_s = run_bounded([binary, "load", "--location", str(loc), "--file", str(path)],
                                       args.load_timeout, log)
            if code != 0:
                print(f"  oxigraph-server: `oxigraph load` failed (exit {code}): {tail(log)}")
            else:
                code, opt_s = run_bounded([binary, "optimize", "--location", str(loc)], args.load_timeout, log)
                opt = f"{opt_s:.1f} s" if code == 0 else f"failed (exit {code})"
                print(f"  oxigraph-server: `oxigraph load --location DIR --file FILE` {load_s:.1f} s "
                      f"({lines / load_s:,.0f} quads/s), `oxigraph optimize` {opt}; "
                      f"{benchlib.dir_size(loc) / 1e6:,.0f} MB on disk")
                servers += start_servers(["oxigraph-server"], workdir, "synthetic", args.limit, built,
                                         oxigraph_location=loc)
        if "virtuoso" in args.stores:
            started_v = start_servers(["virtuoso"], workdir, "synthetic", args.limit, built,
                                       dirs_allowed=(path.parent,))
            servers += started_v
            if started_v:
                v = started_v[0]
                try:
                    t0 = time.perf_counter()
                    devservers.isql(v.server, f"ld_dir('{path.parent}', '{path.name}', '{GRAPH_PREFIX}unnamed');")
                    devservers.isql(v.server, "rdf_loader_run();", timeout=args.load_timeout)
                    load_s = time.perf_counter() - t0
                    devservers.isql(v.server, "checkpoint;", timeout=args.load_timeout)
                    total_s = time.perf_counter() - t0
                    state = devservers.isql(v.server, "SELECT ll_state, ll_error FROM DB.DBA.LOAD_LIST;").split()
                    count = devservers.isql(
                        v.server, f'SPARQL SELECT COUNT(*) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} '
                        f'FILTER(STRSTARTS(STR(?g), "{GRAPH_PREFIX}")) }};', timeout=600).split()
                    print(f"  virtuoso: ld_dir + rdf_loader_run() {load_s:.1f} s ({lines / load_s:,.0f} quads/s), "
                          f"+ checkpoint {total_s:.1f} s ({lines / total_s:,.0f} quads/s); load list state/error "
                          f"{' '.join(state)[:200]}; {int(count[-1]) if count and count[-1].isdigit() else '?'} "
                          f"quads in our graphs; database {benchlib.dir_size(v.server.workdir) / 1e6:,.0f} MB")
                except (RuntimeError, subprocess.TimeoutExpired) as exc:
                    print(f"  virtuoso: bulk load failed: {str(exc)[:1000]}")
                    stop_servers(started_v)
                    servers.remove(v)
        targets += servers
        if targets:
            print()
            measure_catalogue(targets, args, verdict=True)
    finally:
        stop_servers(servers)
    print(f"  (c) took {time.perf_counter() - started:.0f} s")


def tail(path: Path, lines: int = 10) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


# --- main --------------------------------------------------------------------------------------------------------

def _terminate(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    ap.add_argument("--store", type=Path, default=None,
                    help="(a) the bundled-data embedded store to reuse (default: load data/ into a fresh one)")
    ap.add_argument("--synthetic", type=Path, default=None,
                    help="(c) an N-Quads file from bench/synthetic.py (e.g. 10M triples); without it (c) is skipped")
    ap.add_argument("--synthetic-store", type=Path, default=None,
                    help="(c) an embedded store of that file to reuse (e.g. bench_load.py --keep's synthetic-ours)")
    ap.add_argument("--stores", default=",".join(STORES), help="which stores, comma-separated")
    ap.add_argument("--skip-real", action="store_true", help="skip (a) and (b)")
    ap.add_argument("--skip-api", action="store_true", help="skip (b)")
    ap.add_argument("--runs", type=int, default=10, help="warm runs per query and store, at most")
    ap.add_argument("--budget", type=float, default=10.0, help="seconds of warm runs per query and store")
    ap.add_argument("--limit", type=float, default=60.0,
                    help="seconds a query run may take (clients and servers stop it); reported as '> N s'")
    ap.add_argument("--duration", type=int, default=10, help="(b) seconds per wrk run (at most 120)")
    ap.add_argument("--connections", type=int, default=16, help="(b) wrk connections")
    ap.add_argument("--soak", action=argparse.BooleanOptionalAction, default=True,
                    help="(b) the embedded stability run: wrk -t2 -c64 on /genes/{id}")
    ap.add_argument("--soak-duration", type=int, default=60, help="(b) seconds of the stability run (at most 600)")
    ap.add_argument("--ids", type=int, default=200, help="(b) genes the stability run cycles over")
    ap.add_argument("--ready-timeout", type=float, default=120.0, help="(b) seconds for the API to start")
    ap.add_argument("--copy-timeout", type=float, default=1800.0, help="(a) limit for writing into the servers")
    ap.add_argument("--load-timeout", type=float, default=1800.0, help="(c) limit per bulk load")
    ap.add_argument("--workdir", type=Path, default=None, help="where stores and servers live (default: a temp dir)")
    ap.add_argument("--keep", action="store_true", help="keep the workdir (stores, server databases, logs)")
    args = ap.parse_args(argv)
    args.stores = [s.strip() for s in args.stores.split(",") if s.strip()]
    unknown = set(args.stores) - set(STORES)
    if unknown:
        ap.error(f"unknown store(s) {', '.join(sorted(unknown))}; known: {', '.join(STORES)}")
    args.duration = max(1, min(args.duration, 120))
    args.soak_duration = max(1, min(args.soak_duration, 600))
    if args.synthetic is not None and not args.synthetic.is_file():
        ap.error(f"--synthetic {args.synthetic}: no such file (make one with bench/synthetic.py)")

    signal.signal(signal.SIGTERM, _terminate)
    started = time.perf_counter()
    print(f"bench_stores: {benchlib.cpu_note()}; started {time.strftime('%Y-%m-%d %H:%M:%S')}; "
          f"stores: {', '.join(args.stores)}")
    workdir = (args.workdir or Path(tempfile.mkdtemp(prefix="clingen-bench-stores-"))).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    built: list[Path] = []
    args._servers = []
    try:
        if not args.skip_real:
            store_dir = part_a(args, workdir, built)
            if store_dir is not None and not args.skip_api:
                if shutil.which("wrk") is None:
                    print("\n(b) skipped: wrk is not installed (apt-get update && apt-get install -y wrk)")
                else:
                    part_b(args, workdir, store_dir, args._servers)
            stop_servers(args._servers)
        if args.synthetic is not None:
            part_c(args, workdir, built)
    except KeyboardInterrupt as exc:
        print(f"\ninterrupted ({str(exc) or 'Ctrl-C'}): stopping the servers")
    finally:
        stop_servers(args._servers)
        if args.keep:
            print(f"kept {workdir}")
        else:
            for b in built:
                shutil.rmtree(b, ignore_errors=True)
            if args.workdir is None:
                shutil.rmtree(workdir, ignore_errors=True)
        print(f"bench_stores: {benchlib.cpu_note()}; finished in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
