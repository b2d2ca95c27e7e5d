"""The ``clingen-graph`` command: load, validate, query, serve, stats.

Commands are thin wrappers over library calls; heavy imports happen inside them so ``--help`` is quick.
Exit codes: 0 ok, 1 error (a file failed, a query failed), 2 usage, 3 ``--strict`` or validation not met.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="clingen-graph: ClinGen gene-disease validity, dosage and expert variant interpretations (ACMG/AMP "
    "criteria), ClinVar submissions with their aggregates and conflicts, and MONDO, HPO and HGNC, as a validated "
    "RDF knowledge graph served over SPARQL and JSON-LD.\n\n"
    "Typical use: `clingen-graph load --bundled` then `clingen-graph serve`.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

StoreOpt = Annotated[
    str | None,
    typer.Option("--store", help="Store URL: oxigraph:DIR (default oxigraph:./var/store, or $CLINGEN_GRAPH_STORE), "
                 "memory:, or a SPARQL server: fuseki+http://HOST:PORT/DATASET, oxigraph+http://HOST:PORT, "
                 "virtuoso+http://HOST:PORT, sparql+http(s)://QUERY-ENDPOINT. Server credentials come from "
                 "$CLINGEN_GRAPH_STORE_USER/$CLINGEN_GRAPH_STORE_PASSWORD or $CLINGEN_GRAPH_STORE_TOKEN.",
                 show_default=False),
]
QueryEndpointOpt = Annotated[str | None, typer.Option(
    "--query-endpoint", help="Remote stores: the SPARQL query endpoint, overriding the URL's layout.",
    show_default=False)]
UpdateEndpointOpt = Annotated[str | None, typer.Option(
    "--update-endpoint", help="Remote stores: the SPARQL update endpoint.", show_default=False)]
GraphStoreEndpointOpt = Annotated[str | None, typer.Option(
    "--graph-store-endpoint", help="Remote stores: the Graph Store Protocol endpoint.", show_default=False)]


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code)


def _endpoints_to_env(query: str | None, update: str | None, graph_store: str | None) -> None:
    """Explicit endpoints go where every store opener (the API's too) finds them: the environment."""
    import os

    from .store.remote import ENV_ENDPOINTS

    for key, value in (("query", query), ("update", update), ("graph_store", graph_store)):
        if value:
            os.environ[ENV_ENDPOINTS[key]] = value


def _open(store: str | None, *, read_only: bool = False, endpoints: tuple[str | None, ...] = ()):
    from .store import StoreError, open_store

    query, update, graph_store = (*endpoints, None, None, None)[:3]
    _endpoints_to_env(query, update, graph_store)
    try:
        return open_store(store, read_only=read_only)
    except StoreError as exc:
        raise _fail(str(exc)) from exc


@app.command()
def load(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders; each file's source is detected "
                                                      "from its content.", show_default=False)] = None,
    bundled: Annotated[bool, typer.Option("--bundled", help="Load every file in the project's data/ folder.")] = False,
    store: StoreOpt = None,
    query_endpoint: QueryEndpointOpt = None,
    update_endpoint: UpdateEndpointOpt = None,
    graph_store_endpoint: GraphStoreEndpointOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help="Refuse a whole release if any record violates "
                                         "the SHACL shapes (default: quarantine those records).")] = False,
    report: Annotated[Path, typer.Option("--report", help="Where rejected and warned rows are written "
                                         "(TSV: level, source, file, line, code, message, raw).")]
    = Path("var/rejects.tsv"),
) -> None:
    """Load source files as releases (one named graph per source release), validating them with SHACL.

    References (HGNC, MONDO, HPO, MONDO mappings) load before curations, which are checked against them:
    obsolete MONDO ids are repaired through replaced_by and reported. Loading a file already loaded is a
    no-op. Ends with a table per file and writes every reject/warning with file:line to --report.
    A file of more than $CLINGEN_GRAPH_LOAD_BATCH triples (default 1,000,000; a full ClinVar release has
    hundreds of millions) is staged batch by batch, so memory stays bounded; the release is the same.
    """
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from .api.state import bump_generation
    from .release import load_batch, load_paths
    from .resources import data_dir

    try:
        load_batch()
    except ValueError as exc:
        raise _fail(str(exc), 2) from None

    targets = list(paths or [])
    if bundled:
        targets.append(data_dir())
    if not targets:
        raise _fail("give files/folders to load, or --bundled", 2)
    missing = [str(p) for p in targets if not p.exists()]
    if missing:
        raise _fail(f"no such file or folder: {', '.join(missing)}", 2)
    console = Console(stderr=True)
    graph_store = _open(store, endpoints=(query_endpoint, update_endpoint, graph_store_endpoint))
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console,
                  transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task("starting", total=None)

        def progress(path: Path, phase: str, n: int) -> None:
            bar.update(task, description=f"{path.name}: {phase} {n:,} rows")

        summaries = load_paths(graph_store, targets, strict=strict, progress=progress)
    bump_generation(graph_store)
    graph_store.close()

    table = Table(title="load summary", show_lines=False)
    for col in ("file", "source", "release", "status", "read", "loaded", "rejected", "quarantined", "warnings",
                "triples", "s"):
        table.add_column(col, justify="right" if col in {"read", "loaded", "rejected", "quarantined", "warnings",
                                                         "triples", "s"} else "left")
    for s in summaries:
        table.add_row(Path(s.file).name, s.source, s.release, s.status + (f" ({s.message})" if s.message and
                      s.status != "loaded" else ""), f"{s.rows_read:,}", f"{s.rows_loaded:,}", f"{s.rows_rejected:,}",
                      f"{s.rows_quarantined:,}", f"{s.warnings:,}", f"{s.triples:,}", f"{s.seconds:.1f}")
    Console(width=max(Console().width, 160)).print(table)
    report.parent.mkdir(parents=True, exist_ok=True)
    with report.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(["level", "source", "file", "line", "code", "message", "raw"])
        for s in summaries:
            for p in s.problems:
                w.writerow([p.level, s.source, p.file, p.line, p.code, p.message, p.raw.replace("\t", " ")])
    problems = sum(len(s.problems) for s in summaries)
    console.print(f"{problems:,} rejects/warnings written to {report}")
    if any(s.status == "refused" for s in summaries):
        raise typer.Exit(3)
    if any(s.status == "failed" for s in summaries):
        raise typer.Exit(1)


