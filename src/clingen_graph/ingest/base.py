"""What every source parser shares: problems (rejects and warnings), release info and safe line reading.

A parser is a pure function ``parse(path) -> Iterator[Record | Problem]``: no store, no network. Every
physical row it reads ends as exactly one record or one reject; warnings ride along with loaded rows.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

Level = Literal["reject", "warning"]


@dataclass(frozen=True)
class Problem:
    """A row that was not loaded (``reject``) or was loaded with a remark (``warning``)."""

    level: Level
    file: str
    line: int
    code: str
    message: str
    raw: str = ""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.level}: {self.message} [{self.code}]"


def reject(path: Path | str, line: int, code: str, message: str, raw: str = "") -> Problem:
    return Problem("reject", str(path), line, code, message, raw[:2000])


def warning(path: Path | str, line: int, code: str, message: str, raw: str = "") -> Problem:
    return Problem("warning", str(path), line, code, message, raw[:2000])


@dataclass(frozen=True)
class ReleaseInfo:
    """What a file says about its own release (a date or version), for the graph name and metadata."""

    release: str  # e.g. "2026-02-09" or "v2026-05-05"
    issued: str | None = None  # ISO date when known
    notes: tuple[str, ...] = ()
    dataset: str = ""  # for sources with several parallel files (SSSOM sets): appended to the source name


@dataclass
class Record:
    """Base of the typed records parsers yield. ``line`` is the 1-based physical line of the row."""

    file: str
    line: int
    warnings: list[Problem] = field(default_factory=list, kw_only=True)


@dataclass(frozen=True)
class SourceSpec:
    """A source we can load: how to recognise its files, parse them and describe their releases."""

    name: str  # graph segment and CLI name, e.g. "clingen-gene-validity"
    title: str
    homepage: str
    license: str
    role: Literal["reference", "curation"]  # references (HGNC, MONDO, HPO) load first
    sniff: Callable[[Path, str], bool]  # (path, first ~8 kB of text) → is it ours?
    read_release: Callable[[Path], ReleaseInfo]
    parse: Callable[[Path], Iterator[Any]]
    parser_version: str = "1"


class FileProblem(Exception):
    """The whole file cannot be read (empty, not text, wrong kind); reported, never a traceback."""

    def __init__(self, path: Path | str, line: int, code: str, message: str) -> None:
        super().__init__(message)
        self.problem = reject(path, line, code, message)


def open_binary(path: Path) -> io.BufferedIOBase:
    """Open a file, transparently gunzipping ``.gz`` (by magic number, not by name)."""
    raw = path.open("rb")
    magic = raw.peek(2)[:2] if hasattr(raw, "peek") else b""
    if magic == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=raw)  # type: ignore[return-value]
    return raw  # type: ignore[return-value]


def head_text(path: Path, size: int = 8192) -> str:
    """The first bytes of a file as text (for sniffing); '' for an unreadable file.

    A truncated gzip stream still gives the text before the cut, so the file is recognised and its parser
    reports where it ends (``fh.read(size)`` would drop everything on the EOFError).
    """
    data = b""
    try:
        with open_binary(path) as fh:
            while len(data) < size:
                chunk = fh.read1(size - len(data))
                if not chunk:
                    break
                data += chunk
    except (OSError, EOFError, zlib.error):
        pass
    return data.decode("utf-8", errors="replace")


def iter_lines(path: Path) -> Iterator[tuple[int, str | Problem]]:
    """Yield ``(line_number, text)`` per physical line, or a reject for a line that is not UTF-8.

    A truncated gzip stream ends the iteration with one reject naming the last line reached.
    """
    lineno = 0
    try:
        with open_binary(path) as fh:
            for lineno, raw in enumerate(fh, start=1):
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    yield lineno, reject(
                        path, lineno, "encoding",
                        f"line is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1}); "
                        "save the file as UTF-8",
                        raw.decode("latin-1"),
                    )
                    continue
                if lineno == 1 and text.startswith("\ufeff"):
                    text = text[1:]
                yield lineno, text.rstrip("\r\n")
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        yield lineno + 1, reject(path, lineno + 1, "truncated",
                                 f"file ends unexpectedly after line {lineno} ({exc}); is the download complete?")


def iter_delimited(
    path: Path, delimiter: str, *, skip: Callable[[str], bool] = lambda _: False
) -> Iterator[tuple[int, list[str] | Problem, str]]:
    """Rows of a CSV/TSV file as ``(line, fields, raw_text)``; quoted newlines are not expected in our sources.

    Lines for which ``skip(text)`` is true (banners, comments) are not yielded.
    """
    for lineno, item in iter_lines(path):
        if isinstance(item, Problem):
            yield lineno, item, item.raw
            continue
        if skip(item):
            continue
        if delimiter == "\t":
            fields = item.split("\t")
        else:
            try:
                fields = next(csv.reader([item], delimiter=delimiter, strict=True))
            except (csv.Error, StopIteration) as exc:
                yield lineno, reject(path, lineno, "malformed", f"cannot parse the row as CSV: {exc}", item), item
                continue
        yield lineno, fields, item


def check_header(path: Path, line: int, found: list[str], required: list[str],
                 optional: Sequence[str] = ()) -> list[Problem]:
    """Header check: a missing required column is fatal, an extra column is one warning (STYLE §6.2).

    Columns in ``optional`` are read when present and are not reported as extra.

    :raises FileProblem: a required column is missing.
    """
    norm = [h.strip().lstrip("#").strip() for h in found]
    missing = [c for c in required if c not in norm]
    if missing:
        raise FileProblem(path, line, "header", f"missing required column(s): {', '.join(missing)}")
    extra = [c for c in norm if c and c not in required and c not in optional]
    if extra:
        return [warning(path, line, "extra-column", f"ignoring unknown column(s): {', '.join(extra)}")]
    return []


def is_iri(value: str) -> bool:
    """Whether ``value`` is an absolute IRI the store accepts (a cell the model writes as an IRI is checked
    here, so that a bad one is a reject of its row rather than an exception that stops the load)."""
    from pyoxigraph import NamedNode

    try:
        NamedNode(value)
    except ValueError:
        return False
    return True


DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")


def date_from_name(path: Path) -> str | None:
    m = DATE_IN_NAME.search(path.name)
    return m.group(1) if m else None
