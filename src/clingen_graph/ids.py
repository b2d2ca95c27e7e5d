"""Identifiers: the one prefix table, IRI rules and deterministic minting.

Everything that turns an identifier into an IRI (or back) lives here, so that Turtle, SPARQL and the
JSON-LD ``@context`` never disagree (DESIGN §2, SPEC §1.1). ``clingen-graph export prefixes`` writes the
artefacts generated from this table; a test checks that the committed copies are current.

>>> expand_curie("HGNC:1100")
'https://identifiers.org/hgnc:1100'
>>> expand_curie("mondo:0007254")
'http://purl.obolibrary.org/obo/MONDO_0007254'
>>> compress_iri("http://purl.obolibrary.org/obo/HP_0000006")
'HP:0000006'
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

import curies

# Our own namespaces.
VOCAB = "https://w3id.org/clingen-graph/vocab#"
ID_BASE = "https://w3id.org/clingen-graph/id/"
GRAPH_BASE = "https://w3id.org/clingen-graph/graph/"
META_GRAPH = GRAPH_BASE + "meta"
# graphs curators write through the API (PUT /graphs/curated/...): never releases, never dropped by a load
CURATED_BASE = GRAPH_BASE + "curated/"
CONTEXT_VERSION = "1"


class IdError(ValueError):
    """An identifier could not be understood."""


class UnknownPrefixError(IdError):
    """The CURIE's prefix is not in the prefix table."""


class MalformedIdError(IdError):
    """The identifier does not match the pattern its prefix requires."""


@dataclass(frozen=True)
class Prefix:
    """One row of the prefix table (SPEC §1.1), bioregistry-style."""

    prefix: str
    uri_prefix: str
    pattern: str = ""  # regex the local part must match ("" = anything non-empty)
    example: str = ""
    synonyms: tuple[str, ...] = field(default=())
    display: str = ""  # how CURIEs are written for people (HGNC:1100); defaults to the prefix


