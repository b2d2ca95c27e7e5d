"""Exports for integrators (DESIGN §1): GA4GH VA-Spec 1.0 JSON (:mod:`.va_spec`), FHIR R4 Genomics Reporting
bundles (:mod:`.fhir`) and bulk dumps of the releases with a DCAT/VoID manifest (:mod:`.dumps`).

Export code reads the store through named queries (``queries/api/``) and never imports the API; the API
may call it. Submodules are imported on use, so importing this package stays cheap.
"""