@app.command()
def validate(
    store: StoreOpt = None,
    query_endpoint: QueryEndpointOpt = None,
    update_endpoint: UpdateEndpointOpt = None,
    graph_store_endpoint: GraphStoreEndpointOpt = None,
    engine: Annotated[str, typer.Option(help="sparql (fast, compiled shapes) or pyshacl (the reference, slow), "
                                        "or both (compares them).")] = "sparql",
    source: Annotated[list[str] | None, typer.Option("--source", help="Only these sources (repeatable).")] = None,
) -> None:
    """Validate the current release of each source in the store against shapes/*.ttl."""
    import time

    from pyoxigraph import RdfFormat

    from .release import current_releases
    from .validate import validate_graph, validate_store, validate_with_pyshacl

    if engine not in {"sparql", "pyshacl", "both"}:
        raise _fail("--engine is sparql, pyshacl or both", 2)
    graph_store = _open(store, read_only=True,
                        endpoints=(query_endpoint, update_endpoint, graph_store_endpoint))
    failed = False
    for name, rel in sorted(current_releases(graph_store).items()):
        if source and name not in source:
            continue
        results = {}
        if engine in {"sparql", "both"}:
            t = time.perf_counter()
            raw = getattr(graph_store, "raw", None)  # embedded: in-process; remote: SPARQL where the data is
            report = validate_store(raw, graph=rel.graph) if raw is not None else validate_graph(graph_store, rel.graph)
            results["sparql"] = (report, time.perf_counter() - t)
        if engine in {"pyshacl", "both"}:
            t = time.perf_counter()
            turtle = graph_store.dump(RdfFormat.N_TRIPLES, graph=rel.graph).decode()
            import rdflib

            g = rdflib.Graph().parse(data=turtle, format="nt")
            results["pyshacl"] = (validate_with_pyshacl(g), time.perf_counter() - t)
        for eng, (rep, secs) in results.items():
            failed |= not rep.conforms
            typer.echo(f"{name:28} {rel.label:16} {eng:8} {'conforms' if rep.conforms else 'VIOLATES':9} "
                       f"{len(rep.violations):6} violations  {secs:7.2f} s")
            for v in rep.violations[:5]:
                typer.echo(f"    {v.focus} {v.path or ''} {v.component}: {v.message}")
        if len(results) == 2:
            a, b = ({v.key for v in r.violations} for r, _ in results.values())
            same = "agree" if a == b else f"DISAGREE ({len(a ^ b)} differing results)"
            typer.echo(f"    engines {same}")
            failed |= a != b
    if failed:
        raise typer.Exit(3)


