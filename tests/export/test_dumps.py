"""Bulk dumps through the CLI and /dumps/: each format parses back to the manifest's triple count, sizes and
sha256 match the files, --release picks one release."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import orjson
import pytest
from ga4gh.va_spec.acmg_2015 import VariantPathogenicityStatement
from pyoxigraph import RdfFormat, parse
from typer.testing import CliRunner

from clingen_graph.cli import app
from clingen_graph.export.dumps import read_manifest

FORMATS = {"nt": RdfFormat.N_TRIPLES, "ttl": RdfFormat.TURTLE, "nq": RdfFormat.N_QUADS, "jsonld": RdfFormat.JSON_LD}
SMALL = "clinvar-vcv/2024-09-17"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_va_spec_json_lines(bundled_url: str, tmp_path: Path, bundled) -> None:
    out = tmp_path / "va-spec.jsonl"
    result = CliRunner().invoke(app, ["export", "--format", "va-spec", "--store", bundled_url, "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_bytes().splitlines()
    erepo = next(s for s in bundled[1] if s.source == "clingen-erepo")
    assert len(lines) == 2 * erepo.rows_loaded
    for line in lines[:200]:
        VariantPathogenicityStatement.model_validate(orjson.loads(line))


def test_dumps_of_one_release_in_every_format(bundled_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    for fmt in FORMATS:
        result = runner.invoke(app, ["export", "--format", fmt, "--release", SMALL, "--store", bundled_url,
                                     "--out", str(tmp_path)])
        assert result.exit_code == 0, result.output
    manifest = read_manifest(tmp_path)
    assert manifest is not None
    assert {d.format for d in manifest.dumps} == set(FORMATS)  # later runs kept the earlier files' entries
    assert {d.release.rsplit("graph/", 1)[1] for d in manifest.dumps} == {SMALL}
    (info,) = manifest.releases
    assert info.license and info.source_url and info.label == "2024-09-17"
    for d in manifest.dumps:
        path = tmp_path / d.file
        assert path.stat().st_size == d.byte_size
        assert _sha(path) == d.sha256
        assert sum(1 for _ in parse(gzip.decompress(path.read_bytes()), format=FORMATS[d.format])) == d.triples
        assert d.triples == info.triples
    turtle = (tmp_path / "manifest.ttl").read_bytes()
    assert len(list(parse(turtle, format=RdfFormat.TURTLE))) == \
        len(list(parse((tmp_path / "manifest.jsonld").read_bytes(), format=RdfFormat.JSON_LD)))
    assert b"spdx:checksumValue" in turtle and b"dcat:byteSize" in turtle


def test_unknown_release_names_the_loaded_ones(bundled_url: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["export", "--format", "nt", "--release", "no-such", "--store", bundled_url,
                                      "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "clingen-erepo/2024-04" in result.output


@pytest.mark.slow
def test_api_serves_manifest_and_files(client, tmp_path: Path) -> None:
    settings = client.app.state.settings
    previous = settings.dumps_dir
    settings.dumps_dir = tmp_path
    try:
        answer = client.get("/dumps/")  # first request: makes the dumps of every current release
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("application/ld+json")
        doc = json.loads(answer.content)
        files = [n for n in doc["@graph"] if n.get("@type") == "Distribution"]
        assert {n["format"] for n in files} == set(FORMATS)
        turtle = client.get("/dumps/", headers={"Accept": "text/turtle"})
        assert turtle.headers["content-type"].startswith("text/turtle")
        assert list(parse(turtle.content, format=RdfFormat.TURTLE))
        small = next(n for n in files if n["fileName"].startswith("clinvar-vcv-") and n["format"] == "nt")
        dump = client.get(f"/dumps/{small['fileName']}")
        assert dump.status_code == 200
        assert hashlib.sha256(dump.content).hexdigest() == small["checksum"]["checksumValue"]
        assert len(dump.content) == small["byteSize"]
        assert client.get("/dumps/nothing.nt.gz").status_code == 404
    finally:
        settings.dumps_dir = previous


def test_dump_of_a_superseded_release_comes_from_the_archive(bundled_url: str, bundled, tmp_path: Path) -> None:
    """The bundled data has an older gene-validity release: the embedded store moved it to its archive, and its
    dump still holds every triple its metadata counts."""
    from clingen_graph.release import current_releases, releases
    from clingen_graph.store import open_store

    store = open_store(bundled_url, read_only=True)
    current = {r.graph for r in current_releases(store).values()}
    old = next(r for r in releases(store) if r.graph not in current)
    assert old.graph in store.archived_graphs()  # type: ignore[attr-defined]
    store.close()
    name = old.graph.rsplit("graph/", 1)[1]
    result = CliRunner().invoke(app, ["export", "--format", "nt", "--release", name, "--store", bundled_url,
                                      "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    (dump,) = read_manifest(tmp_path).dumps  # type: ignore[union-attr]
    assert dump.triples == old.triples > 0
