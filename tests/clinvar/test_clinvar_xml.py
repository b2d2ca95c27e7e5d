"""ClinVar VCV XML parser on the real samples in ``tests/fixtures/clinvar/samples/`` (bundled together as
``data/clinvar/ClinVarVCVRelease_2024-09-17.samples.xml``) and on broken copies of them."""

from __future__ import annotations

import gzip
from dataclasses import replace
from pathlib import Path

import pytest

from clingen_graph import clinvar_aggregate as agg
from clingen_graph.ingest.base import FileProblem
from clingen_graph.ingest.clinvar_xml import SOURCE, VcvRecord, parse, read_release, summarise

from .conftest import CLINVAR, SAMPLES, archive_text, build_release, edit, one, records


def test_every_sample_parses_without_problems(samples: dict[str, VcvRecord]) -> None:
    assert len(SAMPLES) == 11
    assert set(samples) == {p.stem for p in SAMPLES}
    for path in SAMPLES:
        recs, problems = records(path)
        assert problems == [] and len(recs) == 1, path.name
        assert recs[0].warnings == [], (path.name, recs[0].warnings)
        assert recs[0].line == 2  # <VariationArchive> starts on line 2 of every sample


def test_sniffed_and_release(samples: dict[str, VcvRecord]) -> None:
    path = CLINVAR / "VCV000000002.xml"
    assert SOURCE.sniff(path, path.read_text()[:8192])
    info = read_release(path)
    assert (info.release, info.issued, info.dataset) == ("2024-07-30", "2024-07-30", "vcv000000002")
    assert samples["VCV000000002"].release_date == "2024-07-30"
    assert samples["VCV000013961"].release_date == "2024-09-17"


def test_release_file_name_is_one_dataset(tmp_path: Path) -> None:
    path = build_release(tmp_path / "ClinVarVCVRelease_2024-09.xml.gz", 2, gz=True)
    info = read_release(path)
    assert (info.release, info.dataset) == ("2024-09-17", "")


def test_simple_allele_vcv000000002(samples: dict[str, VcvRecord]) -> None:
    r = samples["VCV000000002"]
    assert (r.accession, r.version, r.variation_id, r.allele_id) == ("VCV000000002", 3, "2", "15041")
    assert r.variation_type == "Indel" and r.record_type == "classified"
    assert [(g.symbol, g.hgnc_id, g.ncbi_gene_id) for g in r.genes] == [("AP5Z1", "HGNC:22197", "9907")]
    grch38 = next(loc for loc in r.locations if loc.assembly == "GRCh38")
    assert (grch38.chromosome, grch38.accession, grch38.start, grch38.stop) == ("7", "NC_000007.14", 4781213, 4781216)
    assert (grch38.position_vcf, grch38.reference_allele_vcf, grch38.alternate_allele_vcf) == (
        4781213, "GGAT", "TGCTGTAAACTGTAACTGTAAA")
    grch37 = next(loc for loc in r.locations if loc.assembly == "GRCh37")
    assert (grch37.accession, grch37.position_vcf) == ("NC_000007.13", 4820844)
    assert r.spdi == "NC_000007.14:4781212:GGAT:TGCTGTAAACTGTAACTGTAAA"
    assert (r.caid, r.rsid) == ("CA215070", "rs397704705")
    assert "NC_000007.14:g.4781213_4781216delinsTGCTGTAAACTGTAACTGTAAA" in r.hgvs_genomic
    assert "NC_000007.13:g.4820844_4820847delinsTGCTGTAAACTGTAACTGTAAA" in r.hgvs_genomic
    assert r.mane_select == "NM_014855.3:c.80_83delinsTGCTGTAAACTGTAACTGTAAA"
    assert "NP_055670.1:p.Arg27_Ile28delinsLeuLeuTer" in r.hgvs_protein
    assert [(x.accession, x.classification, x.review_status) for x in r.rcvs] == [
        ("RCV000000012", "Pathogenic", "criteria provided, single submitter")]

    cv = r.clinvar["germline"]
    assert (cv.classification, cv.review_status, cv.stars, cv.submissions, cv.submitters) == (
        "Pathogenic", "criteria provided, single submitter", 1, 2, 2)
    assert cv.conditions[0].name == "Hereditary spastic paraplegia 48"
    assert cv.conditions[0].ids == ("Orphanet:306511", "MedGen:C3150901", "MONDO:0013342", "OMIM:613647")

    omim, paris = r.scvs
    assert (omim.accession, omim.version, omim.submitter_name, omim.submitter_id) == ("SCV000020155", 3, "OMIM", "3")
    assert (omim.review_status, omim.stars, omim.kind, omim.classification) == (
        "no assertion criteria provided", 0, "germline", "Pathogenic")
    assert (omim.date_last_evaluated, omim.collection_methods, omim.origins) == (
        "2010-06-29", ("literature only",), ("germline",))
    assert omim.conditions[0].name == "SPASTIC PARAPLEGIA 48, AUTOSOMAL RECESSIVE"
    assert [c.ids for c in omim.mapped_conditions] == [("MedGen:C3150901",)]
    assert (paris.accession, paris.submitter_name, paris.submitter_id, paris.stars) == (
        "SCV001451119", "Paris Brain Institute, Inserm - ICM", "507826", 1)
    assert (paris.assertion_method, paris.assertion_criteria) == ("ACMG Guidelines, 2015", ("PMID:25741868",))
    assert paris.conditions[0].ids == ("OMIM:613647",)  # given by OMIM number only, no name
    assert paris.line > omim.line > r.line
    assert not paris.flagged and not omim.flagged


