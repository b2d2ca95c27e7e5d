"""Our aggregation against ClinVar's own on every real sample, stars for every wording, and typed conflicts.

The rule tests at the bottom use hand-made SCV stand-ins (not data rows) for cases no sample shows; the
rules they pin that are not confirmed by a real record are listed in ``clinvar_aggregate.UNVERIFIED``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from clingen_graph import clinvar_aggregate as agg
from clingen_graph.ingest.clinvar_xml import VcvRecord, agreement

from .conftest import EDITED, SAMPLES, one

# --- stars ---------------------------------------------------------------------------------------------------

SPEC_STARS = [  # SPEC §8.1, current and older wordings
    ("practice guideline", 4),
    ("reviewed by expert panel", 3),
    ("criteria provided, multiple submitters, no conflicts", 2),
    ("criteria provided, conflicting classifications", 1),
    ("criteria provided, conflicting interpretations", 1),
    ("criteria provided, single submitter", 1),
    ("no assertion criteria provided", 0),
    ("no classification provided", 0),
    ("no assertion provided", 0),
    ("no classification for the single variant", 0),
    ("no assertion for the individual variant", 0),
    # also seen: somatic aggregates, 2019–2024 and pre-2015 wordings, SCV-only and all-flagged statuses
    ("criteria provided, multiple submitters", 2),
    ("no interpretation for the single variant", 0),
    ("classified by single submitter", 1),
    ("classified by multiple submitters", 2),
    ("reviewed by professional society", 4),
    ("not classified by submitter", 0),
    ("flagged submission", 0),
    ("no classifications from unflagged records", 0),
]


@pytest.mark.parametrize("status, expected", SPEC_STARS, ids=[s for s, _ in SPEC_STARS])
def test_stars(status: str, expected: int) -> None:
    assert agg.stars(status) == expected
    assert agg.stars("  " + status.upper().replace(" ", "  ") + " ") == expected  # case and spacing do not matter


def test_every_known_wording_is_tested() -> None:
    assert set(agg.STARS) == {s for s, _ in SPEC_STARS}


def test_unknown_wording_raises() -> None:
    with pytest.raises(agg.UnknownReviewStatus, match="vetted"):
        agg.stars("vetted by a committee")


# --- agreement with ClinVar on the real samples -----------------------------------------------------------------

@pytest.mark.parametrize("accession", [p.stem for p in SAMPLES])
def test_our_aggregate_equals_clinvars(samples: dict[str, VcvRecord], accession: str) -> None:
    r = samples[accession]
    assert r.clinvar, "every sample states ClinVar's aggregate"
    assert set(r.aggregates) == set(r.clinvar)
    for kind, theirs in r.clinvar.items():
        ours = r.aggregates[kind]
        assert (ours.classification, ours.review_status, ours.stars) == (
            theirs.classification, theirs.review_status, theirs.stars), kind
        assert (ours.submissions, ours.submitters) == (theirs.submissions, theirs.submitters), kind
        assert ours.date_last_evaluated == theirs.date_last_evaluated, kind
        assert ours.explanation == theirs.explanation, kind
        assert agreement(ours, theirs)
    assert r.agrees("germline")


def test_agreement_on_all_samples(samples: dict[str, VcvRecord]) -> None:
    agreed = sum(all(r.agrees(k) for k in agg.KINDS) for r in samples.values())
    assert (agreed, len(samples)) == (11, 11)


def test_only_the_top_tier_is_aggregated(samples: dict[str, VcvRecord]) -> None:
    # BRAF V600E: a 0-star VUS (SCV001550994) does not make the four 1-star P/LP SCVs conflicting
    braf = samples["VCV000013961"].aggregates["germline"]
    assert braf.contributing == ("SCV000112810", "SCV001450230", "SCV004176942", "SCV005022010")
    assert dict(braf.counts) == {"Pathogenic": 3, "Likely pathogenic": 1}
    assert braf.submissions == 37  # every germline SCV counts here, 0-star, "not provided" and somatic-origin ones too
    # KRAS Q61H: 0-star P/LP SCVs are ignored; 1-star P vs 2 × VUS is the conflict
    kras = samples["VCV000177881"].aggregates["germline"]
    assert kras.contributing == ("SCV002965319", "SCV002710946", "SCV002497209")
    assert kras.explanation == "Pathogenic(1); Uncertain significance(2)"
    # AP5Z1: one 0-star + one 1-star SCV from two submitters is still "single submitter"
    assert samples["VCV000000002"].aggregates["germline"].review_status == "criteria provided, single submitter"


def test_somatic_clinical_impact_takes_the_strongest_tier(samples: dict[str, VcvRecord]) -> None:
    # CALR: one 0-star submitter with Tier III, Tier I, Tier I → "Tier I - Strong", no conflict
    calr = samples["VCV000097006"].aggregates["somatic-clinical-impact"]
    assert dict(calr.counts) == {"Tier I - Strong": 2, "Tier III - Unknown": 1}
    assert (calr.classification, calr.review_status) == ("Tier I - Strong", "no assertion criteria provided")


# --- conflicts ---------------------------------------------------------------------------------------------------

def test_real_conflict_in_clinvars_tier(samples: dict[str, VcvRecord]) -> None:
    (c,) = samples["VCV000177881"].conflicts
    assert (c.type, c.kind, c.in_aggregate) == ("P/LP vs VUS", "germline", True)
    assert c.side_b == ("SCV002965319", "SCV002710946")  # Invitae, Ambry
    assert "SCV002497209" in c.side_a and "SCV000204202" in c.side_a  # CeGaT (1 star), LMM (0 stars)


def test_real_conflict_across_tiers_only(samples: dict[str, VcvRecord]) -> None:
    (c,) = samples["VCV000013961"].conflicts
    assert (c.type, c.in_aggregate, c.side_b) == ("P/LP vs VUS", False, ("SCV001550994",))
    assert len(c.side_a) == 33


def test_no_conflicts_where_submitters_agree(samples: dict[str, VcvRecord]) -> None:
    for accession in ("VCV000000002", "VCV000000051", "VCV000097006", "VCV000222476", "VCV000424711"):
        assert samples[accession].conflicts == (), accession


def test_three_groups_edited_copy() -> None:
    r = one(EDITED / "VCV000177881_edited_three_groups.xml")
    assert r.agrees("germline") and r.warnings == []
    assert r.aggregates["germline"].explanation == "Pathogenic(1); Uncertain significance(1); Likely benign(1)"
    by_type = {c.type: c for c in r.conflicts}
    assert set(by_type) == {"P/LP vs VUS", "P/LP vs B/LB", "VUS vs B/LB"}
    assert all(c.in_aggregate for c in r.conflicts)
    assert by_type["P/LP vs B/LB"].side_b == ("SCV002710946",)
    assert by_type["VUS vs B/LB"].side_a == ("SCV002965319",)


def test_expert_panel_edited_copy() -> None:
    r = one(EDITED / "VCV000177881_edited_expert_panel.xml")
    ours = r.aggregates["germline"]
    assert (ours.classification, ours.review_status, ours.stars, ours.contributing) == (
        "Pathogenic", "reviewed by expert panel", 3, ("SCV002497209",))
    assert r.agrees("germline")
    panel = next(c for c in r.conflicts if c.type == "expert panel vs other submitters")
    assert (panel.side_a, panel.group_a, panel.side_b, panel.group_b) == (
        ("SCV002497209",), "P/LP", ("SCV002965319", "SCV002710946"), "VUS")
    assert not panel.in_aggregate


# --- rules on stand-ins ------------------------------------------------------------------------------------------

@dataclass
class Scv:
    accession: str
    classification: str
    review_status: str = "criteria provided, single submitter"
    submitter_id: str = ""
    kind: str = "germline"
    flagged: bool = False
    date_last_evaluated: str = ""

    def __post_init__(self) -> None:
        self.submitter_id = self.submitter_id or self.accession


def _agg(*scvs: Scv, kind: agg.Kind = "germline") -> tuple[str, str]:
    a = agg.aggregate(scvs, kind)
    return a.classification, a.review_status


def test_rules_agreement_and_groups() -> None:
    assert _agg(Scv("a", "Pathogenic"), Scv("b", "Likely pathogenic")) == (
        "Pathogenic/Likely pathogenic", "criteria provided, multiple submitters, no conflicts")
    assert _agg(Scv("a", "Likely benign"), Scv("b", "Benign")) == (
        "Benign/Likely benign", "criteria provided, multiple submitters, no conflicts")
    assert _agg(Scv("a", "Benign"), Scv("b", "Likely benign", submitter_id="a"))[1] == \
        "criteria provided, single submitter"  # one submitter, two SCVs
    assert _agg(Scv("a", "Pathogenic", "no assertion criteria provided"),
                Scv("b", "Likely pathogenic", "no assertion criteria provided")) == (
        "Pathogenic/Likely pathogenic", "no assertion criteria provided")


def test_rules_non_acmg_terms_ride_along() -> None:
    assert _agg(Scv("a", "Pathogenic"), Scv("b", "drug response"))[0] == "Pathogenic; drug response"
    assert _agg(Scv("a", "risk factor"), Scv("b", "drug response"))[0] == "drug response; risk factor"
    text, status = _agg(Scv("a", "Pathogenic"), Scv("b", "Benign"), Scv("c", "risk factor"))
    assert (text, status) == ("Conflicting classifications of pathogenicity; risk factor",
                              "criteria provided, conflicting classifications")


def test_rules_tiers_flags_and_no_classification() -> None:
    assert _agg(Scv("a", "Benign", "reviewed by expert panel"), Scv("b", "Pathogenic"), Scv("c", "Pathogenic")) == (
        "Benign", "reviewed by expert panel")
    assert _agg(Scv("a", "Benign", "practice guideline"), Scv("b", "Pathogenic", "reviewed by expert panel")) == (
        "Benign", "practice guideline")
    assert _agg(Scv("a", "Pathogenic", flagged=True), Scv("b", "Benign")) == (
        "Benign", "criteria provided, single submitter")
    assert _agg(Scv("a", "not provided", "no classification provided")) == (
        "not provided", "no classification provided")
    assert _agg(Scv("a", "Pathogenic", "flagged submission", flagged=True)) == (
        "no classifications from unflagged records", "no classifications from unflagged records")
    assert agg.aggregate([], "germline").present is False
    assert agg.aggregate([], "germline", included_only=True).classification == \
        "no classification for the single variant"


def test_rules_low_penetrance_and_oncogenicity() -> None:
    assert _agg(Scv("a", "Pathogenic"), Scv("b", "Pathogenic, low penetrance"))[0] == \
        "Pathogenic/Pathogenic, low penetrance"
    assert _agg(Scv("a", "Uncertain significance"), Scv("b", "Uncertain risk allele"))[0] == \
        "Uncertain significance/Uncertain risk allele"
    onc = [Scv("a", "Oncogenic", kind="oncogenicity"), Scv("b", "Uncertain significance", kind="oncogenicity")]
    a = agg.aggregate(onc, "oncogenicity")
    assert (a.classification, a.explanation) == ("Conflicting classifications of oncogenicity",
                                                 "Oncogenic(1); Uncertain significance(1)")
    assert [c.type for c in agg.conflicts(onc, "oncogenicity")] == ["P/LP vs VUS"]
    assert agg.conflicts([Scv("a", "Tier I - Strong", kind="somatic-clinical-impact"),
                          Scv("b", "Tier III - Unknown", kind="somatic-clinical-impact")],
                         "somatic-clinical-impact") == []


def test_normalize_term() -> None:
    assert agg.normalize_term("likely Pathogenic") == "Likely pathogenic"
    assert agg.normalize_term(" uncertain  significance ") == "Uncertain significance"
    assert agg.normalize_term("probable-pathogenic") == "Likely pathogenic"
    assert agg.normalize_term("Likely oncogenic", "oncogenicity") == "Likely oncogenic"
    assert agg.normalize_term("something new") == "something new"
    assert agg.term_group("something new") == "other"