@app.command()
def query(
    name: Annotated[str, typer.Argument(help="A catalogue query name (see `clingen-graph query --list`) or a "
                                        "path to a .rq file.")] = "",
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="Parameter as key=value (repeatable), "
                                                    "e.g. --param gene=HGNC:1100.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="json, csv or table.")] = "table",
    list_: Annotated[bool, typer.Option("--list", help="List the catalogue queries and their parameters.")] = False,
    store: StoreOpt = None,
    query_endpoint: QueryEndpointOpt = None,
    update_endpoint: UpdateEndpointOpt = None,
    graph_store_endpoint: GraphStoreEndpointOpt = None,
) -> None:
    """Run a named query from queries/*.rq (or a .rq file) on the current releases."""
    from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions

    from . import query as catalogue
    from .release import default_graphs

    if list_ or not name:
        for q in catalogue.catalogue().values():
            params = " ".join(f"--param {p.name}=<{p.kind}>" for p in q.params)
            typer.echo(f"{q.name:34} {q.title}\n{'':34} {params}")
        return
    if fmt not in {"json", "csv", "table"}:
        raise _fail("--format is json, csv or table", 2)
    try:
        named = catalogue.get(name)
        values = dict(p.split("=", 1) for p in (param or []) if "=" in p)
        if len(values) != len(param or []):
            raise catalogue.QueryError("parameters are key=value")
        text = named.bind(values)
    except catalogue.QueryError as exc:
        raise _fail(str(exc), 2) from exc
    graph_store = _open(store, read_only=True,
                        endpoints=(query_endpoint, update_endpoint, graph_store_endpoint))
    try:
        result = graph_store.query(text, default_graphs=default_graphs(graph_store))
    except SyntaxError as exc:
        raise _fail(f"{named.path}: {exc}") from exc
    if isinstance(result, QueryBoolean):
        typer.echo("true" if bool(result) else "false")
        return
    if not isinstance(result, QuerySolutions | list):
        sys.stdout.buffer.write(result.serialize(format=__import__("pyoxigraph").RdfFormat.TURTLE))
        return
    if fmt == "json":
        sys.stdout.buffer.write(result.serialize(format=QueryResultsFormat.JSON))
        typer.echo("")
        return
    rows = [[(row[v].value if row[v] is not None else "") for v in result.variables] for row in result]
    header = [v.value for v in result.variables]
    if fmt == "csv":
        out = io.StringIO()
        w = csv.writer(out)
        w.writerow(header)
        w.writerows(rows)
        typer.echo(out.getvalue(), nl=False)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{named.title} ({len(rows)} rows)")
    for h in header:
        table.add_column(h, overflow="fold")
    for r in rows:
        table.add_row(*(_short(c) for c in r))
    Console().print(table)


def _short(value: str) -> str:
    from .ids import compress_iri

    return compress_iri(value) if value.startswith("http") else value


