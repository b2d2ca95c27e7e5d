"""Where the curated artefacts live: ontology/, shapes/, queries/ and data/ at the project root.

They sit beside ``src/`` so that data modelers and researchers find them; the package locates them from
its own path (editable install or clone) or from ``CLINGEN_GRAPH_HOME``.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path


class ResourceError(RuntimeError):
    """The project's ontology/shapes/queries folders cannot be found."""


@cache
def home() -> Path:
    env = os.environ.get("CLINGEN_GRAPH_HOME")
    candidates = [Path(env)] if env else []
    candidates.append(Path(__file__).resolve().parents[2])
    candidates.append(Path.cwd())
    for c in candidates:
        if (c / "ontology").is_dir() and (c / "queries").is_dir():
            return c
    raise ResourceError(
        "cannot find the clingen-graph project folders (ontology/, shapes/, queries/); "
        "run from a clone or set CLINGEN_GRAPH_HOME"
    )


def ontology_dir() -> Path:
    return home() / "ontology"


def shapes_dir() -> Path:
    return home() / "shapes"


def queries_dir() -> Path:
    return home() / "queries"


def data_dir() -> Path:
    return home() / "data"
