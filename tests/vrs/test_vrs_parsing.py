"""VCF / SPDI / HGVS parsing, the refget lookup, normalisation policy and refusals of clingen_graph.vrs."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable

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
    lookup_sequence,
)

APOE = "ga4gh:VA.0AePZIWZUNsUlQTamyLrjm2HWUw2opLt"  # rs7412 C>T, SPEC §2.2


# --- lookup -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["19", "chr19", "CHR19", "NC_000019.10", "SQ.IIB53T8CNeJJdUqzn9V_JnRtQadwWCbl",
                                  "ga4gh:SQ.IIB53T8CNeJJdUqzn9V_JnRtQadwWCbl", " chr19 "])
def test_lookup_chr19(name: str) -> None:
    entry = lookup_sequence(name)
    assert (entry.chrom, entry.refseq_accession, entry.length) == ("19", "NC_000019.10", 58617616)


@pytest.mark.parametrize("name", ["MT", "M", "chrM", "chrMT", "NC_012920.1"])
def test_lookup_mitochondrion(name: str) -> None:
    assert lookup_sequence(name).refget_accession == "SQ.k3grVkjY-hoWcCUojHw6VU6GE3MZ8Sct"


def test_lookup_all_primary_chromosomes() -> None:
    names = [str(i) for i in range(1, 23)] + ["X", "Y", "MT"]
    entries = [lookup_sequence(n) for n in names]
    assert len({e.refget_accession for e in entries}) == 25
    for e in entries:
        assert lookup_sequence(e.refseq_accession) == e
        assert lookup_sequence("chr" + e.chrom) == e
        assert e.refget_accession.startswith("SQ.") and len(e.refget_accession) == 35
    assert lookup_sequence("X").refseq_accession == "NC_000023.11"


@pytest.mark.parametrize(("name", "assembly", "message"), [
    ("1", "GRCh37", "only the GRCh38 primary assembly"),
    ("1", "hg19", "only the GRCh38 primary assembly"),
    ("NC_000001.10", "GRCh38", "not a GRCh38 sequence"),
    ("NC_000012.10", "GRCh38", "not a GRCh38 sequence"),
    ("NC_000023.10", "GRCh38", "not a GRCh38 sequence"),
    ("chrUn_KI270302v1", "GRCh38", "unknown sequence"),
    ("NT_187361.1", "GRCh38", "unknown sequence"),
    ("NM_000277.2", "GRCh38", "unknown sequence"),
    ("23", "GRCh38", "unknown sequence"),
    ("", "GRCh38", "unknown sequence"),
])
def test_lookup_refused(name: str, assembly: str, message: str) -> None:
    with pytest.raises(VrsError, match=message):
        lookup_sequence(name, assembly)


def test_grch38_aliases_accepted() -> None:
    assert lookup_sequence("1", "hg38") == lookup_sequence("1", "GRCh38")


# --- one allele, three notations ----------------------------------------------------------------------------

@pytest.mark.parametrize("make", [
    lambda: allele_from_vcf("19", 44908822, "C", "T"),
    lambda: allele_from_vcf("chr19", "44908822", "c", "t"),
    lambda: allele_from_vcf("NC_000019.10", 44908822, "C", "T", assembly="hg38"),
    lambda: allele_from_spdi("NC_000019.10:44908821:C:T"),
    lambda: allele_from_hgvs("NC_000019.10:g.44908822C>T"),
    lambda: allele_from_hgvs("NC_000019.10:g.44908822delCinsT"),
    lambda: allele_from_vcf("19", 44908821, "GCA", "GTA"),  # padded MNV-style record trims to the SNV
], ids=["vcf", "vcf-chr-lower", "vcf-accession", "spdi", "hgvs", "hgvs-delins", "vcf-padded"])
def test_same_snv_same_id(make: Callable[[], models.Allele]) -> None:
    allele = make()
    assert allele_id(allele) == APOE
    assert location_id(allele) == "ga4gh:SL.wIlaGykfwHIpPY2Fcxtbx4TINbbODFVz"


@pytest.mark.parametrize("spdi", ["NC_000019.10:44908821:1:T", "NC_000019.10:44908821:2:TT"])
def test_spdi_deleted_length_needs_the_bases(spdi: str) -> None:
    """With the deleted bases given only as a length, the ref could share bases with (or equal) the alt:
    ga4gh normalize needs them, so without them (or a window) we refuse."""
    with pytest.raises(VrsError, match="not given"):
        allele_from_spdi(spdi)
    window = ReferenceWindow(44908821, "CG")
    assert allele_id(allele_from_spdi("NC_000019.10:44908821:1:T", window=window)) == APOE


def test_mnv_same_id_in_three_notations() -> None:
    ids = {
        allele_id(allele_from_vcf("7", 140753335, "CA", "TT")),
        allele_id(allele_from_spdi("NC_000007.14:140753334:CA:TT")),
        allele_id(allele_from_hgvs("NC_000007.14:g.140753335_140753336delCAinsTT")),
    }
    assert len(ids) == 1
    allele = allele_from_vcf("7", 140753335, "CA", "TT")
    assert (allele.location.start, allele.location.end, allele.state.sequence.root) == (140753334, 140753336, "TT")


def test_delins_trimmed_like_vcf() -> None:
    """Shared leading/trailing bases are trimmed by ga4gh normalize: the id is the core substitution's."""
    padded = allele_from_vcf("2", 1000, "ACGTA", "AGGA")  # A CGT A -> A GG A: CGT>GG at 1000..1003
    core = allele_from_vcf("2", 1001, "CGT", "GG")
    assert allele_id(padded) == allele_id(core)
    assert (core.location.start, core.location.end, core.state.sequence.root) == (1000, 1003, "GG")


