"""API settings, from the environment (``CLINGEN_GRAPH_*``) or passed to ``create_app``."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from ..store.base import store_url


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLINGEN_GRAPH_", extra="ignore")

    store: str = Field(default_factory=lambda: store_url(None),
                       description="store URL: oxigraph:DIR (default ./var/store) or memory:")
    query_timeout: float = Field(30.0, gt=0, description="seconds a /sparql query may run before a 504")
    max_result_bytes: int = Field(64 * 1024 * 1024, gt=0, description="largest /sparql response, in bytes")
    sparql_workers: int = Field(2, ge=1, le=16, description="worker processes that run /sparql queries")
    cache_entries: int = Field(4096, ge=0, description="entity responses kept per release set")