@app.command()
def serve(
    store: StoreOpt = None,
    query_endpoint: QueryEndpointOpt = None,
    update_endpoint: UpdateEndpointOpt = None,
    graph_store_endpoint: GraphStoreEndpointOpt = None,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    timeout: Annotated[float | None, typer.Option(
        help="Seconds a /sparql query may run before a 503 (default: $CLINGEN_GRAPH_QUERY_TIMEOUT, else 30).",
        show_default=False)] = None,
) -> None:
    """Serve the query workbench (/), entity pages and JSON-LD (/genes, /diseases, /variants, /statements),
    search (/search), SPARQL (/sparql), the catalogue (/queries) and releases; API docs at /docs.

    The store is opened read-only, so a load must not run at the same time on the same directory; after
    a load, the server picks up the new releases on the next request. The search index is built in the
    background at start-up (seconds on the bundled data).
    """
    import uvicorn

    from .api.app import create_app
    from .api.routes.search import warm_index
    from .api.settings import Settings
    from .store.base import store_url

    url = store_url(store)
    check = _open(url, read_only=url.startswith("oxigraph:"),
                  endpoints=(query_endpoint, update_endpoint, graph_store_endpoint))
    check.close()
    settings = Settings(store=url, **({"query_timeout": timeout} if timeout is not None else {}))
    typer.echo(f"serving {url} on http://{host}:{port} (workbench at /, SPARQL at /sparql, docs at /docs)",
               err=True)
    api = create_app(settings)
    warm_index(api.state.clingen)
    uvicorn.run(api, host=host, port=port, log_level="warning")


@app.command()
def stats(
    store: StoreOpt = None,
    query_endpoint: QueryEndpointOpt = None,
    update_endpoint: UpdateEndpointOpt = None,
    graph_store_endpoint: GraphStoreEndpointOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable.")] = False,
) -> None:
    """The releases in the store: which is current per source, rows read/loaded/rejected, triples."""
    from .release import current_releases, releases

    graph_store = _open(store, read_only=True,
                        endpoints=(query_endpoint, update_endpoint, graph_store_endpoint))
    current = {r.graph for r in current_releases(graph_store).values()}
    items = releases(graph_store)
    if as_json:
        typer.echo(json.dumps([{**r.__dict__, "current": r.graph in current} for r in items], indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"releases in {graph_store.url}")
    for col in ("source", "release", "current", "file", "read", "loaded", "rejected", "triples", "loaded at"):
        table.add_column(col)
    for r in items:
        table.add_row(r.source, r.label, "yes" if r.graph in current else "", r.file, f"{r.rows_read:,}",
                      f"{r.rows_loaded:,}", f"{r.rows_rejected:,}", f"{r.triples:,}", r.loaded_at)
    Console().print(table)


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", help="va-spec | fhir (JSON Lines: one document per variant "
                                     "pathogenicity statement) or a bulk dump: nt | ttl | nq | jsonld "
                                     "(gzipped, one file per release, plus manifest.ttl and manifest.jsonld).",
                                     show_default=False)],
    release: Annotated[str | None, typer.Option("--release", help="Dumps: only this release (source/label, "
                                                "its graph IRI, a source name or a release label); default: "
                                                "every current release.", show_default=False)] = None,
    out: Annotated[Path | None, typer.Option("--out", help="va-spec/fhir: the output file (default stdout); "
                                             "dumps: the folder (default var/dumps).", show_default=False)] = None,
    store: StoreOpt = None,
) -> None:
    """Export for integrators: GA4GH VA-Spec 1.0 statements (ACMG 2015 profile) or FHIR R4 Genomics Reporting
    bundles as JSON Lines, or bulk dumps of the releases with a DCAT/VoID manifest (sizes, sha256, triples,
    licence per source)."""
    import time

    dump_formats = ("nt", "ttl", "nq", "jsonld")
    if fmt not in ("va-spec", "fhir", *dump_formats):
        raise _fail(f"unknown format {fmt!r}; use va-spec, fhir, {', '.join(dump_formats)}", 2)
    graph_store = _open(store, read_only=True)
    started = time.monotonic()
    if fmt in dump_formats:
        from .export.dumps import DumpError, write_dumps

        folder = out or Path("var/dumps")
        try:
            manifest = write_dumps(graph_store, folder, [fmt], release=release,
                                   progress=lambda m: typer.echo(m, err=True))
        except DumpError as exc:
            raise _fail(str(exc)) from exc
        for d in manifest.dumps:
            if d.format == fmt:
                typer.echo(f"{folder / d.file}\t{d.triples} triples\t{d.byte_size} bytes\tsha256 {d.sha256}")
        typer.echo(f"manifest: {folder / 'manifest.ttl'}, {folder / 'manifest.jsonld'} "
                   f"({time.monotonic() - started:.1f} s)", err=True)
        return
    if release is not None:
        raise _fail("--release applies to dumps; va-spec and fhir export the current releases", 2)
    import orjson

    from .release import default_graphs

    if fmt == "va-spec":
        from .export.va_spec import va_spec_statements as documents
    else:
        from .export.fhir import fhir_bundles as documents
    typer.echo(f"exporting {fmt} from {graph_store.url}", err=True)
    count = 0
    sink = out.open("wb") if out else sys.stdout.buffer
    try:
        for doc in documents(graph_store, default_graphs(graph_store)):
            sink.write(orjson.dumps(doc) + b"\n")
            count += 1
            if count % 1000 == 0:
                typer.echo(f"{count} statements", err=True)
    finally:
        if out:
            sink.close()
        else:
            sink.flush()
    typer.echo(f"{count} statements exported as {fmt} ({time.monotonic() - started:.1f} s)", err=True)