def test_vcf_is_one_based() -> None:
    allele = allele_from_vcf("1", 1, "A", "G")
    assert (allele.location.start, allele.location.end) == (0, 1)
    last = lookup_sequence("1").length
    assert allele_from_vcf("1", last, "A", "G").location.end == last


def test_hgvs_mitochondrial() -> None:
    a = allele_from_hgvs("NC_012920.1:m.8993T>G")
    b = allele_from_vcf("chrM", 8993, "T", "G")
    assert allele_id(a) == allele_id(b)


def test_returns_ga4gh_models() -> None:
    allele = allele_from_hgvs("NC_000019.10:g.44908822C>T")
    assert isinstance(allele, models.Allele)
    assert isinstance(allele.location, models.SequenceLocation)
    assert isinstance(allele.location.sequenceReference, models.SequenceReference)
    assert isinstance(allele.state, models.LiteralSequenceExpression)


# --- refusals -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("call", "message"), [
    (lambda: allele_from_vcf("19", 44908822, "C", "T", assembly="GRCh37"), "only the GRCh38"),
    (lambda: allele_from_vcf("chrUn_KI270302v1", 10, "C", "T"), "unknown sequence"),
    (lambda: allele_from_vcf("19", 0, "C", "T"), "POS must be >= 1"),
    (lambda: allele_from_vcf("19", "12a", "C", "T"), "not an integer"),
    (lambda: allele_from_vcf("19", 58617617, "C", "T"), "outside chromosome"),
    (lambda: allele_from_vcf("19", 100, "C", "<DEL>"), "ALT must be one sequence"),
    (lambda: allele_from_vcf("19", 100, "C", "T,G"), "ALT must be one sequence"),
    (lambda: allele_from_vcf("19", 100, "C", "*"), "ALT must be one sequence"),
    (lambda: allele_from_vcf("19", 100, "C", "."), "ALT must be one sequence"),
    (lambda: allele_from_vcf("19", 100, "C", "N"), "no N"),
    (lambda: allele_from_vcf("19", 100, "N", "A"), "no N"),
    (lambda: allele_from_vcf("19", 100, "C", "R"), "no N"),
    (lambda: allele_from_vcf("19", 100, "", "A"), "REF must be bases"),
    (lambda: allele_from_spdi("NC_000019.9:45412078:C:T"), "not a GRCh38 sequence"),
    (lambda: allele_from_spdi("NM_000041.4:387:C:T"), "unknown sequence"),
    (lambda: allele_from_spdi("NC_000019.10:44908821:C"), "not SPDI"),
    (lambda: allele_from_spdi("NC_000019.10:-1:C:T"), "not SPDI"),
    (lambda: allele_from_spdi("NC_000019.10:44908821::"), "deletes and inserts nothing"),
    (lambda: allele_from_spdi("NC_000019.10:58617616:C:T"), "outside chromosome"),
    (lambda: allele_from_hgvs("NC_000019.9:g.45411941T>C"), "not a GRCh38 sequence"),
    (lambda: allele_from_hgvs("NM_000041.4:c.526C>T"), "unknown sequence"),
    (lambda: allele_from_hgvs("NC_000019.10:c.526C>T"), "only genomic HGVS"),
    (lambda: allele_from_hgvs("NC_000019.10:n.526C>T"), "only genomic HGVS"),
    (lambda: allele_from_hgvs("NP_000032.1:p.Arg176Cys"), "unknown sequence"),
    (lambda: allele_from_hgvs("NC_000019.10:m.100A>G"), "only genomic HGVS"),
    (lambda: allele_from_hgvs("NC_012920.1:g.8993T>G"), "only genomic HGVS"),
    (lambda: allele_from_hgvs("NC_000019.10:g.44908822+1C>T"), "unsupported position"),
    (lambda: allele_from_hgvs("NC_000019.10:g.(?_34787801)_(34799462_?)del"), "unsupported position"),
    (lambda: allele_from_hgvs("NC_000019.10:g.44908822?"), "unsupported position"),
    (lambda: allele_from_hgvs("NC_000019.10:g.44908822="), "unsupported position"),
    (lambda: allele_from_hgvs("NC_000019.10:g.[44908822C>T;44908823A>G]"), "unsupported position"),
    (lambda: allele_from_hgvs("NC_012920.1:m.14783TTAA[1]"), "unsupported"),
    (lambda: allele_from_hgvs("NC_012920.1:m.3902_3908inv"), "unsupported change"),
    (lambda: allele_from_hgvs("NC_000019.10:g.44908822C>C"), "are the same"),
    (lambda: allele_from_hgvs("NC_000019.10:g.44908822c>t"), "unsupported change"),
    (lambda: allele_from_hgvs("NC_000019.10:g.44908822_44908823C>T"), "one position"),
    (lambda: allele_from_hgvs("NC_000019.10:g.44908822_44908822del"), "range end must be after"),
    (lambda: allele_from_hgvs("NC_000019.10:g.44908823_44908822del"), "range end must be after"),
    (lambda: allele_from_hgvs("NC_000019.10:g.44908822_44908824delAC"), "does not match"),
    (lambda: allele_from_hgvs("NC_000019.10:g.44908822_44908824del2"), "does not match"),
    (lambda: allele_from_hgvs("NC_000019.10:g.44908822_44908824insA"), "adjacent positions"),
    (lambda: allele_from_hgvs("NC_000019.10:g.44908822_44908823insN[10]"), "unsupported"),
    (lambda: allele_from_hgvs("NC_000019.10:g.0A>G"), "unsupported position"),
    (lambda: allele_from_hgvs("NC_000019.10:g.58617617A>G"), "outside chromosome"),
    (lambda: allele_from_hgvs("chr19:g.44908822C>T"), "needs the RefSeq accession"),
    (lambda: allele_from_hgvs("NC_000019.10 g.44908822C>T"), "not an HGVS"),
    (lambda: allele_from_hgvs(""), "not an HGVS"),
])
def test_refused(call: Callable[[], object], message: str) -> None:
    with pytest.raises(VrsError, match=message):
        call()


