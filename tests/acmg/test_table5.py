"""Richards 2015 Table 5 (SPEC §4.2) with the ClinGen SVI changes (§4.4): every line, and the case just below it.

Counts are of criteria at their applied strength (PM2_Supporting is a supporting criterion, PP1_Strong a strong
one). Each case names the rule id that must fire, so a change of rule wording is a deliberate test change.
"""

from __future__ import annotations

import dataclasses

import pytest

from clingen_graph.acmg import (
    BENIGN,
    LIKELY_BENIGN,
    LIKELY_PATHOGENIC,
    PATHOGENIC,
    RULES_VERSION,
    VUS,
    Classification,
    classify,
    parse_codes,
)


def t5(codes: str) -> Classification:
    return classify(parse_codes(codes), rules="table5")


CASES = [
    # --- Pathogenic (i): 1 very strong AND ...
    ("PVS1, PS1", PATHOGENIC, "Table 5 P(i): very strong + >=1 strong"),
    ("PVS1, PM1, PM4", PATHOGENIC, "Table 5 P(i): very strong + >=2 moderate"),
    ("PVS1, PM1, PP3", PATHOGENIC, "Table 5 P(i): very strong + moderate + supporting"),
    ("PVS1, PP3, PP4", PATHOGENIC, "Table 5 P(i): very strong + >=2 supporting"),
    ("PVS1", VUS, "Table 5: no rule met -> VUS"),  # below (i)(a)-(d)
    ("PVS1, PP3", VUS, "Table 5: no rule met -> VUS"),  # below (i)(c)/(d): one supporting is not enough
    # --- Pathogenic (ii): >= 2 strong
    ("PS1, PS3", PATHOGENIC, "Table 5 P(ii): >=2 strong"),
    ("PS3, PP1_Strong", PATHOGENIC, "Table 5 P(ii): >=2 strong"),  # an upgraded criterion counts as strong
    ("PS1", VUS, "Table 5: no rule met -> VUS"),
    # --- Pathogenic (iii): 1 strong AND ...
    ("PS1, PM1, PM4, PM5", PATHOGENIC, "Table 5 P(iii): strong + >=3 moderate"),
    ("PS1, PM1, PM4, PP3, PP4", PATHOGENIC, "Table 5 P(iii): strong + 2 moderate + >=2 supporting"),
    ("PS1, PM1, PP1, PP2, PP3, PP4", PATHOGENIC, "Table 5 P(iii): strong + moderate + >=4 supporting"),
    ("PS1, PM1, PM4", LIKELY_PATHOGENIC, "Table 5 LP(ii): strong + 1-2 moderate"),  # below (iii)(a)
    ("PS1, PM1, PM4, PP3", LIKELY_PATHOGENIC, "Table 5 LP(ii): strong + 1-2 moderate"),  # below (iii)(b)
    ("PS1, PM1, PP1, PP2, PP3", LIKELY_PATHOGENIC, "Table 5 LP(ii): strong + 1-2 moderate"),  # below (iii)(c)
    # --- Likely pathogenic
    ("PVS1, PM1", LIKELY_PATHOGENIC, "Table 5 LP(i): very strong + moderate"),
    ("PS1, PM1", LIKELY_PATHOGENIC, "Table 5 LP(ii): strong + 1-2 moderate"),
    ("PS1, PP3, PP4", LIKELY_PATHOGENIC, "Table 5 LP(iii): strong + >=2 supporting"),
    ("PS1, PP3", VUS, "Table 5: no rule met -> VUS"),  # below LP(iii)
    ("PM1, PM2, PM4", LIKELY_PATHOGENIC, "Table 5 LP(iv): >=3 moderate"),
    ("PM1, PM4", VUS, "Table 5: no rule met -> VUS"),  # below LP(iv)
    ("PM1, PM4, PM2_Supporting", VUS, "Table 5: no rule met -> VUS"),  # PM2_Supporting is not a moderate
    ("PM1, PM4, PP3, PP4", LIKELY_PATHOGENIC, "Table 5 LP(v): 2 moderate + >=2 supporting"),
    ("PM1, PM4, PP3", VUS, "Table 5: no rule met -> VUS"),  # below LP(v)
    ("PM1, PP1, PP2, PP3, PP4", LIKELY_PATHOGENIC, "Table 5 LP(vi): moderate + >=4 supporting"),
    ("PM1, PP1, PP2, PP3", VUS, "Table 5: no rule met -> VUS"),  # below LP(vi); Exomiser's M=1+P>=3 is not ours
    ("PM1, PM2_Supporting, PP1, PP2, PP3", LIKELY_PATHOGENIC, "Table 5 LP(vi): moderate + >=4 supporting"),
    # --- ClinGen SVI: PVS1 + PM2_Supporting -> LP (9 points), only with PVS1 at very strong
    ("PVS1, PM2_Supporting", LIKELY_PATHOGENIC, "SVI: PVS1 + PM2_Supporting -> LP"),
    ("PVS1_Strong, PM2_Supporting", VUS, "Table 5: no rule met -> VUS"),
    ("PVS1, PP3", VUS, "Table 5: no rule met -> VUS"),  # the SVI rule names PM2_Supporting, not any supporting
    ("PVS1, PM2", LIKELY_PATHOGENIC, "Table 5 LP(i): very strong + moderate"),
    ("PVS1, PM2_Supporting, PP3", PATHOGENIC, "Table 5 P(i): very strong + >=2 supporting"),
    # --- Benign
    ("BA1", BENIGN, "Table 5 B(i): BA1 stand-alone"),
    ("BA1, BP4", BENIGN, "Table 5 B(i): BA1 stand-alone"),
    ("BS1, BS2", BENIGN, "Table 5 B(ii): >=2 strong benign"),
    ("BS1, BP7_Strong", BENIGN, "Table 5 B(ii): >=2 strong benign"),  # upgraded BP counts as strong
    ("BS1", VUS, "Table 5: no rule met -> VUS"),  # below B(ii) and LB(i)
    ("BS2_Stand Alone", BENIGN, "Table 5 B(i): BS2 stand-alone"),
    # --- Likely benign
    ("BS1, BP4", LIKELY_BENIGN, "Table 5 LB(i): strong benign + supporting benign"),
    ("BP4, BP7", LIKELY_BENIGN, "Table 5 LB(ii): >=2 supporting benign"),
    ("BS1_Supporting, BP4", LIKELY_BENIGN, "Table 5 LB(ii): >=2 supporting benign"),  # downgraded BS
    ("BP4", VUS, "Table 5: no rule met -> VUS"),  # below LB(ii)
    ("BS1_Supporting", VUS, "Table 5: no rule met -> VUS"),
    # benign moderate / very strong (not in Table 5): counted as supporting / strong, never more
    ("BS3_Moderate, BP4", LIKELY_BENIGN, "Table 5 LB(ii): >=2 supporting benign"),
    ("BS3_Moderate", VUS, "Table 5: no rule met -> VUS"),
    ("BS1, BP5_VeryStrong", BENIGN, "Table 5 B(ii): >=2 strong benign"),
    # --- both sides met: contradictory -> VUS; one side only: that side
    ("PVS1, PS1, BA1", VUS, "contradictory evidence -> VUS"),
    ("PS1, PS3, BP4, BP7", VUS, "contradictory evidence -> VUS"),
    ("PM1, PM2, PM4, BS1, BP4", VUS, "contradictory evidence -> VUS"),
    ("PS1, PS3, BP4", PATHOGENIC, "Table 5 P(ii): >=2 strong"),  # one BP meets no benign line
    ("BS1, BS2, PP3", BENIGN, "Table 5 B(ii): >=2 strong benign"),  # one PP meets no pathogenic line
    ("PM2_Supporting, BP4, BP7", LIKELY_BENIGN, "Table 5 LB(ii): >=2 supporting benign"),
    # --- nothing
    ("", VUS, "Table 5: no rule met -> VUS"),
]


