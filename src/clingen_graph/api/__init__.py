"""The HTTP API: SPARQL 1.1 Protocol and JSON-LD entity endpoints (FastAPI)."""
