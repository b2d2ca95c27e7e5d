"""``GET /statements/{id}?format=va-spec|fhir``: the exports served per statement, checked by GA4GH's and HL7's
reference models; JSON-LD stays the answer to ``Accept: application/json``."""

from __future__ import annotations

from fhir.resources.R4B.bundle import Bundle
from ga4gh.va_spec.acmg_2015 import VariantPathogenicityStatement

from .conftest import PAH_STATEMENT

PAH = "/statements/cgid:erepo/" + PAH_STATEMENT.rsplit("/", 1)[-1]


def test_va_spec_per_statement_validates(client):
    r = client.get(PAH, params={"format": "va-spec"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    statement = VariantPathogenicityStatement.model_validate(r.json())
    assert statement.id == PAH_STATEMENT
    assert r.headers["etag"].endswith('-va-spec"')


def test_fhir_per_statement_validates(client):
    r = client.get(PAH, params={"format": "fhir"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/fhir+json")
    bundle = Bundle.model_validate(r.json())
    kinds = {e.resource.__resource_type__ for e in bundle.entry}
    assert {"Observation", "DiagnosticReport"} <= kinds


def test_json_is_still_json_ld_and_exports_only_for_statements(client):
    r = client.get(PAH, headers={"Accept": "application/json"})
    assert r.status_code == 200 and "@context" in r.json()
    assert client.get("/genes/HGNC:1100", params={"format": "va-spec"}).status_code == 400


def test_a_statement_outside_the_export_is_404(client):
    validity = "/statements/cggv:assertion_0f31f200-3b65-4cfd-80c8-bd7d3cc216b8-2024-08-29T170000.000Z"
    r = client.get(validity, params={"format": "va-spec"})
    assert r.status_code == 404
    assert "ACMG 2015" in r.json()["detail"]
