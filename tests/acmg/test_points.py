"""Tavtigian point scale (SPEC §4.3): +1/+2/+4/+8 pathogenic, -1/-2/-4/-8 benign; bands at 10, 6, 0, -1, -7."""

from __future__ import annotations

import pytest

from clingen_graph.acmg import (
    BENIGN,
    LIKELY_BENIGN,
    LIKELY_PATHOGENIC,
    PATHOGENIC,
    VUS,
    classify,
    parse_codes,
)

THRESHOLDS = [
    ("PVS1, PM1", 10, PATHOGENIC, "points: >=10 -> P"),
    ("PVS1, PP3", 9, LIKELY_PATHOGENIC, "points: 6 to 9 -> LP"),
    ("PS1, PM1", 6, LIKELY_PATHOGENIC, "points: 6 to 9 -> LP"),
    ("PS1, PP3", 5, VUS, "points: 0 to 5 -> VUS"),
    ("PP3, BP4", 0, VUS, "points: 0 to 5 -> VUS"),
    ("", 0, VUS, "points: 0 to 5 -> VUS"),
    ("BP4", -1, LIKELY_BENIGN, "points: -6 to -1 -> LB"),
    ("BS1, BP4, BP7", -6, LIKELY_BENIGN, "points: -6 to -1 -> LB"),
    ("BS1, BP1, BP4, BP7", -7, BENIGN, "points: <=-7 -> B"),
    ("BP5_VeryStrong", -8, BENIGN, "points: <=-7 -> B"),
    ("PVS1, PM3_VeryStrong", 16, PATHOGENIC, "points: >=10 -> P"),
    ("PVS1_Supporting, PS3_Moderate, PM2_Supporting, PP1_Strong", 8, LIKELY_PATHOGENIC, "points: 6 to 9 -> LP"),
    ("PS1, PS3, BS1", 4, VUS, "points: 0 to 5 -> VUS"),  # both directions simply add up
]


@pytest.mark.parametrize(("codes", "total", "expected", "rule"), THRESHOLDS, ids=[t[0] or "none" for t in THRESHOLDS])
def test_point_thresholds(codes: str, total: int, expected: str, rule: str) -> None:
    result = classify(parse_codes(codes), rules="points")
    assert (result.points, result.classification, result.rule) == (total, expected, rule)
    assert result.rule_set == "points"
    assert f"{total:+d}" in result.explanation


def test_ba1_is_stand_alone_on_the_point_scale() -> None:
    result = classify(parse_codes("BA1, PVS1, PS1"), rules="points")
    assert (result.classification, result.rule) == (BENIGN, "BA1 stand-alone")
    assert result.points == 12  # BA1 itself carries no points


def test_retired_codes_carry_no_points() -> None:
    result = classify(parse_codes("PVS1, PM2_Supporting, PP5"), rules="points")
    assert (result.points, result.classification) == (9, LIKELY_PATHOGENIC)
    assert "PP5 not counted" in result.explanation


def test_table5_and_points_report_the_same_total() -> None:
    for codes in ("PVS1, PM2_Supporting", "PS3, PM3, PP4_Moderate, PM2", "BS1, BP4"):
        assert classify(parse_codes(codes)).points == classify(parse_codes(codes), rules="points").points
