"""Shared helpers for the benchmarks: fresh store directories, loading the bundled and the synthetic data,
running a measurement in a child process with a hard time limit, and printing statistics.

Benchmarks print figures and never assert. Everything here is bounded: child processes are killed at their
time limit, and every timing loop stops at a count or a time budget, whichever comes first.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import resource
import shutil
import statistics
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pyoxigraph import NamedNode, RdfFormat, Store, parse

from clingen_graph import release
from clingen_graph.ids import META_GRAPH
from clingen_graph.resources import data_dir
from clingen_graph.store.base import open_store

BENCH_DIR = Path(__file__).resolve().parent


# --- files and directories ----------------------------------------------------------------------------------

def fresh_dir(workdir: Path | None, name: str) -> Path:
    """An empty directory ``name`` under ``workdir`` (or a new temp dir)."""
    base = workdir or Path(tempfile.mkdtemp(prefix="clingen-bench-"))
    path = base / name
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def synthetic_file(path: Path | None, triples: int, seed: int | None = None) -> tuple[Path, float]:
    """The synthetic N-Quads file: reuse ``path`` if it exists, else generate it. Returns (path, seconds)."""
    import synthetic

    target = path or Path(tempfile.gettempdir()) / f"clingen-synthetic-{triples}.nq"
    if target.exists() and target.stat().st_size > 0:
        print(f"reusing {target} ({target.stat().st_size / 1e6:,.0f} MB)")
        return target, 0.0
    result = synthetic.generate(target, triples, seed if seed is not None else synthetic.DEFAULT_SEED)
    synthetic.print_result(result)
    return target, result.seconds


# --- loading ------------------------------------------------------------------------------------------------

def load_real(store_dir: Path, data: Path | None = None) -> dict[str, Any]:
    """Load the bundled data (or ``data``) with ``release.load_paths`` into ``store_dir``."""
    store = open_store(f"oxigraph:{store_dir}")
    started = time.perf_counter()
    summaries = release.load_paths(store, [data or data_dir()])
    total = time.perf_counter() - started
    rows = [dict(file=s.file, source=s.source, status=s.status, rows=s.rows_read, loaded=s.rows_loaded,
                 rejected=s.rows_rejected, triples=s.triples, seconds=s.seconds, message=s.message)
            for s in summaries]
    store.close()
    return {"summaries": rows, "seconds": total}


def _by_graph(quads: Iterator[Any]) -> Iterator[tuple[NamedNode, Iterator[tuple]]]:
    """Split a stream of quads into consecutive runs of one graph; each run must be consumed before the next."""
    it = iter(quads)
    pending = [next(it, None)]
    while pending[0] is not None:
        graph = pending[0].graph_name

        def run(graph: NamedNode = graph) -> Iterator[tuple]:
            q = pending[0]
            while q is not None and q.graph_name == graph:
                yield (q.subject, q.predicate, q.object)
                q = next(it, None)
            pending[0] = q

        yield graph, run()


def load_synthetic_ours(path: Path, store_dir: Path) -> dict[str, Any]:
    """Our write path: ``replace_graph`` per release graph, then ``add_to_graph`` of the metadata, then
    ``optimize`` (what ``release.load_paths`` does after its files). Times each step."""
    store = open_store(f"oxigraph:{store_dir}")
    steps: list[tuple[str, int, float]] = []
    started = time.perf_counter()
    seen: set[str] = set()
    for graph, triples in _by_graph(parse(path=str(path), format=RdfFormat.N_QUADS)):
        t0 = time.perf_counter()
        if graph.value in seen:
            raise ValueError(f"{path}: graph {graph.value} is not contiguous; replace_graph would drop a part")
        seen.add(graph.value)
        if graph.value == META_GRAPH:
            meta = list(triples)
            store.add_to_graph(META_GRAPH, meta)
            n = len(meta)
        else:
            n = store.replace_graph(graph.value, triples)
        steps.append((graph.value, n, time.perf_counter() - t0))
    written = time.perf_counter() - started
    t0 = time.perf_counter()
    if hasattr(store, "optimize"):
        store.optimize()
    optimize = time.perf_counter() - t0
    total = time.perf_counter() - started
    current = release.current_releases(store)
    store.close()
    return {"steps": steps, "write_seconds": written, "optimize_seconds": optimize, "seconds": total,
            "quads": sum(n for _, n, _ in steps), "releases": sorted(current)}


def load_synthetic_raw(path: Path, store_dir: Path) -> dict[str, Any]:
    """The baseline: pyoxigraph's own bulk loader on the same file."""
    started = time.perf_counter()
    store = Store(str(store_dir))
    store.bulk_load(path=str(path), format=RdfFormat.N_QUADS)
    store.flush()
    seconds = time.perf_counter() - started
    # Compaction is what makes a bulk-loaded store fast to query (3-4x at 10M), so our loader ends with it;
    # timing it here too gives the like-for-like baseline.
    t0 = time.perf_counter()
    store.optimize()
    optimize = time.perf_counter() - t0
    del store
    return {"seconds": seconds, "optimize_seconds": optimize}


