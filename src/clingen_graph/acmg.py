"""ACMG/AMP 2015 variant classification: criterion codes and an explainable classifier (SPEC §4).

Pure functions, no store and no RDF, so the loader, the CLI and the API explain a class the same way.

* :func:`parse_criterion` / :func:`parse_codes` turn the spellings found in ClinGen files (``PM2_Supporting``,
  ``PM3_Very Strong``, ``BS2_Stand Alone``, ``PS3_P`` …) into :class:`Criterion` values and refuse unknown codes
  and impossible strengths with a :class:`CriterionError` that names the token.
* :func:`classify` combines the met criteria with Richards 2015 Table 5 plus the ClinGen SVI changes
  (``rules="table5"``), with the Tavtigian point scale (``"points"``), or with the rule set of the expert panel
  that wrote the interpretation (``"vcep"``, see :data:`VCEP_RULES`; the default once a panel is named). The
  result names the rule that fired, the Tavtigian points and the criteria counted, and explains itself.

Which strengths a code may carry (:data:`ALLOWED_STRENGTHS`), decided from SPEC §3.2/§4 and the ClinGen ERepo
(2024-04: every distinct token of both code columns, and the criteria the summaries quote):

* pathogenic codes (PVS1, PS1–4, PM1–6, PP1–5): very strong, strong, moderate, supporting; never stand-alone
  (``PVS1_Standalone`` is refused). The ERepo has ``PVS1_Supporting``, ``PS2_Very Strong``, ``PM3_Very Strong``,
  ``PP1_Strong``, ``PP4_Strong`` …
* BA1: stand-alone only (``BA1_Supporting`` is refused).
* BS1–4, BP1–7: very strong, strong, moderate, supporting. The code columns only hold strong/supporting
  (``BS2_Supporting``, ``BP7_Strong``), but the summaries show panels applying ``BS2_Moderate`` (Malignant
  Hyperthermia), ``BS3_Moderate`` (Glaucoma), ``BP5_Moderate`` and ``BP5_Very strong`` (ENIGMA) — the ERepo
  export flattens those to the nearest strength it has (the ERepo reader takes them back from the row's summary,
  see ``clingen_erepo.strengths_from_summary``). Table 5 has no benign moderate or very-strong tier, so
  there a benign moderate counts as supporting and a benign very strong as strong (never more than it is);
  points count them at −2 and −8.
* BS2 may also be stand-alone: the Rett and Angelman-like Disorders VCEP applies ``BS2_Stand Alone`` (ERepo
  CA199322). Stand-alone is refused for every other benign code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

RULES_VERSION = "clingen-graph-acmg-1"

Strength = Literal["standalone", "very strong", "strong", "moderate", "supporting"]
Direction = Literal["pathogenic", "benign"]

STRENGTHS: tuple[str, ...] = ("standalone", "very strong", "strong", "moderate", "supporting")
PATHOGENIC, LIKELY_PATHOGENIC, VUS, LIKELY_BENIGN, BENIGN = (
    "Pathogenic", "Likely pathogenic", "Uncertain significance", "Likely benign", "Benign",
)
CLASSES: tuple[str, ...] = (PATHOGENIC, LIKELY_PATHOGENIC, VUS, LIKELY_BENIGN, BENIGN)

# The 28 criteria of Richards 2015 with their default strength (SPEC §4.1).
DEFAULT_STRENGTH: dict[str, str] = {
    "PVS1": "very strong",
    **{f"PS{i}": "strong" for i in range(1, 5)},
    **{f"PM{i}": "moderate" for i in range(1, 7)},
    **{f"PP{i}": "supporting" for i in range(1, 6)},
    "BA1": "standalone",
    **{f"BS{i}": "strong" for i in range(1, 5)},
    **{f"BP{i}": "supporting" for i in range(1, 8)},
}
CODES: tuple[str, ...] = tuple(DEFAULT_STRENGTH)
_GRADED = frozenset({"very strong", "strong", "moderate", "supporting"})
ALLOWED_STRENGTHS: dict[str, frozenset[str]] = {
    **{c: _GRADED for c in CODES},
    "BA1": frozenset({"standalone"}),
    # Rett and Angelman-like Disorders VCEP (MECP2 in unaffected hemizygous males): ERepo CA199322 "BS2_Stand Alone".
    "BS2": _GRADED | {"standalone"},
}
# ClinGen SVI retired PP5 and BP6 (Biesecker & Harrison 2018): parsed and shown, never counted.
RETIRED = frozenset({"PP5", "BP6"})
POINTS: dict[str, int] = {"very strong": 8, "strong": 4, "moderate": 2, "supporting": 1, "standalone": 0}
_SUFFIX = {"very strong": "VeryStrong", "strong": "Strong", "moderate": "Moderate", "supporting": "Supporting",
           "standalone": "Standalone"}

# Strength words as written after the code, compared without case, spaces, '_' or '-' (SPEC §3.2 note:
# ClinGen prose also writes PS3_P, PS2_M, PM3_VS).
_STRENGTH_WORDS: dict[str, str] = {
    "standalone": "standalone", "sa": "standalone",
    "verystrong": "very strong", "vs": "very strong", "vstrong": "very strong",
    "strong": "strong", "s": "strong", "str": "strong",
    "moderate": "moderate", "m": "moderate", "mod": "moderate",
    "supporting": "supporting", "p": "supporting", "sup": "supporting", "supp": "supporting",
}
_TOKEN = re.compile(r"^([A-Za-z]{2,3})\s*(\d)(?:[\s_\-]*(.*?))?$")


class CriterionError(ValueError):
    """A criterion token that is not an ACMG code, or a code at a strength it cannot have."""


@dataclass(frozen=True, slots=True)
class Criterion:
    """One ACMG criterion as applied: code, applied strength, side; ``raw`` is the token as written."""

    code: str
    strength: str
    direction: str  # "pathogenic" | "benign" (VA-Spec evidence line: supports | disputes when met)
    modified: bool  # applied at a strength other than the code's default
    raw: str = field(default="", compare=False)

    @property
    def label(self) -> str:
        """SVI nomenclature: the bare code at its default strength, else ``CODE_Strength``."""
        return f"{self.code}_{_SUFFIX[self.strength]}" if self.modified else self.code

    @property
    def points(self) -> int:
        """Tavtigian points, signed (pathogenic +, benign −); stand-alone criteria carry none."""
        p = POINTS[self.strength]
        return p if self.direction == "pathogenic" else -p

    def __str__(self) -> str:
        return self.label


@lru_cache(maxsize=4096)
def parse_criterion(text: str) -> Criterion:
    """Parse one token such as ``PM2_Supporting``, ``pm3 very-strong`` or ``BS2_Stand Alone``.

    :raises CriterionError: unknown code, unknown strength word, or a strength the code cannot have.
    """
    token = " ".join(text.split())
    if not token:
        raise CriterionError("empty criterion code")
    m = _TOKEN.match(token)
    if not m:
        raise CriterionError(f"{token!r} is not an ACMG criterion (expected e.g. PS3 or PM2_Supporting)")
    code = (m.group(1) + m.group(2)).upper()
    if code not in DEFAULT_STRENGTH:
        raise CriterionError(f"unknown ACMG criterion code {code!r} in {token!r}; known codes: PVS1, "
                             "PS1-PS4, PM1-PM6, PP1-PP5, BA1, BS1-BS4, BP1-BP7")
    default = DEFAULT_STRENGTH[code]
    word = m.group(3) or ""
    if word:
        strength = _STRENGTH_WORDS.get(re.sub(r"[\s_\-]+", "", word).casefold())
        if strength is None:
            raise CriterionError(f"unknown strength {word!r} in {token!r}; expected one of "
                                 "Standalone, VeryStrong, Strong, Moderate, Supporting")
    else:
        strength = default
    if strength not in ALLOWED_STRENGTHS[code]:
        allowed = ", ".join(s for s in STRENGTHS if s in ALLOWED_STRENGTHS[code])
        raise CriterionError(f"{code} cannot be applied at {strength} ({token!r}); {code} may be: {allowed}")
    direction = "pathogenic" if code.startswith("P") else "benign"
    return Criterion(code, strength, direction, strength != default, text)


_SPLIT = re.compile(r"[,;]")


def parse_codes(text: str | None) -> list[Criterion]:
    """Parse a comma/semicolon separated cell (``"PS3, PM3, PP4_Moderate, PM2"``); an empty cell is ``[]``.

    :raises CriterionError: a bad token (named in the message), or a code applied twice (SVI: once, at one
        strength).
    """
    if not text or not text.strip():
        return []
    out: list[Criterion] = []
    seen: set[str] = set()
    for token in _SPLIT.split(text):
        if not token.strip():
            continue
        c = parse_criterion(token.strip())
        if c.code in seen:
            raise CriterionError(f"{c.code} is applied more than once in {text.strip()!r}")
        seen.add(c.code)
        out.append(c)
    return out


# --- rule sets -----------------------------------------------------------------------------------------------

TAVTIGIAN_BANDS = (10, 6, 0, -6)  # lowest total for P, LP, VUS, LB (SPEC §4.3); below the last: B


@dataclass(frozen=True)
class RuleSet:
    """How criteria are combined: Table 5 (+ SVI) or points, plus the changes one specification makes.

    Every switch is off by default, so ``RuleSet("x")`` is plain Table 5 with the SVI changes. A VCEP entry sets
    only what the panel's specification (``source``) says and the ERepo data shows (``evidence``).
    """

    name: str
    method: Literal["table5", "points"] = "table5"
    source: str = ""  # the specification / paper the rule comes from
    evidence: str = ""  # what in the ERepo shows it
    bands: tuple[int, int, int, int] = TAVTIGIAN_BANDS  # point method: lowest total for P, LP, VUS, LB
    ba1_points: int | None = None  # point method: BA1 counted as points (e.g. -8) instead of stand-alone
    conflict_points: bool = False  # criteria on both sides (no stand-alone): decide by Tavtigian points
    strong_benign_lb: frozenset[str] = frozenset()  # these codes at strong, alone on the benign side, give LB
    strong_benign_lb_alone: bool = False  # ... only when no pathogenic criterion is met at all
    ba1_yields_to_pathogenic: bool = False  # BA1 is not counted when the pathogenic side reaches Pathogenic
    two_very_strong_p: bool = False  # >=2 very strong criteria give P (upgraded PM3/PS2; Table 5 has no line)
    very_strong_supporting_lp: bool = False  # 1 very strong + >=1 supporting gives LP (9 points; generalises the
    # SVI PVS1 + PM2_Supporting rule to the panel's other supporting criteria)


TABLE5 = RuleSet("table5", source="Richards et al. 2015 Table 5 (PMID 25741868) with ClinGen SVI changes")
POINTS_RULES = RuleSet("points", method="points",
                       source="Tavtigian et al. 2018/2020 point scale (PMID 29300386, 32720330)")

_ANY_BS = frozenset({"BS1", "BS2", "BS3", "BS4", *(f"BP{i}" for i in range(1, 8))})


def _vcep(name: str, **kw: object) -> RuleSet:
    return RuleSet(f"vcep:{name}", **kw)  # type: ignore[arg-type]


# Expert panels (as the ERepo names them) whose classifications follow something other than plain Table 5 + SVI.
# Each entry sets only what its specification says and the 2024-04 ERepo shows: `evidence` quotes the summaries.
# Panels not listed here classify with plain Table 5 + SVI.
VCEP_RULES: dict[str, RuleSet] = {
    "Brain Malformations VCEP": _vcep(
        "Brain Malformations", method="points", ba1_points=-8,
        source="ClinGen Brain Malformations VCEP specifications v1 (approved 2021-01-31)",
        evidence="every summary ends with its point total, e.g. 'BS1, PP2; -3 points'; 'BA1, PP2, PM1_P; -6 points' "
                 "counts BA1 as -8"),
    "CDH1 VCEP": _vcep(
        "CDH1", conflict_points=True, strong_benign_lb=frozenset({"BS2"}),
        source="ClinGen CDH1 VCEP specifications v3.1",
        evidence="'classified as likely benign based on BS2 alone'; 'Use of the Bayesian point system for this "
                 "variant with conflicting evidence' (PM2_Supporting + BS2 -> LB)"),
    "Cardiomyopathy VCEP": _vcep(
        "Cardiomyopathy (MYH7)", strong_benign_lb=frozenset({"BS1"}),
        source="Kelly et al. 2018 MYH7 specifications (PMID 29300372)",
        evidence="BS1 alone -> Likely benign, citing the Tavtigian framework (PMID 29300386)"),
    "DICER1 and miRNA-Processing Gene VCEP": _vcep(
        "DICER1", conflict_points=True,
        source="ClinGen DICER1 VCEP specifications v1-1.2",
        evidence="summaries end with '(Bayesian Points: N; VCEP specifications version 1…)', e.g. "
                 "PM2_Supporting + BS3 -> -3 -> LB 'although there are both pathogenic and benign types of evidence'"),
    "ENIGMA BRCA1 and BRCA2 VCEP": _vcep(
        "ENIGMA BRCA1/2", strong_benign_lb=_ANY_BS, two_very_strong_p=True,
        source="ClinGen ENIGMA BRCA1/2 VCEP specifications v1",
        evidence="BP1_Strong alone -> LB; PM2_Supporting + BP7_Strong (RNA) -> LB; 'PVS1 (RNA), PP4_Very strong' -> P "
                 "(BRCA2 c.7977-1G>C, c.8023A>G; the export writes PP4_Strong)"),
    "Glaucoma VCEP": _vcep(
        "Glaucoma (MYOC)", method="points", bands=(10, 6, -1, -6),
        source="ClinGen Glaucoma VCEP specifications v1 (2021-10-12)",
        evidence="'met the criteria to receive a score of -2 … (likely benign classification range -2 to -6)'; "
                 "'score of -1 … (uncertain significance classification range -1 to 5)'"),
    "Hearing Loss VCEP": _vcep(
        "Hearing Loss", strong_benign_lb=frozenset({"BS1"}), strong_benign_lb_alone=True, two_very_strong_p=True,
        very_strong_supporting_lp=True, ba1_yields_to_pathogenic=True,
        source="Oza et al. 2018 hearing-loss specifications (PMID 30311386) and VCEP specifications v2",
        evidence="'The HL EP allows classification of variants as likely benign with only BS1 if no other criteria "
                 "are in conflict'; PVS1 + PM3_VeryStrong (+ PS3_Moderate) -> P; PM3_VeryStrong + PP3 (or PP4) "
                 "-> LP; GJB2 c.35delG with BA1: 'the evidence for the pathogenicity … outweighs the high allele "
                 "frequency … the BA1 code will not contribute to the overall classification'"),
    "Hereditary Breast, Ovarian and Pancreatic Cancer VCEP": _vcep(
        "HBOP (ATM, PALB2)", two_very_strong_p=True, very_strong_supporting_lp=True,
        source="ClinGen HBOP VCEP ATM/PALB2 specifications v1",
        evidence="PVS1 + PM5_Supporting -> LP (PALB2); PVS1 + PM3_VeryStrong (+ PM5_Supporting) -> P (ATM)"),
    "Hereditary Hemorrhagic Telangiectasia VCEP": _vcep(
        "HHT", strong_benign_lb=frozenset({"BS1"}),
        source="ClinGen HHT VCEP specifications v1.0.0 (2024-01-04)",
        evidence="BS1 -> LB and 'BS1, PP3' -> LB"),
    "InSiGHT Hereditary Colorectal Cancer/Polyposis VCEP": _vcep(
        "InSiGHT HCCP", conflict_points=True, two_very_strong_p=True,
        source="ClinGen InSiGHT HCCP VCEP specifications v1 (2022-12-12)",
        evidence="'Due to conflicting evidence … VUS' for PS4 + BS3_Supporting + BP1 (+2) and "
                 "PS3_Supporting + PM2_Supporting + BS2_Supporting + BP1 (0); 'PVS1, PS4_VeryStrong, and "
                 "PM6_VeryStrong' -> P (APC c.3927_3931del; the export writes PS4, PM6_Strong)"),
    "Leber Congenital Amaurosis/early onset Retinal Dystrophy VCEP": _vcep(
        "LCA/eoRD", strong_benign_lb=frozenset({"BS1"}),
        source="ClinGen LCA/eoRD VCEP specifications v1.0.0 (2023-09-21)",
        evidence="'meets the criteria to be classified as likely benign … BS1'"),
    "Lysosomal Diseases VCEP": _vcep(
        "Lysosomal Diseases (GAA)", two_very_strong_p=True,
        source="ClinGen LSD VCEP GAA specifications",
        evidence="PVS1 + PM3_Very Strong + PP4 -> Pathogenic"),
    "Malignant Hyperthermia Susceptibility VCEP": _vcep(
        "Malignant Hyperthermia (RYR1)", method="points",
        source="ClinGen MHS VCEP RYR1 specifications",
        evidence="'Based on using Bayes to combine criteria this variant is assessed as … (PMID: 29300386)'"),
    "Myeloid Malignancy VCEP": _vcep(
        "Myeloid Malignancy (RUNX1)", strong_benign_lb=frozenset({"BS1"}), strong_benign_lb_alone=True,
        source="ClinGen Myeloid Malignancy VCEP RUNX1 specifications",
        evidence="'classified as likely benign based on BS1 alone with no contradictory evidence supporting "
                 "pathogenicity'"),
    "PTEN VCEP": _vcep(
        "PTEN", conflict_points=True, strong_benign_lb=_ANY_BS,
        source="ClinGen PTEN VCEP specifications v3.0.0",
        evidence="'1 Benign Strong = Likely Benign'; 'Using the Bayesian point system (PMID: 29300386) for this "
                 "variant with conflicting evidence'"),
    "Phenylketonuria VCEP": _vcep(
        "Phenylketonuria (PAH)", two_very_strong_p=True,
        source="ClinGen PAH VCEP specifications v1",
        evidence="PVS1 + PM3_very-strong + PP4_Moderate -> Pathogenic"),
    "RASopathy VCEP": _vcep(
        "RASopathy", strong_benign_lb=frozenset({"BS1"}),
        source="Gelb et al. 2018 RASopathy specifications (PMID 29493581)",
        evidence="28 of 28 BS1-only rows: 'a high enough frequency to be classified as likely benign based on "
                 "thresholds defined by the ClinGen RASopathy Expert Panel (BS1)'"),
    "Rett and Angelman-like Disorders VCEP": _vcep(
        "Rett/Angelman-like", strong_benign_lb=frozenset({"BS2"}), strong_benign_lb_alone=True,
        two_very_strong_p=True,
        source="ClinGen Rett/AS-like VCEP specifications v2-v3",
        evidence="BS2: 'In the absence of conflicting evidence, this is sufficient evidence to classify as likely "
                 "benign'; PVS1 + PS2_VeryStrong + PM2_Supporting -> Pathogenic"),
    "Severe Combined Immunodeficiency Disease VCEP": _vcep(
        "SCID", strong_benign_lb=_ANY_BS,
        source="ClinGen SCID VCEP specifications v1",
        evidence="BS1 -> LB, BS2 -> LB, 'BS1_met, PP4_met' -> LB"),
    "Thrombosis VCEP": _vcep(
        "Thrombosis (SERPINC1)", conflict_points=True,
        source="ClinGen Thrombosis VCEP SERPINC1 specifications",
        evidence="'While the variant meets conflicting pathogenic (PP3) and benign (BS1, BS3) codes, the overall "
                 "score based on the Bayesian framework is -7 (PMID: 32720330)'"),
}
# Guideline URL (as in the ERepo 'Guideline' column) → panel key, for rows that name the specification.
VCEP_GUIDELINES: dict[str, str] = {
    "https://www.clinicalgenome.org/site/assets/files/7580/clingen_cdh1_acmg_specifications_v3_1.pdf": "CDH1 VCEP",
    "https://clinicalgenome.org/docs/clingen-brain-malformations-expert-panel-specifications-to-the-acmg-amp-variant-"
    "interpretation-guidelines-version-1.1": "Brain Malformations VCEP",
    "https://clinicalgenome.org/docs/clingen-glaucoma-expert-panel-specifications-to-the-acmg-amp-variant-"
    "interpretation-guidelines-version-1": "Glaucoma VCEP",
    "https://clinicalgenome.org/docs/clingen-malignant-hyperthermia-susceptibility-expert-panel-specifications-to-"
    "the-acmg-amp-variant-interpretation-guidelines-for": "Malignant Hyperthermia Susceptibility VCEP",
    "https://www.clinicalgenome.org/docs/clingen-rasopathy-expert-panel-specifications-to-the-acmg-amp-variant-"
    "interpretation-guidelines-version-1": "RASopathy VCEP",
    "https://clinicalgenome.org/docs/clingen-lysosomal-storage-disorders-expert-panel-specifications-to-the-acmg-"
    "amp-variant-interpretation-guidelines-version-2": "Lysosomal Diseases VCEP",
    "https://clinicalgenome.org/docs/clingen-pah-expert-panel-specifications-to-the-acmg-amp-variant-"
    "interpretation-guidelines-version-1": "Phenylketonuria VCEP",
    "https://clinicalgenome.org/site/assets/files/7339/clingen_rettas_acmg_specifications_v2.pdf":
        "Rett and Angelman-like Disorders VCEP",
    "https://clinicalgenome.org/site/assets/files/7814/clingen_hl_acmg_specifications_cdh23_coch_gjb2_kcnq4_myo6_"
    "myo7a_slc26a4_tecta_ush2a_v2.pdf": "Hearing Loss VCEP",
    "https://clinicalgenome.org/site/assets/files/7814/clingen_hl_acmg_specifications_otof_myo15a_v1.pdf":
        "Hearing Loss VCEP",
    "https://www.clinicalgenome.org/affiliation/50034/docs/assertion-criteria": "Myeloid Malignancy VCEP",
    "https://clinicalgenome.org/docs/clingen-cardiomyopathy-expert-panel-specifications-to-the-acmg-amp-variant-"
    "interpretation-guidelines-version-1": "Cardiomyopathy VCEP",
}


def _norm_panel(name: str) -> str:
    return " ".join(name.split()).casefold()


def _norm_url(url: str) -> str:
    return url.strip().rstrip("/").casefold()


_RULES_BY_PANEL: dict[str, RuleSet] = {_norm_panel(k): v for k, v in VCEP_RULES.items()}
_PANEL_BY_URL: dict[str, str] = {_norm_url(k): v for k, v in VCEP_GUIDELINES.items()}


def vcep_rule(*, expert_panel: str | None = None, guideline: str | None = None) -> RuleSet | None:
    """The rule set of an expert panel, by name (whitespace/case-insensitive) else by guideline URL; None = Table 5."""
    if expert_panel:
        rule = _RULES_BY_PANEL.get(_norm_panel(expert_panel))
        if rule is not None:
            return rule
    if guideline:
        key = _PANEL_BY_URL.get(_norm_url(guideline))
        if key:
            return VCEP_RULES[key]
    return None


# --- classification ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Classification:
    """The outcome of :func:`classify`: the class, the rule that fired, points and a readable reason."""

    classification: str  # one of CLASSES
    rule: str  # human-readable id of the rule that fired
    points: int  # Tavtigian total of the counted criteria (stand-alone criteria carry none, unless the rule set
    # counts BA1 as points)
    counted: tuple[str, ...]  # labels of the criteria that counted, e.g. ("PVS1", "PM2_Supporting")
    explanation: str
    rules_version: str = RULES_VERSION
    rule_set: str = "table5"  # "table5", "points" or "vcep:<panel>"


@dataclass(frozen=True, slots=True)
class _Counts:
    vs: int
    s: int
    m: int
    p: int
    ba: int
    bs: int
    bp: int


def _counts(criteria: Iterable[Criterion]) -> _Counts:
    """Table 5 tallies at applied strength; benign very strong counts as BS and benign moderate as BP."""
    vs = s = m = p = ba = bs = bp = 0
    for c in criteria:
        if c.direction == "pathogenic":
            if c.strength == "very strong":
                vs += 1
            elif c.strength == "strong":
                s += 1
            elif c.strength == "moderate":
                m += 1
            else:
                p += 1
        elif c.strength == "standalone":
            ba += 1
        elif c.strength in ("very strong", "strong"):
            bs += 1
        else:
            bp += 1
    return _Counts(vs, s, m, p, ba, bs, bp)


def _pathogenic_side(n: _Counts, svi_pvs1_pm2: bool) -> tuple[str, str] | None:
    """Richards Table 5, pathogenic side, exactly as SPEC §4.2, then the SVI PVS1 + PM2_Supporting rule."""
    vs, s, m, p = n.vs, n.s, n.m, n.p
    if vs >= 1:
        if s >= 1:
            return PATHOGENIC, "Table 5 P(i): very strong + >=1 strong"
        if m >= 2:
            return PATHOGENIC, "Table 5 P(i): very strong + >=2 moderate"
        if m == 1 and p == 1:
            return PATHOGENIC, "Table 5 P(i): very strong + moderate + supporting"
        if p >= 2:
            return PATHOGENIC, "Table 5 P(i): very strong + >=2 supporting"
    if s >= 2:
        return PATHOGENIC, "Table 5 P(ii): >=2 strong"
    if s == 1:
        if m >= 3:
            return PATHOGENIC, "Table 5 P(iii): strong + >=3 moderate"
        if m == 2 and p >= 2:
            return PATHOGENIC, "Table 5 P(iii): strong + 2 moderate + >=2 supporting"
        if m == 1 and p >= 4:
            return PATHOGENIC, "Table 5 P(iii): strong + moderate + >=4 supporting"
    if vs == 1 and m == 1:
        return LIKELY_PATHOGENIC, "Table 5 LP(i): very strong + moderate"
    if s == 1 and m in (1, 2):
        return LIKELY_PATHOGENIC, "Table 5 LP(ii): strong + 1-2 moderate"
    if s == 1 and p >= 2:
        return LIKELY_PATHOGENIC, "Table 5 LP(iii): strong + >=2 supporting"
    if m >= 3:
        return LIKELY_PATHOGENIC, "Table 5 LP(iv): >=3 moderate"
    if m == 2 and p >= 2:
        return LIKELY_PATHOGENIC, "Table 5 LP(v): 2 moderate + >=2 supporting"
    if m == 1 and p >= 4:
        return LIKELY_PATHOGENIC, "Table 5 LP(vi): moderate + >=4 supporting"
    if svi_pvs1_pm2:
        return LIKELY_PATHOGENIC, "SVI: PVS1 + PM2_Supporting -> LP"
    return None


def _benign_side(n: _Counts, standalone: str) -> tuple[str, str] | None:
    """Richards Table 5, benign side (SPEC §4.2)."""
    if n.ba >= 1:
        return BENIGN, f"Table 5 B(i): {standalone} stand-alone"
    if n.bs >= 2:
        return BENIGN, "Table 5 B(ii): >=2 strong benign"
    if n.bs == 1 and n.bp == 1:
        return LIKELY_BENIGN, "Table 5 LB(i): strong benign + supporting benign"
    if n.bp >= 2:
        return LIKELY_BENIGN, "Table 5 LB(ii): >=2 supporting benign"
    return None


def _points_class(total: int, bands: tuple[int, int, int, int] = TAVTIGIAN_BANDS) -> tuple[str, str]:
    """Point bands (SPEC §4.3: P >= 10, LP 6..9, VUS 0..5, LB -1..-6, B <= -7, unless a VCEP moves them)."""
    p, lp, vus, lb = bands
    if total >= p:
        return PATHOGENIC, f"points: >={p} -> P"
    if total >= lp:
        return LIKELY_PATHOGENIC, f"points: {lp} to {p - 1} -> LP"
    if total >= vus:
        return VUS, f"points: {vus} to {lp - 1} -> VUS"
    if total >= lb:
        return LIKELY_BENIGN, f"points: {lb} to {vus - 1} -> LB"
    return BENIGN, f"points: <={lb - 1} -> B"


def _tally(n: _Counts) -> str:
    parts = [f"{v} {name}" for v, name in ((n.vs, "very strong"), (n.s, "strong"), (n.m, "moderate"),
                                          (n.p, "supporting"), (n.ba, "stand-alone benign"),
                                          (n.bs, "strong benign"), (n.bp, "supporting benign")) if v]
    return ", ".join(parts) or "no counted criteria"


_ORDER = {c: i for i, c in enumerate(CODES)}
_RULE_SETS: dict[str, RuleSet] = {TABLE5.name: TABLE5, POINTS_RULES.name: POINTS_RULES,
                                  **{r.name: r for r in VCEP_RULES.values()}}


@lru_cache(maxsize=65536)
def _classify_set(key: frozenset[Criterion], rule_name: str) -> Classification:
    r = _RULE_SETS[rule_name]
    ordered = sorted(key, key=lambda c: (_ORDER[c.code], c.strength))
    retired = [c.label for c in ordered if c.code in RETIRED]
    used = [c for c in ordered if c.code not in RETIRED]
    counted = tuple(c.label for c in used)
    label = ", ".join(counted) or "none"
    standalone = [c for c in used if c.strength == "standalone"]
    total = sum(c.points for c in used)
    if r.method == "points" and r.ba1_points is not None:
        total += r.ba1_points * len(standalone)
    n = _counts(used)
    cls, rule, why = _decide(r, used, n, total, standalone, label)
    note = ""
    if retired:
        note = (f" {' and '.join(retired)} not counted: retired by ClinGen SVI (Biesecker & Harrison 2018), "
                "assess the evidence behind a reputable-source report directly.")
    if r.name != TABLE5.name and r.source:
        note += f" Rule set: {r.source}."
    return Classification(cls, rule, total, counted, f"{why}.{note}", RULES_VERSION, r.name)


def _decide(r: RuleSet, used: list[Criterion], n: _Counts, total: int, standalone: list[Criterion],
            label: str) -> tuple[str, str, str]:
    """(class, rule id, first sentence of the explanation) under rule set ``r``."""
    if r.method == "points":
        if standalone and r.ba1_points is None:
            code = standalone[0].code
            return BENIGN, f"{code} stand-alone", f"{code} is stand-alone benign evidence and classifies Benign alone"
        cls, rule = _points_class(total, r.bands)
        ba1 = f", BA1 counted as {r.ba1_points:+d}" if standalone and r.ba1_points is not None else ""
        return cls, rule, f"Points {total:+d} ({label}{ba1}) fall in the {cls} band"
    has_p = n.vs + n.s + n.m + n.p > 0
    has_b = n.ba + n.bs + n.bp > 0
    if r.conflict_points and has_p and has_b and not n.ba:
        cls, band = _points_class(total, r.bands)
        return (cls, f"VCEP: conflicting evidence -> {band}",
                f"Pathogenic and benign criteria are both met, so the panel's specification decides by Bayesian "
                f"points: {total:+d} ({label}) is {cls}")
    svi = any(c.code == "PVS1" and c.strength == "very strong" for c in used) and any(
        c.code == "PM2" and c.strength == "supporting" for c in used)
    path = _pathogenic_side(n, svi)
    if r.two_very_strong_p and n.vs >= 2 and (path is None or path[0] != PATHOGENIC):
        path = PATHOGENIC, "VCEP: >=2 very strong -> P"
    if r.very_strong_supporting_lp and path is None and n.vs == 1 and n.p >= 1:
        path = LIKELY_PATHOGENIC, "VCEP: very strong + >=1 supporting -> LP"
    if r.ba1_yields_to_pathogenic and n.ba and path and path[0] == PATHOGENIC:
        return (PATHOGENIC, f"VCEP: pathogenic evidence outweighs BA1 ({path[1]})",
                f"The pathogenic evidence reaches Pathogenic ({path[1]}), which the panel lets outweigh the BA1 "
                f"allele frequency, so BA1 does not contribute ({label})")
    benign = _benign_side(n, standalone[0].code if standalone else "BA1")
    if benign is None and r.strong_benign_lb and n.bs == 1 and n.bp == 0 and not (r.strong_benign_lb_alone and has_p):
        strong = next(c for c in used if c.direction == "benign")
        if strong.code in r.strong_benign_lb:
            benign = LIKELY_BENIGN, f"VCEP: {strong.code} alone -> LB"
    if path and benign:
        return (VUS, "contradictory evidence -> VUS",
                f"Both sides are met (pathogenic: {path[0]} by {path[1]}; benign: {benign[0]} by {benign[1]}), so the "
                f"evidence is contradictory and the variant is of uncertain significance ({label})")
    if path or benign:
        cls, rule = path or benign  # type: ignore[misc]
        return cls, rule, f"{cls} by {rule} ({_tally(n)}: {label}); points {total:+d}"
    why = f"No combining rule is met ({_tally(n)}: {label})"
    by_points = _points_class(total)[0]
    if not standalone and by_points != VUS:
        why += f"; the Tavtigian point total {total:+d} would be {by_points}"
    return VUS, "Table 5: no rule met -> VUS", why


RuleSetName = Literal["table5", "points", "vcep"]


def classify(
    criteria: Iterable[Criterion],
    *,
    rules: RuleSetName | RuleSet | None = None,
    expert_panel: str | None = None,
    guideline: str | None = None,
) -> Classification:
    """Classify the met criteria and say which rule fired.

    ``rules``: ``"table5"`` — Richards 2015 Table 5 with the ClinGen SVI changes (PVS1 + PM2_Supporting → LP;
    PP5/BP6 not counted); ``"points"`` — Tavtigian bands; ``"vcep"`` — the rule set of the panel named by
    ``expert_panel`` (or its ``guideline`` URL) in :data:`VCEP_RULES`, plain Table 5 for other panels; or a
    :class:`RuleSet`. ``None`` (the default) is ``"vcep"`` when a panel or guideline is given, else ``"table5"``.
    Results are cached per set of criteria, so classifying many rows costs a dict lookup.
    """
    if rules is None:
        rules = "vcep" if (expert_panel or guideline) else "table5"
    key = frozenset(criteria)
    if isinstance(rules, RuleSet):
        known = _RULE_SETS.setdefault(rules.name, rules)
        if known != rules:
            raise ValueError(f"a different rule set is already registered as {rules.name!r}")
        return _classify_set(key, rules.name)
    if rules == "vcep":
        rule = vcep_rule(expert_panel=expert_panel, guideline=guideline)
        return _classify_set(key, rule.name if rule else TABLE5.name)
    if rules not in ("table5", "points"):
        raise ValueError(f"unknown rule set {rules!r}; expected table5, points or vcep")
    return _classify_set(key, rules)