@pytest.mark.parametrize(("codes", "expected", "rule"), CASES, ids=[c[0] or "none" for c in CASES])
def test_table5(codes: str, expected: str, rule: str) -> None:
    result = t5(codes)
    assert (result.classification, result.rule) == (expected, rule), result.explanation
    assert result.rule_set == "table5" and result.rules_version == RULES_VERSION
    assert result.explanation.endswith(".")


def test_two_very_strong_is_not_a_table5_line_but_the_explanation_says_what_points_would_give() -> None:
    """Richards has no line for 2 very strong criteria (upgraded PM3/PS2): plain Table 5 stays VUS, and says so."""
    result = t5("PVS1, PM3_VeryStrong")
    assert result.classification == VUS and result.points == 16
    assert "Tavtigian point total +16 would be Pathogenic" in result.explanation


def test_counted_points_and_explanation() -> None:
    result = t5("PS3, PM3, PP4_Moderate, PM2")
    assert result.counted == ("PS3", "PM2", "PM3", "PP4_Moderate")  # ACMG order, SVI labels
    assert result.points == 4 + 2 + 2 + 2
    assert result.rule == "Table 5 P(iii): strong + >=3 moderate"
    assert "1 strong, 3 moderate" in result.explanation


@pytest.mark.parametrize(("codes", "without", "retired"), [
    ("PS1, PS3, PP5", "PS1, PS3", "PP5"),
    ("PVS1, PP3, PP5", "PVS1, PP3", "PP5"),  # would be P(i)(d) if PP5 counted
    ("BP4, BP6", "BP4", "BP6"),  # would be LB(ii) if BP6 counted
    ("PM1, PM4, PP3, PP5", "PM1, PM4, PP3", "PP5"),
])
def test_pp5_and_bp6_are_not_counted_and_the_explanation_says_so(codes: str, without: str, retired: str) -> None:
    result, reference = t5(codes), t5(without)
    assert (result.classification, result.rule, result.points) == (
        reference.classification, reference.rule, reference.points)
    assert retired not in result.counted
    assert f"{retired} not counted: retired by ClinGen SVI" in result.explanation


def test_order_and_spelling_do_not_matter() -> None:
    a = classify(parse_codes("PM2_Supporting, PVS1"))
    b = classify(parse_codes("pvs1; pm2-supporting"))
    assert a == b


def test_classification_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        t5("PVS1").classification = "Pathogenic"  # type: ignore[misc]


def test_unknown_rule_set() -> None:
    with pytest.raises(ValueError, match="unknown rule set"):
        classify([], rules="richards")  # type: ignore[arg-type]