def test_braf_v600e_all_three_kinds(samples: dict[str, VcvRecord]) -> None:
    r = samples["VCV000013961"]
    assert len(r.scvs) == 41
    kinds = [s.kind for s in r.scvs]
    assert (kinds.count("germline"), kinds.count("somatic-clinical-impact"), kinds.count("oncogenicity")) == (37, 3, 1)
    civic = next(s for s in r.scvs if s.accession == "SCV004565360")
    assert civic.classification == "Tier I - Strong" and civic.stars == 1
    assert ("DrugForTherapeuticAssertion", "Dabrafenib;Trametinib") in civic.somatic_details
    ambry = next(s for s in r.scvs if s.accession == "SCV005022010")
    assert (ambry.submitter_name, ambry.classification, ambry.stars) == ("Ambry Genetics", "Likely pathogenic", 1)
    not_provided = next(s for s in r.scvs if s.accession == "SCV000264636")
    assert (not_provided.review_status, not_provided.classification) == ("no classification provided", "not provided")
    assert r.clinvar["somatic-clinical-impact"].classification == "Tier I - Strong"
    assert r.clinvar["oncogenicity"].classification == "Oncogenic"
    assert len(r.rcvs) == 30


def test_included_record_vcv000025511(samples: dict[str, VcvRecord]) -> None:
    r = samples["VCV000025511"]
    assert r.record_type == "included" and r.scvs == ()
    assert r.included_in == ("VCV000008152",)
    assert r.included_scvs == ("SCV000028837", "SCV000028838", "SCV000044400")
    assert r.rsid == "rs3732378" and r.caid == ""
    assert r.clinvar["germline"].classification == "no classification for the single variant"


def test_compound_heterozygote_vcv000424711(samples: dict[str, VcvRecord]) -> None:
    r = samples["VCV000424711"]
    assert r.variation_type == "CompoundHeterozygote" and r.allele_id == ""
    assert r.members == ("192373", "189364")
    assert [g.symbol for g in r.genes] == ["MARS1"]
    assert r.locations == ()  # a genotype has no single location
    # the nested members' own aggregates are not the record's
    assert r.clinvar["germline"].classification == "Pathogenic"
    assert r.clinvar["germline"].review_status == "no assertion criteria provided"


# --- bad input ---------------------------------------------------------------------------------------------------

def test_truncated_in_the_middle_of_a_record(tmp_path: Path) -> None:
    full = build_release(tmp_path / "full.xml", 5)
    data = full.read_bytes()
    # cut inside the 4th record (BRAF, the big one)
    cut_at = data.index(b"<VariationArchive", data.index(b"VCV000013961") - 200)
    cut_at = cut_at + 20_000
    cut = tmp_path / "cut.xml"
    cut.write_bytes(data[:cut_at])
    recs, problems = records(cut)
    assert [r.accession for r in recs] == ["VCV000000002", "VCV000000051", "VCV000004897"]
    assert len(problems) == 1
    p = problems[0]
    assert (p.level, p.code, p.file) == ("reject", "truncated", str(cut))
    assert "VCV000013961" in p.message and "not read to the end" in p.message
    assert "3 complete record(s)" in p.message and "VCV000004897" in p.message
    assert p.line > recs[-1].line


