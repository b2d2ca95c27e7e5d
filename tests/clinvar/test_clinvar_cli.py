"""``clingen-graph aggregate``: our aggregate next to ClinVar's, per VCV, ending with ``agreement: N/M``."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from clingen_graph.cli import app

from .conftest import CLINVAR, EDITED, SAMPLES, build_release, edit

runner = CliRunner()


def test_help() -> None:
    r = runner.invoke(app, ["aggregate", "--help"])
    assert r.exit_code == 0
    assert "agreement: N/M" in r.output and ".xml.gz" in r.output
    assert "aggregate" in runner.invoke(app, ["--help"]).output


def test_samples_all_agree() -> None:
    r = runner.invoke(app, ["aggregate", *map(str, SAMPLES)])
    assert r.exit_code == 0, r.output
    lines = r.output.rstrip("\n").split("\n")
    assert lines[-1] == "agreement: 11/11"
    assert not any(line.startswith("  !") for line in lines)
    kras = r.output[r.output.index("VCV000177881.29"):]
    assert kras.split("\n")[1].startswith("  = germline")
    assert "Conflicting classifications of pathogenicity | criteria provided, conflicting classifications | 1*" in kras
    assert "conflict: P/LP vs VUS (in ClinVar's aggregate tier)" in kras
    assert "VCV000013961.132  BRAF" in r.output and "= somatic-clinical-impact" in r.output


def test_release_file_gz_and_a_difference(tmp_path: Path) -> None:
    release = build_release(tmp_path / "ClinVarVCVRelease_2024-09.xml.gz", 22, gz=True)
    differing = edit(CLINVAR / "VCV000000002.xml", tmp_path / "VCV000000002.xml",
                     r"(<ReviewStatus>criteria provided, single submitter</ReviewStatus>\s*)"
                     r"<GermlineClassification>Pathogenic</GermlineClassification>", r"\1")
    r = runner.invoke(app, ["aggregate", str(release), str(differing), "--only-differences"])
    assert r.exit_code == 0, r.output
    assert r.output.rstrip("\n").split("\n")[-1] == "agreement: 22/23"
    assert r.output.count("VCV000000002.3") == 1  # only the differing record is printed
    assert "  ! germline                 ours:    Pathogenic | no assertion criteria provided | 0*" in r.output


def test_expert_panel_fixture() -> None:
    r = runner.invoke(app, ["aggregate", str(EDITED / "VCV000177881_edited_expert_panel.xml")])
    assert r.exit_code == 0
    assert "conflict: expert panel vs other submitters" in r.output
    assert r.output.rstrip("\n").endswith("agreement: 1/1")


def test_unreadable_files_exit_1(tmp_path: Path) -> None:
    cut = tmp_path / "cut.xml"
    cut.write_bytes((CLINVAR / "VCV000177881.xml").read_bytes()[:30_000])
    wrong = tmp_path / "wrong.xml"
    wrong.write_text("#AlleleID\tType\n")
    r = runner.invoke(app, ["aggregate", str(CLINVAR / "VCV000000002.xml"), str(cut), str(wrong)])
    assert r.exit_code == 1
    assert "truncated" in r.output and "wrong-kind" in r.output
    assert r.output.rstrip("\n").split("\n")[-1] == "agreement: 1/1"
    missing = runner.invoke(app, ["aggregate", str(tmp_path / "nope.xml")])
    assert missing.exit_code == 2