@app.command()
def aggregate(
    files: Annotated[list[Path], typer.Argument(help="ClinVar VCV XML files (.xml or .xml.gz): single records or "
                                                "whole ClinVarVCVRelease files.", show_default=False)],
    only_differences: Annotated[bool, typer.Option("--only-differences", help="Print only the records where "
                                                   "our aggregate differs from ClinVar's.")] = False,
) -> None:
    """Recompute ClinVar's aggregate classification of each VCV from its SCVs and compare it with ClinVar's.

    Per VCV and classification kind (germline, somatic clinical impact, oncogenicity): our classification,
    review status and stars next to ClinVar's, '=' where they agree and '!' where they differ, then the typed
    conflicts between SCVs (P/LP vs VUS, P/LP vs B/LB, VUS vs B/LB, expert panel vs other submitters). Ends
    with 'agreement: N/M' (records where every kind agrees / records read). Exit 1 if a file could not be
    read completely.
    """
    from .ingest.base import FileProblem, Problem
    from .ingest.clinvar_xml import VcvRecord, agreement, parse

    missing = [str(p) for p in files if not p.is_file()]
    if missing:
        raise _fail(f"no such file: {', '.join(missing)}", 2)
    agreed = total = 0
    failed = False
    for path in files:
        try:
            for item in parse(path):
                if isinstance(item, Problem):
                    if item.level == "reject":
                        failed = True
                        typer.secho(f"{item}", err=True, fg=typer.colors.RED)
                    continue
                assert isinstance(item, VcvRecord)
                total += 1
                kinds = [k for k in ("germline", "somatic-clinical-impact", "oncogenicity")
                         if k in item.aggregates or k in item.clinvar]
                same = all(agreement(item.aggregates.get(k), item.clinvar.get(k)) for k in kinds)
                agreed += same
                if only_differences and same:
                    continue
                genes = ",".join(g.symbol for g in item.genes[:3])
                typer.echo(f"{item.accession}.{item.version}  {genes}  {item.name}  [{path.name}:{item.line}]")
                for k in kinds:
                    ours, theirs = item.aggregates.get(k), item.clinvar.get(k)
                    mark = "=" if agreement(ours, theirs) else "!"
                    typer.echo(f"  {mark} {k:24} ours:    " + (f"{ours.classification} | {ours.review_status} | "
                                                              f"{ours.stars}*" if ours else "(none)"))
                    typer.echo(f"    {'':24} ClinVar: " + (f"{theirs.classification} | {theirs.review_status} | "
                                                          f"{theirs.stars}*" if theirs else "(none)"))
                for c in item.conflicts:
                    typer.echo(f"    conflict: {c}")
        except FileProblem as exc:
            failed = True
            typer.secho(str(exc.problem), err=True, fg=typer.colors.RED)
    typer.echo(f"agreement: {agreed}/{total}")
    if failed:
        raise typer.Exit(1)


