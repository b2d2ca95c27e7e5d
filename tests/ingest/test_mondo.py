"""MONDO v2026-05-05 in both forms: the bundled JSON (cellxgene-ontology-guide) and OBO read with pronto.

The OBO excerpt holds whole stanzas for the terms below plus their is_a ancestors (ancestor stanzas cut
to id, name and is_a, so the file stays closed under is_a as pronto requires). The JSON excerpt holds
the same terms' entries unchanged.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from clingen_graph.ids import expand_curie
from clingen_graph.ingest import detect
from clingen_graph.ingest.base import FileProblem
from clingen_graph.ingest.mondo import SOURCE, parse, read_release
from clingen_graph.ingest.obo import TermRecord
from clingen_graph.model import ontology_terms
from clingen_graph.terms import CGV, OWL

JSON = "mondo/mondo_v2026-05-05.json"
OBO = "mondo/mondo_v2026-05-05.obo"
WHOLE_TERMS = ["MONDO:0013212", "MONDO:0044970", "MONDO:0100062", "MONDO:0100317", "MONDO:0014306",
               "MONDO:0011311", "MONDO:0018997", "MONDO:0007858", "MONDO:0007607"]
CMT2N_ANCESTORS = (
    "MONDO:0000001", "MONDO:0003620", "MONDO:0003847", "MONDO:0005071", "MONDO:0005244", "MONDO:0015626",
    "MONDO:0018993", "MONDO:0019056", "MONDO:0020127", "MONDO:0100545", "MONDO:0100546", "MONDO:0700096",
    "MONDO:7770006", "MONDO:7770008", "MONDO:7770009",
)


def _terms(path: Path) -> dict[str, TermRecord]:
    items = list(parse(path))
    assert all(isinstance(i, TermRecord) for i in items)
    return {t.curie: t for t in items}


@pytest.fixture(scope="module")
def json_terms(fixtures_dir: Path) -> dict[str, TermRecord]:
    return _terms(fixtures_dir / JSON)


@pytest.fixture(scope="module")
def obo_terms(fixtures_dir: Path) -> dict[str, TermRecord]:
    return _terms(fixtures_dir / OBO)


@pytest.mark.parametrize("name", [JSON, OBO], ids=["json", "obo"])
def test_detected_by_content(fixtures_dir: Path, name: str) -> None:
    assert detect(fixtures_dir / name) is SOURCE


def test_obo_release_from_data_version(fixtures_dir: Path, tmp_path: Path) -> None:
    renamed = tmp_path / "mondo.obo"  # no date in the name: the data-version line names the release
    renamed.write_bytes((fixtures_dir / OBO).read_bytes())
    info = read_release(renamed)
    assert (info.release, info.issued) == ("2026-05-05", "2026-05-05")


def test_json_release_from_file_name(fixtures_dir: Path, tmp_path: Path) -> None:
    assert read_release(fixtures_dir / JSON).release == "2026-05-05"
    renamed = tmp_path / "mondo.json"
    renamed.write_bytes((fixtures_dir / JSON).read_bytes())
    info = read_release(renamed)
    assert (info.release, info.issued) == ("", None)
    assert info.notes


@pytest.mark.parametrize("form", ["json", "obo"])
def test_active_term_fields(request, form: str) -> None:
    cmt2n = request.getfixturevalue(f"{form}_terms")["MONDO:0013212"]
    assert cmt2n.label == "Charcot-Marie-Tooth disease axonal type 2N"
    assert cmt2n.definition.startswith("Autosomal dominant Charcot-Marie-Tooth disease type 2N (CMT2N)")
    assert "CMT2N" in cmt2n.synonyms
    assert cmt2n.parents == ("MONDO:0018993",)
    assert cmt2n.ancestors == CMT2N_ANCESTORS
    assert (cmt2n.deprecated, cmt2n.replaced_by) == (False, ())


@pytest.mark.parametrize("form", ["json", "obo"])
def test_obsolete_terms(request, form: str) -> None:
    terms = request.getfixturevalue(f"{form}_terms")
    ada2 = terms["MONDO:0100317"]
    assert (ada2.deprecated, ada2.replaced_by, ada2.parents) == (True, ("MONDO:0014306",), ())
    glaucoma = terms["MONDO:0011311"]
    assert (glaucoma.deprecated, glaucoma.replaced_by) == (True, ())
    bhd = terms["MONDO:0007607"]
    assert (bhd.deprecated, bhd.replaced_by) == (True, ())
    assert bhd.consider == ("obo.MONDO_0800444", "obo.MONDO_0800445")  # written so in the source


def test_obo_line_numbers(fixtures_dir: Path, obo_terms: dict[str, TermRecord]) -> None:
    lines = (fixtures_dir / OBO).read_text().splitlines()
    cmt2n = obo_terms["MONDO:0013212"]
    assert cmt2n.file == str(fixtures_dir / OBO)
    assert lines[cmt2n.line - 1] == "id: MONDO:0013212"


def test_json_and_obo_agree(json_terms: dict[str, TermRecord], obo_terms: dict[str, TermRecord]) -> None:
    fields = ("label", "definition", "synonyms", "parents", "ancestors", "deprecated", "replaced_by", "consider")
    for curie in WHOLE_TERMS:
        j, o = json_terms[curie], obo_terms[curie]
        assert {f: getattr(j, f) for f in fields} == {f: getattr(o, f) for f in fields}, curie


def test_term_triples(obo_terms: dict[str, TermRecord]) -> None:
    def triples(curie: str) -> set[tuple[str, str, str]]:
        return {(s.value, p.value, o.value) for s, p, o in ontology_terms.to_triples(obo_terms[curie], "Disease")}

    active = triples("MONDO:0013212")
    iri = expand_curie("MONDO:0013212")
    assert (iri, CGV.ancestorOrSelf.value, iri) in active
    assert (iri, CGV.ancestorOrSelf.value, expand_curie("MONDO:0000001")) in active
    obsolete = triples("MONDO:0100317")
    old = expand_curie("MONDO:0100317")
    assert (old, OWL.deprecated.value, "true") in obsolete
    assert (old, CGV.replacedBy.value, expand_curie("MONDO:0014306")) in obsolete
    assert not any(p == CGV.ancestorOrSelf.value for _, p, _ in obsolete)


# --- bad input: whole-file problems (one document, so no per-row rejects) --------------------------------

def test_truncated_json_gzip(fixtures_dir: Path, truncated_gzip) -> None:
    path = truncated_gzip(fixtures_dir / JSON)
    assert detect(path) is SOURCE
    with pytest.raises(FileProblem) as err:
        list(parse(path))
    assert (err.value.problem.code, err.value.problem.file) == ("malformed", str(path))


def test_obo_with_dangling_parent(fixtures_dir: Path, tmp_path: Path) -> None:
    text = (fixtures_dir / OBO).read_text()
    path = tmp_path / "mondo.obo"
    path.write_text(text.replace("is_a: MONDO:0018993 ! Charcot-Marie-Tooth disease type 2",
                                 "is_a: MONDO:9999999 ! not in this file"))
    with pytest.raises(FileProblem) as err:
        list(parse(path))
    assert err.value.problem.code == "malformed"


def test_json_entry_that_is_not_a_term(fixtures_dir: Path, tmp_path: Path) -> None:
    text = (fixtures_dir / JSON).read_text()
    path = tmp_path / "mondo_2026-05-05.json"
    path.write_text(text[:-1] + ', "MONDO:0000002": "obsolete"}')
    items = list(parse(path))
    rejects = [i for i in items if not isinstance(i, TermRecord)]
    assert [(r.code, r.file) for r in rejects] == [("malformed", str(path))]
    assert len(items) - 1 == 15


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "mondo.json.gz"
    path.write_bytes(gzip.compress(b""))
    with pytest.raises(FileProblem) as err:
        detect(path)
    assert (err.value.problem.code, err.value.problem.file) == ("unreadable", str(path))
