"""Bulk dumps: ``GET /dumps/`` (the DCAT/VoID manifest) and ``GET /dumps/{file}`` (a gzipped dump).

Files come from the ``dumps_dir`` setting. When it holds no dump of every current release in every format,
the first request makes them there (:func:`clingen_graph.export.dumps.write_dumps`): one generation at a
time (a thread lock in this process, a file lock across processes), each file written aside and renamed
into place, so a concurrent reader sees the old file or the new one, never part of one.
"""

from __future__ import annotations

import fcntl
import threading
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response

from ...export.dumps import FORMATS, MANIFEST_JSONLD, MANIFEST_TTL, has_dumps, read_manifest, write_dumps
from ..deps import SettingsDep, StateDep
from ..errors import ApiProblem
from ..sparql_exec import negotiate

router = APIRouter(prefix="/dumps", tags=["dumps"])
_LOCK = threading.Lock()
MANIFEST_TYPES = {"application/ld+json": MANIFEST_JSONLD, "application/json": MANIFEST_JSONLD,
                  "text/turtle": MANIFEST_TTL}


def ensure_dumps(state: StateDep, folder: Path) -> None:
    """Make the dumps of the current releases in ``folder`` unless they are there already."""
    view = state.snapshot()
    graphs = [r.graph for r in view.releases.values()]
    if has_dumps(folder, graphs):
        return
    folder.mkdir(parents=True, exist_ok=True)
    with _LOCK, (folder / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another server process may be making them: wait for it
        try:
            if not has_dumps(folder, graphs):
                write_dumps(view.store, folder, list(FORMATS))
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@router.get("/", summary="The manifest of the bulk dumps (DCAT/VoID)",
            description="JSON-LD by default, Turtle by `Accept: text/turtle`. Lists each dump of the current "
                        "releases (N-Triples, Turtle, N-Quads, JSON-LD; gzipped) with its byte size, sha256 and "
                        "triple count, and each release's licence, source and label. The first request after a "
                        "new release makes the dumps (seconds to minutes).")
def get_manifest(request: Request, state: StateDep, settings: SettingsDep) -> Response:
    media = negotiate(request.headers.get("accept", ""), MANIFEST_TYPES, "application/ld+json")
    if media is None:
        raise ApiProblem(406, "Not acceptable", "available as " + ", ".join(MANIFEST_TYPES))
    folder = Path(settings.dumps_dir)
    ensure_dumps(state, folder)
    return Response((folder / MANIFEST_TYPES[media]).read_bytes(), media_type=media)


@router.get("/{file}", summary="One dump file (gzip), or the manifest by name",
            description="A file the manifest lists (`<source>-<release>.<nt|ttl|nq|jsonld>.gz`), served as "
                        "`application/gzip`; check it against the manifest's sha256.")
def get_dump(file: str, state: StateDep, settings: SettingsDep) -> Response:
    folder = Path(settings.dumps_dir)
    ensure_dumps(state, folder)
    if file in (MANIFEST_TTL, MANIFEST_JSONLD):
        return FileResponse(folder / file, media_type="text/turtle" if file == MANIFEST_TTL else
                            "application/ld+json")
    manifest = read_manifest(folder)
    listed = {d.file: d for d in manifest.dumps} if manifest else {}
    if file not in listed or not (folder / file).is_file():
        raise ApiProblem(404, "Not found", f"no dump named {file!r}; the manifest at /dumps/ lists them")
    return FileResponse(folder / file, media_type="application/gzip", filename=file,
                        headers={"Digest": f"sha-256={listed[file].sha256}"})