def count_quads(store_dir: Path) -> int:
    return len(Store.read_only(str(store_dir)))


# --- child processes with a hard limit ------------------------------------------------------------------------

def _child(conn: Any, fn: Callable[..., Any], args: tuple) -> None:
    try:
        result = fn(*args)
        conn.send(("ok", result, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
    except BaseException as exc:  # report anything to the parent, which prints it
        conn.send(("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}", 0.0))
    finally:
        conn.close()


def in_child(fn: Callable[..., Any], *args: Any, timeout: float) -> tuple[str, Any, float]:
    """Run ``fn(*args)`` in a fresh (spawned) process; kill it after ``timeout`` s.

    Returns (status, result or message, peak RSS of the child in MB); status is ok | error | timeout.
    """
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, args), daemon=True)
    proc.start()
    child.close()
    try:
        if parent.poll(timeout):
            status, value, rss = parent.recv()
        else:
            status, value, rss = "timeout", f"killed after {timeout:g} s", 0.0
    except EOFError:
        status, value, rss = "error", f"the child process died (exit code {proc.exitcode})", 0.0
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(10)
        parent.close()
    return status, value, rss


class Worker:
    """A long-lived child process that runs ``fn(*args)`` jobs one at a time, each with a hard time limit.

    A job that runs past its limit kills the worker; the next job starts a new one (and calls ``setup`` again).
    """

    def __init__(self, setup: Callable[..., Any], *setup_args: Any) -> None:
        self.setup = setup
        self.setup_args = setup_args
        self.proc: Any = None
        self.conn: Any = None

    def _start(self) -> None:
        ctx = mp.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_loop, args=(child, self.setup, self.setup_args), daemon=True)
        self.proc.start()
        child.close()

    def run(self, fn: Callable[..., Any], *args: Any, timeout: float) -> tuple[str, Any]:
        if self.proc is None or not self.proc.is_alive():
            self._start()
        self.conn.send((fn, args))
        try:
            if self.conn.poll(timeout):
                return self.conn.recv()
        except EOFError:
            self.stop()
            return "error", "the worker died"
        self.stop()
        return "timeout", f"killed after {timeout:g} s"

    def stop(self) -> None:
        if self.proc is not None:
            if self.proc.is_alive():
                with contextlib.suppress(BrokenPipeError, OSError):  # already gone: killed below
                    self.conn.send(None)
                    self.proc.join(2)
            if self.proc.is_alive():
                self.proc.kill()
            self.proc.join(10)
            self.proc = None


_STATE: dict[str, Any] = {}


def _worker_loop(conn: Any, setup: Callable[..., Any], setup_args: tuple) -> None:
    try:
        _STATE["ctx"] = setup(*setup_args)
    except BaseException as exc:
        msg = f"setup failed: {type(exc).__name__}: {exc}"
        while True:
            job = conn.recv()
            if job is None:
                return
            conn.send(("error", msg))
    while True:
        job = conn.recv()
        if job is None:
            return
        fn, args = job
        try:
            conn.send(("ok", fn(_STATE["ctx"], *args)))
        except BaseException as exc:
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


# --- timing ------------------------------------------------------------------------------------------------

def timed_runs(fn: Callable[[], Any], *, runs: int, budget: float) -> tuple[list[float], Any]:
    """Call ``fn`` up to ``runs`` times, stopping once ``budget`` seconds have been spent; seconds per call."""
    times: list[float] = []
    last = None
    spent = 0.0
    for _ in range(runs):
        t0 = time.perf_counter()
        last = fn()
        dt = time.perf_counter() - t0
        times.append(dt)
        spent += dt
        if spent >= budget:
            break
    return times, last


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))
    return s[k]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f}" if seconds == seconds else "n/a"


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def cpu_note() -> str:
    """CPU count and load average: these machines are shared, so say how busy it was."""
    one, five, _ = os.getloadavg()
    return f"{os.cpu_count()} CPU(s), load average {one:.2f} (1 min) {five:.2f} (5 min)"