@app.command("classify")
def classify_cmd(
    codes: Annotated[str | None, typer.Option("--codes", help="ACMG/AMP criteria met, comma or semicolon "
                                              "separated, e.g. 'PVS1,PM2_Supporting' or 'PS3, PM3, PP4_Moderate'.",
                                              show_default=False)] = None,
    erepo: Annotated[Path | None, typer.Option("--erepo", help="A ClinGen Evidence Repository export (.tsv or "
                                               ".tsv.gz): classify every row from its met codes and compare with "
                                               "the expert panel's classification.", show_default=False)] = None,
    rules: Annotated[str | None, typer.Option("--rules", help="table5 (Richards 2015 Table 5 + ClinGen SVI), points "
                                              "(Tavtigian bands) or vcep (the panel's own rule set where the ERepo "
                                              "shows one, else table5). Default: vcep for --erepo and with "
                                              "--panel, else table5.", show_default=False)] = None,
    panel: Annotated[str | None, typer.Option("--panel", help="With --codes: classify by this expert panel's rule "
                                              "set, named as in the ERepo (e.g. 'CDH1 VCEP').",
                                              show_default=False)] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    show: Annotated[int, typer.Option("--show", help="With --erepo: list at most N disagreements.", min=0)] = 50,
) -> None:
    """Classify a variant from its ACMG/AMP criteria and say which rule fired, or check an ERepo file.

    --codes prints the class, the rule that fired, the Tavtigian points, the criteria counted and a short
    explanation. --erepo classifies every interpretation from its met codes, prints agreement per expert panel,
    each disagreement with our explanation (and what the summary says the export lost), and ends with the line
    'agreement: N/M (P%)'. Exit 2 on a bad criterion code or bad options, 1 if the file cannot be read.
    """
    from . import acmg

    if (codes is None) == (erepo is None):
        raise _fail("give exactly one of --codes or --erepo", 2)
    if fmt not in ("text", "json"):
        raise _fail(f"--format must be text or json, not {fmt!r}", 2)
    chosen = rules or ("vcep" if erepo is not None or panel else "table5")
    if chosen not in ("table5", "points", "vcep"):
        raise _fail(f"--rules must be table5, points or vcep, not {chosen!r}", 2)
    if codes is not None:
        try:
            criteria = acmg.parse_codes(codes)
        except acmg.CriterionError as exc:
            raise _fail(str(exc), 2) from exc
        result = acmg.classify(criteria, rules=chosen, expert_panel=panel)  # type: ignore[arg-type]
        if fmt == "json":
            typer.echo(json.dumps({
                "classification": result.classification, "rule": result.rule, "points": result.points,
                "counted": list(result.counted), "explanation": result.explanation, "rule_set": result.rule_set,
                "rules_version": result.rules_version,
                "criteria": [{"code": c.code, "strength": c.strength, "direction": c.direction,
                              "modified": c.modified, "label": c.label} for c in criteria],
            }, indent=2))
            return
        for key, value in (("classification", result.classification), ("rule", result.rule),
                           ("points", f"{result.points:+d}"), ("counted", ", ".join(result.counted) or "(none)"),
                           ("explanation", result.explanation),
                           ("rules", f"{result.rule_set} ({result.rules_version})")):
            typer.echo(f"{key + ':':16}{value}")
        return
    assert erepo is not None
    _classify_erepo(erepo, chosen, fmt, show)