def test_vrs_error_is_value_error() -> None:
    assert issubclass(VrsError, ValueError)


def test_allele_id_type_check() -> None:
    with pytest.raises(VrsError):
        allele_id("ga4gh:VA.x")  # type: ignore[arg-type]


# --- indels: refused without sequence, minted with a window ------------------------------------------------

# A synthetic stretch on chr2 (positions far from anything real; these are *not* GRCh38 bases): an A run
# flanked by C and G, then a CAG repeat.
W_START = 999_990  # 0-based
W_SEQ = "TTTTTTTTTCAAAAGTTTCAGCAGCAGTTT"
#        0         9^10-13 A run, 14 G; 18-26 CAG CAG CAG


def _window() -> ReferenceWindow:
    return ReferenceWindow(W_START, W_SEQ)


@pytest.mark.parametrize("call", [
    lambda w: allele_from_vcf("2", W_START + 10, "CA", "C", window=w),  # VCF left-aligned
    lambda w: allele_from_vcf("2", W_START + 13, "AA", "A", window=w),  # not left-aligned
    lambda w: allele_from_spdi(f"NC_000002.12:{W_START + 10}:AAAA:AAA", window=w),
    lambda w: allele_from_spdi(f"NC_000002.12:{W_START + 11}:1:", window=w),
    lambda w: allele_from_hgvs(f"NC_000002.12:g.{W_START + 14}del", window=w),  # HGVS 3'-shifted
    lambda w: allele_from_hgvs(f"NC_000002.12:g.{W_START + 11}delA", window=w),
])
def test_deletion_in_homopolymer(call: Callable[..., models.Allele]) -> None:
    with pytest.raises(VrsError, match=r"ReferenceWindow|not given"):
        call(None)
    allele = call(_window())
    assert isinstance(allele.state, models.ReferenceLengthExpression)
    assert (allele.location.start, allele.location.end) == (W_START + 10, W_START + 14)
    assert (allele.state.length, allele.state.repeatSubunitLength) == (3, 1)


