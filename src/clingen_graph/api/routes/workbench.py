"""``/``: the query workbench, a page for researchers (DESIGN §7).

The page is server-rendered (Jinja2, ``templates/workbench.html``) with the catalogue of named queries and
the prefix block, and made interactive by ``static/workbench.js``: it runs a catalogue query through
``/queries/{name}/results?…&links=true`` and any edited text through ``/sparql``, and links the IRIs of the
results to their HTML pages with ``POST /workbench/links`` (both computed by :func:`..links.page_url`, so the
browser never guesses URLs). It works offline: no CDN; the SPARQL editor is CodeMirror 5 from npm
(``web/node_modules``, installed by ``make install``) served under ``/static/vendor/codemirror/``; without
it the editor is a plain text area.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Body, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.templating import Jinja2Templates

from ... import query as catalogue_queries
from ...ids import prefix_map
from ...resources import home
from ..errors import ApiProblem
from ..links import page_url
from .catalogue import describe

router = APIRouter(tags=["workbench"])

API_DIR = Path(__file__).resolve().parents[1]
templates = Jinja2Templates(directory=str(API_DIR / "templates"))
# the files of CodeMirror 5 that the workbench loads (a fixed list: nothing else of node_modules is served)
CODEMIRROR_FILES = frozenset({
    "lib/codemirror.js", "lib/codemirror.css", "mode/sparql/sparql.js",
    "addon/edit/matchbrackets.js",
})
MAX_LINK_IRIS = 100_000
STARTER = "SELECT ?s ?p ?o\nWHERE {\n  ?s ?p ?o\n}\nLIMIT 10\n"


def codemirror_dir() -> Path:
    """Where npm put CodeMirror 5 (``web/node_modules/codemirror``; may be missing)."""
    return home() / "web" / "node_modules" / "codemirror"


@cache
def prefix_block() -> str:
    """The ``PREFIX`` lines of our prefix map, which every new query starts with."""
    return "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in prefix_map().items())


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def workbench(request: Request) -> HTMLResponse:
    queries = [describe(q) for q in catalogue_queries.catalogue().values()]
    data = {
        "queries": [q.model_dump() for q in queries],
        "prefixes": prefix_map(),
        "starter": prefix_block() + "\n" + STARTER,
    }
    # "</" cannot close the <script> element that carries the data
    payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return templates.TemplateResponse(request, "workbench.html", {
        "queries": queries, "data": payload, "codemirror": (codemirror_dir() / "lib" / "codemirror.js").is_file(),
    })


@router.get("/static/vendor/codemirror/{path:path}", include_in_schema=False)
async def codemirror_file(path: str) -> FileResponse:
    if path not in CODEMIRROR_FILES or not (codemirror_dir() / path).is_file():
        raise ApiProblem(404, "Not found", f"/static/vendor/codemirror/{path} is not served (run make install "
                         "to install the editor)")
    media = "text/css" if path.endswith(".css") else "text/javascript"
    return FileResponse(codemirror_dir() / path, media_type=media, headers={"Cache-Control": "max-age=3600"})


@router.post("/workbench/links", tags=["workbench"], summary="HTML pages of IRIs",
             description="A JSON list of IRIs → an object mapping each IRI that has an HTML page (gene, disease, "
                         "variant, statement) to that page's path; IRIs without a page are left out.")
async def links(iris: Annotated[list[str], Body()]) -> dict[str, str]:
    if len(iris) > MAX_LINK_IRIS:
        raise ApiProblem(413, "Too many IRIs", f"at most {MAX_LINK_IRIS} IRIs per request")
    found: dict[str, str] = {}
    for iri in iris:
        url = page_url(iri)
        if url is not None:
            found[iri] = url
    return found
