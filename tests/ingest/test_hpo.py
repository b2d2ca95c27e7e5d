"""HPO 2025-01-16 (``hp.obo``) read with pronto: an excerpt with the mode-of-inheritance subtree.

Stanzas: HP:0000001 All, HP:0000005 Mode of inheritance, HP:0034345 Mendelian inheritance, HP:0000006
Autosomal dominant, HP:0000007 Autosomal recessive, HP:0001417/HP:0001419 X-linked, HP:0001250 Seizure
with its ancestors, and HP:0000057 (obsolete, replaced by HP:0008665, which is not in the excerpt).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clingen_graph.ingest import detect
from clingen_graph.ingest.base import FileProblem
from clingen_graph.ingest.hpo import SOURCE, parse, read_release
from clingen_graph.ingest.obo import TermRecord

HP = "hpo/hp_2025-01-16.obo"


@pytest.fixture(scope="module")
def terms(fixtures_dir: Path) -> dict[str, TermRecord]:
    items = list(parse(fixtures_dir / HP))
    assert all(isinstance(i, TermRecord) for i in items)
    return {t.curie: t for t in items}


def test_detected_by_content(fixtures_dir: Path) -> None:
    assert detect(fixtures_dir / HP) is SOURCE


def test_release_from_data_version(fixtures_dir: Path, tmp_path: Path) -> None:
    renamed = tmp_path / "hp.obo"
    renamed.write_bytes((fixtures_dir / HP).read_bytes())
    info = read_release(renamed)
    assert (info.release, info.issued) == ("2025-01-16", "2025-01-16")


def test_every_stanza_is_a_term(terms: dict[str, TermRecord]) -> None:
    assert len(terms) == 12


def test_mode_of_inheritance_term(fixtures_dir: Path, terms: dict[str, TermRecord]) -> None:
    ad = terms["HP:0000006"]
    assert ad.label == "Autosomal dominant inheritance"
    assert ad.parents == ("HP:0034345",)
    assert ad.ancestors == ("HP:0000001", "HP:0000005", "HP:0034345")
    assert ad.deprecated is False
    lines = (fixtures_dir / HP).read_text().splitlines()
    assert lines[ad.line - 1] == "id: HP:0000006"


def test_obsolete_term_replaced_outside_the_file(terms: dict[str, TermRecord]) -> None:
    old = terms["HP:0000057"]
    assert (old.label, old.deprecated, old.replaced_by) == ("obsolete Clitoromegaly", True, ("HP:0008665",))


def test_not_an_ontology(tmp_path: Path) -> None:
    path = tmp_path / "hp.obo"
    path.write_text("format-version: 1.2\nontology: hp\n\n[Term]\nid: HP:0000001\nis_a: HP:404 ! missing\n")
    with pytest.raises(FileProblem) as err:
        list(parse(path))
    assert (err.value.problem.code, err.value.problem.file) == ("malformed", str(path))
