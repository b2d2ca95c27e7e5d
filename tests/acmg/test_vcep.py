"""Expert-panel rule sets (acmg.VCEP_RULES), each pinned with a real ERepo row that plain Table 5 gets wrong.

Rows are from ``tests/fixtures/clingen_erepo/clingen_erepo_2024-04.tsv`` and
``clingen_erepo_summary_strengths_2024-04.tsv`` (see the README there for the source lines); the expected class
is the panel's own classification in that row.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clingen_graph import acmg
from clingen_graph.acmg import RuleSet, classify, parse_codes, vcep_rule
from clingen_graph.ingest.clingen_erepo import ErepoRecord, parse

FIXTURE = "clingen_erepo/clingen_erepo_2024-04.tsv"
STRENGTHS = "clingen_erepo/clingen_erepo_summary_strengths_2024-04.tsv"

# (fixture line, panel, rule that must fire) — for rows where the panel's rule set, not plain Table 5, gives the
# expert's class.
VCEP_ROWS = [
    (3, "Phenylketonuria VCEP", "VCEP: >=2 very strong -> P"),
    (7, "Cardiomyopathy VCEP", "VCEP: BS1 alone -> LB"),
    (8, "RASopathy VCEP", "VCEP: BS1 alone -> LB"),
    (9, "CDH1 VCEP", "VCEP: BS2 alone -> LB"),
    (11, "Hearing Loss VCEP", "VCEP: pathogenic evidence outweighs BA1 (VCEP: >=2 very strong -> P)"),
    (12, "Hearing Loss VCEP", "VCEP: very strong + >=1 supporting -> LP"),
    (13, "PTEN VCEP", "VCEP: conflicting evidence -> points: 0 to 5 -> VUS"),
    (14, "PTEN VCEP", "VCEP: BS1 alone -> LB"),
    (15, "Myeloid Malignancy VCEP", "VCEP: BS1 alone -> LB"),
    (17, "CDH1 VCEP", "VCEP: conflicting evidence -> points: -6 to -1 -> LB"),
    (18, "Lysosomal Diseases VCEP", "VCEP: >=2 very strong -> P"),
    (19, "Malignant Hyperthermia Susceptibility VCEP", "points: <=-7 -> B"),
    (20, "Rett and Angelman-like Disorders VCEP", "VCEP: >=2 very strong -> P"),
    (21, "Brain Malformations VCEP", "points: -6 to -1 -> LB"),
    (25, "DICER1 and miRNA-Processing Gene VCEP", "VCEP: conflicting evidence -> points: -6 to -1 -> LB"),
    (27, "Glaucoma VCEP", "points: -6 to -2 -> LB"),
    (28, "InSiGHT Hereditary Colorectal Cancer/Polyposis VCEP", "VCEP: conflicting evidence -> points: 0 to 5 -> VUS"),
    (29, "Hereditary Breast, Ovarian and Pancreatic Cancer VCEP", "VCEP: very strong + >=1 supporting -> LP"),
    (30, "ENIGMA BRCA1 and BRCA2 VCEP", "VCEP: BP1 alone -> LB"),
    (32, "Rett and Angelman-like Disorders VCEP", "VCEP: BS2 alone -> LB"),
    (34, "Severe Combined Immunodeficiency Disease VCEP", "VCEP: BS2 alone -> LB"),
    (35, "Thrombosis VCEP", "VCEP: conflicting evidence -> points: -6 to -1 -> LB"),
    (36, "Leber Congenital Amaurosis/early onset Retinal Dystrophy VCEP", "VCEP: BS1 alone -> LB"),
    (37, "Hereditary Hemorrhagic Telangiectasia VCEP", "VCEP: BS1 alone -> LB"),
]


@pytest.fixture(scope="module")
def rows(fixtures_dir: Path) -> dict[int, ErepoRecord]:
    return {r.line: r for r in parse(fixtures_dir / FIXTURE) if isinstance(r, ErepoRecord)}


@pytest.mark.parametrize(("line", "panel", "rule"), VCEP_ROWS, ids=[f"{p}:{n}" for n, p, _ in VCEP_ROWS])
def test_vcep_rule_on_a_real_row(rows: dict[int, ErepoRecord], line: int, panel: str, rule: str) -> None:
    rec = rows[line]
    assert rec.expert_panel == panel
    ours = classify(rec.met, rules="vcep", expert_panel=rec.expert_panel, guideline=rec.guideline)
    plain = classify(rec.met, rules="table5")
    assert (ours.classification, ours.rule) == (rec.classification, rule), ours.explanation
    assert plain.classification != rec.classification  # the panel rule is what makes the difference
    assert ours.rule_set == acmg.VCEP_RULES[panel].name
    assert acmg.VCEP_RULES[panel].source in ours.explanation


@pytest.mark.parametrize(("line", "panel", "counted"), [
    (9, "ENIGMA BRCA1 and BRCA2 VCEP", ["PP4_VeryStrong", "PVS1"]),  # 'PVS1 (RNA), PP4_Very strong'
    (11, "InSiGHT Hereditary Colorectal Cancer/Polyposis VCEP", ["PVS1", "PM6_VeryStrong", "PS4_VeryStrong"]),
])
def test_two_very_strong_once_the_summary_strength_is_restored(fixtures_dir: Path, line: int, panel: str,
                                                              counted: list[str]) -> None:
    """The export writes PP4_Strong / PM6_Strong, PS4; the summary's very strong codes make two very strong, which
    Table 5 has no line for (VUS) and the panel classifies Pathogenic."""
    rec = next(r for r in parse(fixtures_dir / STRENGTHS) if isinstance(r, ErepoRecord) and r.line == line)
    assert (rec.expert_panel, rec.classification) == (panel, acmg.PATHOGENIC)
    assert [c.label for c in rec.met] == counted
    ours = classify(rec.met, rules="vcep", expert_panel=rec.expert_panel, guideline=rec.guideline)
    assert (ours.classification, ours.rule) == (acmg.PATHOGENIC, "VCEP: >=2 very strong -> P")
    assert classify(rec.met, rules="table5").classification == acmg.VUS
    as_written = classify(parse_codes(rec.met_as_written), rules="vcep", expert_panel=rec.expert_panel)
    assert as_written.classification == acmg.PATHOGENIC  # PVS1 + strong: restoring changes the rule, not the class


def test_every_vcep_rule_set_is_pinned_by_a_row() -> None:
    assert {p for _, p, _ in VCEP_ROWS} == set(acmg.VCEP_RULES)


def test_every_vcep_rule_set_cites_its_specification_and_the_data() -> None:
    for name, rule in acmg.VCEP_RULES.items():
        assert rule.source and rule.evidence, name
        assert rule.name.startswith("vcep:")


def test_rows_that_plain_table5_already_gets_right_stay_right(rows: dict[int, ErepoRecord]) -> None:
    for rec in rows.values():
        ours = classify(rec.met, rules="vcep", expert_panel=rec.expert_panel, guideline=rec.guideline)
        assert ours.classification == rec.classification, (rec.line, ours.explanation)


def test_bs1_alone_needs_no_pathogenic_evidence_for_myeloid_malignancy(rows: dict[int, ErepoRecord]) -> None:
    """RUNX1: 'likely benign based on BS1 alone with no contradictory evidence'; BS1 + PP3 stays VUS."""
    rec = rows[16]
    assert [c.label for c in rec.met] == ["BS1", "PP3"] and rec.classification == acmg.VUS
    assert classify(rec.met, rules="vcep", expert_panel=rec.expert_panel).classification == acmg.VUS


def test_glaucoma_bands_put_minus_one_in_vus(rows: dict[int, ErepoRecord]) -> None:
    # Met column 'PM2_Supporting, BS3_Supporting'; the summary applies BS3_Moderate (the export has no benign
    # moderate) and 'met the criteria to receive a score of -1 … (uncertain significance classification range -1 to 5)'
    rec = rows[24]
    assert [c.label for c in rec.met] == ["PM2_Supporting", "BS3_Moderate"]
    result = classify(rec.met, rules="vcep", expert_panel=rec.expert_panel)
    assert (result.points, result.classification) == (-1, acmg.VUS)
    as_written = classify(parse_codes(rec.met_as_written), rules="vcep", expert_panel=rec.expert_panel)
    assert (as_written.points, as_written.classification) == (0, acmg.VUS)
    bp4 = classify(parse_codes("BP4"), rules="vcep", expert_panel="Glaucoma VCEP")
    assert (bp4.points, bp4.classification, bp4.rule) == (-1, acmg.VUS, "points: -1 to 5 -> VUS")
    assert classify(parse_codes("BP4"), rules="points").classification == acmg.LIKELY_BENIGN


def test_brain_malformations_counts_ba1_as_minus_eight(rows: dict[int, ErepoRecord]) -> None:
    rec = rows[21]  # BA1, PM1_Supporting, PP2: '-6 points' in the summary
    result = classify(rec.met, rules="vcep", expert_panel=rec.expert_panel)
    assert result.points == -6 and "-6 points" in rec.summary


def test_lookup_by_panel_name_is_forgiving_and_falls_back_to_table5() -> None:
    scid = acmg.VCEP_RULES["Severe Combined Immunodeficiency Disease VCEP"]
    assert vcep_rule(expert_panel="Severe Combined Immunodeficiency Disease  VCEP") is scid  # as the ERepo spells it
    assert vcep_rule(expert_panel="severe combined immunodeficiency disease vcep") is scid
    assert vcep_rule(expert_panel="Platelet Disorders VCEP") is None
    assert vcep_rule() is None
    result = classify(parse_codes("BS1"), rules="vcep", expert_panel="Platelet Disorders VCEP")
    assert (result.rule_set, result.classification) == ("table5", acmg.VUS)


def test_lookup_by_guideline_url() -> None:
    url = "https://www.clinicalgenome.org/affiliation/50034/docs/assertion-criteria "  # trailing blank as in the file
    assert vcep_rule(guideline=url) is acmg.VCEP_RULES["Myeloid Malignancy VCEP"]
    assert vcep_rule(guideline=url.strip() + "/") is acmg.VCEP_RULES["Myeloid Malignancy VCEP"]
    assert vcep_rule(guideline="https://example.org/spec") is None


def test_a_custom_rule_set() -> None:
    mine = RuleSet("test:bs-alone", strong_benign_lb=frozenset({"BS1"}), source="a test")
    assert classify(parse_codes("BS1"), rules=mine).classification == acmg.LIKELY_BENIGN
    assert classify(parse_codes("BS2"), rules=mine).classification == acmg.VUS
    with pytest.raises(ValueError, match="already registered"):
        classify([], rules=RuleSet("test:bs-alone", method="points"))


def test_the_rule_sets_apply_only_to_their_panel() -> None:
    """The same criteria give different classes under different panels, by their specifications."""
    bs1 = parse_codes("BS1")
    assert classify(bs1, rules="vcep", expert_panel="RASopathy VCEP").classification == acmg.LIKELY_BENIGN
    assert classify(bs1, rules="vcep", expert_panel="Monogenic Diabetes VCEP").classification == acmg.VUS
    bs2 = parse_codes("BS2")
    assert classify(bs2, rules="vcep", expert_panel="RASopathy VCEP").classification == acmg.VUS  # only BS1 there


def test_default_rules_follow_the_panel_when_one_is_given() -> None:
    bs1 = parse_codes("BS1")
    assert classify(bs1).rule_set == "table5"
    assert classify(bs1, expert_panel="RASopathy VCEP").classification == acmg.LIKELY_BENIGN
    assert classify(bs1, rules="table5", expert_panel="RASopathy VCEP").classification == acmg.VUS