def test_deletion_in_homopolymer_canonical_spdi_without_window() -> None:
    windowed = allele_from_vcf("2", W_START + 10, "CA", "C", window=_window())
    canonical = allele_from_spdi(f"NC_000002.12:{W_START + 10}:AAAA:AAA", canonical=True)
    assert allele_id(canonical) == allele_id(windowed)


def test_canonical_spdi_with_deleted_length_still_needs_the_bases() -> None:
    with pytest.raises(VrsError, match="not given"):
        allele_from_spdi(f"NC_000002.12:{W_START + 10}:4:AAA", canonical=True)
    minted = allele_from_spdi(f"NC_000002.12:{W_START + 10}:4:AAA", canonical=True, window=_window())
    assert allele_id(minted) == allele_id(allele_from_spdi(f"NC_000002.12:{W_START + 10}:AAAA:AAA", canonical=True))


def test_window_with_n_over_the_variant_is_refused() -> None:
    with pytest.raises(VrsError, match="no N"):
        allele_from_spdi(f"NC_000002.12:{W_START}:2:G", window=ReferenceWindow(W_START, "ANAAAA"))


def test_non_canonical_spdi_claimed_canonical_is_refused() -> None:
    with pytest.raises(VrsError, match="not an NCBI canonical SPDI"):
        allele_from_spdi(f"NC_000002.12:{W_START + 9}:CA:C", canonical=True)


@pytest.mark.parametrize("call", [
    lambda w: allele_from_vcf("2", W_START + 18, "T", "TCAG", window=w),
    lambda w: allele_from_vcf("2", W_START + 21, "G", "GCAG", window=w),
    lambda w: allele_from_spdi(f"NC_000002.12:{W_START + 27}::CAG", window=w),
    lambda w: allele_from_hgvs(f"NC_000002.12:g.{W_START + 27}_{W_START + 28}insCAG", window=w),
    lambda w: allele_from_hgvs(f"NC_000002.12:g.{W_START + 25}_{W_START + 27}dup", window=w),
    lambda w: allele_from_hgvs(f"NC_000002.12:g.{W_START + 25}_{W_START + 27}dupCAG", window=w),
    lambda w: allele_from_spdi(f"NC_000002.12:{W_START + 18}:CAGCAGCAG:CAGCAGCAGCAG", window=w),
])
def test_insertion_in_repeat(call: Callable[..., models.Allele]) -> None:
    with pytest.raises(VrsError, match="ReferenceWindow"):
        call(None)
    allele = call(_window())
    assert isinstance(allele.state, models.ReferenceLengthExpression)
    assert (allele.location.start, allele.location.end) == (W_START + 18, W_START + 27)
    assert (allele.state.length, allele.state.repeatSubunitLength) == (12, 3)


