"""Value sets read from the SKOS schemes in ``ontology/valuesets.ttl`` (the single source of truth).

>>> gene_validity().lookup("Definitive").endswith("#Definitive")
True
>>> moi().lookup("AR")
'http://purl.obolibrary.org/obo/HP_0000007'
>>> dosage_score().lookup("30").endswith("DosageScore30")
True
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from pyoxigraph import NamedNode, RdfFormat, Store

from .ids import VOCAB
from .resources import ontology_dir

SKOS = "http://www.w3.org/2004/02/skos/core#"


class UnknownValueError(ValueError):
    """A source value matches no concept of the value set."""


@dataclass(frozen=True)
class ValueSet:
    scheme: str
    keys: dict[str, str]  # normalised notation/label → concept IRI
    labels: dict[str, str]  # concept IRI → prefLabel
    notations: dict[str, str]  # concept IRI → notation

    def lookup(self, value: str) -> str:
        """The concept IRI for a notation or label (case-insensitive).

        :raises UnknownValueError: no concept matches.
        """
        iri = self.keys.get(value.strip().casefold())
        if iri is None:
            raise UnknownValueError(f"{value!r} is not in {self.scheme.rsplit('#', 1)[-1]}")
        return iri

    @property
    def concepts(self) -> list[str]:
        return sorted(self.labels)


@cache
def _store() -> Store:
    store = Store()
    store.load(path=str(ontology_dir() / "valuesets.ttl"), format=RdfFormat.TURTLE)
    return store


@cache
def value_set(scheme_local_name: str) -> ValueSet:
    store = _store()
    scheme = NamedNode(VOCAB + scheme_local_name)
    keys: dict[str, str] = {}
    labels: dict[str, str] = {}
    notations: dict[str, str] = {}
    for quad in store.quads_for_pattern(None, NamedNode(SKOS + "inScheme"), scheme):
        c = quad.subject
        for kind in ("notation", "prefLabel", "altLabel"):
            for q in store.quads_for_pattern(c, NamedNode(SKOS + kind), None):
                keys.setdefault(q.object.value.casefold(), c.value)
                if kind == "prefLabel":
                    labels[c.value] = q.object.value
                elif kind == "notation":
                    notations[c.value] = q.object.value
    if not labels:
        raise LookupError(f"no concepts in scheme {scheme.value}")
    return ValueSet(scheme.value, keys, labels, notations)


def concept_property(concept: str, prop: str) -> str | None:
    """A literal annotation of a concept (e.g. ``cgv:direction``)."""
    for q in _store().quads_for_pattern(NamedNode(concept), NamedNode(prop), None):
        return q.object.value
    return None


def gene_validity() -> ValueSet:
    return value_set("GeneValidityClassificationScheme")


def moi() -> ValueSet:
    return value_set("ModeOfInheritanceScheme")


def dosage_score() -> ValueSet:
    return value_set("DosageScoreScheme")


def dosage_type() -> ValueSet:
    return value_set("DosageSensitivityTypeScheme")


def sop() -> ValueSet:
    return value_set("GeneValiditySOPScheme")


def acmg_class() -> ValueSet:
    return value_set("AcmgClassificationScheme")


def acmg_criterion() -> ValueSet:
    return value_set("AcmgCriterionScheme")


def acmg_strength() -> ValueSet:
    return value_set("AcmgStrengthScheme")


def review_status() -> ValueSet:
    return value_set("ClinVarReviewStatusScheme")


def clinvar_classification() -> ValueSet:
    return value_set("ClinVarClassificationScheme")


def conflict_type() -> ValueSet:
    return value_set("ConflictTypeScheme")
