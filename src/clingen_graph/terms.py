"""The RDF terms the model writes, as pyoxigraph nodes.

Every ``cgv:`` name used by the code is listed here and declared (label + definition) in
``ontology/clingen-graph.ttl``; ``tests/test_ontology.py`` keeps the two in step.
"""

from __future__ import annotations

from functools import cache

from pyoxigraph import NamedNode

from .ids import VOCAB, expand_curie


class _Namespace:
    def __init__(self, base: str) -> None:
        self._base = base
        self._nodes: dict[str, NamedNode] = {}

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        return self[name]

    def __getitem__(self, name: str) -> NamedNode:
        node = self._nodes.get(name)
        if node is None:  # terms are built per triple: cache the node objects
            node = self._nodes[name] = NamedNode(self._base + name)
            if name.isidentifier():
                # a plain attribute from now on: later look-ups skip __getattr__ (millions of calls per load)
                object.__setattr__(self, name, node)
        return node


RDF = _Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = _Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = _Namespace("http://www.w3.org/2002/07/owl#")
XSD = _Namespace("http://www.w3.org/2001/XMLSchema#")
SKOS = _Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = _Namespace("http://purl.org/dc/terms/")
PROV = _Namespace("http://www.w3.org/ns/prov#")
VOID = _Namespace("http://rdfs.org/ns/void#")
DCAT = _Namespace("http://www.w3.org/ns/dcat#")
OBOINOWL = _Namespace("http://www.geneontology.org/formats/oboInOwl#")
CGV = _Namespace(VOCAB)

TYPE = RDF.type


def obo(curie: str) -> NamedNode:
    return NamedNode(expand_curie(curie))


# Classes (cgv:) and the SEPIO/ClinGen types materialised beside them on instances, so that a query
# written against SEPIO finds our records without a reasoner (DESIGN §3).
SEPIO_TYPES: dict[str, tuple[str, ...]] = {
    "Statement": ("SEPIO:0000001",),
    "GeneDiseaseValidityStatement": ("SEPIO:0000001", "SEPIO:0004002"),
    "DosageSensitivityStatement": ("SEPIO:0000001", "SEPIO:0002001"),
    "Proposition": ("SEPIO:0000000",),
    "GeneDiseaseValidityProposition": ("SEPIO:0000000", "SEPIO:0004001"),
    "DosageSensitivityProposition": ("SEPIO:0000000", "SEPIO:0002003"),
    "Contribution": ("SEPIO:0000158",),
    "EvidenceLine": ("SEPIO:0000002",),
    "VariantPathogenicityStatement": ("SEPIO:0000001", "SEPIO:0000190"),
    "ClinVarSubmission": ("SEPIO:0000001", "SEPIO:0000190"),
    "ClinVarAggregate": ("SEPIO:0000001", "SEPIO:0000190"),
    "VariantPathogenicityProposition": ("SEPIO:0000000",),
    "Variant": ("SO:0001060",),
}
# cgv superclasses materialised too (a statement is also a cgv:Statement).
SUPER_TYPES: dict[str, tuple[str, ...]] = {
    "GeneDiseaseValidityStatement": ("Statement",),
    "DosageSensitivityStatement": ("Statement",),
    "GeneDiseaseValidityProposition": ("Proposition",),
    "DosageSensitivityProposition": ("Proposition",),
    "VariantPathogenicityStatement": ("Statement",),
    "ClinVarSubmission": ("VariantPathogenicityStatement", "Statement"),
    "ClinVarAggregate": ("VariantPathogenicityStatement", "Statement"),
    "VariantPathogenicityProposition": ("Proposition",),
}


@cache
def types_for(cls: str) -> tuple[NamedNode, ...]:
    """``cgv:cls`` plus its materialised cgv super-types and SEPIO types."""
    out = [CGV[cls]] + [CGV[s] for s in SUPER_TYPES.get(cls, ())]
    out += [obo(c) for c in SEPIO_TYPES.get(cls, ())]
    return tuple(out)


# Relations and fixed individuals the model refers to by SEPIO/RO/HPO id.
CAUSAL_GERMLINE = obo("RO:0004013")  # "is causal germline mutation in"
APPROVER_ROLE = obo("SEPIO:0000155")
EVALUATOR_ROLE = obo("SEPIO:0000331")  # interpreter role, used for dosage evaluation
TERM_REPLACED_BY = obo("IAO:0100001")
MOI_ROOT = "HP:0000005"
