"""ACMG criterion codes: every spelling the ClinGen ERepo uses, other spellings seen in ClinGen prose, and the
codes/strengths that must be refused."""

from __future__ import annotations

import dataclasses
import gzip
import re

import pytest

from clingen_graph import acmg
from clingen_graph.acmg import Criterion, CriterionError, parse_codes, parse_criterion
from clingen_graph.resources import data_dir

EREPO = data_dir() / "clingen" / "clingen_erepo_vcep_interpretations_2024-04.shared.tsv.gz"

# Every distinct spelling (after stripping the blank that follows each comma) in the two code columns of the
# bundled ERepo export, with what it must mean.
EREPO_SPELLINGS = {
    "PVS1": ("very strong", False), "PVS1_Strong": ("strong", True), "PVS1_Moderate": ("moderate", True),
    "PVS1_Supporting": ("supporting", True),
    "PS1": ("strong", False), "PS1_Moderate": ("moderate", True), "PS1_Supporting": ("supporting", True),
    "PS2": ("strong", False), "PS2_Very Strong": ("very strong", True), "PS2_Moderate": ("moderate", True),
    "PS2_Supporting": ("supporting", True),
    "PS3": ("strong", False), "PS3_Moderate": ("moderate", True), "PS3_Supporting": ("supporting", True),
    "PS4": ("strong", False), "PS4_Moderate": ("moderate", True), "PS4_Supporting": ("supporting", True),
    "PM1": ("moderate", False), "PM1_Strong": ("strong", True), "PM1_Supporting": ("supporting", True),
    "PM2": ("moderate", False), "PM2_Supporting": ("supporting", True),
    "PM3": ("moderate", False), "PM3_Very Strong": ("very strong", True), "PM3_Strong": ("strong", True),
    "PM3_Supporting": ("supporting", True),
    "PM4": ("moderate", False), "PM4_Strong": ("strong", True), "PM4_Supporting": ("supporting", True),
    "PM5": ("moderate", False), "PM5_Strong": ("strong", True), "PM5_Supporting": ("supporting", True),
    "PM6": ("moderate", False), "PM6_Strong": ("strong", True), "PM6_Supporting": ("supporting", True),
    "PP1": ("supporting", False), "PP1_Strong": ("strong", True), "PP1_Moderate": ("moderate", True),
    "PP2": ("supporting", False),
    "PP3": ("supporting", False), "PP3_Moderate": ("moderate", True),
    "PP4": ("supporting", False), "PP4_Strong": ("strong", True), "PP4_Moderate": ("moderate", True),
    "BA1": ("standalone", False),
    "BS1": ("strong", False), "BS1_Supporting": ("supporting", True),
    "BS2": ("strong", False), "BS2_Supporting": ("supporting", True), "BS2_Stand Alone": ("standalone", True),
    "BS3": ("strong", False), "BS3_Supporting": ("supporting", True),
    "BS4": ("strong", False), "BS4_Supporting": ("supporting", True),
    "BP1": ("supporting", False), "BP1_Strong": ("strong", True),
    "BP2": ("supporting", False), "BP2_Strong": ("strong", True),
    "BP3": ("supporting", False), "BP4": ("supporting", False),
    "BP5": ("supporting", False), "BP5_Strong": ("strong", True),
    "BP7": ("supporting", False), "BP7_Strong": ("strong", True),
}


@pytest.mark.parametrize(("token", "expected"), sorted(EREPO_SPELLINGS.items()))
def test_every_erepo_spelling(token: str, expected: tuple[str, bool]) -> None:
    for written in (token, f" {token}", f"{token} "):  # the export puts a blank after each comma
        c = parse_criterion(written)
        assert (c.code, c.strength, c.modified) == (token.split("_")[0], *expected)
        assert c.direction == ("pathogenic" if token.startswith("P") else "benign")