def _classify_erepo(path: Path, rules: str, fmt: str, show: int) -> None:
    from rich.console import Console
    from rich.table import Table

    from . import acmg
    from .ingest.base import FileProblem, Problem
    from .ingest.clingen_erepo import ErepoRecord, parse, summary_notes

    if not path.is_file():
        raise _fail(f"no such file: {path}", 2)
    per_panel: dict[str, list[int]] = {}
    panel_rules: dict[str, str] = {}
    disagreements: list[tuple[ErepoRecord, acmg.Classification]] = []
    rejects: list[Problem] = []
    try:
        for item in parse(path):
            if isinstance(item, Problem):
                if item.level == "reject":
                    rejects.append(item)
                continue
            result = acmg.classify(item.met, rules=rules, expert_panel=item.expert_panel,  # type: ignore[arg-type]
                                   guideline=item.guideline)
            counts = per_panel.setdefault(item.expert_panel, [0, 0])
            counts[1] += 1
            panel_rules[item.expert_panel] = result.rule_set
            if result.classification == item.classification:
                counts[0] += 1
            else:
                disagreements.append((item, result))
    except FileProblem as exc:
        raise _fail(str(exc.problem)) from exc
    for p in rejects[:10]:
        typer.secho(str(p), err=True, fg=typer.colors.YELLOW)
    if rejects:
        typer.secho(f"{len(rejects)} row(s) rejected, not compared", err=True, fg=typer.colors.YELLOW)
    agree = sum(v[0] for v in per_panel.values())
    total = sum(v[1] for v in per_panel.values())
    pct = 100.0 * agree / total if total else 0.0
    if fmt == "json":
        typer.echo(json.dumps({
            "file": str(path), "rules": rules, "rules_version": acmg.RULES_VERSION,
            "panels": [{"expert_panel": k, "rule_set": panel_rules[k], "rows": v[1], "agree": v[0]}
                       for k, v in sorted(per_panel.items())],
            "disagreements": [{"line": r.line, "uuid": r.uuid, "title": r.title, "expert_panel": r.expert_panel,
                               "expert": r.classification, "ours": c.classification, "rule": c.rule,
                               "points": c.points, "counted": list(c.counted), "explanation": c.explanation,
                               "notes": summary_notes(r)} for r, c in disagreements[:show]],
            "more_disagreements": max(0, len(disagreements) - show),
            "rejected": len(rejects),
            "agreement": {"agree": agree, "rows": total, "percent": round(pct, 2)},
        }, indent=2))
        return
    console = Console(width=max(Console().width, 140), highlight=False)
    table = Table(title=f"agreement with the expert classification per panel ({rules} rules)")
    for col in ("expert panel", "rule set", "rows", "agree", "%"):
        table.add_column(col, justify="right" if col in ("rows", "agree", "%") else "left")
    for name, (ok, n) in sorted(per_panel.items(), key=lambda kv: (kv[1][0] / kv[1][1], kv[0])):
        table.add_row(name, panel_rules[name], f"{n:,}", f"{ok:,}", f"{100.0 * ok / n:.1f}")
    console.print(table)
    if disagreements:
        typer.echo(f"\ndisagreements ({len(disagreements)}):")
    for r, c in disagreements[:show]:
        typer.echo(f"{Path(r.file).name}:{r.line}  {r.title}  [{r.expert_panel}]")
        typer.echo(f"  expert: {r.classification}  ours: {c.classification}  by {c.rule}  (points {c.points:+d}; "
                   f"met: {', '.join(x.label for x in r.met) or 'none'})")
        typer.echo(f"  {c.explanation}")
        for note in summary_notes(r):
            typer.echo(f"  note: {note}")
    if len(disagreements) > show:
        typer.echo(f"... and {len(disagreements) - show} more disagreement(s); use --show {len(disagreements)} "
                   "to list them all")
    typer.echo(f"agreement: {agree}/{total} ({pct:.2f}%)")


if __name__ == "__main__":
    app()
