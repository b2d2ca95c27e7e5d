"""The web tests run on the same bundled store as the integration tests: the session fixtures of tests/conftest.py."""

from __future__ import annotations

# real ids of the bundled data
GENE = "HGNC:1100"  # BRCA1
DISEASE = "MONDO:0700268"  # BRCA1-related cancer predisposition (a gene-validity statement)
VARIANT = "CA114360"  # PAH c.1A>G (ClinVar 586), an ERepo interpretation with evidence lines
EREPO_STATEMENT = "cgid:erepo/89f04437-ed5d-4735-8c4a-a9b1d91d10ea"
VALIDITY_STATEMENT = "cggv:assertion_0f31f200-3b65-4cfd-80c8-bd7d3cc216b8-2024-08-29T170000.000Z"
PAGES = {
    "gene": f"/genes/{GENE}",
    "disease": f"/diseases/{DISEASE}",
    "variant": f"/variants/{VARIANT}",
    "statement": f"/statements/{EREPO_STATEMENT}",
    "validity-statement": f"/statements/{VALIDITY_STATEMENT}",
}
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
