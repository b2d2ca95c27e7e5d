"""GA4GH's own computed-id test vectors (SPEC §2.2 and ga4gh/vrs validation/models.yaml) through our API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from ga4gh.core import ga4gh_digest, ga4gh_identify, ga4gh_serialize, sha512t24u
from ga4gh.vrs import models

from clingen_graph.vrs import allele_from_spdi, allele_from_vcf, allele_id, location_id, lookup_sequence

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CHR19 = "SQ.IIB53T8CNeJJdUqzn9V_JnRtQadwWCbl"
CHR7 = "SQ.F-LrLMe1SRpfUZHkQmvkVKFEGaoDeHul"


def test_sha512t24u_acgt() -> None:
    assert sha512t24u(b"ACGT") == "aKF498dAxcJAqme6QYQ7EZ07-fiw8Kw2"


def test_chr19_location_and_allele() -> None:
    allele = allele_from_vcf("19", 44908822, "C", "T")
    assert allele.location.sequenceReference.refgetAccession == CHR19
    assert (allele.location.start, allele.location.end) == (44908821, 44908822)
    assert ga4gh_serialize(allele.location).decode() == (
        '{"end":44908822,"sequenceReference":{"refgetAccession":"SQ.IIB53T8CNeJJdUqzn9V_JnRtQadwWCbl",'
        '"type":"SequenceReference"},"start":44908821,"type":"SequenceLocation"}'
    )
    assert location_id(allele) == "ga4gh:SL.wIlaGykfwHIpPY2Fcxtbx4TINbbODFVz"
    assert ga4gh_serialize(allele).decode() == (
        '{"location":"wIlaGykfwHIpPY2Fcxtbx4TINbbODFVz","state":{"sequence":"T",'
        '"type":"LiteralSequenceExpression"},"type":"Allele"}'
    )
    assert allele_id(allele) == "ga4gh:VA.0AePZIWZUNsUlQTamyLrjm2HWUw2opLt"
    assert len(allele_id(allele).split(".", 1)[1]) == 32


def test_chr7_location() -> None:
    entry = lookup_sequence("7")
    assert entry.refget_accession == CHR7
    location = models.SequenceLocation(sequenceReference=entry.sequence_reference(), start=44908821, end=44908822)
    assert location_id(location) == "ga4gh:SL.4t6JnYWqHwYw9WzBT_lmWBb3tLQNalkT"
    assert location_id(allele_from_vcf("chr7", 44908822, "G", "A")) == "ga4gh:SL.4t6JnYWqHwYw9WzBT_lmWBb3tLQNalkT"


# --- validation/models.yaml --------------------------------------------------------------------------------

APPLICABLE = ("SequenceReference", "LiteralSequenceExpression", "ReferenceLengthExpression", "SequenceLocation",
              "Allele")


def _vectors() -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    doc = yaml.safe_load((FIXTURES / "vrs_validation_models.yaml").read_text(encoding="utf-8"))
    out = []
    for cls in APPLICABLE:
        for i, case in enumerate(doc[cls]):
            out.append((cls, case.get("name", f"{cls}[{i}]"), case["in"], case["out"]))
    return out


VECTORS = _vectors()


@pytest.mark.parametrize(("cls", "name", "given", "expected"), VECTORS, ids=[v[1] for v in VECTORS])
def test_models_yaml_vector(cls: str, name: str, given: dict[str, Any], expected: dict[str, Any]) -> None:
    """Each vector through the ga4gh.vrs models we build on; SequenceLocation/Allele ids via our functions."""
    obj = getattr(models, cls)(**given)
    assert ga4gh_serialize(obj).decode() == expected["ga4gh_serialize"]
    assert ga4gh_digest(obj) == expected["ga4gh_digest"]
    assert ga4gh_identify(obj) == expected["ga4gh_identify"]
    if cls == "SequenceLocation":
        assert location_id(obj) == expected["ga4gh_identify"]
    if cls == "Allele":
        assert allele_id(obj) == expected["ga4gh_identify"]


def test_models_yaml_has_the_vectors_we_rely_on() -> None:
    names = {v[1] for v in VECTORS}
    assert "rs7412@GRCh38>T w/LiteralSequenceExpression" in names
    assert "NC_000001.11:40819438:CTCCTCCT:CTCCTCCTCCT w/ReferenceLengthExpression" in names
    assert sum(v[0] == "SequenceLocation" for v in VECTORS) == 4


def test_rs7412_vector_from_our_constructors() -> None:
    expected = "ga4gh:VA.0AePZIWZUNsUlQTamyLrjm2HWUw2opLt"
    assert allele_id(allele_from_vcf("chr19", 44908822, "C", "T")) == expected
    assert allele_id(allele_from_spdi("NC_000019.10:44908821:C:T")) == expected


def test_rle_vector_from_canonical_spdi() -> None:
    """The models.yaml RLE vector was made by GA4GH with the real chr1 sequence; NCBI canonical SPDI reproduces it
    through ga4gh.vrs.normalize without that sequence."""
    allele = allele_from_spdi("NC_000001.11:40819438:CTCCTCCT:CTCCTCCTCCT", canonical=True)
    assert isinstance(allele.state, models.ReferenceLengthExpression)
    assert (allele.state.length, allele.state.repeatSubunitLength) == (11, 3)
    assert (allele.location.start, allele.location.end) == (40819438, 40819446)
    assert location_id(allele) == "ga4gh:SL.nQGBuvRQOLEboA5TYtcz975fp_GulxbZ"
    assert allele_id(allele) == "ga4gh:VA.Oop4kjdTtKcg1kiZjIJAAR3bp7qi4aNT"
