"""The OWL model (ontology/clingen-graph.ttl) and the SKOS value sets (ontology/valuesets.ttl).

Checks that every ``cgv:`` term used anywhere in the project (ontology, shapes, queries, code) is declared
with a label and a definition, that the value sets are well formed, that the SEPIO types the loader
materialises (``terms.SEPIO_TYPES``) agree with the OWL mappings, and that HermiT finds the model and a
small instance sample consistent.
"""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef

from clingen_graph import terms
from clingen_graph.ids import VOCAB

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_DIR = ROOT / "ontology"
MODEL = ONTOLOGY_DIR / "clingen-graph.ttl"
VALUESETS = ONTOLOGY_DIR / "valuesets.ttl"
ONTOLOGY_IRI = URIRef("https://w3id.org/clingen-graph/vocab")
OBO = "http://purl.obolibrary.org/obo/"
DCTERMS = "http://purl.org/dc/terms/"
DIRECTIONS = {"supports", "neutral", "disputes"}


def _parse(*paths: Path) -> Graph:
    g = Graph()
    for p in paths:
        g.parse(p, format="turtle")
    return g


def cgv(name: str) -> URIRef:
    return URIRef(VOCAB + name)


# --- where cgv: terms are used ------------------------------------------------------------------------

_TEXT_PATTERNS = (
    re.compile(r"(?<![\w.])cgv:([A-Za-z_]\w*)"),
    re.compile(r"<" + re.escape(VOCAB) + r"(\w+)>"),
)
_PY_PATTERNS = (
    re.compile(r"\bCGV\.([A-Za-z]\w*)"),
    re.compile(r"\bCGV\[\s*[\"'](\w+)[\"']\s*\]"),
    re.compile(r"\btypes_for\(\s*[\"'](\w+)[\"']"),
    re.compile(r"\bvocab\(\s*[\"'](\w+)[\"']\s*\)"),
    re.compile(r"\bVOCAB\s*\+\s*[\"'](\w+)[\"']"),
    re.compile(r"\bvalue_set\(\s*[\"'](\w+)[\"']\s*\)"),
    re.compile(r"[\"']cgv:(\w+)[\"']"),
    re.compile(re.escape(VOCAB) + r"(\w+)"),
)


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _used_terms() -> dict[str, set[str]]:
    """cgv local name → the files that use it."""
    used: dict[str, set[str]] = defaultdict(set)
    for path in sorted([*ONTOLOGY_DIR.glob("*.ttl"), *(ROOT / "shapes").glob("*.ttl")]):
        try:
            g = _parse(path)
        except Exception:  # reported by test_turtle_files_parse
            continue
        for triple in g:
            for node in triple:
                if isinstance(node, URIRef) and str(node).startswith(VOCAB):
                    used[str(node)[len(VOCAB):]].add(_rel(path))
                elif isinstance(node, Literal):  # SPARQL-based constraints, sh:prefixes etc.
                    for pat in _TEXT_PATTERNS:
                        for name in pat.findall(str(node)):
                            used[name].add(_rel(path))
    for path in sorted((ROOT / "queries").glob("**/*.rq")):
        text = path.read_text(encoding="utf-8")
        for pat in _TEXT_PATTERNS:
            for name in pat.findall(text):
                used[name].add(_rel(path))
    for path in sorted((ROOT / "src" / "clingen_graph").glob("**/*.py")):
        text = path.read_text(encoding="utf-8")
        for pat in _PY_PATTERNS:
            for name in pat.findall(text):
                if name and not name.startswith("_"):
                    used[name].add(_rel(path))
    for table in (terms.SEPIO_TYPES, terms.SUPER_TYPES):
        for cls in table:
            used[cls].add("clingen_graph.terms")
    for supers in terms.SUPER_TYPES.values():
        for cls in supers:
            used[cls].add("clingen_graph.terms")
    return dict(used)


USED = _used_terms()


@pytest.fixture(scope="module")
def model() -> Graph:
    return _parse(MODEL)


