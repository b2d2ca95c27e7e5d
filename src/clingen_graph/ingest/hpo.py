"""Human Phenotype Ontology (``hp.obo``, optionally gzipped), read with pronto: the whole ontology,
including the mode-of-inheritance subtree under HP:0000005 used to qualify propositions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .base import Problem, ReleaseInfo, SourceSpec
from .obo import TermRecord, obo_release, parse_with_pronto


def read_release(path: Path) -> ReleaseInfo:
    return obo_release(path, "HP")


def parse(path: Path) -> Iterator[TermRecord | Problem]:
    return parse_with_pronto(path, "HP")


SOURCE = SourceSpec(
    name="hpo",
    title="Human Phenotype Ontology",
    homepage="https://hpo.jax.org/",
    license="HPO licence (https://hpo.jax.org/app/license)",
    role="reference",
    sniff=lambda path, head: "ontology: hp" in head or "data-version: hp/" in head or "obo/hp.owl" in head,
    read_release=read_release,
    parse=parse,
)
