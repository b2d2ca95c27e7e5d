"""The write audit log: one JSON object per line, appended for every write attempt with a token.

Each line says who (the first 8 hex digits of the sha256 of the token presented, and the client IP),
when (UTC), what (method, path, graph or release, file name, sha256 and size of the body) and the outcome
(HTTP status and a word: created, replaced, deleted, loaded, unchanged, refused, failed, unauthorized, error).
Requests while writes are disabled are not logged: they cannot change anything.
"""

from __future__ import annotations

import hashlib
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson


def token_fingerprint(token: str) -> str:
    """Names a token in the log without revealing it: the first 8 hex digits of its sha256."""
    return hashlib.sha256(token.encode()).hexdigest()[:8]


class AuditLog:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def check(self) -> None:
        """Fail at start-up, not after a write, when the log cannot be written."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.open("ab").close()  # opened for appending, nothing written

    def record(self, **event: Any) -> None:
        entry = {"time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"), **event}
        line = orjson.dumps({k: v for k, v in entry.items() if v is not None}) + b"\n"
        with self._lock, self.path.open("ab") as fh:
            fh.write(line)
            fh.flush()
