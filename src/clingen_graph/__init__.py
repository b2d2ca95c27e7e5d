"""clingen-graph: ClinGen curations, MONDO, HPO and HGNC as a validated, queryable knowledge graph."""

__version__ = "0.1.0"