def test_the_table_above_is_every_spelling_in_the_bundled_file() -> None:
    """Reads both code columns of the whole export: nothing unknown, nothing the table misses."""
    seen: set[str] = set()
    with gzip.open(EREPO, "rt", encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split("\t")
        met, not_met = header.index("Applied Evidence Codes (Met)"), header.index("Applied Evidence Codes (Not Met)")
        for line in fh:
            fields = line.rstrip("\n").split("\t")
            for cell in (fields[met], fields[not_met]):
                seen.update(t.strip() for t in cell.split(",") if t.strip())
                parse_codes(cell)  # raises on any bad token
    assert seen == set(EREPO_SPELLINGS)


@pytest.mark.parametrize(("token", "code", "strength"), [
    ("pm2_supporting", "PM2", "supporting"), ("PM2-Supporting", "PM2", "supporting"),
    ("PM2 Supporting", "PM2", "supporting"), ("  PM2_Supporting  ", "PM2", "supporting"),
    ("PM2_supporting", "PM2", "supporting"), ("PM2_P", "PM2", "supporting"), ("PS3_P", "PS3", "supporting"),
    ("PS2_M", "PS2", "moderate"), ("PM3_VS", "PM3", "very strong"), ("PM3_VeryStrong", "PM3", "very strong"),
    ("PM3_very_strong", "PM3", "very strong"), ("PM3_Very-Strong", "PM3", "very strong"),
    ("PM3_Very  Strong", "PM3", "very strong"), ("PP1_S", "PP1", "strong"), ("pvs1", "PVS1", "very strong"),
    ("PVS1_VeryStrong", "PVS1", "very strong"), ("BA1_Stand Alone", "BA1", "standalone"),
    ("BA1_Stand-Alone", "BA1", "standalone"), ("BA1_standalone", "BA1", "standalone"),
    ("BS3_Moderate", "BS3", "moderate"), ("BS2_Moderate", "BS2", "moderate"),
    ("BP5_Very strong", "BP5", "very strong"), ("bp4", "BP4", "supporting"),
])
def test_other_spellings(token: str, code: str, strength: str) -> None:
    c = parse_criterion(token)
    assert (c.code, c.strength) == (code, strength)
    assert c.raw == token  # kept as written


@pytest.mark.parametrize(("token", "needle"), [
    ("PX9", "unknown ACMG criterion code 'PX9'"),
    ("PS5", "unknown ACMG criterion code 'PS5'"),
    ("PP6", "unknown ACMG criterion code 'PP6'"),
    ("BA2", "unknown ACMG criterion code 'BA2'"),
    ("BA1_Supporting", "BA1 cannot be applied at supporting"),
    ("BA1_Strong", "BA1 cannot be applied at strong"),
    ("PVS1_Standalone", "PVS1 cannot be applied at standalone"),
    ("PM2_Stand Alone", "PM2 cannot be applied at standalone"),
    ("BP4_Stand Alone", "BP4 cannot be applied at standalone"),
    ("BS1_Standalone", "BS1 cannot be applied at standalone"),
    ("PS3_Weak", "unknown strength 'Weak'"),
    ("PM2_Supporting_Strong", "unknown strength"),
    ("XYZ", "is not an ACMG criterion"),
    ("P M 2", "is not an ACMG criterion"),
    ("", "empty criterion code"),
    ("   ", "empty criterion code"),
])
def test_refused(token: str, needle: str) -> None:
    with pytest.raises(CriterionError, match=re.escape(needle)):
        parse_criterion(token)


def test_criterion_error_is_a_value_error() -> None:
    assert issubclass(CriterionError, ValueError)


def test_allowed_strengths_are_documented_choices() -> None:
    assert acmg.ALLOWED_STRENGTHS["BA1"] == {"standalone"}
    assert "standalone" in acmg.ALLOWED_STRENGTHS["BS2"]
    for code in acmg.CODES:
        if code.startswith("P"):
            assert acmg.ALLOWED_STRENGTHS[code] == {"very strong", "strong", "moderate", "supporting"}
        elif code not in ("BA1", "BS2"):
            assert "standalone" not in acmg.ALLOWED_STRENGTHS[code]
    assert len(acmg.CODES) == 28


def test_label_points_and_equality() -> None:
    pm2 = parse_criterion("PM2_Supporting")
    assert pm2.label == "PM2_Supporting" and str(pm2) == "PM2_Supporting" and pm2.points == 1
    assert parse_criterion("PM2").label == "PM2" and parse_criterion("PM2").points == 2
    assert parse_criterion("PM3_Very Strong").label == "PM3_VeryStrong"
    assert parse_criterion("PVS1").points == 8 and parse_criterion("BS1").points == -4
    assert parse_criterion("BP4").points == -1 and parse_criterion("BA1").points == 0
    assert parse_criterion("BS2_Stand Alone").label == "BS2_Standalone"
    # the spelling is kept but does not make two criteria different
    assert parse_criterion("PM2_Supporting") == parse_criterion("pm2 supporting")
    assert hash(parse_criterion("PM2_Supporting")) == hash(parse_criterion("PM2-Supporting"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        pm2.strength = "strong"  # type: ignore[misc]


def test_parse_codes() -> None:
    assert [c.label for c in parse_codes("PS3, PM3, PP4_Moderate, PM2")] == ["PS3", "PM3", "PP4_Moderate", "PM2"]
    assert [c.label for c in parse_codes("PVS1;PM2_Supporting")] == ["PVS1", "PM2_Supporting"]
    assert [c.label for c in parse_codes(" PS3 ,, PM3, ")] == ["PS3", "PM3"]
    assert parse_codes("") == [] and parse_codes("   ") == [] and parse_codes(None) == []
    assert [c.raw for c in parse_codes("PS3, PM3")] == ["PS3", "PM3"]


def test_parse_codes_names_the_bad_token_and_refuses_a_repeat() -> None:
    with pytest.raises(CriterionError, match="'PX9'"):
        parse_codes("PS3, PX9, PM2")
    with pytest.raises(CriterionError, match="PM2 is applied more than once"):
        parse_codes("PM2, PS3, PM2_Supporting")


def test_criterion_is_a_plain_value() -> None:
    c = Criterion("PM2", "supporting", "pathogenic", True, "x")
    assert c == parse_criterion("PM2_Supporting")
