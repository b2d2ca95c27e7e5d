"""Real triplestore servers on loopback for tests, benchmarks and local trials.

``start_oxigraph`` runs the ``oxigraph`` binary of the PyPI package ``oxigraph``; ``start_virtuoso`` runs Debian's
Virtuoso 7 (``apt-get install virtuoso-opensource``) on a database of its own. Both listen on free ports of
127.0.0.1 only, answer within a time limit or raise :class:`ServerUnavailable` (with the reason and the tail of the
server's log), and are stopped by :meth:`Server.stop`, by leaving the ``with`` block, at interpreter exit, or
(Linux) by the kernel when the process that started them dies.

What the servers do differently (checked on oxigraph 0.5.13 and Virtuoso 7.2.5):

- Oxigraph: ``/query``, ``/update``, ``/store`` (Graph Store Protocol, ``?graph=IRI`` or ``?default``), no
  authentication. The default graph of a query is the unnamed graph only, unless ``union_default_graph``.
- Virtuoso: ``/sparql`` answers anonymous queries and refuses updates. Writes go to ``/sparql-auth`` (SPARQL
  update, ``update=`` form or ``application/sparql-update``) and ``/sparql-graph-crud-auth`` (Graph Store Protocol,
  ``?graph=IRI``; Virtuoso's own ``?graph-uri=`` works too) as ``dba`` with HTTP **Digest** auth (realm
  ``SPARQL``); Basic is refused with 401. ``dba`` needs no extra grant. The default graph of a query is the union
  of all graphs unless ``default-graph-uri`` is given. Pitfalls:
  - a query running past ``MaxQueryExecutionTime`` fails with 500 (``S1T00 SR171: Transaction timed out``), but
    one given the request parameter ``timeout=ms`` answers **200 with partial or no rows** ("anytime query"),
    flagged only by the header ``X-SQL-State: S1TAT``: never send ``timeout``, and treat that header as an error;
  - a query whose *estimated* cost is over ``MaxQueryCostEstimationTime`` fails at once with 500 (``42000``),
    and the estimate can be absurd (millions of seconds for a 12-pattern star on a small graph): we set it to 0
    (no limit) and rely on ``MaxQueryExecutionTime``;
  - ``DROP GRAPH <g>`` fails (500, ``SPARUL_DROP() ... has not been explicitly created``) unless ``g`` was made
    by ``CREATE GRAPH``, even when it holds triples; ``DROP SILENT GRAPH`` and ``CLEAR GRAPH`` empty it;
  - four failed *SQL* logins (isql) from an IP block SQL logins from it for 60 s; failed HTTP logins do not.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

VIRTUOSO_INI_TEMPLATE = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
VIRTUOSO_INSTALL = "apt-get install virtuoso-opensource (as root: `make install` does it)"


class ServerUnavailable(RuntimeError):
    """The server could not be started here: binary missing, or not ready in time (the message says which)."""


@dataclass(eq=False)
class Server:
    """A running server on 127.0.0.1. ``stop()`` ends it; leaving a ``with`` block does too."""

    name: str
    base_url: str
    query_url: str
    update_url: str
    graph_store_url: str
    username: str | None
    password: str | None
    process: subprocess.Popen[bytes]
    workdir: Path
    log_path: Path
    read_only: bool = False
    auth_scheme: str | None = None  # "digest" for Virtuoso: its /…-auth endpoints refuse Basic
    sql_port: int | None = None  # Virtuoso's isql port, for bulk loading (see isql())
    _stopped: bool = field(default=False, repr=False)

    def stop(self, timeout: float = 15.0) -> None:
        """Terminate, wait up to ``timeout`` seconds, then kill. Safe to call twice."""
        if self._stopped:
            return
        self._stopped = True
        with _RUNNING_LOCK:
            _RUNNING.discard(self)
        if self.process.poll() is None:
            self.process.terminate()  # Virtuoso: "quick shutdown", the transaction log replays on restart
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)

    def log_tail(self, lines: int = 30) -> str:
        return _tail(self.log_path, lines)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


# Strong references until stopped, so that atexit can stop whatever a caller forgot.
_RUNNING: set[Server] = set()
_RUNNING_LOCK = threading.Lock()


@atexit.register
def _stop_all() -> None:
    for server in list(_RUNNING):
        with contextlib.suppress(Exception):
            server.stop(timeout=10)


def _register(server: Server) -> None:
    with _RUNNING_LOCK:
        _RUNNING.add(server)


# ---------------------------------------------------------------------------------------------- oxigraph


def start_oxigraph(workdir: Path, *, read_only: bool = False, location: Path | None = None,
                   union_default_graph: bool = False, query_timeout_s: int | None = None,
                   ready_timeout: float = 30.0) -> Server:
    """Start ``oxigraph serve`` (or ``serve-read-only``) on a free port of 127.0.0.1.

    The store is ``location`` (default ``workdir/store``), the log ``workdir/oxigraph.log``. ``read_only`` needs an
    existing store and must not share it with a writer (RocksDB's rule). Ready when ``GET /query?query=ASK{}``
    answers.
    """
    binary = _find_oxigraph()
    workdir = Path(workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    store = Path(location).resolve() if location else workdir / "store"
    if read_only and not store.is_dir():
        raise ServerUnavailable(f"oxigraph serve-read-only: no store at {store}")
    port = _free_ports(1)[0]
    base = f"http://127.0.0.1:{port}"
    cmd = [binary, "serve-read-only" if read_only else "serve", "--location", str(store),
           "--bind", f"127.0.0.1:{port}"]
    if union_default_graph:
        cmd.append("--union-default-graph")
    if query_timeout_s is not None:
        cmd += ["--timeout-s", str(query_timeout_s)]
    log_path = workdir / "oxigraph.log"
    server = Server(name="oxigraph", base_url=base, query_url=f"{base}/query", update_url=f"{base}/update",
                    graph_store_url=f"{base}/store", username=None, password=None,
                    process=_spawn(cmd, workdir, log_path), workdir=workdir, log_path=log_path,
                    read_only=read_only)
    _register(server)
    try:
        _wait(server, lambda: _http_ok(f"{base}/query?query=ASK%7B%7D"), ready_timeout)
    except BaseException:
        server.stop()
        raise
    return server


def _find_oxigraph() -> str:
    # The venv's bin first: the package is a test dependency and the venv need not be on PATH.
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("oxigraph")
    if not found:
        raise ServerUnavailable("oxigraph not found next to the Python executable or on PATH: pip install oxigraph")
    return found


# ---------------------------------------------------------------------------------------------- Virtuoso


def start_virtuoso(workdir: Path, *, buffers: int = 340_000, dirs_allowed: tuple[Path, ...] = (),
                   max_query_seconds: int = 300, result_set_max_rows: int = 100_000_000,
                   ready_timeout: float = 120.0) -> Server:
    """Start Debian's Virtuoso 7 (``virtuoso-t +foreground``) on a fresh or existing database in ``workdir``.

    ``workdir/virtuoso.ini`` is generated from the Debian one: database, log, lock and transaction files in
    ``workdir``; SQL and HTTP ports on free ports of 127.0.0.1; ``buffers`` 8 KiB pages of cache (340 000 ≈ 2.7 GiB
    at most, touched only as data grows: an eighth of a 24 GiB machine, room for the loader and a client);
    ``dirs_allowed`` (plus ``workdir``) readable by ``ld_dir``. Ready when isql answers; then the ``dba`` password
    is changed to a random one, in ``Server.password``.
    """
    virtuoso, isql_bin = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if not virtuoso or not isql_bin:
        missing = "virtuoso-t" if not virtuoso else "isql-vt"
        raise ServerUnavailable(f"{missing} not found: {VIRTUOSO_INSTALL}")
    if not VIRTUOSO_INI_TEMPLATE.is_file():
        raise ServerUnavailable(f"{VIRTUOSO_INI_TEMPLATE} not found: {VIRTUOSO_INSTALL}")
    workdir = Path(workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = _free_ports(2)
    ini = workdir / "virtuoso.ini"
    ini.write_text(virtuoso_ini(VIRTUOSO_INI_TEMPLATE.read_text(), workdir, sql_port=sql_port, http_port=http_port,
                                buffers=buffers, dirs_allowed=dirs_allowed, max_query_seconds=max_query_seconds,
                                result_set_max_rows=result_set_max_rows))
    # A database that was started before keeps the password it was given then; we do not know it.
    password_file = workdir / "dba.password"
    password = password_file.read_text().strip() if password_file.is_file() else "dba"
    base = f"http://127.0.0.1:{http_port}"
    log_path = workdir / "virtuoso.log"  # ErrorLogFile; +foreground also copies it to stderr (virtuoso.out)
    server = Server(name="virtuoso", base_url=base, query_url=f"{base}/sparql", update_url=f"{base}/sparql-auth",
                    graph_store_url=f"{base}/sparql-graph-crud-auth", username="dba", password=password,
                    process=_spawn([virtuoso, "+foreground", "+configfile", str(ini)], workdir,
                                   workdir / "virtuoso.out"),
                    workdir=workdir, log_path=log_path, auth_scheme="digest", sql_port=sql_port)
    _register(server)
    try:
        _wait(server, lambda: _isql_ok(server), ready_timeout)
        _wait(server, lambda: _http_ok(f"{base}/sparql?query=ASK%7B%7D"), 30)
        if password == "dba":
            new = secrets.token_hex(16)  # hex: safe inside an SQL string literal and an argv
            isql(server, f"USER_SET_PASSWORD('dba', '{new}');")
            server.password = new
            password_file.write_text(new + "\n")
            password_file.chmod(0o600)
    except BaseException:
        server.stop()
        raise
    return server


def isql(server: Server, sql: str, *, timeout: float = 60.0) -> str:
    """Run SQL statements on a Virtuoso ``server`` as dba through ``isql-vt``; returns what they print.

    Raises ``RuntimeError`` with isql's output when it cannot log in or any statement fails (statements after a
    failed one still run: send one statement per call when that matters).
    """
    if server.sql_port is None or server.username is None or server.password is None:
        raise ValueError(f"{server.name} has no SQL port")
    isql_bin = shutil.which("isql-vt")
    if not isql_bin:
        raise ServerUnavailable(f"isql-vt not found: {VIRTUOSO_INSTALL}")
    # SQL on stdin, not exec=: isql URL-decodes exec= ("+" becomes a space), and expands $macros unless told not to.
    done = subprocess.run([isql_bin, f"127.0.0.1:{server.sql_port}", server.username, server.password,
                           "VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF", "ECHO=OFF", "MACRO_SUBSTITUTION=OFF"],
                          input=sql.encode() + b"\n", capture_output=True, timeout=timeout, check=False)
    out, err = done.stdout.decode(errors="replace"), done.stderr.decode(errors="replace")
    # isql exits 0 after an SQL error (it only reports it on stderr) and goes on with the next statement.
    if done.returncode != 0 or "*** Error" in err:
        raise RuntimeError(f"isql exited {done.returncode}: {(out + err).strip()}")
    return out


def _isql_ok(server: Server) -> bool:
    try:
        isql(server, "status('');", timeout=10)
    except subprocess.TimeoutExpired:
        return False
    except RuntimeError as exc:
        if "Bad login" in str(exc):  # retrying would only get 127.0.0.1 blocked (see the module docstring)
            raise ServerUnavailable(f"virtuoso: dba password refused for the database in {server.workdir} "
                                    "(started before without dba.password?): use a fresh workdir") from exc
        return False
    return True


def virtuoso_ini(template: str, workdir: Path, *, sql_port: int, http_port: int, buffers: int = 340_000,
                 dirs_allowed: tuple[Path, ...] = (), max_query_seconds: int = 300,
                 result_set_max_rows: int = 100_000_000) -> str:
    """The Debian ``virtuoso.ini`` with our files, ports and limits (other settings and comments kept)."""
    w = str(workdir)
    allowed = ", ".join(dict.fromkeys([".", w, *map(str, dirs_allowed), "/usr/share/virtuoso-opensource-7/vad"]))
    changes: dict[str, dict[str, str]] = {
        "Database": {"DatabaseFile": f"{w}/virtuoso.db", "ErrorLogFile": f"{w}/virtuoso.log",
                     "LockFile": f"{w}/virtuoso.lck", "TransactionFile": f"{w}/virtuoso.trx",
                     "xa_persistent_file": f"{w}/virtuoso.pxa"},
        "TempDatabase": {"DatabaseFile": f"{w}/virtuoso-temp.db", "TransactionFile": f"{w}/virtuoso-temp.trx"},
        "Parameters": {
            "ServerPort": f"127.0.0.1:{sql_port}",
            "DirsAllowed": allowed,
            "NumberOfBuffers": str(buffers),
            "MaxDirtyBuffers": str(buffers * 3 // 4),  # Virtuoso's own ratio in its sizing table
            "MaxClientConnections": "32",
        },
        "HTTPServer": {
            "ServerPort": f"127.0.0.1:{http_port}",
            # wrk -c16 in the benchmarks: the default 10 threads / 10 keep-alives would queue and reconnect.
            "ServerThreads": "24", "MaxClientConnections": "32", "MaxKeepAlives": "32",
        },
        "URIQA": {"DefaultHost": f"127.0.0.1:{http_port}"},
        "SPARQL": {
            "ResultSetMaxRows": str(result_set_max_rows),  # the default 10000 truncates results silently
            "MaxQueryExecutionTime": str(max_query_seconds),
            # 0: no refusal on the *estimated* cost. The estimator is far off on star-shaped patterns over a
            # small graph (69,032,568 s estimated for the 12-pattern release look-up on a 400-triple graph).
            "MaxQueryCostEstimationTime": "0",
        },
        # The wiki/mediawiki plugins are of no use here and only add start-up work and log noise.
        "Plugins": {"Load1": "", "Load2": "", "Load3": "", "Load5": ""},
    }
    return _edit_ini(template, changes)


def _edit_ini(text: str, changes: dict[str, dict[str, str]]) -> str:
    """Set ``key = value`` per section, line by line (duplicate keys dropped; an empty value drops the key)."""
    out: list[str] = []
    done: set[tuple[str, str]] = set()
    section: str | None = None

    def finish(sec: str | None) -> None:
        for key, value in changes.get(sec or "", {}).items():
            if (sec, key) not in done and value:
                out.append(f"{key} = {value}")
            done.add((sec or "", key))

    for line in text.splitlines():
        header = re.match(r"\s*\[([^\]]+)\]", line)
        if header:
            finish(section)
            section = header.group(1).strip()
            out.append(line)
            continue
        entry = re.match(r"\s*([A-Za-z_][\w]*)\s*=", line)
        if section in changes and entry and entry.group(1) in changes[section]:
            key = entry.group(1)
            if (section, key) not in done and changes[section][key]:
                out.append(f"{key} = {changes[section][key]}")
            done.add((section, key))
            continue
        out.append(line)
    finish(section)
    seen = {sec for sec, _ in done}
    for sec, values in changes.items():
        if sec not in seen:
            out.append(f"\n[{sec}]")
            out += [f"{key} = {value}" for key, value in values.items() if value]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------- shared


def _free_ports(n: int) -> list[int]:
    # Hold all sockets until all ports are chosen, so that two calls never return the same port.
    socks = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def _die_with_parent() -> None:
    # Linux: the kernel sends SIGTERM to the server when the thread that started it dies, even by SIGKILL, where
    # atexit never runs. (So start servers from a long-lived thread.)
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _spawn(cmd: list[str], cwd: Path, log_path: Path) -> subprocess.Popen[bytes]:
    with open(log_path, "ab") as log:
        return subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                preexec_fn=_die_with_parent if sys.platform == "linux" else None)


def _wait(server: Server, ready: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        code = server.process.poll()
        if code is not None:
            raise ServerUnavailable(f"{server.name} exited with code {code} before it was ready; "
                                    f"log {server.log_path}:\n{_log_tail(server)}")
        if ready():
            return
        if time.monotonic() > deadline:
            raise ServerUnavailable(f"{server.name} not ready after {timeout:.0f} s; "
                                    f"log {server.log_path}:\n{_log_tail(server)}")
        time.sleep(0.1)


def _log_tail(server: Server) -> str:
    # Virtuoso writes early failures (bad ini, port in use) to stderr before its log file exists.
    tail = _tail(server.log_path, 30)
    out = server.workdir / "virtuoso.out"
    return tail if tail.strip() or not out.is_file() else _tail(out, 30)


def _tail(path: Path, lines: int) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


# Loopback needs no proxy, and an http_proxy in the environment must not catch our probes.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _http_ok(url: str) -> bool:
    try:
        with _OPENER.open(url, timeout=2) as resp:
            return bool(resp.status == 200)
    except (urllib.error.URLError, OSError):
        return False
