#!/usr/bin/env python
"""A synthetic, ClinGen-shaped dataset of about N triples, written as N-Quads (deterministic, seeded).

Every kind of record goes to its own named graph, exactly as a release would
(``https://w3id.org/clingen-graph/graph/<source>/synthetic``), and the metadata graph
(``https://w3id.org/clingen-graph/graph/meta``) describes each of them with the triples built by the real
loader code (``clingen_graph.release._metadata``), so ``release.current_releases()`` and
``release.default_graphs()`` see the synthetic releases like real ones.

Shapes follow ``clingen_graph.model``: the same ``cgv:`` terms (``clingen_graph.terms``), the same
materialised SEPIO/cgv super-types (``terms.types_for``), the same minted IRIs (``ids.mint``) and value-set
concepts (``clingen_graph.valuesets``). Graphs, in file order:

* ``clingen-graph-ontology`` — ``ontology/*.ttl`` as is (labels of classes and value-set concepts);
* ``hgnc``   — HGNC-like genes ``https://identifiers.org/hgnc:N`` (symbol, label, identifier, status,
  NCBI Gene, Ensembl, aliases); a handful keep their real id and symbol (HGNC:1100 is BRCA1);
* ``mondo``  — a MONDO-like disease DAG (up to 30k terms, 8 levels below ``MONDO:0000001``, ~10% of terms with
  a second parent) with the materialised ``cgv:ancestorOrSelf`` closure, labels, identifiers, synonyms,
  definitions, OMIM exact matches and ~1% obsolete terms (``owl:deprecated``, ``cgv:replacedBy``);
* ``hpo``    — the mode-of-inheritance terms under HP:0000005 (what propositions qualify with);
* ``clingen-dosage-genes`` / ``clingen-dosage-regions`` — HI and TS dosage statements per gene (GRCh38) and per
  ISCA region (GRCh37): proposition, score, contribution, location, PubMed references;
* ``clingen-gene-validity`` — gene-disease validity statements (proposition with subject gene, RO:0004013,
  disease and MOI; classification; SOP; contribution by a GCEP with a date; report), filling the rest of the
  triple budget; ~3% re-curate an existing gene-disease-MOI (shared proposition, often a different class),
  ~0.5% cite an obsolete MONDO id that was replaced (``cgv:citedCondition``).

MONDO/HGNC ids used as examples in the query catalogue (``queries/*.rq``) are placed in the synthetic data
(MONDO examples five levels deep, so their subtree is a realistic "disease with subtypes"), so the
catalogue's examples return rows on the synthetic store too.

    .venv/bin/python bench/synthetic.py --triples 10000000 --out /tmp/synthetic-10M.nq
    .venv/bin/python bench/synthetic.py --triples 300000 --out /tmp/s.nq --validate
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Store, parse

from clingen_graph import release, valuesets
from clingen_graph.ids import META_GRAPH, agent_iri, expand_curie, graph_iri, mint
from clingen_graph.ingest import BY_NAME
from clingen_graph.model import gene_validity
from clingen_graph.resources import ontology_dir
from clingen_graph.terms import (
    APPROVER_ROLE,
    CAUSAL_GERMLINE,
    CGV,
    DCTERMS,
    EVALUATOR_ROLE,
    OBOINOWL,
    OWL,
    PROV,
    RDFS,
    SKOS,
    TYPE,
    XSD,
    types_for,
)

RELEASE_LABEL = "synthetic"
ISSUED = "2026-01-01"
STARTED = "2026-01-01T00:00:00Z"  # fixed, so the output is byte-for-byte reproducible
DEFAULT_TRIPLES = 10_000_000
DEFAULT_SEED = 20260101
MONDO_DEPTH = 8
EXAMPLE_DEPTH = 5

# Genes that keep their real HGNC id, symbol and NCBI Gene id (the catalogue and the API examples use them).
FAMOUS: dict[int, tuple[str, int]] = {
    1100: ("BRCA1", 672), 1101: ("BRCA2", 675), 11998: ("TP53", 7157), 3236: ("EGFR", 1956),
    1884: ("CFTR", 1080), 6407: ("KRAS", 3845), 10585: ("SCN1A", 6323), 6990: ("MECP2", 4204),
    9588: ("PTEN", 5728), 3603: ("FBN1", 2200),
}

# Rough real-world proportions (ClinGen exports, 2025).
CLASS_WEIGHTS = {"Definitive": 2016, "Strong": 69, "Moderate": 386, "Limited": 451, "Disputed": 171,
                 "Refuted": 44, "NoKnownDiseaseRelationship": 39}
MOI_WEIGHTS = {"AR": 1579, "AD": 1273, "XL": 120, "XLR": 40, "XLD": 27, "SD": 54, "MT": 54, "UD": 29,
               "SOM": 5, "YL": 2}
SOP_WEIGHTS = {4: 1, 5: 98, 6: 279, 7: 388, 8: 493, 9: 782, 10: 619, 11: 515}
DOSAGE_SCORE_WEIGHTS = {"0": 50, "1": 15, "2": 5, "3": 25, "30": 3, "40": 2}
FAMOUS_LOCATIONS = {1100: ("chr17", 43044295, 43125483), 1101: ("chr13", 32315508, 32400268)}  # GRCh38
MOI_TREE = {  # HPO mode-of-inheritance terms: curie → (label, parent)
    "HP:0000005": ("Mode of inheritance", None),
    "HP:0034345": ("Mendelian inheritance", "HP:0000005"),
    "HP:0000006": ("Autosomal dominant inheritance", "HP:0034345"),
    "HP:0000007": ("Autosomal recessive inheritance", "HP:0034345"),
    "HP:0032113": ("Semidominant inheritance", "HP:0034345"),
    "HP:0001417": ("X-linked inheritance", "HP:0034345"),
    "HP:0001419": ("X-linked recessive inheritance", "HP:0001417"),
    "HP:0001423": ("X-linked dominant inheritance", "HP:0001417"),
    "HP:0001450": ("Y-linked inheritance", "HP:0034345"),
    "HP:0001427": ("Mitochondrial inheritance", "HP:0000005"),
    "HP:0001428": ("Somatic mutation", "HP:0000005"),
}
GCEP_TOPICS = [
    "Cardiomyopathy", "Epilepsy", "Hearing Loss", "Intellectual Disability and Autism", "Hereditary Cancer",
    "Brain Malformations", "Mitochondrial Disease", "Retina", "Kidney Cystic and Ciliopathy Disorders",
    "Skeletal Disorders", "Aminoacidopathy", "Congenital Myopathies", "Tubulopathy", "Peroxisomal Disorders",
    "Craniofacial Malformations", "Hemostasis Thrombosis", "Immune Dysregulation", "Lysosomal Diseases",
    "Arrhythmogenic Right Ventricular Cardiomyopathy", "Monogenic Diabetes", "Motor Neuron Disease",
    "Ocular", "Pulmonary Hypertension", "RASopathy", "Syndromic Disorders", "Thoracic Aortic Aneurysm",
    "Dystonia", "Ataxia", "Leukodystrophy", "Fatty Acid Oxidation Disorders",
]
WORDS = ("syndrome", "dysplasia", "myopathy", "neuropathy", "ataxia", "anemia", "cardiomyopathy", "epilepsy",
         "deficiency", "dystrophy", "cancer", "disorder", "retinopathy", "nephropathy", "leukodystrophy")


# --- N-Quads formatting -------------------------------------------------------------------------------------

def u(value: str | NamedNode) -> str:
    """An IRI as an N-Triples term."""
    return str(value) if isinstance(value, NamedNode) else f"<{value}>"


_ESC = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def lit(value: str) -> str:
    return '"' + value.translate(_ESC) + '"'


def typed(value: str | int, datatype: str) -> str:
    return f'"{value}"^^<{datatype}>'


def date_term(value: str) -> str:
    """Like ``model.rdf.date_or_datetime``."""
    return typed(value, XSD.dateTime.value if "T" in value else XSD.date.value)


class GraphWriter:
    """Writes the quads of one graph, counting them and hashing their bytes (the release's sha256)."""

    def __init__(self, fh: IO[bytes], name: str) -> None:
        self.fh = fh
        self.name = name
        self._tail = f" <{name}> .\n"
        self._buf: list[str] = []
        self._written = 0
        self.sha = hashlib.sha256()
        self.rows = 0

    def add(self, s: str, p: str, o: str) -> None:
        buf = self._buf
        buf.append(f"{s} {p} {o}{self._tail}")
        if len(buf) >= 65536:
            self.flush()

    @property
    def count(self) -> int:
        return self._written + len(self._buf)

    def flush(self) -> None:
        if self._buf:
            data = "".join(self._buf).encode("utf-8")
            self.sha.update(data)
            self.fh.write(data)
            self._written += len(self._buf)
            self._buf.clear()


# Pre-formatted predicates and classes.
T = u(TYPE)
LABEL_P, SUBCLASS = u(RDFS.label), u(RDFS.subClassOf)
IDENT, IS_VERSION_OF = u(DCTERMS.identifier), u(DCTERMS.isVersionOf)
EXACT, DEFINITION, SYNONYM = u(SKOS.exactMatch), u(SKOS.definition), u(OBOINOWL.hasExactSynonym)
DEPRECATED = u(OWL.deprecated)
C = {name: u(CGV[name]) for name in (
    "symbol", "hgncStatus", "fullName", "locusType", "ncbiGene", "ensemblGene", "aliasSymbol", "previousSymbol",
    "ancestorOrSelf", "replacedBy", "proposition", "classification", "direction", "specifiedBy", "contributions",
    "reportedIn", "subjectGene", "predicate", "objectCondition", "modeOfInheritanceQualifier", "contributor",
    "activityType", "date", "Agent", "Document", "description", "cytoband", "location", "SequenceLocation",
    "assembly", "chromosome", "start", "end", "GenomicRegion", "subjectRegion", "citedCondition", "subjectLabel",
)}
TRUE = typed("true", XSD.boolean.value)
XSD_INTEGER = XSD.integer.value


def types(cls: str) -> list[str]:
    return [u(t) for t in types_for(cls)]


DOSAGE_STATEMENT_T = types("DosageSensitivityStatement")
DOSAGE_PROPOSITION_T = types("DosageSensitivityProposition")
CONTRIBUTION_T = types("Contribution")
EVALUATOR = u(EVALUATOR_ROLE)
DOSAGE_AGENT = u(expand_curie("cgid:agent/clingen-dosage-sensitivity-curation"))
CHROMOSOMES = [f"chr{c}" for c in [*range(1, 23), "X", "Y"]]


# --- sizes --------------------------------------------------------------------------------------------------

@dataclass
class Plan:
    triples: int
    genes: int
    diseases: int
    dosage_genes: int

    @classmethod
    def for_triples(cls, n: int) -> Plan:
        genes = min(45_000, max(300, n // 180))
        diseases = min(30_000, max(200, n // 250))
        dosage = max(20, min(int(genes * 0.8), int(n * 0.15) // 51))
        return cls(n, genes, diseases, dosage)


@dataclass
class Result:
    path: Path
    seed: int
    plan: Plan
    graphs: dict[str, int] = field(default_factory=dict)  # graph IRI → quads
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.graphs.values())


def catalogue_examples() -> tuple[set[int], set[int]]:
    """HGNC and MONDO numbers used as examples in the query catalogue (empty if there is none yet)."""
    genes: set[int] = set()
    diseases: set[int] = set()
    try:
        from clingen_graph.query import catalogue

        values = [v for q in catalogue().values() for v in q.example.values()]
    except Exception:  # the catalogue is optional for generating data
        values = []
    for v in values:
        for m in re.finditer(r"(?i)hgnc[:_](\d+)", v):
            genes.add(int(m.group(1)))
        for m in re.finditer(r"(?i)mondo[:_](\d{7})", v):
            diseases.add(int(m.group(1)))
    return genes, diseases


def _stable(term: object, blanks: dict[str, str], file_no: int) -> str:
    if isinstance(term, BlankNode):
        return blanks.setdefault(term.value, f"_:f{file_no}b{len(blanks)}")
    return str(term)


def _weighted(rng: random.Random, weights: dict, k: int) -> list:
    return rng.choices(list(weights), weights=list(weights.values()), k=k)


# --- generator --------------------------------------------------------------------------------------------

class Generator:
    def __init__(self, out: Path, plan: Plan, seed: int) -> None:
        self.out = out
        self.plan = plan
        self.seed = seed
        self.rng = random.Random(seed)
        self.result = Result(out, seed, plan)
        self.meta: list[tuple[release.LoadSummary, str]] = []  # (summary, spec name for title/licence)
        self.example_genes, self.example_diseases = catalogue_examples()
        self._dosage_agent_written: dict[str, bool] = {}

    # helpers
    def _writer(self, fh: IO[bytes], source: str) -> GraphWriter:
        return GraphWriter(fh, graph_iri(source, RELEASE_LABEL))

    def _close(self, w: GraphWriter, source: str, spec_name: str, rows: int) -> None:
        w.flush()
        self.result.graphs[w.name] = w.count
        self.result.rows[w.name] = rows
        s = release.LoadSummary(str(self.out), source=source, release=RELEASE_LABEL, graph=w.name, status="loaded",
                                rows_read=rows, rows_loaded=rows, triples=w.count, conforms=True)
        self.meta.append((s, w.sha.hexdigest()))
        self._spec_names[w.name] = spec_name

    def run(self) -> Result:
        started = time.perf_counter()
        self._spec_names: dict[str, str] = {}
        self.out.parent.mkdir(parents=True, exist_ok=True)
        with self.out.open("wb") as fh:
            self.ontology(fh)
            self.genes(fh)
            self.diseases(fh)
            self.moi_terms(fh)
            self.dosage(fh)
            self.validity(fh)
            self.metadata(fh)
        self.result.seconds = time.perf_counter() - started
        return self.result

    # ontology/*.ttl, as the loader's load_ontology does
    def ontology(self, fh: IO[bytes]) -> None:
        w = self._writer(fh, release.ONTOLOGY_SOURCE)
        seen: set[tuple[str, str, str]] = set()
        for k, f in enumerate(sorted(ontology_dir().glob("*.ttl"))):
            blanks: dict[str, str] = {}  # parser-made blank node ids are random: relabel in file order
            for q in parse(path=str(f), format=RdfFormat.TURTLE):
                key = (_stable(q.subject, blanks, k), str(q.predicate), _stable(q.object, blanks, k))
                if key not in seen:
                    seen.add(key)
                    w.add(*key)
        self._close(w, release.ONTOLOGY_SOURCE, "", w.count)

    # HGNC
    def genes(self, fh: IO[bytes]) -> None:
        rng, n = self.rng, self.plan.genes
        keep = sorted(set(FAMOUS) | self.example_genes)
        kept = set(keep)
        ids = [i for i in range(1, n + 1 + len(keep)) if i not in kept][: max(0, n - len(keep))] + keep
        ids.sort()
        w = self._writer(fh, "hgnc")
        gene_t = types("Gene")
        self.gene_ids: list[int] = []  # approved, with an NCBI Gene id
        self.gene_symbol: dict[int, str] = {}
        self.gene_ncbi: dict[int, int] = {}
        for i in ids:
            famous = FAMOUS.get(i)
            symbol = famous[0] if famous else f"SYN{i}"
            approved = famous is not None or i in self.example_genes or rng.random() > 0.02
            g = f"<https://identifiers.org/hgnc:{i}>"
            for t in gene_t:
                w.add(g, T, t)
            w.add(g, LABEL_P, lit(symbol))
            w.add(g, C["symbol"], lit(symbol))
            w.add(g, IDENT, lit(f"HGNC:{i}"))
            w.add(g, C["hgncStatus"], lit("Approved" if approved else "Entry Withdrawn"))
            w.add(g, C["fullName"], lit(f"synthetic gene {i}"))
            if not approved:
                continue
            w.add(g, C["locusType"], lit("gene with protein product" if rng.random() < 0.8 else "RNA, long non-coding"))
            ncbi = famous[1] if famous else 100_000 + i
            ncbi_iri = f"<https://identifiers.org/ncbigene:{ncbi}>"
            w.add(g, C["ncbiGene"], ncbi_iri)
            w.add(g, EXACT, ncbi_iri)
            w.add(g, C["ensemblGene"], lit(f"ENSG{i:011d}"))
            for k in range(rng.choice((0, 0, 1, 1, 2, 3))):
                w.add(g, C["aliasSymbol"], lit(f"{symbol}A{k}"))
            if rng.random() < 0.3:
                w.add(g, C["previousSymbol"], lit(f"{symbol}P"))
            self.gene_ids.append(i)
            self.gene_symbol[i] = symbol
            self.gene_ncbi[i] = ncbi
        self._close(w, "hgnc", "hgnc", len(ids))

    # MONDO
    def diseases(self, fh: IO[bytes]) -> None:
        rng, total = self.rng, self.plan.diseases
        examples = sorted(d for d in self.example_diseases if d != 1)
        # level sizes grow geometrically over MONDO_DEPTH levels below the root
        ratio = 1.0
        while sum(ratio ** d for d in range(1, MONDO_DEPTH + 1)) < total - 1:
            ratio += 0.01
        sizes = [max(1, round(ratio ** d)) for d in range(1, MONDO_DEPTH + 1)]
        sizes[-1] = max(1, total - 1 - sum(sizes[:-1]))
        skip = set(examples)
        pool = [i for i in range(2, total + 1 + len(examples)) if i not in skip][: max(0, total - 1 - len(examples))]
        rng.shuffle(pool)
        before = sum(sizes[: EXAMPLE_DEPTH - 1])
        pool[before:before] = examples
        levels: list[list[int]] = [[1]]
        pos = 0
        for size in sizes:
            levels.append(pool[pos:pos + size])
            pos += size
        parents: dict[int, list[int]] = {1: []}
        ancestors: dict[int, frozenset[int]] = {1: frozenset((1,))}
        self.depth: dict[int, int] = {1: 0}
        for d in range(1, len(levels)):
            above = levels[d - 1]
            for node in levels[d]:
                ps = [rng.choice(above)]
                if len(above) > 1 and rng.random() < 0.1:
                    other = rng.choice(above)
                    if other != ps[0]:
                        ps.append(other)
                parents[node] = ps
                ancestors[node] = frozenset((node,)).union(*(ancestors[p] for p in ps))
                self.depth[node] = d
        self.disease_ids = [i for lvl in levels for i in lvl]
        self.disease_label: dict[int, str] = {}
        self.children_count: dict[int, int] = {}
        for ps in parents.values():
            for p in ps:
                self.children_count[p] = self.children_count.get(p, 0) + 1
        w = self._writer(fh, "mondo")
        disease_t = types("Disease")
        mondo = "http://purl.obolibrary.org/obo/MONDO_"
        for node in self.disease_ids:
            m = f"<{mondo}{node:07d}>"
            label = "disease" if node == 1 else f"synthetic {rng.choice(WORDS)} {node}"
            self.disease_label[node] = label
            for t in disease_t:
                w.add(m, T, t)
            w.add(m, IDENT, lit(f"MONDO:{node:07d}"))
            w.add(m, LABEL_P, lit(label))
            if rng.random() < 0.5:
                w.add(m, DEFINITION, lit(f"A synthetic {label.split()[1] if node != 1 else 'disease'} "
                                         f"defined for benchmarking, number {node}."))
            for k in range(rng.choice((0, 0, 1, 2, 3))):
                w.add(m, SYNONYM, lit(f"{label} type {k + 1}"))
            for p in parents[node]:
                w.add(m, SUBCLASS, f"<{mondo}{p:07d}>")
            for a in sorted(ancestors[node]):
                w.add(m, C["ancestorOrSelf"], f"<{mondo}{a:07d}>")
            if node != 1 and rng.random() < 0.3:
                w.add(m, EXACT, f"<https://omim.org/entry/{600000 + node}>")
        # ~1% obsolete terms, replaced by a live one; a few curations cite them (cgv:citedCondition)
        first = max(self.disease_ids) + 1
        obsolete = range(first, first + max(1, total // 100))
        self.replaced_by: dict[int, int] = {}
        for node in obsolete:
            m = f"<{mondo}{node:07d}>"
            for t in disease_t:
                w.add(m, T, t)
            w.add(m, IDENT, lit(f"MONDO:{node:07d}"))
            w.add(m, LABEL_P, lit(f"obsolete synthetic disease {node}"))
            w.add(m, DEPRECATED, TRUE)
            self.replaced_by[node] = rng.choice(self.disease_ids[1:] or self.disease_ids)
            w.add(m, C["replacedBy"], f"<{mondo}{self.replaced_by[node]:07d}>")
        self._close(w, "mondo", "mondo", len(self.disease_ids) + len(obsolete))

    # HPO: the mode-of-inheritance subtree
    def moi_terms(self, fh: IO[bytes]) -> None:
        w = self._writer(fh, "hpo")
        pheno_t = types("Phenotype")
        for curie, (label, parent) in MOI_TREE.items():
            t = u(expand_curie(curie))
            for c in pheno_t:
                w.add(t, T, c)
            w.add(t, IDENT, lit(curie))
            w.add(t, LABEL_P, lit(label))
            if parent:
                w.add(t, SUBCLASS, u(expand_curie(parent)))
            node: str | None = curie
            while node:
                w.add(t, C["ancestorOrSelf"], u(expand_curie(node)))
                node = MOI_TREE[node][1]
        self._close(w, "hpo", "hpo", len(MOI_TREE))

    # ClinGen dosage sensitivity: genes (GRCh38) and recurrent regions (GRCh37), as model/dosage.py writes them
    def dosage(self, fh: IO[bytes]) -> None:
        rng = self.rng
        picked = set(rng.sample(self.gene_ids, min(self.plan.dosage_genes, len(self.gene_ids))))
        picked |= {g for g in FAMOUS if g in self.gene_symbol}
        w = self._writer(fh, "clingen-dosage-genes")
        for gid in sorted(picked):
            gene = f"https://identifiers.org/hgnc:{gid}"
            key = f"ncbigene-{self.gene_ncbi[gid]}"
            self._dosage_record(w, gene, key, "gene", self.gene_symbol[gid], "GRCh38", FAMOUS_LOCATIONS.get(gid))
        self._close(w, "clingen-dosage-genes", "clingen-dosage-genes", len(picked))
        regions = max(10, len(picked) // 5)
        w = self._writer(fh, "clingen-dosage-regions")
        for n in range(1, regions + 1):
            isca = f"ISCA-{37000 + n}"
            self._dosage_record(w, expand_curie(f"isca:{isca}"), isca, "region", f"synthetic region {n}", "GRCh37")
        self._close(w, "clingen-dosage-regions", "clingen-dosage-regions", regions)

    def _dosage_record(self, w: GraphWriter, subject: str, key: str, kind_of: str, name: str, assembly: str,
                       where: tuple[str, int, int] | None = None) -> None:
        rng = self.rng
        scores, kinds = valuesets.dosage_score(), valuesets.dosage_type()
        subj = f"<{subject}>"
        if not self._dosage_agent_written.get(w.name):
            self._dosage_agent_written[w.name] = True
            w.add(DOSAGE_AGENT, T, C["Agent"])
            w.add(DOSAGE_AGENT, LABEL_P, lit("ClinGen Dosage Sensitivity Curation"))
        if kind_of == "region":
            w.add(subj, T, C["GenomicRegion"])
            w.add(subj, IDENT, lit(key))
            w.add(subj, LABEL_P, lit(name))
        chrom, start, end = where or (rng.choice(CHROMOSOMES), 0, 0)
        if not where:
            start = rng.randint(1, 240_000_000)
            end = start + rng.randint(1_000, 2_000_000 if kind_of == "gene" else 8_000_000)
        w.add(subj, C["cytoband"], lit(f"{chrom[3:]}q{rng.randint(11, 36)}.{rng.randint(1, 3)}"))
        loc = u(mint("location", assembly, chrom, start, end))
        w.add(subj, C["location"], loc)
        w.add(loc, T, C["SequenceLocation"])
        w.add(loc, C["assembly"], lit(assembly))
        w.add(loc, C["chromosome"], lit(chrom))
        w.add(loc, C["start"], typed(start, XSD_INTEGER))
        w.add(loc, C["end"], typed(end, XSD_INTEGER))
        evaluated = f"{rng.randint(2011, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        subject_p = C["subjectGene"] if kind_of == "gene" else C["subjectRegion"]
        for code in ("HI", "TS"):
            kind = kinds.lookup(code)
            score_code = _weighted(rng, DOSAGE_SCORE_WEIGHTS, 1)[0]
            score = scores.lookup(score_code)
            condition = None
            if code == "HI" and score_code in ("3", "30") and rng.random() < 0.6:
                condition = f"http://purl.obolibrary.org/obo/MONDO_{rng.choice(self.disease_ids):07d}"
            s = u(expand_curie(f"cgid:dosage/{key}/{code.lower()}"))
            p = u(mint("proposition", subject, kind, condition or ""))
            c = u(mint("contribution", s[1:-1], EVALUATOR_ROLE.value))
            for t in DOSAGE_STATEMENT_T:
                w.add(s, T, t)
            w.add(s, LABEL_P, lit(f"{name} {code}: {score_code} ({scores.labels[score]})"))
            w.add(s, C["proposition"], p)
            w.add(s, C["classification"], u(score))
            w.add(s, C["contributions"], c)
            w.add(s, C["description"], lit(scores.labels[score]))
            for _ in range(rng.choice((0, 0, 1, 2, 3)) if score_code not in ("0", "40") else 0):
                w.add(s, C["reportedIn"], f"<https://identifiers.org/pubmed:{rng.randint(1_000_000, 39_000_000)}>")
            for t in DOSAGE_PROPOSITION_T:
                w.add(p, T, t)
            w.add(p, subject_p, subj)
            w.add(p, C["predicate"], u(kind))
            w.add(p, C["subjectLabel"], lit(name))
            if condition:
                w.add(p, C["objectCondition"], u(condition))
            for t in CONTRIBUTION_T:
                w.add(c, T, t)
            w.add(c, C["contributor"], DOSAGE_AGENT)
            w.add(c, C["activityType"], EVALUATOR)
            w.add(c, C["date"], date_term(evaluated))

    # ClinGen gene-disease validity: fills the rest of the budget
    def validity(self, fh: IO[bytes]) -> None:
        rng = self.rng
        budget = self.plan.triples - sum(self.result.graphs.values()) - 40 * (len(self.result.graphs) + 2)
        w = self._writer(fh, "clingen-gene-validity")
        gv = valuesets.gene_validity()
        moi = valuesets.moi()
        sops = valuesets.sop()
        classes = {k: CGV[k].value for k in CLASS_WEIGHTS}
        assert set(classes.values()) <= set(gv.labels), "classification value set changed"
        directions = {iri: valuesets.concept_property(iri, CGV.direction.value) or "supports"
                      for iri in classes.values()}
        mois = {k: moi.lookup(k) for k in MOI_WEIGHTS}
        sop_iris = {}
        for n in SOP_WEIGHTS:
            try:
                sop_iris[n] = sops.lookup(f"SOP{n}")
            except valuesets.UnknownValueError:
                sop_iris[n] = sops.scheme.replace("GeneValiditySOPScheme", f"GeneValiditySOP{n}")
        stmt_t, prop_t, contrib_t = types("GeneDiseaseValidityStatement"), types("GeneDiseaseValidityProposition"), \
            CONTRIBUTION_T
        approver, causal = u(APPROVER_ROLE), u(CAUSAL_GERMLINE)
        doc_t = C["Document"]
        gceps = [f"{t} Gene Curation Expert Panel" for t in GCEP_TOPICS]
        agents = {g: u(agent_iri(g)) for g in gceps}
        for g, a in agents.items():
            w.add(a, T, C["Agent"])
            w.add(a, LABEL_P, lit(g))
        genes = self.gene_ids
        hot = genes[:: 20]  # 5% of genes get ~30% of curations
        curable = [d for d in self.disease_ids if d != 1]
        forced = [g for g in sorted(set(FAMOUS) | self.example_genes) if g in self.gene_symbol]
        # each example disease gets a few direct curations; the rest come from random draws
        forced_d = [d for d in sorted(self.example_diseases) if d in self.disease_label]
        obsolete = sorted(self.replaced_by)
        seen_props: set[str] = set()
        done: list[tuple[int, int, str]] = []
        tallies: dict[tuple[str, str], int] = {}  # (agent, classification) → statements, as the loader counts
        rows = 0
        while w.count < budget - 6 * len(gceps) * len(classes):
            if rows < len(forced) * 4:
                gid = forced[rows // 4]
            else:
                gid = rng.choice(hot) if rng.random() < 0.3 else rng.choice(genes)
            disease = forced_d[rows % len(forced_d)] if forced_d and rows < 3 * len(forced_d) else rng.choice(curable)
            cited = None
            if self.replaced_by and rng.random() < 0.005:  # cited an obsolete id, repaired on load
                cited = rng.choice(obsolete)
                disease = self.replaced_by[cited]
            moi_code = _weighted(rng, MOI_WEIGHTS, 1)[0]
            if done and rng.random() < 0.03:  # re-curation of an existing gene-disease-MOI by another panel
                gid, disease, moi_code = rng.choice(done)
            else:
                done.append((gid, disease, moi_code))
            cls_key = _weighted(rng, CLASS_WEIGHTS, 1)[0]
            cls = classes[cls_key]
            sop = _weighted(rng, SOP_WEIGHTS, 1)[0]
            gcep = rng.choice(gceps)
            year = min(2013 + sop, 2025)
            when = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:00:00Z"
            uid = f"{rng.getrandbits(128):032x}"
            assertion = f"assertion_{uid[:8]}-{uid[8:12]}-{uid[12:16]}-{uid[16:20]}-{uid[20:]}"
            version = when.replace(":", "").replace("Z", ".000Z")
            gene = f"https://identifiers.org/hgnc:{gid}"
            dis = f"http://purl.obolibrary.org/obo/MONDO_{disease:07d}"
            s = u(expand_curie(f"cggv:{assertion}-{version}"))
            p_iri = mint("proposition", gene, CAUSAL_GERMLINE.value, dis, mois[moi_code])
            p = u(p_iri)
            c = u(mint("contribution", s[1:-1], APPROVER_ROLE.value))
            report = f"<https://search.clinicalgenome.org/kb/gene-validity/CGGV:{assertion}-{version}>"
            for t in stmt_t:
                w.add(s, T, t)
            w.add(s, LABEL_P, lit(f"{self.gene_symbol[gid]} - {self.disease_label[disease]} ({moi_code}): "
                                  f"{gv.labels[cls]}"))
            w.add(s, IDENT, lit(f"CGGV:{assertion}"))
            w.add(s, IS_VERSION_OF, u(expand_curie(f"cggv:{assertion}")))
            w.add(s, C["proposition"], p)
            w.add(s, C["classification"], u(cls))
            w.add(s, C["direction"], lit(directions[cls]))
            w.add(s, C["specifiedBy"], u(sop_iris[sop]))
            w.add(s, C["contributions"], c)
            w.add(s, C["reportedIn"], report)
            if cited is not None:
                w.add(s, C["citedCondition"], f"<http://purl.obolibrary.org/obo/MONDO_{cited:07d}>")
            if p_iri not in seen_props:
                seen_props.add(p_iri)
                for t in prop_t:
                    w.add(p, T, t)
                w.add(p, C["subjectGene"], f"<{gene}>")
                w.add(p, C["predicate"], causal)
                w.add(p, C["objectCondition"], f"<{dis}>")
                w.add(p, C["modeOfInheritanceQualifier"], u(mois[moi_code]))
            for t in contrib_t:
                w.add(c, T, t)
            w.add(c, C["contributor"], agents[gcep])
            w.add(c, C["activityType"], approver)
            w.add(c, C["date"], date_term(when))
            w.add(report, T, doc_t)
            key = (agents[gcep][1:-1], cls)
            tallies[key] = tallies.get(key, 0) + 1
            rows += 1
        for ts, tp, to in gene_validity.tally_triples(w.name, tallies, {a[1:-1]: g for g, a in agents.items()}):
            w.add(str(ts), str(tp), str(to))
        self._close(w, "clingen-gene-validity", "clingen-gene-validity", rows)

    # the metadata graph, built by the loader's own code
    def metadata(self, fh: IO[bytes]) -> None:
        w = GraphWriter(fh, META_GRAPH)
        generated = PROV.generatedAtTime
        fixed = Literal(STARTED, datatype=XSD.dateTime)
        for summary, sha in self.meta:
            spec_name = self._spec_names[summary.graph]
            if spec_name:
                spec = BY_NAME[spec_name]
                title, homepage, licence = spec.title, spec.homepage, spec.license
                issued: str | None = ISSUED
            else:  # the ontology, as release.load_ontology describes it
                title, homepage, licence = ("clingen-graph ontology and value sets",
                                            "https://w3id.org/clingen-graph/vocab", "Apache-2.0")
                issued = None
            triples = release._metadata(summary, title, homepage, licence, issued, sha, Path(self.out.name), STARTED)
            for s, p, o in triples:
                if p == generated:
                    o = fixed  # _metadata stamps "now"; keep the file reproducible
                w.add(str(s), str(p), str(o))
        w.flush()
        self.result.graphs[META_GRAPH] = w.count
        self.result.rows[META_GRAPH] = len(self.meta)


def generate(out: Path, triples: int = DEFAULT_TRIPLES, seed: int = DEFAULT_SEED) -> Result:
    """Write the synthetic dataset to ``out`` (N-Quads) and say what is in it."""
    return Generator(out, Plan.for_triples(triples), seed).run()


def print_result(r: Result, file=sys.stdout) -> None:
    size = r.path.stat().st_size
    print(f"synthetic dataset {r.path}: {r.total:,} quads, {size / 1e6:,.0f} MB, seed {r.seed}, "
          f"{r.seconds:.1f} s ({r.total / max(r.seconds, 1e-9):,.0f} quads/s)", file=file)
    print(f"  plan: {r.plan.genes:,} genes, {r.plan.diseases:,} diseases (depth {MONDO_DEPTH}), "
          f"{r.plan.dosage_genes:,} dosage genes, validity statements fill the rest", file=file)
    for g, n in r.graphs.items():
        print(f"  {n:>12,} quads {r.rows.get(g, 0):>9,} records  {g}", file=file)


def validate_file(path: Path, max_triples: int) -> None:
    """Validate each graph of the file on its own, as the loader does (prints; never fails)."""
    data = Store()
    data.load(path=str(path), format=RdfFormat.N_QUADS)
    from clingen_graph.validate import validate_store

    for g in sorted(x.value for x in data.named_graphs()):
        n = sum(1 for _ in data.quads_for_pattern(None, None, None, NamedNode(g)))
        if n > max_triples:
            print(f"  validate {g}: skipped ({n:,} quads > --validate-max {max_triples:,})")
            continue
        started = time.perf_counter()
        report = validate_store(data, graph=g)
        kinds = sorted({f"{v.component} on {v.path}" for v in report.violations})[:5]
        print(f"  validate {g}: conforms={report.conforms} violations={len(report.violations)} "
              f"({time.perf_counter() - started:.1f} s){' e.g. ' + '; '.join(kinds) if kinds else ''}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--triples", type=int, default=DEFAULT_TRIPLES, help="about how many quads (default 10,000,000)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--out", type=Path, default=None, help="output .nq (default /tmp/clingen-synthetic-<N>.nq)")
    ap.add_argument("--validate", action="store_true", help="run the SHACL shapes on each graph afterwards")
    ap.add_argument("--validate-max", type=int, default=2_000_000, help="skip validating graphs larger than this")
    args = ap.parse_args(argv)
    out = args.out or Path(f"/tmp/clingen-synthetic-{args.triples}.nq")
    result = generate(out, args.triples, args.seed)
    print_result(result)
    if args.validate:
        validate_file(out, args.validate_max)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