def test_unambiguous_insertion_is_literal() -> None:
    allele = allele_from_vcf("2", W_START + 16, "T", "TG", window=_window())  # ...G T|T T... insert G after T
    assert isinstance(allele.state, models.LiteralSequenceExpression)
    assert (allele.location.start, allele.location.end, allele.state.sequence.root) == (W_START + 16,) * 2 + ("G",)


def test_window_too_narrow_is_refused() -> None:
    narrow = ReferenceWindow(W_START + 10, W_SEQ[10:14])  # the A run without its flanks
    with pytest.raises(VrsError, match="ReferenceWindow"):
        allele_from_vcf("2", W_START + 10, "CA", "C", window=narrow)


def test_window_mismatch_is_refused() -> None:
    with pytest.raises(VrsError, match="reference mismatch"):
        allele_from_vcf("2", W_START + 10, "GA", "G", window=_window())
    with pytest.raises(VrsError, match="only A, C, G, T or N"):
        allele_from_vcf("2", W_START + 10, "CA", "C", window=ReferenceWindow(W_START, "ACGU"))


def test_hgvs_delins_needs_ref_or_window() -> None:
    with pytest.raises(VrsError, match="not given"):
        allele_from_hgvs(f"NC_000002.12:g.{W_START + 11}_{W_START + 12}delinsGG")
    with_window = allele_from_hgvs(f"NC_000002.12:g.{W_START + 11}_{W_START + 12}delinsGG", window=_window())
    with_ref = allele_from_hgvs(f"NC_000002.12:g.{W_START + 11}_{W_START + 12}delAAinsGG")
    assert allele_id(with_window) == allele_id(with_ref)


def test_delins_that_is_really_an_insertion_is_refused_without_window() -> None:
    # AA -> AAG looks like a delins but trims to an insertion of G: needs the flanks.
    with pytest.raises(VrsError, match="ReferenceWindow"):
        allele_from_hgvs(f"NC_000002.12:g.{W_START + 11}_{W_START + 12}delAAinsAAG")


# --- the claim behind minting substitutions without the genome ---------------------------------------------

def test_what_we_mint_without_flanks_does_not_depend_on_them() -> None:
    """For random VCF-style ref/alt pairs, whatever we mint without flanking sequence (substitutions, and the
    few indels whose own ref already shows they cannot move, e.g. GGCT>GT) gets exactly the same id when
    ga4gh.vrs.normalize is given random flanks; everything else must have been refused."""
    rng = random.Random(20240407)
    bases = "ACGT"
    checked = 0
    kinds: Counter[str] = Counter()
    while checked < 600:
        ref = "".join(rng.choice(bases) for _ in range(rng.randint(1, 5)))
        alt = "".join(rng.choice(bases) for _ in range(rng.randint(1, 5)))
        try:
            bare = allele_from_vcf("3", 5_000_000, ref, alt)
        except VrsError:
            continue  # trims to an indel (or no change): refused without flanks, as it should be
        left = "".join(rng.choice(bases) for _ in range(20))
        right = "".join(rng.choice(bases) for _ in range(20))
        window = ReferenceWindow(5_000_000 - 1 - len(left), left + ref + right)
        flanked = allele_from_vcf("3", 5_000_000, ref, alt, window=window)
        assert allele_id(flanked) == allele_id(bare), (ref, alt, left, right)
        checked += 1
        kinds[type(bare.state).__name__] += 1
    assert kinds["LiteralSequenceExpression"] > 400
    assert kinds["ReferenceLengthExpression"] > 5  # provably fixed deletions (and ref==alt) were exercised too


# --- ids are computed fresh --------------------------------------------------------------------------------

def test_allele_id_not_fooled_by_cached_digests() -> None:
    allele = allele_from_hgvs("NC_000019.10:g.44908822C>T")
    assert allele_id(allele) == APOE
    allele.location.digest = "x" * 32
    allele.digest = "y" * 32
    allele.id = "ga4gh:VA." + "z" * 32
    assert allele_id(allele) == APOE
    allele.location.end = 44908823
    allele.location.start = 44908822
    assert allele_id(allele) != APOE
    assert allele_id(allele) == allele_id(allele_from_vcf("19", 44908823, "A", "T"))
