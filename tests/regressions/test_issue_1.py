"""Regression: an obsolete term whose ``replaced_by``/``consider`` names a term that is not in the same
OBO file crashed the pronto parser with a bare KeyError (not a FileProblem).

Real MONDO does this: obsolete MONDO terms replaced by HP terms, and ``consider: obo.MONDO_…`` lines in
the converted MONDO OBO (its first occurrence stopped the whole file after 37 terms). The ids are now read
as written, without resolving them in the file.
"""

from __future__ import annotations

from pathlib import Path

from clingen_graph.ingest.mondo import parse

OBO = """format-version: 1.2
data-version: mondo/releases/2026-05-05
ontology: mondo

[Term]
id: MONDO:0000001
name: disease

[Term]
id: MONDO:0007607
name: obsolete Birt-Hogg-Dube syndrome
is_obsolete: true
consider: obo.MONDO_0800444
consider: obo.MONDO_0800445

[Term]
id: MONDO:0100317
name: obsolete deficiency of adenosine deaminase 2
is_obsolete: true
replaced_by: HP:0000006
"""


def test_replacements_outside_the_file_are_kept_as_written(tmp_path: Path) -> None:
    path = tmp_path / "mondo.obo"
    path.write_text(OBO)
    terms = {t.curie: t for t in parse(path)}
    assert terms["MONDO:0007607"].consider == ("obo.MONDO_0800444", "obo.MONDO_0800445")
    assert terms["MONDO:0100317"].replaced_by == ("HP:0000006",)
    assert terms["MONDO:0100317"].deprecated
