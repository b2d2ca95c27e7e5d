"""`clingen-graph classify`: one set of criteria (--codes) or a whole ERepo file (--erepo)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from clingen_graph.cli import app

runner = CliRunner()
FIXTURE = "clingen_erepo/clingen_erepo_2024-04.tsv"


def test_help() -> None:
    r = runner.invoke(app, ["classify", "--help"])
    assert r.exit_code == 0
    for word in ("--codes", "--erepo", "--rules", "--panel", "--format", "--show", "agreement: N/M (P%)"):
        assert word in r.output
    assert "classify" in runner.invoke(app, ["--help"]).output


def test_codes_text() -> None:
    r = runner.invoke(app, ["classify", "--codes", "PVS1,PM2_Supporting"])
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0] == "classification: Likely pathogenic"
    assert lines[1] == "rule:           SVI: PVS1 + PM2_Supporting -> LP"
    assert lines[2] == "points:         +9"
    assert lines[3] == "counted:        PVS1, PM2_Supporting"
    assert lines[4].startswith("explanation:    Likely pathogenic by SVI")
    assert lines[5] == "rules:          table5 (clingen-graph-acmg-1)"


def test_codes_json_and_rule_sets() -> None:
    r = runner.invoke(app, ["classify", "--codes", "PS3, PM3, PP4_Moderate, PM2, PP5", "--format", "json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert (out["classification"], out["rule"], out["points"]) == (
        "Pathogenic", "Table 5 P(iii): strong + >=3 moderate", 10)
    assert out["counted"] == ["PS3", "PM2", "PM3", "PP4_Moderate"]
    assert "PP5 not counted" in out["explanation"]
    assert [c["label"] for c in out["criteria"]] == ["PS3", "PM3", "PP4_Moderate", "PM2", "PP5"]
    r = runner.invoke(app, ["classify", "--codes", "BP4", "--rules", "points", "-f", "json"])
    assert json.loads(r.stdout)["classification"] == "Likely benign"
    r = runner.invoke(app, ["classify", "--codes", "BS1", "--panel", "RASopathy VCEP", "-f", "json"])
    assert (json.loads(r.stdout)["classification"], json.loads(r.stdout)["rule_set"]) == ("Likely benign",
                                                                                           "vcep:RASopathy")


def test_bad_codes_and_options_exit_2() -> None:
    r = runner.invoke(app, ["classify", "--codes", "PS3, PX9"])
    assert r.exit_code == 2 and "unknown ACMG criterion code 'PX9'" in r.output
    r = runner.invoke(app, ["classify", "--codes", "BA1_Supporting"])
    assert r.exit_code == 2 and "BA1 cannot be applied at supporting" in r.output
    assert runner.invoke(app, ["classify"]).exit_code == 2
    assert runner.invoke(app, ["classify", "--codes", "PS3", "--erepo", "x.tsv"]).exit_code == 2
    assert runner.invoke(app, ["classify", "--codes", "PS3", "--rules", "acmg"]).exit_code == 2
    assert runner.invoke(app, ["classify", "--codes", "PS3", "--format", "xml"]).exit_code == 2
    assert runner.invoke(app, ["classify", "--erepo", "/no/such/file.tsv"]).exit_code == 2


def test_erepo_all_agree(fixtures_dir: Path) -> None:
    r = runner.invoke(app, ["classify", "--erepo", str(fixtures_dir / FIXTURE)])
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[-1] == "agreement: 36/36 (100.00%)"
    assert "CDH1 VCEP" in r.stdout and "vcep:CDH1" in r.stdout
    assert "disagreements" not in r.stdout


def test_erepo_disagreements_are_explained_and_capped(fixtures_dir: Path, edit_line) -> None:
    src = fixtures_dir / FIXTURE
    lines = src.read_bytes().split(b"\n")
    path = src
    for n in (8, 9):  # RASopathy BS1 and CDH1 BS2: make the expert say Benign
        fields = lines[n - 1].split(b"\t")
        fields[8] = b"Benign"
        path = edit_line(path, n, b"\t".join(fields))
    r = runner.invoke(app, ["classify", "--erepo", str(path), "--show", "1"])
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert "disagreements (2):" in out
    assert "clingen_erepo_2024-04.tsv:8  NM_005633.3(SOS1):c.2156G>C (p.Gly719Ala)  [RASopathy VCEP]" in out
    assert "expert: Benign  ours: Likely benign  by VCEP: BS1 alone -> LB" in out
    assert "... and 1 more disagreement(s); use --show 2 to list them all" in out
    assert out.splitlines()[-1] == "agreement: 34/36 (94.44%)"
    r = runner.invoke(app, ["classify", "--erepo", str(path), "--rules", "table5", "--show", "0"])
    assert r.stdout.splitlines()[-1].startswith("agreement: ") and "(100.00%)" not in r.stdout


def test_erepo_json(fixtures_dir: Path) -> None:
    r = runner.invoke(app, ["classify", "--erepo", str(fixtures_dir / FIXTURE), "--rules", "table5", "-f", "json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["agreement"]["rows"] == 36 and out["agreement"]["agree"] < 36
    assert len(out["disagreements"]) == 36 - out["agreement"]["agree"]
    assert {"line", "uuid", "expert", "ours", "rule", "explanation", "notes"} <= set(out["disagreements"][0])
    assert sum(p["rows"] for p in out["panels"]) == 36


def test_erepo_rejected_rows_are_reported_not_compared(fixtures_dir: Path, edit_line) -> None:
    src = fixtures_dir / FIXTURE
    fields = src.read_bytes().split(b"\n")[1].split(b"\t")
    fields[9] = b"PS3, PX9"
    path = edit_line(src, 2, b"\t".join(fields))
    r = runner.invoke(app, ["classify", "--erepo", str(path)])
    assert r.exit_code == 0
    assert "1 row(s) rejected, not compared" in r.stderr and ":2: reject:" in r.stderr
    assert r.stdout.splitlines()[-1] == "agreement: 35/35 (100.00%)"
