"""API settings, from the environment (``CLINGEN_GRAPH_*``) or passed to ``create_app``.

List settings (``CLINGEN_GRAPH_SERVICE_ALLOW``, ``CLINGEN_GRAPH_CORS_ORIGINS``) are comma-separated in the
environment. Writes are off unless ``CLINGEN_GRAPH_WRITE_TOKEN_SHA256`` holds the sha256 of a bearer token:
``python -c "import hashlib;print(hashlib.sha256(b'TOKEN').hexdigest())"``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from ..store.base import store_url

TIMEOUT_SETTING = "CLINGEN_GRAPH_QUERY_TIMEOUT"


def _split(value: Any) -> Any:
    """``"a, b"`` → ``["a", "b"]`` (the environment form); lists pass through."""
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLINGEN_GRAPH_", extra="ignore")

    store: str = Field(default_factory=lambda: store_url(None),
                       description="store URL: oxigraph:DIR (default ./var/store), memory:, or a SPARQL server "
                                   "(fuseki+http://…, oxigraph+http://…, virtuoso+http://…, sparql+http://…)")
    query_timeout: float = Field(30.0, gt=0, description="seconds a /sparql query may run before a 503 problem")
    max_result_bytes: int = Field(64 * 1024 * 1024, gt=0, description="largest /sparql response, in bytes (413)")
    max_result_rows: int = Field(100_000, gt=0, description="most SELECT rows /sparql returns; a longer result is "
                                 "cut to this many rows and flagged by the X-Result-Truncated header")
    sparql_workers: int = Field(2, ge=1, le=16, description="worker processes that run /sparql queries")
    cache_entries: int = Field(4096, ge=0, description="entity responses kept per release set")
    service_allow: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="hosts a /sparql SERVICE clause may call (comma-separated; "
                                          "'*.example.org' allows its subdomains); empty: SERVICE is refused")
    max_request_bytes: int = Field(1024 * 1024, gt=0, description="largest request body, and largest query "
                                   "string, in bytes, outside the write routes (413)")
    max_upload_bytes: int = Field(1024 ** 3, gt=0, description="largest body of a write (PUT /graphs, "
                                  "POST /releases), in bytes (413)")
    rate_limit_per_s: float = Field(0.0, ge=0, description="requests per second each client IP may make "
                                    "(token bucket; 0 turns the limit off)")
    rate_burst: int = Field(200, ge=1, description="requests a client IP may make at once before "
                            "rate_limit_per_s applies (the bucket size)")
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["*"], description="origins allowed to read cross-origin (GET/HEAD/OPTIONS; "
                                                   "comma-separated); empty turns CORS off")
    gzip_min_bytes: int = Field(1024, ge=0, description="responses at least this large are gzipped for clients "
                                "that accept it")
    write_token_sha256: str | None = Field(None, description="hex sha256 of the bearer token that allows writes "
                                           "(PUT/DELETE /graphs, POST /releases); unset: writes are disabled")
    audit_log: Path = Field(Path("var/audit.log"), description="JSON-lines file every write attempt is appended to")
    dumps_dir: Path = Field(Path("var/dumps"), description="folder of the bulk dumps served under /dumps/; the "
                            "first request after a new release writes them there")
    upload_dir: Path | None = Field(None, description="where uploaded release files are kept while they load "
                                    "(default: the system temporary folder)")

    @field_validator("service_allow", "cors_origins", mode="before")
    @classmethod
    def _lists(cls, value: Any) -> Any:
        return _split(value)

    @field_validator("service_allow")
    @classmethod
    def _hosts(cls, value: list[str]) -> list[str]:
        return [v.lower().rstrip(".") for v in value]

    @field_validator("write_token_sha256", mode="before")
    @classmethod
    def _token_hash(cls, value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        text = str(value).strip().lower()
        if not re.fullmatch(r"[0-9a-f]{64}", text):
            raise ValueError("write_token_sha256 must be 64 hex digits: the sha256 of the token, not the token")
        return text

    @property
    def writes_enabled(self) -> bool:
        return self.write_token_sha256 is not None
