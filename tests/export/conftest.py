"""The export tests run on the bundled store: the session fixtures of tests/conftest.py."""

from __future__ import annotations

PAH_STATEMENT = "https://w3id.org/clingen-graph/id/erepo/89f04437-ed5d-4735-8c4a-a9b1d91d10ea"  # PAH c.1A>G, CA114360
BS2_STANDALONE = "https://w3id.org/clingen-graph/id/erepo/88dbea59-2fc0-49e6-9200-9a675d39f17a"  # BS2 stand-alone