@pytest.fixture(scope="module")
def valuesets() -> Graph:
    return _parse(VALUESETS)


@pytest.fixture(scope="module")
def both(model: Graph, valuesets: Graph) -> Graph:
    return model + valuesets


# --- parsing and the ontology header --------------------------------------------------------------------

@pytest.mark.parametrize(
    "path",
    sorted([*ONTOLOGY_DIR.glob("*.ttl"), *(ROOT / "shapes").glob("*.ttl")]),
    ids=_rel,
)
def test_turtle_files_parse(path: Path) -> None:
    assert len(_parse(path)) > 0


def test_model_and_valuesets_exist() -> None:
    assert MODEL.is_file() and VALUESETS.is_file()


def test_ontology_header(model: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in model
    assert str(model.value(ONTOLOGY_IRI, OWL.versionInfo)) == "0.1.0"
    for prop in ("title", "description", "license"):
        assert model.value(ONTOLOGY_IRI, URIRef(DCTERMS + prop)) is not None, f"dcterms:{prop} missing"
    assert "apache" in str(model.value(ONTOLOGY_IRI, URIRef(DCTERMS + "license"))).lower()


# --- every cgv term used is declared, labelled and defined -----------------------------------------------

def test_terms_were_found() -> None:
    """The scan itself works: the core terms are found (guards against a silently empty parametrisation)."""
    assert {"Statement", "GeneDiseaseValidityStatement", "direction", "Definitive"} <= set(USED)


@pytest.mark.parametrize("name", sorted(USED), ids=str)
def test_cgv_term_declared(name: str, both: Graph) -> None:
    iri = cgv(name)
    where = ", ".join(sorted(USED[name]))
    problems = []
    if both.value(iri, RDF.type) is None:
        problems.append("no rdf:type")
    if both.value(iri, RDFS.label) is None and both.value(iri, SKOS.prefLabel) is None:
        problems.append("no rdfs:label or skos:prefLabel")
    if both.value(iri, SKOS.definition) is None:
        problems.append("no skos:definition")
    assert not problems, (
        f"cgv:{name} (used in {where}) is not properly declared in ontology/clingen-graph.ttl or "
        f"valuesets.ttl: {'; '.join(problems)}"
    )


_OWL_KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


def test_model_terms_have_one_owl_kind(model: Graph) -> None:
    """Each cgv term of the model is exactly one of class / object / datatype / annotation property."""
    bad = {}
    for s in set(model.subjects()):
        if isinstance(s, URIRef) and str(s).startswith(VOCAB):
            kinds = [k for k in _OWL_KINDS if (s, RDF.type, k) in model]
            if len(kinds) != 1:
                bad[str(s)] = kinds
    assert not bad


def test_model_labels_are_english(model: Graph) -> None:
    missing = [
        str(s)
        for s in set(model.subjects())
        if isinstance(s, URIRef) and str(s).startswith(VOCAB)
        and not any(getattr(lab, "language", None) == "en" for lab in model.objects(s, RDFS.label))
    ]
    assert not missing


def test_datatype_properties_have_xsd_or_literal_ranges(model: Graph) -> None:
    for prop in model.subjects(RDF.type, OWL.DatatypeProperty):
        if not str(prop).startswith(VOCAB):
            continue
        rng = model.value(prop, RDFS.range)
        assert rng is not None, f"{prop} has no rdfs:range"
        assert str(rng).startswith(str(RDFS.Literal)) or str(rng).startswith(
            "http://www.w3.org/2001/XMLSchema#"
        ), f"{prop} range {rng}"


def test_numeric_and_boolean_ranges(model: Graph) -> None:
    xsd = "http://www.w3.org/2001/XMLSchema#"
    expected = {
        "score": "decimal", "start": "integer", "end": "integer", "points": "integer",
        "rowsRead": "integer", "rowsLoaded": "integer", "rowsRejected": "integer",
        "rowsQuarantined": "integer", "warnings": "integer", "violations": "integer",
        "conforms": "boolean", "isCurrent": "boolean",
    }
    for name, dt in expected.items():
        assert model.value(cgv(name), RDFS.range) == URIRef(xsd + dt), name


# --- SEPIO mappings agree with what the loader materialises ----------------------------------------------

def _cgv_superclasses(g: Graph, cls: URIRef) -> set[URIRef]:
    return set(g.transitive_objects(cls, RDFS.subClassOf))


def _mapped_obo_classes(g: Graph, cls: URIRef) -> set[str]:
    out = set()
    for c in _cgv_superclasses(g, cls):
        for pred in (OWL.equivalentClass, RDFS.subClassOf):
            out |= {str(o) for o in g.objects(c, pred) if str(o).startswith(OBO)}
    return out


@pytest.mark.parametrize("cls", sorted(terms.SEPIO_TYPES), ids=str)
def test_materialised_sepio_types_follow_from_the_ontology(cls: str, model: Graph) -> None:
    """What ``terms.types_for`` writes on an instance must be entailed by the OWL model."""
    mapped = _mapped_obo_classes(model, cgv(cls))
    for curie in terms.SEPIO_TYPES[cls]:
        assert terms.obo(curie).value in mapped, f"{curie} is not a mapping of cgv:{cls} or a superclass"
    supers = {str(c) for c in _cgv_superclasses(model, cgv(cls))}
    for sup in terms.SUPER_TYPES.get(cls, ()):
        assert VOCAB + sup in supers, f"cgv:{cls} is not a subclass of cgv:{sup}"


def test_statement_and_proposition_mappings(model: Graph) -> None:
    sepio = {
        "Statement": "0000001", "GeneDiseaseValidityStatement": "0004002",
        "DosageSensitivityStatement": "0002001", "VariantPathogenicityStatement": "0000190",
        "ActionabilityStatement": "0003003", "Proposition": "0000000",
        "GeneDiseaseValidityProposition": "0004001", "DosageSensitivityProposition": "0002003",
        "EvidenceLine": "0000002", "Contribution": "0000158",
    }
    for name, num in sepio.items():
        assert (cgv(name), OWL.equivalentClass, URIRef(f"{OBO}SEPIO_{num}")) in model, name
    props = {
        "subject": "SEPIO_0000388", "predicate": "SEPIO_0000389", "object": "SEPIO_0000390",
        "qualifier": "SEPIO_0000144", "specifiedBy": "SEPIO_0000041", "contributions": "SEPIO_0000159",
        "contributor": "SEPIO_0000017", "activityType": "SEPIO_0000046", "hasEvidenceLines": "SEPIO_0000006",
        "replacedBy": "IAO_0100001",
    }
    for name, local in props.items():
        assert (cgv(name), OWL.equivalentProperty, URIRef(OBO + local)) in model, name
    assert (cgv("classification"), RDFS.subPropertyOf, URIRef(OBO + "SEPIO_0000146")) in model
    assert (cgv("Gene"), RDFS.subClassOf, URIRef(OBO + "SO_0000704")) in model


def test_external_terms_referenced_are_declared(model: Graph) -> None:
    """owlready2/HermiT need every class and property the axioms mention to be typed."""
    structural = (OWL.equivalentClass, RDFS.subClassOf, OWL.equivalentProperty, RDFS.subPropertyOf)
    for pred in structural:
        for s, o in model.subject_objects(pred):
            for node in (s, o):
                if isinstance(node, URIRef):
                    assert model.value(node, RDF.type) is not None, f"{node} is not declared"


def test_disease_and_phenotype_not_disjoint(model: Graph) -> None:
    """A MONDO/HPO term may be both; and cgv:Disease must never be disjoint with skos:Concept."""
    for members in model.objects(None, OWL.members):
        items = set(model.items(members))
        assert not {cgv("Disease"), cgv("Phenotype")} <= items
        assert not ({cgv("Disease"), SKOS.Concept} <= items)
    assert (cgv("Disease"), OWL.disjointWith, SKOS.Concept) not in model


# --- value sets ------------------------------------------------------------------------------------------

def _concepts(g: Graph) -> list[URIRef]:
    return sorted(set(g.subjects(RDF.type, SKOS.Concept)))


def test_valueset_concepts_are_complete(valuesets: Graph) -> None:
    concepts = _concepts(valuesets)
    assert len(concepts) > 40
    schemes = set(valuesets.subjects(RDF.type, SKOS.ConceptScheme))
    problems = []
    for c in concepts:
        in_schemes = set(valuesets.objects(c, SKOS.inScheme))
        if not in_schemes:
            problems.append(f"{c}: no skos:inScheme")
        elif not in_schemes <= schemes:
            problems.append(f"{c}: skos:inScheme to an undeclared scheme {in_schemes - schemes}")
        if valuesets.value(c, SKOS.prefLabel) is None:
            problems.append(f"{c}: no skos:prefLabel")
        if valuesets.value(c, SKOS.definition) is None:
            problems.append(f"{c}: no skos:definition")
    assert not problems, "\n".join(problems)


def test_schemes_are_labelled_and_used(valuesets: Graph) -> None:
    for scheme in valuesets.subjects(RDF.type, SKOS.ConceptScheme):
        assert valuesets.value(scheme, RDFS.label) is not None, scheme
        assert valuesets.value(scheme, SKOS.definition) is not None, scheme
        assert valuesets.value(None, SKOS.inScheme, scheme) is not None, f"{scheme} has no concepts"


def test_notations_unique_within_scheme(valuesets: Graph) -> None:
    seen: dict[tuple[str, str], URIRef] = {}
    dupes = []
    for c in _concepts(valuesets):
        for scheme in valuesets.objects(c, SKOS.inScheme):
            for notation in valuesets.objects(c, SKOS.notation):
                key = (str(scheme), str(notation))
                if key in seen and seen[key] != c:
                    dupes.append(f"{notation!s} in {scheme}: {seen[key]} and {c}")
                seen.setdefault(key, c)
    assert not dupes, "\n".join(dupes)


def test_lookup_keys_unambiguous_within_scheme(valuesets: Graph) -> None:
    """The loader maps notation / prefLabel / altLabel case-insensitively; no key may hit two concepts."""
    seen: dict[tuple[str, str], URIRef] = {}
    clashes = []
    for c in _concepts(valuesets):
        for scheme in valuesets.objects(c, SKOS.inScheme):
            for pred in (SKOS.notation, SKOS.prefLabel, SKOS.altLabel):
                for value in valuesets.objects(c, pred):
                    key = (str(scheme), str(value).casefold())
                    if key in seen and seen[key] != c:
                        clashes.append(f"{value!s} in {scheme}: {seen[key]} and {c}")
                    seen.setdefault(key, c)
    assert not clashes, "\n".join(clashes)


def test_concept_directions_and_default_strengths(valuesets: Graph) -> None:
    for c, d in valuesets.subject_objects(cgv("direction")):
        assert str(d) in DIRECTIONS, f"{c} direction {d}"
    strengths = set(valuesets.subjects(SKOS.inScheme, cgv("AcmgStrengthScheme")))
    criteria = set(valuesets.subjects(SKOS.inScheme, cgv("AcmgCriterionScheme")))
    assert len(criteria) == 28
    for c in criteria:
        assert valuesets.value(c, cgv("defaultStrength")) in strengths, c


# --- OWL reasoning (owlready2 + HermiT) ------------------------------------------------------------------

SAMPLE = """
@prefix cgv: <https://w3id.org/clingen-graph/vocab#> .
@prefix cgid: <https://w3id.org/clingen-graph/id/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix obo: <http://purl.obolibrary.org/obo/> .

cgid:statement-1 a cgv:GeneDiseaseValidityStatement ;
    cgv:proposition cgid:proposition-1 ;
    cgv:direction "supports" ;
    cgv:classification cgv:Definitive ;
    cgv:score "15.5"^^xsd:decimal ;
    cgv:specifiedBy cgv:GeneValiditySOP8 ;
    cgv:contributions cgid:contribution-1 .
cgid:proposition-1 a cgv:GeneDiseaseValidityProposition ;
    cgv:subjectGene <https://identifiers.org/hgnc:1100> ;
    cgv:predicate obo:RO_0004013 ;
    cgv:objectCondition obo:MONDO_0007254 ;
    cgv:modeOfInheritanceQualifier obo:HP_0000006 .
<https://identifiers.org/hgnc:1100> a cgv:Gene ;
    cgv:symbol "BRCA1" ;
    cgv:ncbiGene <https://identifiers.org/ncbigene:672> .
# A MONDO term is a class in MONDO and a cgv:Disease individual here (punning).
obo:MONDO_0007254 a owl:Class , cgv:Disease ;
    rdfs:label "breast cancer" ;
    rdfs:subClassOf obo:MONDO_0000001 ;
    cgv:ancestorOrSelf obo:MONDO_0007254 , obo:MONDO_0000001 .
obo:MONDO_0000001 a owl:Class .
cgid:contribution-1 a cgv:Contribution ;
    cgv:contributor cgid:agent-1 ;
    cgv:activityType obo:SEPIO_0000155 ;
    cgv:date "2024-01-02T00:00:00Z"^^xsd:dateTime .
cgid:agent-1 a cgv:Agent ;
    rdfs:label "Hereditary Breast, Ovarian and Pancreatic Cancer GCEP" .
"""

CONFLICTING = """
@prefix cgv: <https://w3id.org/clingen-graph/vocab#> .
<https://w3id.org/clingen-graph/id/statement-x>
    a cgv:GeneDiseaseValidityStatement , cgv:DosageSensitivityStatement .
"""

needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs `java` on PATH")


def _reason(tmp: Path, *extra: str):
    """Load model + value sets (+ Turtle snippets) into a fresh owlready2 World and run HermiT."""
    import owlready2

    g = _parse(MODEL, VALUESETS)
    for snippet in extra:
        g.parse(data=snippet, format="turtle")
    nt = tmp / "merged.nt"
    nt.write_text(g.serialize(format="nt", encoding="utf-8").decode("utf-8"), encoding="utf-8")
    world = owlready2.World()
    world.get_ontology(nt.as_uri()).load(format="ntriples")
    owlready2.sync_reasoner(world, infer_property_values=False, debug=0)
    return world


@pytest.mark.slow
@needs_java
def test_hermit_model_is_consistent(tmp_path: Path) -> None:
    world = _reason(tmp_path)
    assert list(world.inconsistent_classes()) == []
    # the equivalences classify SEPIO's own classes under each other
    gdv_assertion = world[OBO + "SEPIO_0004002"]
    assertion = world[OBO + "SEPIO_0000001"]
    assert assertion in gdv_assertion.ancestors()
    assert world[VOCAB + "Statement"] in world[OBO + "SEPIO_0000190"].ancestors()


@pytest.mark.slow
@needs_java
def test_hermit_instance_sample_is_consistent_and_classified(tmp_path: Path) -> None:
    world = _reason(tmp_path, SAMPLE)
    assert list(world.inconsistent_classes()) == []
    statement = world["https://w3id.org/clingen-graph/id/statement-1"]
    assert world[OBO + "SEPIO_0004002"] in statement.is_a  # inferred by HermiT from the equivalence
    assert isinstance(statement, world[OBO + "SEPIO_0000001"])
    assert isinstance(statement, world[VOCAB + "Statement"])
    proposition = world["https://w3id.org/clingen-graph/id/proposition-1"]
    assert isinstance(proposition, world[OBO + "SEPIO_0004001"])
    assert isinstance(proposition, world[OBO + "SEPIO_0000000"])


@pytest.mark.slow
@needs_java
def test_hermit_detects_disjoint_statement_kinds(tmp_path: Path) -> None:
    import owlready2

    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        _reason(tmp_path, CONFLICTING)
