#!/usr/bin/env python
"""HTTP API throughput and latency with ``wrk`` (prints figures, never asserts).

Starts ``clingen-graph serve --store oxigraph:DIR --host 127.0.0.1 --port P`` (one process, one worker; if the
CLI has no ``serve`` command, ``uvicorn --factory clingen_graph.api.app:create_app`` with
``CLINGEN_GRAPH_STORE``), waits until it answers, then runs Debian's ``wrk`` bounded in time:

1. ``/genes/HGNC:1100`` again and again (one hot entity);
2. ``/genes/{id}`` cycling over ~200 HGNC ids of genes that have validity statements, read from the store
   (a small Lua script), so caches of one entity do not flatter the figures: once cold (the first pass misses
   the response cache), then again warm (steady state);
3. ``/genes/{id}`` cycling over ``--miss-ids`` (8000) ids of any gene: more than the API's response cache
   (4096 entries), so every request runs its query — the uncached figure.

Prints requests/s, p50/p99 latency and non-2xx counts (targets: >= 800 requests/s, p99 <= 50 ms). The server is
always stopped, also on errors and Ctrl-C. Install wrk with ``apt-get update && apt-get install -y wrk``.

    .venv/bin/python bench/bench_api.py --store /tmp/bench/real-store
    .venv/bin/python bench/bench_api.py            # builds the bundled-data store first (~1 min)
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib
from benchlib import fresh_dir, in_child

RPS_TARGET = 800.0
P99_TARGET_MS = 50.0
HOT_GENE = "HGNC:1100"
LUA = """-- cycles over the ids in %(ids)s, one request each
local ids = {}
for line in io.lines("%(ids)s") do
  if #line > 0 then ids[#ids + 1] = line end
