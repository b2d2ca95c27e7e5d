"""Triplestores behind one small protocol; ``open_store(url)`` picks the backend by URL scheme."""

from .base import GraphStore, QueryTimeout, StoreError, UnknownStoreError, open_store

__all__ = ["GraphStore", "QueryTimeout", "StoreError", "UnknownStoreError", "open_store"]
