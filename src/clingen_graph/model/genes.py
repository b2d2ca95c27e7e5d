"""HGNC gene records → triples."""

from __future__ import annotations

from ..ids import expand_curie, gene_iri
from ..ingest.hgnc import GeneRecord
from ..terms import CGV, DCTERMS, RDFS, SKOS, TYPE, types_for
from .rdf import Triple, iri, text


def to_triples(rec: GeneRecord) -> list[Triple]:
    g = iri(gene_iri(rec.hgnc_id))
    out: list[Triple] = [(g, TYPE, t) for t in types_for("Gene")]
    out += [
        (g, RDFS.label, text(rec.symbol)),
        (g, CGV.symbol, text(rec.symbol)),
        (g, DCTERMS.identifier, text(rec.hgnc_id)),
        (g, CGV.hgncStatus, text(rec.status)),
    ]
    if rec.name:
        out.append((g, CGV.fullName, text(rec.name)))
    if rec.locus_type:
        out.append((g, CGV.locusType, text(rec.locus_type)))
    if rec.ncbi_gene:
        ncbi = iri(expand_curie(f"ncbigene:{rec.ncbi_gene}"))
        out += [(g, CGV.ncbiGene, ncbi), (g, SKOS.exactMatch, ncbi)]
    if rec.ensembl_gene:
        out.append((g, CGV.ensemblGene, text(rec.ensembl_gene)))
    out += [(g, CGV.aliasSymbol, text(a)) for a in rec.aliases]
    out += [(g, CGV.previousSymbol, text(p)) for p in rec.previous]
    return out
