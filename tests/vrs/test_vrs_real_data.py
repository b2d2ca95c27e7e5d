"""Real variants (ClinVar, ClinGen ERepo) and VRS ids published by GA4GH, through clingen_graph.vrs."""

from __future__ import annotations

import base64
import csv
import hashlib
import json
from importlib.resources import files
from pathlib import Path

import pytest
from ga4gh.vrs import models

from clingen_graph.vrs import (
    ReferenceWindow,
    VrsError,
    allele_from_hgvs,
    allele_from_spdi,
    allele_from_vcf,
    allele_id,
    location_id,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _rows(name: str) -> list[dict[str, str]]:
    with (FIXTURES / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def _spec_literal_id(refget: str, start: int, end: int, sequence: str) -> str:
    """SPEC §2.2 written out with hashlib, independent of ga4gh.core, for a LiteralSequenceExpression allele."""

    def digest(obj: object) -> str:
        blob = json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(hashlib.sha512(blob).digest()[:24]).decode()

    location = {"end": end, "sequenceReference": {"refgetAccession": refget, "type": "SequenceReference"},
                "start": start, "type": "SequenceLocation"}
    allele = {"location": digest(location), "state": {"sequence": sequence, "type": "LiteralSequenceExpression"},
              "type": "Allele"}
    return "ga4gh:VA." + digest(allele)


# --- ids published by GA4GH for real GRCh38 variants ---------------------------------------------------------

# shared/standards/ga4gh/va-spec-2024-10/examples/varpath_lp_vcep_ex2-reordered_20240914.json and ..._lb_...json
PUBLISHED = [
    ("NC_000012.12:102840429:G:T", "NC_000012.12:g.102840430G>T", ("12", 102840430, "G", "T"),
     "ga4gh:VA.bBPSn0F2gLXDsCHSkEVyqIjhOvGgA7Un", "ga4gh:SL.kuFVPaLnyTpa1osSCKWdFHHPWxyMV705"),
    ("NC_000004.12:163128947:A:G", "NC_000004.12:g.163128948A>G", ("4", 163128948, "A", "G"),
     "ga4gh:VA.42OcqCY5zhfOjSVrLTp_Xg8ok-laIPu5", "ga4gh:SL.HQz3e3ZeHcZDyLrCMG-TM61ahOyNT6kp"),
]


@pytest.mark.parametrize(("spdi", "hgvs", "vcf", "va", "sl"), PUBLISHED, ids=[p[0] for p in PUBLISHED])
def test_published_ids(spdi: str, hgvs: str, vcf: tuple[str, int, str, str], va: str, sl: str) -> None:
    for allele in (allele_from_spdi(spdi), allele_from_hgvs(hgvs), allele_from_vcf(*vcf)):
        assert allele_id(allele) == va
        assert location_id(allele) == sl


# --- ClinVar -------------------------------------------------------------------------------------------------

CLINVAR = _rows("clinvar_grch38_alleles.tsv")
# Deletions ClinVar gives only left-aligned (VCF) or 3'-shifted (HGVS): they may sit in repeats, so no id
# without the reference sequence.
CLINVAR_INDELS = {"97006", "222476", "406155", "3"}


@pytest.mark.parametrize("row", CLINVAR, ids=[f"{r['source']}:{r['clinvar_variation_id']}" for r in CLINVAR])
def test_clinvar_vcf(row: dict[str, str]) -> None:
    def vcf() -> models.Allele:
        return allele_from_vcf(row["chrom"], row["pos_vcf"], row["ref_vcf"], row["alt_vcf"])

    if row["clinvar_variation_id"] in CLINVAR_INDELS:
        with pytest.raises(VrsError, match="ReferenceWindow"):
            vcf()
        return
    allele = vcf()
    assert isinstance(allele.state, models.LiteralSequenceExpression)
    expected = _spec_literal_id(allele.location.sequenceReference.refgetAccession, int(row["pos_vcf"]) - 1,
                                int(row["pos_vcf"]) - 1 + len(row["ref_vcf"]), row["alt_vcf"])
    assert allele_id(allele) == expected  # none of these share bases between REF and ALT
    if row["canonical_spdi"]:
        assert allele_id(allele_from_spdi(row["canonical_spdi"], canonical=True)) == expected
        assert allele_id(allele_from_spdi(row["canonical_spdi"])) == expected
    if ">" in row["hgvs_grch38"]:
        assert allele_id(allele_from_hgvs(row["hgvs_grch38"])) == expected


def test_clinvar_covers_all_forms() -> None:
    ids = {r["clinvar_variation_id"] for r in CLINVAR}
    assert len(CLINVAR) == 20
    assert CLINVAR_INDELS <= ids
    assert sum(bool(r["canonical_spdi"]) for r in CLINVAR) == 11


def _clinvar(variation_id: str) -> dict[str, str]:
    return next(r for r in CLINVAR if r["clinvar_variation_id"] == variation_id and r["source"].startswith("VCV"))


def test_clinvar_delins_vcv2() -> None:
    """VCV000000002 (AP5Z1 c.80_83delins…): VCF and canonical SPDI carry the deleted bases and get the id;
    the HGVS delins does not, and gets it only with a window made of the VCF REF."""
    row = _clinvar("2")
    expected = allele_id(allele_from_vcf(row["chrom"], row["pos_vcf"], row["ref_vcf"], row["alt_vcf"]))
    assert allele_id(allele_from_spdi(row["canonical_spdi"], canonical=True)) == expected
    with pytest.raises(VrsError, match="not given"):
        allele_from_hgvs(row["hgvs_grch38"])
    window = ReferenceWindow(int(row["pos_vcf"]) - 1, row["ref_vcf"])
    assert allele_id(allele_from_hgvs(row["hgvs_grch38"], window=window)) == expected
    summary = next(r for r in CLINVAR if r["source"].startswith("variant_summary") and r["clinvar_variation_id"] == "2")
    assert allele_id(allele_from_vcf(summary["chrom"], summary["pos_vcf"], summary["ref_vcf"],
                                     summary["alt_vcf"])) == expected


def test_clinvar_homopolymer_deletion_vcv222476() -> None:
    """VCV000222476: one A deleted from AAAA. ClinVar gives VCF 12:21887852 CA>C (left-aligned), canonical SPDI
    NC_000012.12:21887852:AAAA:AAA and HGVS g.21887856del (3'-shifted). Only the canonical SPDI gets an id
    without sequence; with a window made from these records, all three give that same id."""
    row = _clinvar("222476")
    canonical = allele_from_spdi(row["canonical_spdi"], canonical=True)
    assert isinstance(canonical.state, models.ReferenceLengthExpression)
    assert (canonical.location.start, canonical.location.end) == (21887852, 21887856)
    assert (canonical.state.length, canonical.state.repeatSubunitLength) == (3, 1)
    with pytest.raises(VrsError, match="ReferenceWindow"):
        allele_from_spdi(row["canonical_spdi"])
    with pytest.raises(VrsError, match="ReferenceWindow"):
        allele_from_hgvs(row["hgvs_grch38"])
    # C from the VCF REF, AAAA from the SPDI; the next base is not A (canonical SPDI, HGVS 3' rule): G stands in.
    window = ReferenceWindow(21887851, "CAAAAG")
    expected = allele_id(canonical)
    assert allele_id(allele_from_vcf(row["chrom"], row["pos_vcf"], row["ref_vcf"], row["alt_vcf"],
                                     window=window)) == expected
    assert allele_id(allele_from_hgvs(row["hgvs_grch38"], window=window)) == expected
    assert allele_id(allele_from_spdi(row["canonical_spdi"], window=window)) == expected


def test_clinvar_52bp_deletion_vcv97006() -> None:
    """VCV000097006: 52 bp deleted. VCF (left-aligned, at 12943751) and HGVS g.12943758_12943809del (3'-shifted
    by 7) describe one allele; its 59-bp ambiguous region becomes an RLE. The window is rebuilt from the two
    records (the 7 bases after the VCF deletion repeat its first 7); the base after that is not the 8th (3' rule)."""
    row = _clinvar("97006")
    pad, deleted = row["ref_vcf"][0], row["ref_vcf"][1:]
    assert len(deleted) == 52
    start = int(row["pos_vcf"]) - 1
    after = "T" if deleted[7] != "T" else "C"
    window = ReferenceWindow(start, pad + deleted + deleted[:7] + after)
    vcf = allele_from_vcf(row["chrom"], row["pos_vcf"], row["ref_vcf"], row["alt_vcf"], window=window)
    hgvs = allele_from_hgvs(row["hgvs_grch38"], window=window)
    assert allele_id(vcf) == allele_id(hgvs)
    assert isinstance(vcf.state, models.ReferenceLengthExpression)
    assert (vcf.location.start, vcf.location.end) == (12943750, 12943809)
    assert (vcf.state.length, vcf.state.repeatSubunitLength) == (7, 52)


# --- ClinGen Evidence Repository HGVS -------------------------------------------------------------------------

EREPO = _rows("erepo_grch38_hgvs.tsv")


@pytest.mark.parametrize("row", EREPO, ids=[r["hgvs_grch38"] for r in EREPO])
def test_erepo_hgvs(row: dict[str, str]) -> None:
    hgvs = row["hgvs_grch38"]
    if ">" in hgvs:
        allele = allele_from_hgvs(hgvs)
        start = allele.location.start
        assert allele.location.end == start + 1
        expected = _spec_literal_id(allele.location.sequenceReference.refgetAccession, start, start + 1, hgvs[-1])
        assert allele_id(allele) == expected
        assert allele_id(allele_from_vcf(allele.location.sequenceReference.refgetAccession, start + 1,
                                         hgvs[-3], hgvs[-1])) == expected
    else:  # del, dup, ins, delins without the deleted bases, uncertain ranges, inv, repeats
        with pytest.raises(VrsError):
            allele_from_hgvs(hgvs)


def test_erepo_sample_kinds() -> None:
    hgvs = [r["hgvs_grch38"] for r in EREPO]
    assert sum(">" in h for h in hgvs) == 22
    assert {k for k in ("del", "dup", "ins", "delins", "inv", "[", "(?") if any(k in h for h in hgvs)} == {
        "del", "dup", "ins", "delins", "inv", "[", "(?"}


# --- the bundled refget table ---------------------------------------------------------------------------------

def test_bundled_refget_table_ships_and_matches_shared_copy() -> None:
    bundled = files("clingen_graph").joinpath("data", "refget_GRCh38_primary.tsv").read_text(encoding="utf-8")
    assert bundled.count("\n") == 26
    # byte-identical to the shared table (standards/ga4gh/refget_GRCh38_primary.tsv) when it was copied
    assert hashlib.sha256(bundled.encode()).hexdigest() == (
        "ccc12b9c85c626580ffe4127302fe3b432feb9bd67c3643ce235ac8dc22eebb5")