PREFIXES: tuple[Prefix, ...] = (
    Prefix("cgv", VOCAB, example="Statement"),
    Prefix("cgid", ID_BASE, example="proposition/0a1b2c"),
    Prefix("cgs", "https://w3id.org/clingen-graph/shapes#", example="GeneShape"),
    Prefix("cggraph", GRAPH_BASE, example="meta"),
    Prefix("mondo", "http://purl.obolibrary.org/obo/MONDO_", r"^\d{7}$", "0007254", display="MONDO"),
    Prefix("hp", "http://purl.obolibrary.org/obo/HP_", r"^\d{7}$", "0000006", ("hpo",), display="HP"),
    Prefix("sepio", "http://purl.obolibrary.org/obo/SEPIO_", r"^\d{7}$", "0000001", display="SEPIO"),
    Prefix("geno", "http://purl.obolibrary.org/obo/GENO_", r"^\d{7}$", "0000840", display="GENO"),
    Prefix("so", "http://purl.obolibrary.org/obo/SO_", r"^\d{7}$", "0000704", display="SO"),
    Prefix("ro", "http://purl.obolibrary.org/obo/RO_", r"^\d{7}$", "0004013", display="RO"),
    Prefix("eco", "http://purl.obolibrary.org/obo/ECO_", r"^\d{7}$", "0000000", display="ECO"),
    Prefix("iao", "http://purl.obolibrary.org/obo/IAO_", r"^\d{7}$", "0100001", display="IAO"),
    Prefix("hgnc", "https://identifiers.org/hgnc:", r"^\d{1,6}$", "1100", display="HGNC"),
    Prefix("ncbigene", "https://identifiers.org/ncbigene:", r"^\d+$", "672", ("entrez",),
           display="NCBIGene"),
    Prefix("ensembl", "https://identifiers.org/ensembl:", r"^ENS[A-Z]*[GTPR]\d{11}(\.\d+)?$",
           "ENSG00000012048"),
    Prefix("clinvar", "https://identifiers.org/clinvar:", r"^\d+$", "12345"),
    Prefix("clinvar.submission", "https://identifiers.org/clinvar.submission:", r"^SCV\d+(\.\d+)?$",
           "SCV000123456"),
    Prefix("clinvar.record", "https://identifiers.org/clinvar.record:", r"^RCV\d+(\.\d+)?$",
           "RCV000012345"),
    Prefix("caid", "http://reg.genome.network/allele/", r"^CA\d+$", "CA123456", ("clingene",)),
    Prefix("ga4gh", "https://w3id.org/ga4gh/", r"^[A-Z]{2,3}\.[0-9A-Za-z_\-]{32}$",
           "VA.0AePZIWZUNsUlQTamyLrjm2HWUw2opLt"),
    Prefix("refseq", "https://identifiers.org/refseq:", example="NC_000001.11"),
    Prefix("pmid", "https://identifiers.org/pubmed:", r"^\d+$", "25741868", ("pubmed",),
           display="PMID"),
    Prefix("omim", "https://omim.org/entry/", r"^(PS)?\d{6}$", "100100", ("mim",), display="OMIM"),
    Prefix("orphanet", "http://www.orpha.net/ORDO/Orphanet_", r"^\d+$", "558", ("ordo",),
           display="Orphanet"),
    Prefix("medgen", "https://identifiers.org/medgen:", example="CN300503", display="MedGen"),
    Prefix("loinc", "http://loinc.org/", example="LA6668-3"),
    Prefix("cggv", "http://dataexchange.clinicalgenome.org/gci/", example="assertion_x"),
    Prefix("cggciex", "http://dataexchange.clinicalgenome.org/gci-express/", example="assertion_8249"),
    Prefix("cgterms", "http://dataexchange.clinicalgenome.org/terms/", example="HaploinsufficiencyScore"),
    Prefix("isca", "http://dx.clinicalgenome.org/entities/", r"^ISCA-\d+$", "ISCA-4799"),
    Prefix("oboinowl", "http://www.geneontology.org/formats/oboInOwl#"),
    Prefix("dcterms", "http://purl.org/dc/terms/"),
    Prefix("dcat", "http://www.w3.org/ns/dcat#"),
    Prefix("void", "http://rdfs.org/ns/void#"),
    Prefix("prov", "http://www.w3.org/ns/prov#"),
    Prefix("owl", "http://www.w3.org/2002/07/owl#"),
    Prefix("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    Prefix("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    Prefix("xsd", "http://www.w3.org/2001/XMLSchema#"),
    Prefix("skos", "http://www.w3.org/2004/02/skos/core#"),
    Prefix("sh", "http://www.w3.org/ns/shacl#"),
)

_BY_PREFIX: dict[str, Prefix] = {}
for _p in PREFIXES:
    for _name in (_p.prefix, *_p.synonyms, _p.display):
        if _name:
            _BY_PREFIX[_name.lower()] = _p

CONVERTER = curies.Converter(
    [
        curies.Record(
            prefix=p.prefix,
            uri_prefix=p.uri_prefix,
            prefix_synonyms=sorted({s for s in (*p.synonyms, p.display) if s and s != p.prefix}),
        )
        for p in PREFIXES
    ]
)


def prefix_map() -> dict[str, str]:
    """The canonical prefix → IRI-prefix map, in table order."""
    return {p.prefix: p.uri_prefix for p in PREFIXES}


def split_curie(curie: str) -> tuple[Prefix, str]:
    """Split and check a CURIE; prefixes are case-insensitive, local parts keep their case.

    :raises UnknownPrefixError: the prefix is not in the table.
    :raises MalformedIdError: no colon, an empty local part, or a local part that breaks the pattern.
    """
    text = curie.strip()
    if ":" not in text:
        raise MalformedIdError(f"{curie!r} is not a CURIE (expected PREFIX:LOCAL)")
    prefix, local = text.split(":", 1)
    record = _BY_PREFIX.get(prefix.lower())
    if record is None:
        raise UnknownPrefixError(f"unknown prefix {prefix!r} in {curie!r}")
    # 'MONDO:MONDO:0001' (ClinVar style) and 'HGNC:HGNC:5' appear in the wild.
    if local.upper().startswith(prefix.upper() + ":"):
        local = local.split(":", 1)[1]
    if not local or (record.pattern and not re.match(record.pattern, local)):
        raise MalformedIdError(f"{curie!r} does not match {record.prefix} pattern {record.pattern}")
    return record, local


def expand_curie(curie: str) -> str:
    """CURIE → IRI (strict). :raises IdError: see :func:`split_curie`."""
    record, local = split_curie(curie)
    return record.uri_prefix + local


def normalize_curie(curie: str) -> str:
    """Normalise a CURIE to its display form: ``hgnc:1100`` → ``HGNC:1100``."""
    record, local = split_curie(curie)
    return f"{record.display or record.prefix}:{local}"


def compress_iri(iri: str) -> str:
    """IRI → display CURIE, or the IRI itself when no prefix covers it."""
    best: Prefix | None = None
    for p in PREFIXES:
        if iri.startswith(p.uri_prefix) and (best is None or len(p.uri_prefix) > len(best.uri_prefix)):
            best = p
    if best is None:
        return iri
    return f"{best.display or best.prefix}:{iri[len(best.uri_prefix):]}"


def to_iri(value: str) -> str:
    """Accept an IRI (``http…``/``https…``) or a CURIE and return the IRI.

    :raises IdError: a CURIE that cannot be expanded.
    """
    text = value.strip()
    if text.startswith(("http://", "https://", "urn:")):
        return text
    return expand_curie(text)


# --- IRIs of the entities we describe --------------------------------------------------------------

def vocab(term: str) -> str:
    return VOCAB + term


def gene_iri(hgnc_id: str) -> str:
    """``HGNC:1100`` (or ``1100``) → gene IRI. :raises IdError: not an HGNC id."""
    text = hgnc_id.strip()
    return expand_curie(text if ":" in text else f"hgnc:{text}")


def mondo_iri(mondo_id: str) -> str:
    record, local = split_curie(mondo_id)
    if record.prefix != "mondo":
        raise MalformedIdError(f"{mondo_id!r} is not a MONDO id")
    return record.uri_prefix + local


def obo_iri(curie: str) -> str:
    """An OBO term (MONDO, HP, ...) → its PURL."""
    return expand_curie(curie)


def pmid_iri(pmid: str) -> str:
    return expand_curie(f"pmid:{pmid.strip()}")


def graph_iri(source: str, release: str) -> str:
    return f"{GRAPH_BASE}{source}/{release}"


def digest(*fields: object) -> str:
    """A short, stable content hash of the defining fields (never uuid, STYLE §6.4)."""
    text = "\x1f".join("" if f is None else str(f) for f in fields)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def mint(kind: str, *fields: object) -> str:
    """Deterministic IRI for a record with no id of its own.

    >>> mint("proposition", "a", "b") == mint("proposition", "a", "b")
    True
    """
    return f"{ID_BASE}{kind}/{digest(kind, *fields)}"


def slug(text: str) -> str:
    """A readable IRI segment: ``Epilepsy Gene Curation Expert Panel`` → ``epilepsy-gene-curation-expert-panel``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def agent_iri(name: str) -> str:
    return f"{ID_BASE}agent/{slug(name)}"
