"""ClinVar review stars, our own aggregate classification of a variant's submissions (SCVs), and typed conflicts.

Pure functions: no I/O. We recompute the aggregate instead of trusting ClinVar's so that the graph can say *why*
a variant is "Conflicting" (which SCVs disagree, at which review tier) and so that a change in ClinVar's rules
shows up as a disagreement (``clingen-graph aggregate`` prints it) rather than silently.

The rules (SPEC §8, made precise on the real VCV records in ``data/clinvar/``):

* Each kind is aggregated on its own: germline classification, somatic clinical impact, oncogenicity. Which kind
  an SCV is follows from the element it uses (``GermlineClassification`` …), not from the sample origin: ClinVar
  counts germline classifications of somatic-origin samples as germline (VCV000013961: 37 germline SCVs).
* Only the highest review tier that has a classification is aggregated: practice guideline > expert panel >
  criteria provided > no assertion criteria provided. Lower tiers are ignored entirely (VCV000013961: a 0-star
  "Uncertain significance" does not make the four 1-star P/LP SCVs conflicting; VCV000177881: the 0-star P/LP
  SCVs do not count, the 1-star P vs 2×VUS does). Flagged SCVs and SCVs without a classification ("not
  provided", review status "no classification provided") never contribute.
* ``NumberOfSubmissions``/``NumberOfSubmitters`` count every SCV of the kind, whatever its tier.
* Germline/oncogenicity text: identical terms → that term; terms of one group → joined with "/" in ClinVar's
  order ("Pathogenic/Likely pathogenic", "Benign/Likely benign"); terms from more than one of {P/LP}, {VUS},
  {LB/B} → "Conflicting classifications of pathogenicity" (or "… of oncogenicity") with per-term counts
  ("Pathogenic(1); Uncertain significance(2)"). Terms outside those groups (drug response, risk factor,
  protective, association, Affects, other …) never conflict; they follow after "; ".
* Review status: a 4- or 3-star tier keeps its wording; the 1-star tier is "criteria provided, single
  submitter" (one submitter), "…, multiple submitters, no conflicts" (several, agreeing) or "…, conflicting
  classifications"; the 0-star tier is "no assertion criteria provided" however many SCVs it has.
* Somatic clinical impact: no conflicts; the aggregate is the strongest tier (Tier I > … > IV) of the top
  review tier; several 1-star submitters → "criteria provided, multiple submitters" (2 stars).

Not seen in the samples, so taken from NCBI's documentation and marked ``unverified`` in :data:`UNVERIFIED`:
low-penetrance and risk-allele terms grouping with P/LP and VUS, the order of non-ACMG terms after "; "
(we sort them case-insensitively), the wording when every SCV is flagged, and conflicts within the 0-star tier.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, Protocol

Kind = Literal["germline", "somatic-clinical-impact", "oncogenicity"]
KINDS: tuple[Kind, ...] = ("germline", "somatic-clinical-impact", "oncogenicity")

# --- review status → stars -------------------------------------------------------------------------------------

PRACTICE_GUIDELINE = "practice guideline"
EXPERT_PANEL = "reviewed by expert panel"
MULTIPLE_NO_CONFLICTS = "criteria provided, multiple submitters, no conflicts"
MULTIPLE = "criteria provided, multiple submitters"  # somatic clinical impact only
CONFLICTING = "criteria provided, conflicting classifications"
SINGLE = "criteria provided, single submitter"
NO_CRITERIA = "no assertion criteria provided"
NO_CLASSIFICATION = "no classification provided"
NO_SINGLE_VARIANT = "no classification for the single variant"
ALL_FLAGGED = "no classifications from unflagged records"
FLAGGED = "flagged submission"

STARS: dict[str, int] = {
    PRACTICE_GUIDELINE: 4,
    "reviewed by professional society": 4,  # pre-2015 wording
    EXPERT_PANEL: 3,
    MULTIPLE_NO_CONFLICTS: 2,
    MULTIPLE: 2,
    "classified by multiple submitters": 2,  # pre-2015
    CONFLICTING: 1,
    "criteria provided, conflicting interpretations": 1,  # before 2024
    SINGLE: 1,
    "classified by single submitter": 1,  # pre-2015
    NO_CRITERIA: 0,
    NO_CLASSIFICATION: 0,
    "no assertion provided": 0,  # before 2024
    "not classified by submitter": 0,  # pre-2015
    NO_SINGLE_VARIANT: 0,
    "no interpretation for the single variant": 0,  # 2019–2024
    "no assertion for the individual variant": 0,  # before 2019
    ALL_FLAGGED: 0,
    FLAGGED: 0,
}

# the tier an SCV's review status puts it in for aggregation (higher wins); None: never aggregated
_TIER: dict[str, int | None] = {
    PRACTICE_GUIDELINE: 4, "reviewed by professional society": 4,
    EXPERT_PANEL: 3,
    SINGLE: 1, "classified by single submitter": 1,
    # aggregate-only wordings that sometimes appear on old SCVs: criteria were provided
    MULTIPLE_NO_CONFLICTS: 1, MULTIPLE: 1, "classified by multiple submitters": 1, CONFLICTING: 1,
    "criteria provided, conflicting interpretations": 1,
    NO_CRITERIA: 0,
}

UNVERIFIED = (
    "low-penetrance / risk-allele terms grouped with P/LP and VUS",
    "order of non-ACMG terms after '; ' (sorted case-insensitively)",
    f"'{ALL_FLAGGED}' as text and review status when every SCV is flagged",
    "0-star tier with conflicting terms: 'Conflicting classifications …' with review status 'no assertion criteria "
    "provided'",
)


class UnknownReviewStatus(ValueError):
    """A review status wording we do not know (ClinVar renamed one again?)."""


@lru_cache(maxsize=4096)
def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def normalize_status(review_status: str) -> str:
    """A review status in lower case with single spaces, the form :data:`STARS` is keyed by."""
    return _norm(review_status)


def stars(review_status: str) -> int:
    """Stars (0–4) for a ClinVar review status, current or older wording, SCV or aggregate (SPEC §8.1).

    :raises UnknownReviewStatus: the wording is not one ClinVar has used.
    """
    try:
        return STARS[_norm(review_status)]
    except KeyError:
        raise UnknownReviewStatus(f"unknown ClinVar review status {review_status!r}") from None


# --- classification terms ------------------------------------------------------------------------------------

Group = Literal["P/LP", "VUS", "B/LB", "other", "none"]

# ClinVar's spelling and order of the germline terms, with their conflict group
GERMLINE_TERMS: dict[str, Group] = {
    "Pathogenic": "P/LP",
    "Likely pathogenic": "P/LP",
    "Pathogenic, low penetrance": "P/LP",
    "Likely pathogenic, low penetrance": "P/LP",
    "Established risk allele": "P/LP",
    "Likely risk allele": "P/LP",
    "Uncertain significance": "VUS",
    "Uncertain risk allele": "VUS",
    "Benign": "B/LB",
    "Likely benign": "B/LB",
    "drug response": "other",
    "association": "other",
    "association not found": "other",
    "risk factor": "other",
    "protective": "other",
    "Affects": "other",
    "confers sensitivity": "other",
    "conflicting data from submitters": "other",
    "other": "other",
    "not provided": "none",
}
ONCOGENICITY_TERMS: dict[str, Group] = {
    "Oncogenic": "P/LP",
    "Likely oncogenic": "P/LP",
    "Uncertain significance": "VUS",
    "Benign": "B/LB",
    "Likely benign": "B/LB",
    "not provided": "none",
}
SOMATIC_TIERS: tuple[str, ...] = (
    "Tier I - Strong", "Tier II - Potential", "Tier III - Unknown", "Tier IV - Benign/Likely benign",
)
_SOMATIC_TERMS: dict[str, Group] = {**dict.fromkeys(SOMATIC_TIERS, "other"), "not provided": "none"}
_TERMS: dict[str, dict[str, Group]] = {
    "germline": GERMLINE_TERMS, "oncogenicity": ONCOGENICITY_TERMS, "somatic-clinical-impact": _SOMATIC_TERMS,
}
# older SCV spellings → today's term
_ALIASES = {
    "uncertain significance": "Uncertain significance", "vus": "Uncertain significance",
    "unknown significance": "Uncertain significance", "probable-pathogenic": "Likely pathogenic",
    "probable-non-pathogenic": "Likely benign", "non-pathogenic": "Benign", "untested": "not provided",
    "drug-response": "drug response", "risk-factor": "risk factor", "affects": "Affects",
}
_LOOKUP: dict[str, dict[str, str]] = {
    kind: {**{_norm(t): t for t in terms}, **(_ALIASES if kind == "germline" else {})} for kind, terms in _TERMS.items()
}
_CONFLICT_TEXT = {"germline": "Conflicting classifications of pathogenicity",
                  "oncogenicity": "Conflicting classifications of oncogenicity"}


def normalize_term(text: str, kind: Kind = "germline") -> str:
    """ClinVar's spelling of a submitted classification term ("likely Pathogenic" → "Likely pathogenic").

    An unknown term comes back stripped but otherwise as submitted (it then aggregates as a non-ACMG term).
    """
    return _LOOKUP[kind].get(_norm(text), text.strip())


def term_group(term: str, kind: Kind = "germline") -> Group:
    """The conflict group of a (normalised) term: P/LP, VUS, B/LB, other (never conflicts) or none (no class)."""
    return _TERMS[kind].get(term, "none" if not term else "other")


# --- aggregation ---------------------------------------------------------------------------------------------

class ScvLike(Protocol):
    """What aggregation needs from a submitted record (``clinvar_xml.ScvRecord`` has it)."""

    accession: str
    submitter_id: str
    review_status: str
    kind: str  # one of KINDS, "" when the SCV states no classification
    classification: str  # normalised term(s), several separated by "; "
    flagged: bool
    date_last_evaluated: str


@dataclass(frozen=True)
class Aggregate:
    """An aggregate classification of one kind, in ClinVar's words.

    ``classification`` is "" (and ``present`` false) when no SCV of this kind exists: ClinVar then omits the
    element. ``counts`` are the SCVs per term in the aggregated tier; ``explanation`` is ClinVar's per-term text
    for a conflict ("Pathogenic(1); Uncertain significance(2)").
    """

    kind: Kind
    classification: str
    review_status: str
    stars: int
    contributing: tuple[str, ...] = ()  # SCV accessions of the aggregated tier
    counts: tuple[tuple[str, int], ...] = ()
    explanation: str = ""
    submissions: int = 0  # every SCV of this kind, any tier
    submitters: int = 0
    date_last_evaluated: str = ""  # latest among the contributing SCVs

    @property
    def present(self) -> bool:
        return bool(self.classification)

    @property
    def conflicting(self) -> bool:
        return self.classification.startswith("Conflicting")


@lru_cache(maxsize=1024)
def _split(classification: str) -> tuple[str, ...]:
    return tuple(t.strip() for t in classification.split(";") if t.strip())


def _terms(scv: ScvLike) -> tuple[str, ...]:
    return _split(scv.classification)


def tier(scv: ScvLike) -> int | None:
    """The review tier an SCV is aggregated in (4 guideline, 3 expert panel, 1 criteria, 0 none), or None when
    it never counts (flagged, no classification, "not provided")."""
    if scv.flagged or not scv.classification:
        return None
    if all(t == "not provided" for t in _terms(scv)):
        return None
    return _TIER.get(_norm(scv.review_status))


def _order(kind: Kind) -> dict[str, int]:
    return {t: i for i, t in enumerate(_TERMS[kind])}


def aggregate(scvs: Iterable[ScvLike], kind: Kind = "germline", *, included_only: bool = False) -> Aggregate:
    """Our aggregate of the SCVs of one kind, computed the way ClinVar does (module docstring).

    ``included_only``: the variant was only submitted as part of a haplotype/genotype (an ``IncludedRecord``),
    so it has no SCVs of its own and the answer is "no classification for the single variant".
    """
    mine = [s for s in scvs if s.kind == kind]
    submitters = len({s.submitter_id for s in mine})
    if not mine:
        if included_only:
            return Aggregate(kind, NO_SINGLE_VARIANT, NO_SINGLE_VARIANT, 0)
        return Aggregate(kind, "", "", 0)
    tiers = [(s, tier(s)) for s in mine]
    ranked = [t for _, t in tiers if t is not None]
    if not ranked:
        if all(s.flagged for s in mine):
            return Aggregate(kind, ALL_FLAGGED, ALL_FLAGGED, 0, submissions=len(mine), submitters=submitters)
        return Aggregate(kind, "not provided", NO_CLASSIFICATION, 0, submissions=len(mine), submitters=submitters)
    top = max(ranked)
    used = [s for s, t in tiers if t == top]
    counts = Counter(t for s in used for t in _terms(s))
    order = _order(kind)
    terms = sorted(counts, key=lambda t: (order.get(t, len(order)), t.lower()))
    last = max((s.date_last_evaluated for s in used if s.date_last_evaluated), default="")
    n_submitters = len({s.submitter_id for s in used})
    explanation = ""
    if kind == "somatic-clinical-impact":
        best = min((t for t in terms if t in SOMATIC_TIERS), key=SOMATIC_TIERS.index, default="")
        text = best or "; ".join(terms)
        status = {4: PRACTICE_GUIDELINE, 3: EXPERT_PANEL, 0: NO_CRITERIA}.get(
            top, MULTIPLE if n_submitters > 1 else SINGLE)
        conflict = False
    else:
        groups = {term_group(t, kind) for t in terms}
        main = [t for t in terms if term_group(t, kind) in ("P/LP", "VUS", "B/LB")]
        others = sorted((t for t in terms if term_group(t, kind) == "other"), key=str.lower)
        conflict = len(groups & {"P/LP", "VUS", "B/LB"}) > 1
        if conflict:
            head = _CONFLICT_TEXT[kind]
            explanation = "; ".join(f"{t}({counts[t]})" for t in main)
        else:
            head = "/".join(main)
        text = "; ".join(p for p in [head, *others] if p)
        if top in (4, 3):
            status = PRACTICE_GUIDELINE if top == 4 else EXPERT_PANEL
        elif top == 0:
            status = NO_CRITERIA
        elif conflict:
            status = CONFLICTING
        else:
            status = MULTIPLE_NO_CONFLICTS if n_submitters > 1 else SINGLE
    return Aggregate(kind, text, status, STARS[status], tuple(s.accession for s in used),
                     tuple((t, counts[t]) for t in terms), explanation, len(mine), submitters, last)


def aggregate_all(scvs: Sequence[ScvLike], *, included_only: bool = False) -> dict[Kind, Aggregate]:
    """Our aggregate for every kind that has SCVs (all three for an included-only variant)."""
    out = {k: aggregate(scvs, k, included_only=included_only) for k in KINDS}
    return {k: a for k, a in out.items() if a.present}


# --- conflicts ------------------------------------------------------------------------------------------------

ConflictType = Literal["P/LP vs VUS", "P/LP vs B/LB", "VUS vs B/LB", "expert panel vs other submitters"]
CONFLICT_TYPES: tuple[ConflictType, ...] = (
    "P/LP vs VUS", "P/LP vs B/LB", "VUS vs B/LB", "expert panel vs other submitters",
)


@dataclass(frozen=True)
class Conflict:
    """Two sets of SCVs that disagree, by class group (or an expert panel/guideline against lower tiers).

    ``side_a``/``side_b`` name every SCV of each side, whatever its review tier.

    ``in_aggregate``: every SCV on both sides is in the tier ClinVar aggregates, so ClinVar itself reports the
    variant as conflicting (false: e.g. a 0-star VUS against 1-star P/LP, which ClinVar ignores).
    """

    type: ConflictType
    kind: Kind
    side_a: tuple[str, ...]  # SCV accessions
    side_b: tuple[str, ...]
    group_a: str
    group_b: str
    in_aggregate: bool = False

    def __str__(self) -> str:
        where = "in ClinVar's aggregate tier" if self.in_aggregate else "across review tiers"
        return f"{self.type} ({where}): {self.group_a} {_short(self.side_a)} vs {self.group_b} {_short(self.side_b)}"


def _short(accessions: tuple[str, ...], keep: int = 6) -> str:
    if len(accessions) <= keep:
        return ", ".join(accessions)
    return f"{', '.join(accessions[:keep])} … (+{len(accessions) - keep} more)"


def _groups_of(scv: ScvLike, kind: Kind) -> set[str]:
    return {g for t in _terms(scv) if (g := term_group(t, kind)) in ("P/LP", "VUS", "B/LB")}


def conflicts(scvs: Iterable[ScvLike], kind: Kind = "germline") -> list[Conflict]:
    """Typed conflicts among the unflagged SCVs of one kind with a classification, across all review tiers.

    Class conflicts: "P/LP vs VUS", "P/LP vs B/LB", "VUS vs B/LB" (one each at most, naming every SCV of each
    side). "expert panel vs other submitters": a 3- or 4-star SCV whose group differs from that of a lower-tier
    SCV (one per expert-panel group). Somatic clinical impact has no conflicts (ClinVar's rule).
    """
    if kind == "somatic-clinical-impact":
        return []
    scvs = list(scvs)
    tiers = {id(s): t for s in scvs if s.kind == kind and (t := tier(s)) is not None}
    mine = [s for s in scvs if id(s) in tiers]
    if not mine:
        return []
    top = max(tiers.values())
    by_group: dict[str, list[ScvLike]] = {"P/LP": [], "VUS": [], "B/LB": []}
    for s in mine:
        for g in _groups_of(s, kind):
            by_group[g].append(s)
    out: list[Conflict] = []
    for a, b, name in (("P/LP", "VUS", "P/LP vs VUS"), ("P/LP", "B/LB", "P/LP vs B/LB"),
                       ("VUS", "B/LB", "VUS vs B/LB")):
        if by_group[a] and by_group[b]:
            side_a, side_b = by_group[a], by_group[b]
            in_agg = any(tiers[id(s)] == top for s in side_a) and any(tiers[id(s)] == top for s in side_b)
            out.append(Conflict(name, kind, tuple(s.accession for s in side_a), tuple(s.accession for s in side_b),
                                a, b, in_agg))
    panels = [s for s in mine if tiers[id(s)] >= 3]
    for group in sorted({g for s in panels for g in _groups_of(s, kind)}):
        side_a = [s for s in panels if group in _groups_of(s, kind)]
        lower = [s for s in mine if tiers[id(s)] < 3 and _groups_of(s, kind) - {group}]
        if side_a and lower:
            others = sorted({g for s in lower for g in _groups_of(s, kind)} - {group})
            out.append(Conflict("expert panel vs other submitters", kind, tuple(s.accession for s in side_a),
                                tuple(s.accession for s in lower), group, "/".join(others), False))
    return out