end
local i = 0
request = function()
  i = (i %% #ids) + 1
  return wrk.format("GET", "%(prefix)s" .. ids[i])
end
"""

GENE_IDS = """PREFIX cgv: <https://w3id.org/clingen-graph/vocab#>
SELECT DISTINCT ?gene WHERE {
  ?statement a cgv:GeneDiseaseValidityStatement ; cgv:proposition ?p . ?p cgv:subjectGene ?gene }"""


ALL_GENE_IDS = """PREFIX cgv: <https://w3id.org/clingen-graph/vocab#>
SELECT ?gene WHERE { ?gene a cgv:Gene }"""


def read_gene_ids(store_dir: str, n: int, n_any: int) -> tuple[list[str], list[str]]:
    """Up to ``n`` HGNC ids (``HGNC:N``) of genes with validity statements, and up to ``n_any`` of any gene,
    each spread evenly over the store's genes."""
    from clingen_graph import release
    from clingen_graph.ids import compress_iri
    from clingen_graph.store.base import open_store

    store = open_store(f"oxigraph:{store_dir}", read_only=True)
    graphs = release.default_graphs(store)
    out = []
    for text, k in ((GENE_IDS, n), (ALL_GENE_IDS, n_any)):
        genes = sorted(compress_iri(r["gene"].value) for r in store.query(text, default_graphs=graphs)) if k else []
        step = max(1, len(genes) // max(1, k))
        out.append(genes[::step][:k])
    return out[0], out[1]


def api_cache_entries() -> int | None:
    try:
        from clingen_graph.api.settings import Settings

        return int(Settings.model_fields["cache_entries"].default)
    except Exception:  # the setting is optional
        return None


def write_lua(workdir: Path, name: str, ids: list[str]) -> Path:
    ids_file = workdir / f"{name}.txt"
    ids_file.write_text("\n".join(ids) + "\n")
    lua = workdir / f"{name}.lua"
    lua.write_text(LUA % {"ids": ids_file, "prefix": "/genes/"})
    return lua


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_command(store_dir: Path, port: int) -> tuple[list[str], dict[str, str], str]:
    """The command that serves the store, the environment for it, and a description."""
    bindir = Path(sys.executable).parent
    cli = bindir / "clingen-graph"
    env = dict(os.environ)
    if cli.exists():
        probe = subprocess.run([str(cli), "serve", "--help"], capture_output=True, text=True, timeout=60)
        if probe.returncode == 0:
            cmd = [str(cli), "serve", "--store", f"oxigraph:{store_dir}", "--port", str(port)]
            if "--host" in probe.stdout:
                cmd += ["--host", "127.0.0.1"]
            return cmd, env, "clingen-graph serve"
    probe = subprocess.run([sys.executable, "-c", "import clingen_graph.api.app as a; a.create_app"],
                           capture_output=True, text=True, timeout=60)
    if probe.returncode == 0:
        env["CLINGEN_GRAPH_STORE"] = f"oxigraph:{store_dir}"
        cmd = [sys.executable, "-m", "uvicorn", "--factory", "clingen_graph.api.app:create_app",
               "--host", "127.0.0.1", "--port", str(port), "--workers", "1", "--log-level", "warning"]
        return cmd, env, "uvicorn --factory clingen_graph.api.app:create_app"
    raise RuntimeError("neither `clingen-graph serve` nor clingen_graph.api.app.create_app is available yet")


def get(url: str, timeout: float = 10.0) -> tuple[int, int, float]:
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            body = resp.read()
            return resp.status, len(body), time.perf_counter() - t0
    except urllib.error.HTTPError as exc:
        return exc.code, len(exc.read() or b""), time.perf_counter() - t0


def wait_ready(proc: subprocess.Popen, url: str, deadline_s: float) -> bool:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            get(url, timeout=5)
            return True
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            time.sleep(0.25)
    return False


def wait_search_index(base: str, timeout_s: float = 300.0) -> float:
    """``serve`` builds the search index in a background thread at start-up (seconds of CPU in the server's
    process): the first ``/search`` answers when it is built. Measure the steady state after it; returns the
    seconds waited."""
    t0 = time.perf_counter()
    get(f"{base}/search?q=BRCA1", timeout=timeout_s)
    return time.perf_counter() - t0


def stop(proc: subprocess.Popen) -> None:
    """Stop the server we started (its own process group), politely first."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


_UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _to_ms(text: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s|m)$", text.strip())
    return float(m.group(1)) * _UNIT[m.group(2)] if m else float("nan")


def parse_wrk(out: str) -> dict[str, Any]:
    r: dict[str, Any] = {}
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    r["rps"] = float(m.group(1)) if m else float("nan")
    for p in ("50", "75", "90", "99"):
        m = re.search(rf"^\s+{p}%\s+(\S+)", out, re.M)
        r[f"p{p}"] = _to_ms(m.group(1)) if m else float("nan")
    m = re.search(r"(\d+) requests in ([\d.]+)(\w+)", out)
    r["requests"] = int(m.group(1)) if m else 0
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    r["non2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors:.*", out)
    r["errors"] = m.group(0) if m else ""
    return r


def wrk_output(url: str, threads: int, connections: int, duration: int, script: Path | None = None,
               indent: str = "  ") -> str | None:
    """wrk's report (bounded: killed 30 s past its duration), or None with the reason printed."""
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "5s"]
    if script:
        cmd += ["-s", str(script)]
    cmd.append(url)
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 30)
    except subprocess.TimeoutExpired:
        print(f"{indent}wrk did not finish within {duration + 30} s")
        return None
    if out.returncode != 0:
        print(f"{indent}wrk failed: {out.stderr.strip()[:300]}")
        return None
    return out.stdout


def run_wrk(url: str, args: argparse.Namespace, script: Path | None = None) -> dict[str, Any] | None:
    out = wrk_output(url, args.threads, args.connections, args.duration, script)
    return parse_wrk(out) if out is not None else None