def test_truncated_gzip(tmp_path: Path) -> None:
    full = build_release(tmp_path / "full.xml.gz", 30, gz=True)
    data = full.read_bytes()
    cut = tmp_path / "cut.xml.gz"
    cut.write_bytes(data[: len(data) // 2])
    recs, problems = records(cut)
    assert 0 < len(recs) < 30
    assert [p.code for p in problems] == ["truncated"]
    assert "compressed stream ends early" in problems[0].message


def test_bad_encoding_stops_with_a_problem(tmp_path: Path) -> None:
    src = build_release(tmp_path / "ok.xml", 3).read_bytes()
    at = src.index(b"<Name>", src.index(b"VCV000000051"))  # a name in record 2
    bad = tmp_path / "bad.xml"
    bad.write_bytes(src[:at + 6] + b"\xe9\xff" + src[at + 6:])
    recs, problems = records(bad)
    assert [r.accession for r in recs] == ["VCV000000002"]
    assert len(problems) == 1 and problems[0].code == "truncated"
    assert "UTF-8" in problems[0].message and "VCV000000051" in problems[0].message


def test_file_cut_inside_a_character_stops_with_a_problem(tmp_path: Path) -> None:
    src = build_release(tmp_path / "ok.xml", 3).read_bytes()
    at = src.index(b"<Name>", src.index(b"VCV000000051")) + 6  # a name in record 2, which gets an "é"
    cut = tmp_path / "cut.xml"
    cut.write_bytes(src[:at] + "é".encode()[:1])  # the download stops inside that character
    recs, problems = records(cut)
    assert [r.accession for r in recs] == ["VCV000000002"]
    assert len(problems) == 1 and problems[0].code == "truncated"
    assert "UTF-8" in problems[0].message and "VCV000000051" in problems[0].message


def test_submission_without_classification_is_a_warning(tmp_path: Path) -> None:
    path = edit(CLINVAR / "VCV000000002.xml", tmp_path / "VCV000000002.xml",
                r"(<ReviewStatus>criteria provided, single submitter</ReviewStatus>\s*)"
                r"<GermlineClassification>Pathogenic</GermlineClassification>", r"\1")
    r = one(path)
    paris = next(s for s in r.scvs if s.accession == "SCV001451119")
    assert (paris.kind, paris.classification) == ("", "")
    codes = [w.code for w in r.warnings]
    assert "scv-no-classification" in codes
    w = next(w for w in r.warnings if w.code == "scv-no-classification")
    assert "SCV001451119" in w.message and w.line == paris.line
    # the rest still loads; without that SCV only the 0-star OMIM one is aggregated
    assert r.aggregates["germline"].review_status == "no assertion criteria provided"
    assert "aggregate-differs" in codes


def test_flagged_submission_does_not_count(tmp_path: Path) -> None:
    path = edit(CLINVAR / "VCV000000002.xml", tmp_path / "VCV000000002.xml",
                r"<ReviewStatus>criteria provided, single submitter</ReviewStatus>(\s*<GermlineClassification>)",
                r"<ReviewStatus>flagged submission</ReviewStatus>\1")
    r = one(path)
    paris = next(s for s in r.scvs if s.accession == "SCV001451119")
    assert paris.flagged and paris.stars == 0
    assert r.aggregates["germline"].contributing == ("SCV000020155",)


def test_unknown_review_status_is_a_warning(tmp_path: Path) -> None:
    path = edit(CLINVAR / "VCV000000002.xml", tmp_path / "VCV000000002.xml",
                r"<ReviewStatus>no assertion criteria provided</ReviewStatus>",
                "<ReviewStatus>vetted by a committee</ReviewStatus>")
    r = one(path)
    assert any(w.code == "unknown-review-status" and "SCV000020155" in w.message for w in r.warnings)


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")
    with pytest.raises(FileProblem) as exc:
        list(parse(empty))
    assert exc.value.problem.code == "empty"
    gz = tmp_path / "empty.xml.gz"
    gz.write_bytes(gzip.compress(b""))
    with pytest.raises(FileProblem):
        list(parse(gz))


@pytest.mark.parametrize("content, needle", [
    (b"#AlleleID\tType\tName\n15041\tIndel\tx\n", "does not start with an XML element"),
    (b"<?xml version='1.0'?>\n<html><body>not clinvar</body></html>\n", "<html>"),
    (b"\x00\x01\x02\x03binary", "does not start with an XML element"),
], ids=["tsv", "other-xml", "binary"])
def test_wrong_kind(tmp_path: Path, content: bytes, needle: str) -> None:
    path = tmp_path / "x.xml"
    path.write_bytes(content)
    with pytest.raises(FileProblem) as exc:
        list(parse(path))
    assert exc.value.problem.code == "wrong-kind" and needle in exc.value.problem.message


def test_rcv_xml_is_refused_with_a_hint(tmp_path: Path) -> None:
    # the opening of ClinVar's RCV000000012.xml (old RCV release format, <ReleaseSet> root)
    rcv = tmp_path / "RCV000000012.xml"
    rcv.write_text('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                   '<ReleaseSet xsi:noNamespaceSchemaLocation="http://ftp.ncbi.nlm.nih.gov/pub/clinvar/xsd_public/'
                   'RCV/ClinVar_RCV_2.0.xsd" Dated="2024-06-10" '
                   'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" Type="full">\n'
                   '<ClinVarSet ID="180469298"><RecordStatus>current</RecordStatus></ClinVarSet>\n</ReleaseSet>\n')
    with pytest.raises(FileProblem) as exc:
        list(parse(rcv))
    assert exc.value.problem.code == "wrong-kind" and "RCV XML" in exc.value.problem.message


def test_record_without_accession_is_rejected_and_the_rest_loads(tmp_path: Path) -> None:
    bodies = [archive_text(CLINVAR / n) for n in ("VCV000000002.xml", "VCV000000051.xml")]
    bodies[0] = bodies[0].replace(' Accession="VCV000000002"', "", 1)
    path = tmp_path / "two.xml"
    path.write_text("<ClinVarVariationRelease ReleaseDate=\"2024-07-30\">\n" + "\n".join(bodies)
                    + "\n</ClinVarVariationRelease>\n")
    recs, problems = records(path)
    assert [r.accession for r in recs] == ["VCV000000051"]
    assert [(p.code, p.line) for p in problems] == [("missing-accession", 2)]


def test_gzip_release_file_with_many_records(tmp_path: Path) -> None:
    path = build_release(tmp_path / "ClinVarVCVRelease_2024-09.xml.gz", 25, gz=True)
    recs, problems = records(path)
    assert problems == [] and len(recs) == 25
    assert [r.accession for r in recs[:11]] == [p.stem for p in SAMPLES]
    lines = [r.line for r in recs]
    assert lines == sorted(lines) and lines[0] == 3


def test_release_without_records_says_so(tmp_path: Path) -> None:
    path = tmp_path / "ClinVarVCVRelease_2024-09.xml"
    path.write_text('<?xml version="1.0"?>\n<ClinVarVariationRelease ReleaseDate="2024-09-17">\n'
                    "</ClinVarVariationRelease>\n")
    recs, problems = records(path)
    assert recs == [] and [(p.level, p.code) for p in problems] == [("warning", "no-records")]


def test_bundled_release_file_holds_the_samples_verbatim() -> None:
    """``data/`` bundles the 11 samples as one release (one source, one named graph): same records, and the
    line of each record is its line in that file."""
    from .conftest import BUNDLED

    bundled, problems = records(BUNDLED)
    assert problems == []
    singles = [r for path in SAMPLES for r in records(path)[0]]
    assert [r.accession for r in bundled] == [r.accession for r in singles]
    for a, b in zip(bundled, singles, strict=True):
        assert [(s.accession, s.classification, s.review_status) for s in a.scvs] == [
            (s.accession, s.classification, s.review_status) for s in b.scvs]
        assert (a.aggregates, a.conflicts, a.clinvar) == (b.aggregates, b.conflicts, b.clinvar)
    lines = BUNDLED.read_text(encoding="utf-8").splitlines()
    assert all(lines[r.line - 1].startswith("<VariationArchive ") for r in bundled)


def test_summarise_is_aggregate_all_and_conflicts(samples: dict[str, VcvRecord]) -> None:
    # summarise computes only the kinds that have SCVs; it must give what the aggregate module gives for all
    def reference(scvs: tuple, included_only: bool) -> tuple:
        found = tuple(c for kind in ("germline", "oncogenicity") for c in agg.conflicts(scvs, kind))
        return dict(agg.aggregate_all(scvs, included_only=included_only)), found

    braf = samples["VCV000013961"].scvs
    sets = [r.scvs for r in samples.values()] + [
        (), braf[:1], tuple(s for s in braf if s.kind != "germline"),
        tuple(replace(s, kind="", classification="") for s in braf[:3]),  # no classification stated
        tuple(replace(s, flagged=True) for s in braf if s.kind == "oncogenicity"),
    ]
    for scvs in sets:
        for included_only in (False, True):
            got = summarise(scvs, included_only=included_only)
            want = reference(scvs, included_only)
            assert got == want
            assert list(got[0]) == list(want[0])  # same kinds in the same order
