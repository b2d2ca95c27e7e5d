"""The command line on the bundled store: help, query formats, stats, validate, load errors."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from clingen_graph.cli import app

runner = CliRunner()


def test_help_explains_every_command():
    r = runner.invoke(app, ["--help"])
    assert r.exit_code == 0
    for cmd in ("load", "validate", "query", "serve", "stats"):
        assert cmd in r.output
        sub = runner.invoke(app, [cmd, "--help"])
        assert sub.exit_code == 0 and len(sub.output) > 200


def test_query_formats(bundled_url):
    r = runner.invoke(app, ["query", "gene-validity", "--param", "gene=HGNC:1100", "--format", "json",
                            "--store", bundled_url])
    assert r.exit_code == 0, r.output
    assert len(json.loads(r.output)["results"]["bindings"]) >= 2
    r = runner.invoke(app, ["query", "gene-validity", "-p", "gene=HGNC:1100", "-f", "csv", "--store", bundled_url])
    assert r.exit_code == 0 and r.output.splitlines()[0].startswith("statement,gene,symbol")
    r = runner.invoke(app, ["query", "--list"])
    assert "disease-subtypes-genes" in r.output


def test_query_errors_are_usage_errors(bundled_url):
    r = runner.invoke(app, ["query", "no-such-query", "--store", bundled_url])
    assert r.exit_code == 2 and "no query named" in r.output
    r = runner.invoke(app, ["query", "gene-validity", "-p", "nope=1", "--store", bundled_url])
    assert r.exit_code == 2


def test_stats(bundled_url):
    r = runner.invoke(app, ["stats", "--json", "--store", bundled_url])
    assert r.exit_code == 0
    rows = json.loads(r.output)
    assert any(x["source"] == "hgnc" and x["current"] for x in rows)


def test_validate_current_releases(bundled_url):
    r = runner.invoke(app, ["validate", "--store", bundled_url, "--source", "clingen-gene-validity"])
    assert r.exit_code == 0, r.output
    assert "conforms" in r.output


def test_load_reports_a_file_of_the_wrong_kind(tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("hello\nworld\n")
    report = tmp_path / "rejects.tsv"
    r = runner.invoke(app, ["load", str(junk), "--store", f"oxigraph:{tmp_path}/s", "--report", str(report)])
    assert r.exit_code == 1
    assert "unknown-kind" in report.read_text()


def test_load_refuses_a_batch_size_that_is_not_a_number(tmp_path, monkeypatch, data):
    monkeypatch.setenv("CLINGEN_GRAPH_LOAD_BATCH", "a lot")
    r = runner.invoke(app, ["load", str(data / "clinvar"), "--store", f"oxigraph:{tmp_path}/s"])
    assert r.exit_code == 2
    assert "CLINGEN_GRAPH_LOAD_BATCH" in r.output and "positive number of triples" in r.output
    assert not (tmp_path / "s").exists()  # refused before the store is opened
