"""ClinGen ERepo export: real rows (tests/fixtures/clingen_erepo: 36 + 10 rows cut from the 2024-04 export; the
README there gives each row's source line) and bad input made by editing one line of a copy."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from clingen_graph import acmg
from clingen_graph.ingest import SOURCES, detect
from clingen_graph.ingest.base import FileProblem, Problem, head_text
from clingen_graph.ingest.clingen_erepo import (
    SOURCE,
    ErepoRecord,
    export_can_write,
    parse,
    read_release,
    release_from_name,
    split_hgvs,
    strengths_from_summary,
    summary_notes,
)

FIXTURE = "clingen_erepo/clingen_erepo_2024-04.tsv"
DATA_LINES = list(range(2, 38))
STRENGTHS = "clingen_erepo/clingen_erepo_summary_strengths_2024-04.tsv"  # strengths the export cannot write


def _split(items: list) -> tuple[list[ErepoRecord], list[Problem]]:
    return [i for i in items if not isinstance(i, Problem)], [i for i in items if isinstance(i, Problem)]


@pytest.fixture
def fixture(fixtures_dir: Path) -> Path:
    return fixtures_dir / FIXTURE


@pytest.fixture
def by_line(fixture: Path) -> dict[int, ErepoRecord]:
    return {r.line: r for r in parse(fixture) if isinstance(r, ErepoRecord)}


def _field(path: Path, line: int, column: int, value: str, tmp_name: str | None = None) -> bytes:
    """Physical line ``line`` of ``path`` with tab-separated field ``column`` (0-based) replaced."""
    fields = path.read_bytes().split(b"\n")[line - 1].split(b"\t")
    fields[column] = value.encode("utf-8")
    return b"\t".join(fields)


# --- recognising the file and its release -------------------------------------------------------------------

def test_sniffed_by_its_header(fixture: Path, fixtures_dir: Path) -> None:
    assert SOURCE.name == "clingen-erepo" and SOURCE.role == "curation"
    assert SOURCE.sniff(fixture, head_text(fixture))
    other = fixtures_dir / "clingen_gene_validity" / "clingen_gene_validity_2026-02-09.csv"
    assert not SOURCE.sniff(other, head_text(other))
    # exactly one registered source claims the file
    assert [s.name for s in SOURCES if s.sniff(fixture, head_text(fixture))] == ["clingen-erepo"]
    assert detect(fixture) is SOURCE


def test_release_from_the_file_name(fixture: Path, tmp_path: Path) -> None:
    info = read_release(fixture)
    assert (info.release, info.issued) == ("2024-04", None)
    assert "file name" in info.notes[0]
    assert release_from_name(Path("clingen_erepo_vcep_interpretations_2024-04.shared.tsv.gz")) == "2024-04"
    assert release_from_name(Path("erepo_2024-10-03.tsv")) == "2024-10-03"
    assert read_release(Path("erepo_2024-10-03.tsv")).issued == "2024-10-03"
    assert release_from_name(Path("erepo.tsv")) is None
    assert release_from_name(Path("erepo_2024-13.tsv")) is None
    nameless = tmp_path / "erepo.tsv"
    nameless.write_bytes(fixture.read_bytes())
    with pytest.raises(FileProblem) as err:
        read_release(nameless)
    assert err.value.problem.code == "release"


# --- real rows ---------------------------------------------------------------------------------------------------

def test_every_data_row_is_a_record(fixture: Path) -> None:
    records, problems = _split(list(parse(fixture)))
    assert problems == []
    assert [r.line for r in records] == DATA_LINES


def test_real_row_fields(by_line: dict[int, ErepoRecord], fixture: Path) -> None:
    r = by_line[2]
    assert (r.file, r.line) == (str(fixture), 2)
    assert r.title == "NM_000277.2(PAH):c.1A>G (p.Met1Val)"
    assert (r.clinvar_variation_id, r.caid) == ("586", "CA114360")
    assert len(r.hgvs) == 22
    assert r.hgvs[0] == "NM_000277.2:c.1A>G" and r.hgvs[-1] == "NM_000277.2(PAH):c.1A>G (p.Met1Val)"
    assert "ENST00000635500.1:n.29-4232A>G" in r.hgvs
    assert (r.gene_symbol, r.disease_label, r.mondo_id) == ("PAH", "phenylketonuria", "MONDO:0009861")
    assert (r.moi_text, r.moi) == ("Autosomal recessive inheritance", "HP:0000007")
    assert r.classification == "Pathogenic"
    assert [c.label for c in r.met] == ["PS3", "PM3", "PP4_Moderate", "PM2"]
    assert [c.label for c in r.not_met] == ["PVS1"]
    assert r.summary.startswith("PAH-specific ACMG/AMP criteria applied: PM2: gnomAD MAF=0.00002;")
    assert r.pmids == ("9450897", "2574002")  # "9450897, 2574002, 2574002": deduplicated, order kept
    assert r.expert_panel == "Phenylketonuria VCEP"
    assert r.guideline == ("https://clinicalgenome.org/docs/clingen-pah-expert-panel-specifications-to-the-acmg-"
                           "amp-variant-interpretation-guidelines-version-1/")
    assert (r.approval_date, r.published_date, r.retracted) == ("2019-03-23", "2019-05-10", False)
    assert r.erepo_link == "https://erepo.genome.network/evrepo/ui/classification/CA114360/MONDO:0009861/006"
    assert r.uuid == "89f04437-ed5d-4735-8c4a-a9b1d91d10ea"
    assert r.warnings == []


def test_classifications_are_the_five_acmg_classes(by_line: dict[int, ErepoRecord]) -> None:
    assert {r.classification for r in by_line.values()} == set(acmg.CLASSES)
    assert by_line[5].classification == "Likely pathogenic"  # "Likely Pathogenic" in the file
    assert by_line[13].classification == "Uncertain significance"  # "Uncertain Significance"


def test_missing_caid_is_a_warning_and_the_row_keyed_by_uuid(by_line: dict[int, ErepoRecord]) -> None:
    r = by_line[5]
    assert r.caid is None and r.clinvar_variation_id == "177859"
    (w,) = r.warnings
    assert (w.level, w.code, w.line) == ("warning", "no-caid", 5)
    assert r.uuid in w.message
    assert by_line[27].clinvar_variation_id is None and by_line[27].caid == "CA1244205"  # ClinVar "-": no warning
    assert by_line[27].warnings == []


@pytest.mark.parametrize(("line", "moi_text", "moi"), [
    (2, "Autosomal recessive inheritance", "HP:0000007"),
    (4, "Autosomal dominant inheritance", "HP:0000006"),
    (20, "X-linked inheritance", "HP:0001417"),
    (21, "Autosomal dominant inheritance (mosaic)", "HP:0000006"),
    (22, "Mitochondrial inheritance", "HP:0001427"),
    (33, "X-linked inheritance (recessive (HP:0001419))", "HP:0001419"),
])
def test_mode_of_inheritance(by_line: dict[int, ErepoRecord], line: int, moi_text: str, moi: str) -> None:
    assert (by_line[line].moi_text, by_line[line].moi) == (moi_text, moi)


def test_empty_mode_of_inheritance_is_a_warning(by_line: dict[int, ErepoRecord]) -> None:
    r = by_line[6]
    assert (r.moi_text, r.moi) == ("", None)
    assert [(w.code, w.line) for w in r.warnings] == [("unknown-moi", 6)]


def test_hgvs_title_with_a_comma_is_one_item_and_dropped(by_line: dict[int, ErepoRecord]) -> None:
    r = by_line[26]
    assert r.title == "ITGB3, 11.2-KB DEL"
    assert r.hgvs == ("NG_008332.2:g.48605_58661del",)
    bad = [w for w in r.warnings if w.code == "bad-hgvs"]
    assert len(bad) == 1 and "'ITGB3, 11.2-KB DEL'" in bad[0].message  # one item, not 'ITGB3' + '11.2-KB DEL'


def test_hgvs_without_a_reference_sequence_is_dropped(by_line: dict[int, ErepoRecord]) -> None:
    mito = by_line[22]
    assert mito.title == "m.13513G>A" and "m.13513G>A" not in mito.hgvs
    assert "NC_012920.1:m.13513G>A" in mito.hgvs
    assert any(w.code == "bad-hgvs" and "'m.13513G>A'" in w.message for w in mito.warnings)
    cnv = by_line[31]
    assert cnv.title.startswith("GRCh37/hg19 21q22.12") and cnv.hgvs == ()


def test_split_hgvs() -> None:
    good, bad = split_hgvs("NM_1.1:c.1A>G, NM_1.1(X):c.1A>G (p.Met1Val), NM_1.1:c.1A>G, m.1A>G, NM_1.1c.1A>G, , "
                           "LRG_311t1:c.5A>T, ENST00000307000.7:c.-147A>G, J01415.2:m.8993T>G")
    assert good == ("NM_1.1:c.1A>G", "NM_1.1(X):c.1A>G (p.Met1Val)", "LRG_311t1:c.5A>T",
                    "ENST00000307000.7:c.-147A>G", "J01415.2:m.8993T>G")
    assert bad == ("m.1A>G", "NM_1.1c.1A>G")
    assert split_hgvs("NC_1.1:g.5del, GENE, 2-KB DEL, NM_2.1:c.3del", "GENE, 2-KB DEL") == (
        ("NC_1.1:g.5del", "NM_2.1:c.3del"), ("GENE, 2-KB DEL",))
    assert split_hgvs("", "x") == ((), ())


def test_criteria_columns(by_line: dict[int, ErepoRecord]) -> None:
    r = by_line[23]  # "BS2_Stand Alone, BS1", retracted
    assert [c.label for c in r.met] == ["BS2_Standalone", "BS1"] and r.met[0].strength == "standalone"
    assert r.retracted is True and r.classification == "Benign"
    assert [c.label for c in by_line[3].met] == ["PP4_Moderate", "PVS1", "PM3_VeryStrong"]
    assert all(isinstance(c, acmg.Criterion) for rec in by_line.values() for c in rec.met + rec.not_met)


def test_panel_names_and_guidelines_are_tidied(by_line: dict[int, ErepoRecord]) -> None:
    assert by_line[33].expert_panel == "Severe Combined Immunodeficiency Disease VCEP"  # two blanks in the file
    assert by_line[15].guideline == "https://www.clinicalgenome.org/affiliation/50034/docs/assertion-criteria"
    assert by_line[4].guideline is None


def test_summary_notes_name_what_the_export_lost(fixtures_dir: Path, edit_line, tmp_path: Path) -> None:
    src = fixtures_dir / FIXTURE
    rec = next(r for r in parse(src) if isinstance(r, ErepoRecord) and r.line == 11)
    assert any("will not contribute to the overall classification" in n for n in summary_notes(rec))
    retracted = next(r for r in parse(src) if isinstance(r, ErepoRecord) and r.line == 23)
    assert "retracted" in summary_notes(retracted)
    # a summary quoting PS4_Very Strong where the Met column says PS4
    edited = edit_line(src, 8, _field(src, 8, 11, "Cases (PS4_Very Strong). In summary, likely benign."))
    rec8 = next(r for r in parse(edited) if isinstance(r, ErepoRecord) and r.line == 8)
    assert summary_notes(rec8) == []  # BS1 only: PS4 is not in its Met column
    edited = edit_line(src, 2, _field(src, 2, 11, "PM3_Very Strong and PS3_Supporting applied."))
    rec2 = next(r for r in parse(edited) if isinstance(r, ErepoRecord) and r.line == 2)
    assert summary_notes(rec2) == ["summary quotes PM3 at very strong, the Met column has PM3",
                                   "summary quotes PS3 at supporting, the Met column has PS3"]


# --- strengths the export cannot write, restored from the row's summary ---------------------------------------

@pytest.fixture
def strengths(fixtures_dir: Path) -> dict[int, ErepoRecord]:
    return {r.line: r for r in parse(fixtures_dir / STRENGTHS) if isinstance(r, ErepoRecord)}


def _restored(rec: ErepoRecord) -> list[Problem]:
    return [w for w in rec.warnings if w.code == "strength-from-summary"]


@pytest.mark.parametrize(("line", "written", "counted", "said"), [
    # RYR1 (MHS): 'negative IVCT/CHCT results, BS2_Moderate … Criteria implemented: BS2_Moderate, PM1, BP4'
    (4, "BS2_Supporting, PM1, BP4", ["BS2_Moderate", "PM1", "BP4"],
     ["BS2 counted at moderate: the Met column has 'BS2_Supporting' (supporting), the summary applies "
      "'BS2_Moderate' (moderate)"]),
    # SERPINC1: 'meeting PP4 and PS4_VeryStrong … for SERPINC1: PS4_Very Strong, PP1_Moderate, PP3, PP4, …'
    (7, "PS4, PP1_Moderate, PP3, PP4, PM2_Supporting", ["PS4_VeryStrong", "PP1_Moderate", "PP3", "PP4",
                                                        "PM2_Supporting"],
     ["PS4 counted at very strong: the Met column has 'PS4' (strong), the summary applies 'PS4_VeryStrong'"]),
    # BRCA1 (ENIGMA): '(PP4_Very strong met; …) … (PM2_Supporting, PP3, PP4_Very strong)'
    (8, "PP4_Strong, PP3, PM2_Supporting", ["PP4_VeryStrong", "PP3", "PM2_Supporting"],
     ["PP4 counted at very strong: the Met column has 'PP4_Strong' (strong), the summary applies "
      "'PP4_Very strong' (very strong)"]),
    # APC (InSiGHT): 'PVS1, PS4_VeryStrong, and PM6_VeryStrong'; two codes restored, one warning each
    (11, "PVS1, PM6_Strong, PS4", ["PVS1", "PM6_VeryStrong", "PS4_VeryStrong"],
     ["PM6 counted at very strong: the Met column has 'PM6_Strong' (strong)",
      "PS4 counted at very strong: the Met column has 'PS4' (strong)"]),
])
def test_summary_strength_the_export_cannot_write_is_counted(strengths: dict[int, ErepoRecord], line: int,
                                                             written: str, counted: list[str],
                                                             said: list[str]) -> None:
    rec = strengths[line]
    assert rec.met_as_written == written  # nothing lost: the column as in the file
    assert [c.label for c in rec.met] == counted
    assert [c.code for c in rec.met] == [c.code for c in acmg.parse_codes(written)]  # same codes, same order
    warnings = _restored(rec)
    assert len(warnings) == len(said)
    for w, text in zip(warnings, said, strict=True):
        assert (w.level, w.line) == ("warning", line)
        assert w.message.startswith(text), w.message
        assert "a strength the ERepo export cannot write" in w.message
    restored = [c for c, w in zip(rec.met, acmg.parse_codes(written), strict=True) if c.strength != w.strength]
    assert len(restored) == len(said)
    notes = summary_notes(rec)
    assert all(f"{c.code} counted at {c.strength} as the summary applies it" in " | ".join(notes) for c in restored)


@pytest.mark.parametrize("line", [4, 7, 8])
def test_restored_strength_gives_the_panels_class(strengths: dict[int, ErepoRecord], line: int) -> None:
    """As written these rows disagree with the panel (VUS for LB, LP for P); with the summary's strength they
    agree."""
    rec = strengths[line]
    kw = {"expert_panel": rec.expert_panel, "guideline": rec.guideline}
    assert acmg.classify(acmg.parse_codes(rec.met_as_written), **kw).classification != rec.classification
    assert acmg.classify(rec.met, **kw).classification == rec.classification


@pytest.mark.parametrize(("line", "why"), [
    (3, "'PM2_VS' (a slip for PS2_VS) and a bare PM2 in 'PS2_VS, PS4_Supporting, PM2, PP2'"),
    (10, "'BS3_moderate' and 'BS3_Supporting, and PM5_Supporting'"),
])
def test_summary_naming_a_code_at_several_strengths_is_left_alone(strengths: dict[int, ErepoRecord], line: int,
                                                                  why: str) -> None:
    rec = strengths[line]
    assert [c.label for c in rec.met] == [c.label for c in acmg.parse_codes(rec.met_as_written)], why
    assert _restored(rec) == []
    assert strengths_from_summary(acmg.parse_codes(rec.met_as_written), rec.summary) == []


@pytest.mark.parametrize(("line", "token", "code"), [
    (5, "PM6_very strong", "PM6"),  # MECP2: the Met column has PS2_Very Strong, no PM6
    (6, "BP2_Moderate", "BP2"),  # PALB2: the Met column has BS2, BA1, BP1
])
def test_summary_never_adds_a_code_the_met_column_lacks(strengths: dict[int, ErepoRecord], line: int, token: str,
                                                        code: str) -> None:
    rec = strengths[line]
    assert token in rec.summary
    assert code not in {c.code for c in rec.met}
    assert [c.label for c in rec.met] == [c.label for c in acmg.parse_codes(rec.met_as_written)]
    assert _restored(rec) == []


def test_summary_strength_the_column_can_write_leaves_the_column(strengths: dict[int, ErepoRecord]) -> None:
    """MYO7A: Met column 'PM5', summary 'PM5_Supporting' twice. The export writes PM5_Supporting elsewhere, so the
    two disagree for another reason and the column stands (counted as written, the class is the panel's P)."""
    rec = strengths[2]
    assert rec.summary.count("PM5_Supporting") == 2
    assert [c.label for c in rec.met] == ["PM2", "PP3", "PP4", "PM5", "PM3_Strong"] and _restored(rec) == []
    assert "summary quotes PM5 at supporting, the Met column has PM5" in summary_notes(rec)
    assert export_can_write(acmg.parse_criterion("PM5_Supporting"))
    assert acmg.classify(rec.met, expert_panel=rec.expert_panel).classification == rec.classification


def test_summary_strength_never_applies_to_the_not_met_column(fixtures_dir: Path, edit_line) -> None:
    """RYR1 row with BS2 moved from Met to Not Met: the summary's 'BS2_Moderate' changes nothing."""
    src = fixtures_dir / STRENGTHS
    path = edit_line(src, 4, _field(src, 4, 10, "BS2_Supporting"))
    path = edit_line(path, 4, _field(path, 4, 9, "PM1, BP4"))
    rec = next(r for r in parse(path) if isinstance(r, ErepoRecord) and r.line == 4)
    assert "BS2_Moderate" in rec.summary
    assert [c.label for c in rec.met] == ["PM1", "BP4"] and [c.label for c in rec.not_met] == ["BS2_Supporting"]
    assert _restored(rec) == []


@pytest.mark.parametrize(("summary", "restored"), [
    ("Cases (PS4_Very Strong).", ["PS4_VeryStrong"]),
    ("Cases (PS4 (Very Strong)).", ["PS4_VeryStrong"]),  # the bracket style, full words only
    ("PS4_VS; PMIDs: 1. Criteria: ps4_very-strong, PP3.", ["PS4_VeryStrong"]),  # spellings normalised alike
    ("IVCT negative, BS2_Moderate was implemented.", ["BS2_Moderate"]),
    ("Cases (PS4 (VS)).", []),  # abbreviations only after '_'
    ("Cases (PS4_Very Strong). Criteria applied: PS4, PP3.", []),  # also bare PS4: ambiguous
    ("PS4_Very Strong and PS4_Moderate", []),  # two strengths: ambiguous
    ("The data do not meet PS4_Very Strong.", []),
    ("PS4_Very Strong is not met; only 3 probands.", []),
    ("PS4 was downgraded from PS4_Very Strong to …", []),
    ("PS4_Strong applied.", []),  # the column's own strength
    ("PP3_Moderate applied.", []),  # the export writes PP3_Moderate: the column stands
    ("PS1_Very Strong, BS1_Moderate", []),  # codes not in the Met column
])
def test_strengths_from_summary(summary: str, restored: list[str]) -> None:
    met = acmg.parse_codes("PS4, PP3, BS2_Supporting")
    assert [c.label for _, _, c in strengths_from_summary(met, summary)] == restored


def test_export_can_write() -> None:
    writes = {t: export_can_write(acmg.parse_criterion(t)) for t in (
        "PVS1", "PS2_VeryStrong", "PM3_VeryStrong", "PS4_Moderate", "PP4_Strong", "BS2_Supporting", "BS2_Standalone",
        "BA1", "PS4_VeryStrong", "PP4_VeryStrong", "PM6_VeryStrong", "BS2_Moderate", "BS3_Moderate", "BP5_Moderate",
        "BP5_VeryStrong")}
    assert [t for t, ok in writes.items() if ok] == ["PVS1", "PS2_VeryStrong", "PM3_VeryStrong", "PS4_Moderate",
                                                      "PP4_Strong", "BS2_Supporting", "BS2_Standalone", "BA1"]


# --- bad input: a clear problem with file and line, the rest loads ---------------------------------------------

@pytest.mark.parametrize(("column", "value", "code", "needle"), [
    (9, "PS3, PX9, PM2", "bad-criterion", "Applied Evidence Codes (Met): unknown ACMG criterion code 'PX9'"),
    (9, "BA1_Supporting", "bad-criterion", "Applied Evidence Codes (Met): BA1 cannot be applied at supporting"),
    (10, "PVS1_Standalone", "bad-criterion", "(Not Met): PVS1 cannot be applied at standalone"),
    (9, "PS3, PM2, PM2_Supporting", "bad-criterion", "PM2 is applied more than once"),
    (8, "Pathogenic, low penetrance", "unknown-classification", "unknown Assertion 'Pathogenic, low penetrance'"),
    (6, "OMIM:261600", "bad-id", "Mondo Id"),
    (6, "", "missing-value", "empty Mondo Id"),
    (15, "23 March 2019", "bad-date", "Approval Date '23 March 2019'"),
    (15, "2019/2/30", "bad-date", "Approval Date"),
    (17, "maybe", "bad-retracted", "Retracted 'maybe'"),
    (19, "89f04437", "bad-uuid", "Uuid '89f04437'"),
])
def test_bad_field_rejects_only_that_row(fixture: Path, edit_line, column: int, value: str, code: str,
                                         needle: str) -> None:
    path = edit_line(fixture, 2, _field(fixture, 2, column, value))
    records, problems = _split(list(parse(path)))
    (p,) = problems
    assert (p.level, p.code, p.file, p.line) == ("reject", code, str(path), 2)
    assert needle in p.message
    assert p.raw.startswith("NM_000277.2(PAH):c.1A>G")
    assert [r.line for r in records] == DATA_LINES[1:]


@pytest.mark.parametrize(("column", "value", "code", "needle"), [
    (2, "-", "no-caid", "no ClinGen Allele Registry id"),
    (2, "114360", "bad-caid", "'114360' is not CA<digits>"),
    (1, "VCV586", "bad-clinvar-id", "'VCV586' is not a number"),
    (3, "NM_000277.2:c.1A>G, NM_000277.2c.1A>G, NM_000277.2(PAH):c.1A>G (p.Met1Val)", "bad-hgvs",
     "'NM_000277.2c.1A>G'"),
    (7, "Autosomal dominant/recessive", "unknown-moi", "unknown Mode of Inheritance 'Autosomal dominant/recessive'"),
    (12, "9450897, PMC12345", "bad-pmid", "'PMC12345'"),
    (14, "see the PAH specification", "bad-guideline", "not a URL"),
    (10, "PS3, PVS1", "met-and-not-met", "PS3 listed as both met and not met"),
])
def test_bad_field_is_a_warning_and_the_row_loads(fixture: Path, edit_line, column: int, value: str, code: str,
                                                  needle: str) -> None:
    path = edit_line(fixture, 2, _field(fixture, 2, column, value))
    records, problems = _split(list(parse(path)))
    assert problems == [] and [r.line for r in records] == DATA_LINES
    (w,) = records[0].warnings
    assert (w.level, w.code, w.file, w.line) == ("warning", code, str(path), 2)
    assert needle in w.message


def test_malformed_hgvs_item_is_dropped(fixture: Path, edit_line) -> None:
    value = "NM_000277.2:c.1A>G, c.1A>G, NM_000277.2(PAH):c.1A>G (p.Met1Val)"
    path = edit_line(fixture, 2, _field(fixture, 2, 3, value))
    rec = next(r for r in parse(path) if isinstance(r, ErepoRecord))
    assert rec.hgvs == ("NM_000277.2:c.1A>G", "NM_000277.2(PAH):c.1A>G (p.Met1Val)")


def test_wrong_field_count_rejects_the_row(fixture: Path, edit_line) -> None:
    line = fixture.read_bytes().split(b"\n")[2]  # fixture line 3
    path = edit_line(fixture, 3, b"\t".join(line.split(b"\t")[:12]))
    records, problems = _split(list(parse(path)))
    (p,) = problems
    assert (p.code, p.line) == ("field-count", 3) and "12 fields, expected 20" in p.message
    assert len(records) == len(DATA_LINES) - 1


def test_wrong_encoding_rejects_the_line_and_the_rest_loads(fixture: Path, edit_line) -> None:
    line = fixture.read_bytes().split(b"\n")[3]  # fixture line 4
    path = edit_line(fixture, 4, line.replace(b"PTEN", b"PT\xc9N", 1))
    records, problems = _split(list(parse(path)))
    (p,) = problems
    assert (p.level, p.code, p.file, p.line) == ("reject", "encoding", str(path), 4)
    assert "not valid UTF-8" in p.message
    assert [r.line for r in records] == [n for n in DATA_LINES if n != 4]


def test_truncated_gzip_reports_where_it_ends(fixture: Path, tmp_path: Path) -> None:
    whole = gzip.compress(fixture.read_bytes())
    path = tmp_path / "clingen_erepo_2024-04.tsv.gz"
    path.write_bytes(whole[: len(whole) * 2 // 3])
    items = list(parse(path))
    records, problems = _split(items)
    assert problems[-1].code == "truncated" and problems[-1].level == "reject"
    assert problems[-1].file == str(path) and "is the download complete" in problems[-1].message
    assert len(records) >= 10 and [r.line for r in records] == list(range(2, 2 + len(records)))
    # a cut in the middle of a line may leave one short row: it is rejected, never loaded half
    assert all(p.code in ("truncated", "field-count") for p in problems)


def test_gzip_is_read_like_plain_text(fixture: Path, tmp_path: Path) -> None:
    path = tmp_path / "clingen_erepo_2024-04.tsv.gz"
    path.write_bytes(gzip.compress(fixture.read_bytes()))
    assert SOURCE.sniff(path, head_text(path))
    assert [r.line for r in parse(path) if isinstance(r, ErepoRecord)] == DATA_LINES


def test_every_physical_row_is_one_record_or_one_reject(fixture: Path, edit_line) -> None:
    path = edit_line(fixture, 5, _field(fixture, 5, 9, "PS9"))
    items = list(parse(path))
    rejects = [i for i in items if isinstance(i, Problem) and i.level == "reject"]
    records = [i for i in items if isinstance(i, ErepoRecord)]
    assert sorted([r.line for r in records] + [p.line for p in rejects]) == DATA_LINES


def test_header_problems_are_fatal(fixture: Path, tmp_path: Path, edit_line) -> None:
    header = fixture.read_bytes().split(b"\n")[0]
    path = edit_line(fixture, 1, header.replace(b"\tUuid", b""))
    with pytest.raises(FileProblem) as err:
        list(parse(path))
    assert err.value.problem.code == "header" and "Uuid" in err.value.problem.message
    other = tmp_path / "x_2024-04.tsv"
    other.write_text("gene\tdisease\nBRCA1\tcancer\n", encoding="utf-8")
    with pytest.raises(FileProblem) as err:
        list(parse(other))
    assert err.value.problem.code == "header"
    empty = tmp_path / "empty_2024-04.tsv"
    empty.write_bytes(b"")
    with pytest.raises(FileProblem) as err:
        list(parse(empty))
    assert err.value.problem.code == "empty"


def test_an_extra_or_moved_column_is_read_by_name(fixture: Path, tmp_path: Path) -> None:
    lines = [ln for ln in fixture.read_bytes().split(b"\n") if ln]
    moved = []
    for ln in lines:  # move "Uuid" to the front and add a column at the end
        fields = ln.split(b"\t")
        moved.append(b"\t".join([fields[-1], *fields[:-1], b"Comment" if not moved else b"x"]))
    path = tmp_path / "clingen_erepo_2024-04.tsv"
    path.write_bytes(b"\n".join(moved) + b"\n")
    with pytest.raises(FileProblem):  # the header must start with #Variation
        list(parse(path))
    moved = [b"\t".join([*ln.split(b"\t"), b"Comment" if i == 0 else b"x"]) for i, ln in enumerate(lines)]
    path.write_bytes(b"\n".join(moved) + b"\n")
    items = list(parse(path))
    assert isinstance(items[0], Problem) and (items[0].code, items[0].level, items[0].line) == (
        "extra-column", "warning", 1)
    records = [i for i in items if isinstance(i, ErepoRecord)]
    assert [r.line for r in records] == DATA_LINES
    assert records[0].uuid == "89f04437-ed5d-4735-8c4a-a9b1d91d10ea"