def report(what: str, r: dict[str, Any] | None) -> None:
    if r is None:
        return
    rps_ok = r["rps"] >= RPS_TARGET
    p99_ok = r["p99"] <= P99_TARGET_MS
    print(f"  {what:<44} {r['rps']:>9,.0f} req/s  p50 {r['p50']:>7.1f} ms  p99 {r['p99']:>7.1f} ms  "
          f"({r['requests']:,} requests, non-2xx {r['non2xx']:,}{', ' + r['errors'] if r['errors'] else ''})")
    print(f"  {'':<44} targets: >= {RPS_TARGET:.0f} req/s {'met' if rps_ok else 'NOT met'}; "
          f"p99 <= {P99_TARGET_MS:.0f} ms {'met' if p99_ok else 'NOT met'}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, default=None, help="store directory (default: build the bundled data)")
    ap.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    ap.add_argument("--duration", type=int, default=10, help="seconds per wrk run (default 10, at most 120)")
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--ids", type=int, default=200, help="how many gene ids to cycle over (default 200)")
    ap.add_argument("--miss-ids", type=int, default=8000,
                    help="also cycle over this many ids of any gene, more than the API's response cache, so "
                         "every request runs its query (default 8000; 0 skips)")
    ap.add_argument("--ready-timeout", type=float, default=120.0)
    ap.add_argument("--workdir", type=Path, default=None)
    args = ap.parse_args(argv)
    args.duration = max(1, min(args.duration, 120))

    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get update && apt-get install -y wrk")
        return 0
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="clingen-bench-api-"))
    workdir.mkdir(parents=True, exist_ok=True)
    built = None
    store_dir = args.store
    print(f"bench_api: {benchlib.cpu_note()}; started {time.strftime('%Y-%m-%d %H:%M:%S')}")
    proc: subprocess.Popen | None = None
    log = None
    try:
        if store_dir is None or not (store_dir / "CURRENT").exists():
            store_dir = built = fresh_dir(workdir, "real-store")
            print(f"building the bundled-data store in {store_dir} ...")
            status, r, _ = in_child(benchlib.load_real, store_dir, None, timeout=1800)
            if status != "ok":
                print(f"  build failed ({status}): {r}")
                return 0
            print(f"  built in {r['seconds']:.1f} s")
        status, value, _ = in_child(read_gene_ids, str(store_dir), args.ids, args.miss_ids, timeout=600)
        if status != "ok" or not value[0]:
            print(f"cannot read gene ids from {store_dir} ({status}): {value}")
            return 0
        ids, many = value
        lua = write_lua(workdir, "genes", ids)
        lua_many = write_lua(workdir, "many-genes", many) if many else None

        port = args.port or free_port()
        try:
            cmd, env, how = server_command(store_dir, port)
        except RuntimeError as exc:
            print(str(exc))
            return 0
        log = (workdir / "server.log").open("w+")
        print(f"starting: {' '.join(cmd)}")
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        started = time.perf_counter()
        if not wait_ready(proc, f"{base}/genes/{HOT_GENE}", args.ready_timeout):
            log.seek(0)
            print(f"the server did not become ready in {args.ready_timeout:g} s (exit {proc.poll()}):\n"
                  f"{log.read()[-2000:]}")
            return 0
        print(f"ready in {time.perf_counter() - started:.1f} s ({how}, store {store_dir}, {len(ids)} gene ids); "
              f"search index built {wait_search_index(base):.1f} s later (measured after it)")
        for path in (f"/genes/{HOT_GENE}", f"/genes/{ids[len(ids) // 2]}"):
            code, size, dt = get(base + path)
            print(f"  GET {path}: HTTP {code}, {size:,} bytes, {dt * 1000:.1f} ms (first request)")

        print(f"\n  wrk -t{args.threads} -c{args.connections} -d{args.duration}s --latency")
        report(f"/genes/{HOT_GENE} (one entity)", run_wrk(f"{base}/genes/{HOT_GENE}", args))
        report(f"/genes/{{id}} cycling {len(ids)} ids, cold", run_wrk(base, args, lua))
        # steady state: each id was answered once above, as a running server would have; the cold run's
        # p99 is mostly its first pass of cache misses queued behind each other
        report(f"/genes/{{id}} cycling {len(ids)} ids, warm", run_wrk(base, args, lua))
        if lua_many is not None:
            cache = api_cache_entries()
            note = f" (> the API's {cache}-entry cache: misses)" if cache and len(many) > cache else ""
            print(f"  next: /genes/{{id}} cycling {len(many)} ids of any gene{note}")
            report(f"/genes/{{id}} cycling {len(many)} ids", run_wrk(base, args, lua_many))
    finally:
        if proc is not None:
            stop(proc)
            print(f"server stopped (exit {proc.returncode})")
        if log is not None:
            log.close()
        if built is not None:
            shutil.rmtree(built, ignore_errors=True)
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
