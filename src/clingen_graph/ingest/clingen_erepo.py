"""ClinGen Evidence Repository (ERepo) export: expert-panel (VCEP) variant pathogenicity interpretations.

A tab-separated file with one header line (``#Variation``, ``ClinVar Variation Id``, ``Allele Registry Id``, …,
``Uuid``; 20 columns) and one interpretation per line: the variant (title, ClinVar id, ClinGen allele id, every
HGVS expression), the condition (MONDO) and mode of inheritance, the expert classification, the ACMG/AMP
criteria met and not met, a summary, PMIDs, the panel, its specification, dates and whether it was retracted.
The file carries no date of its own: the release comes from the file name (``…_2024-04.tsv.gz``).

Rows are keyed by ``Uuid`` (a few variants have no Allele Registry id, ``-``). A criterion code that is not an
ACMG code, or at a strength it cannot have, rejects the row (see :mod:`clingen_graph.acmg`).

The export cannot write every strength a panel applies: its code columns hold "very strong" only for PVS1, PS2
and PM3, and no benign code at moderate or very strong, so ``PS4_Very Strong`` comes out as ``PS4``,
``PP4_Very strong`` as ``PP4_Strong`` and ``BS2_Moderate`` as ``BS2_Supporting``. When the row's own summary names
the met code with such a strength, unambiguously, the record counts the code at the summary's strength and says so
in a ``strength-from-summary`` warning (:func:`strengths_from_summary`); ``met_as_written`` keeps the column.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .. import acmg, valuesets
from ..ids import IdError, compress_iri, normalize_curie
from .base import (
    FileProblem,
    Problem,
    Record,
    ReleaseInfo,
    SourceSpec,
    check_header,
    is_iri,
    iter_delimited,
    iter_lines,
    reject,
    warning,
)

COLUMNS = [
    "Variation", "ClinVar Variation Id", "Allele Registry Id", "HGVS Expressions", "HGNC Gene Symbol", "Disease",
    "Mondo Id", "Mode of Inheritance", "Assertion", "Applied Evidence Codes (Met)",
    "Applied Evidence Codes (Not Met)", "Summary of interpretation", "PubMed Articles", "Expert Panel", "Guideline",
    "Approval Date", "Published Date", "Retracted", "Evidence Repo Link", "Uuid",
]
CLASSIFICATIONS: dict[str, str] = {c.casefold(): c for c in acmg.CLASSES} | {
    "variant of uncertain significance": acmg.VUS, "vus": acmg.VUS, "uncertain": acmg.VUS,
    "p": acmg.PATHOGENIC, "lp": acmg.LIKELY_PATHOGENIC, "lb": acmg.LIKELY_BENIGN, "b": acmg.BENIGN,
}
RELEASE_IN_NAME = re.compile(r"(?<!\d)(\d{4}-(?:0[1-9]|1[0-2])(?:-\d{2})?)(?!\d)")
DATE = re.compile(r"^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$")
CAID = re.compile(r"^CA\d+$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
HP_IN_TEXT = re.compile(r"\bHP:\d{7}\b")
# One HGVS expression: a reference sequence (RefSeq/GenBank, Ensembl, LRG; optional "(GENE)"), a coordinate type
# and the change; ClinVar-style titles add " (p.…)". Expressions without a reference ("m.8344A>G") do not match.
HGVS = re.compile(
    r"^(?:[A-Z]{1,2}_?\d+(?:\.\d+)?|ENS[A-Z]*[GTP]\d+(?:\.\d+)?|LRG_\d+(?:[tp]\d+)?)"
    r"(?:\([A-Za-z0-9._-]+\))?:[cgmnopr]\.[^\s,]+(?: \(p\.[^\s()]*(?:\([^\s()]*\)[^\s()]*)*\))?$"
)


@dataclass
class ErepoRecord(Record):
    """One VCEP interpretation. ``met``/``not_met`` are parsed criteria; dates are ISO ``yyyy-mm-dd``."""

    title: str  # "#Variation", e.g. "NM_000277.2(PAH):c.1A>G (p.Met1Val)"
    clinvar_variation_id: str | None
    caid: str | None  # ClinGen Allele Registry id "CA114360"; None when the file says "-"
    hgvs: tuple[str, ...]
    gene_symbol: str
    disease_label: str
    mondo_id: str  # "MONDO:0009861"
    moi_text: str  # as written, e.g. "X-linked inheritance (dominant (HP:0001423))"
    moi: str | None  # HPO CURIE, e.g. "HP:0000007"; None when unknown (with a warning)
    classification: str  # one of acmg.CLASSES
    met: list[acmg.Criterion]  # as counted: the column, with strengths the export lost restored from the summary
    not_met: list[acmg.Criterion]
    summary: str
    pmids: tuple[str, ...]
    expert_panel: str  # whitespace-normalised
    guideline: str | None  # URL of the specification, None when empty
    approval_date: str
    published_date: str | None
    retracted: bool
    erepo_link: str
    uuid: str  # lower case; the row's key
    met_as_written: str = ""  # the "Applied Evidence Codes (Met)" cell as in the file (trimmed)


def _sniff(path: Path, head: str) -> bool:
    first = head.split("\n", 1)[0]
    return "Applied Evidence Codes (Met)" in first and "Evidence Repo Link" in first


def release_from_name(path: Path) -> str | None:
    """``yyyy-mm`` or ``yyyy-mm-dd`` from the file name (the export carries no date), else None."""
    m = RELEASE_IN_NAME.search(path.name)
    return m.group(1) if m else None


def read_release(path: Path) -> ReleaseInfo:
    """The release named in the file name.

    :raises FileProblem: the name has no ``yyyy-mm`` (the loader needs a release to name the graph).
    """
    named = release_from_name(path)
    if named is None:
        raise FileProblem(path, 1, "release", "cannot tell the release: the ERepo export has no date inside and "
                          "the file name has no yyyy-mm or yyyy-mm-dd (e.g. erepo_2024-04.tsv.gz)")
    issued = named if len(named) == 10 else None
    return ReleaseInfo(named, issued, ("release taken from the file name (the export carries no date)",))


def parse(path: Path) -> Iterator[ErepoRecord | Problem]:
    """Parse the export: one record or one reject per data row; header warnings come first."""
    file = str(path)
    if not any(True for _ in iter_lines(path)):
        raise FileProblem(path, 1, "empty", "file is empty")
    order: list[int] = []  # position of each of COLUMNS in the file's header
    width = 0
    for line, fields, raw in iter_delimited(path, "\t"):
        if isinstance(fields, Problem):
            yield fields
            continue
        if not order:
            if fields and fields[0].strip().lstrip("#").strip() == "Variation":
                yield from check_header(path, line, fields, COLUMNS)
                names = [h.strip().lstrip("#").strip() for h in fields]
                order, width = [names.index(c) for c in COLUMNS], len(fields)
                continue
            raise FileProblem(path, line, "header", "the first line is not the ERepo header '#Variation<TAB>ClinVar "
                              "Variation Id<TAB>…'; is this a ClinGen Evidence Repository export?")
        if not any(f.strip() for f in fields):
            yield reject(path, line, "empty-row", "empty row", raw)
            continue
        if len(fields) != width:
            yield reject(path, line, "field-count",
                         f"row has {len(fields)} fields, expected {width} (truncated or mis-split row)", raw)
            continue
        yield _row(file, line, [fields[i] for i in order], raw)
    if not order:
        raise FileProblem(path, 1, "header", "no header row found; is this a ClinGen Evidence Repository export?")


def _row(file: str, line: int, f: list[str], raw: str) -> ErepoRecord | Problem:
    (title, clinvar, caid, hgvs_text, gene, disease, mondo, moi_text, assertion, met_text, not_met_text, summary,
     pmid_text, panel, guideline, approved, published, retracted, link, uuid) = (x.strip() for x in f)
    warnings: list[Problem] = []

    if not UUID.match(uuid):
        return reject(file, line, "bad-uuid", f"Uuid {uuid!r} is not a UUID; it is the row's key", raw)
    classification = CLASSIFICATIONS.get(" ".join(assertion.split()).casefold())
    if classification is None:
        return reject(file, line, "unknown-classification", f"unknown Assertion {assertion!r}; expected one of "
                      + ", ".join(acmg.CLASSES), raw)
    criteria: dict[str, list[acmg.Criterion]] = {}
    for column, text in (("Applied Evidence Codes (Met)", met_text), ("Applied Evidence Codes (Not Met)",
                                                                        not_met_text)):
        try:
            criteria[column] = acmg.parse_codes(text)
        except acmg.CriterionError as exc:
            return reject(file, line, "bad-criterion", f"{column}: {exc}", raw)
    met, not_met = criteria["Applied Evidence Codes (Met)"], criteria["Applied Evidence Codes (Not Met)"]
    for i, token, restored in strengths_from_summary(met, summary):
        warnings.append(warning(file, line, "strength-from-summary", (
            f"{met[i].code} counted at {restored.strength}: the Met column has {met[i].raw.strip()!r} "
            f"({met[i].strength}), the summary applies {token!r} ({restored.strength}), a strength the ERepo "
            "export cannot write")))
        met[i] = restored
    both = sorted({c.code for c in met} & {c.code for c in not_met}, key=acmg.CODES.index)
    if both:
        warnings.append(warning(file, line, "met-and-not-met", f"{', '.join(both)} listed as both met and not met"))
    if not mondo:
        return reject(file, line, "missing-value", "empty Mondo Id (the condition of the interpretation)", raw)
    try:
        mondo_id = normalize_curie(mondo)
        if not mondo_id.startswith("MONDO:"):
            raise IdError(f"expected a MONDO id, got {mondo!r}")
    except IdError as exc:
        return reject(file, line, "bad-id", f"Mondo Id: {exc}", raw)
    dates: list[str | None] = []
    for column, text, required in (("Approval Date", approved, True), ("Published Date", published, False)):
        if not text and not required:
            dates.append(None)
            continue
        iso = _iso_date(text)
        if iso is None:
            return reject(file, line, "bad-date", f"{column} {text!r} is not a date like 2019/3/23", raw)
        dates.append(iso)
    if not is_iri(link):
        return reject(file, line, "bad-url", f"Evidence Repo Link {link!r} is not a URL", raw)
    if retracted.casefold() not in ("true", "false"):
        return reject(file, line, "bad-retracted", f"Retracted {retracted!r} is neither True nor False", raw)

    caid_value: str | None = caid
    if caid in ("-", ""):
        caid_value = None
        warnings.append(warning(file, line, "no-caid", "no ClinGen Allele Registry id ('-'); the interpretation "
                                f"is keyed by its Uuid {uuid.lower()}"))
    elif not CAID.match(caid):
        caid_value = None
        warnings.append(warning(file, line, "bad-caid", f"Allele Registry Id {caid!r} is not CA<digits>; ignored"))
    clinvar_id: str | None = clinvar if clinvar.isdigit() else None
    if clinvar not in ("-", "") and clinvar_id is None:
        warnings.append(warning(file, line, "bad-clinvar-id", f"ClinVar Variation Id {clinvar!r} is not a number; "
                                "ignored"))
    hgvs, bad_hgvs = split_hgvs(hgvs_text, title)
    if bad_hgvs:
        warnings.append(warning(file, line, "bad-hgvs", "dropped HGVS item(s) that are not an HGVS expression with "
                                "a reference sequence: " + "; ".join(repr(b) for b in bad_hgvs)))
    moi, moi_problem = _moi(moi_text)
    if moi_problem:
        warnings.append(warning(file, line, "unknown-moi", moi_problem))
    pmids, bad_pmids = _pmids(pmid_text)
    if bad_pmids:
        warnings.append(warning(file, line, "bad-pmid", "dropped PubMed item(s) that are not PMIDs: "
                                + ", ".join(repr(b) for b in bad_pmids)))
    guideline_url: str | None = guideline or None
    if guideline_url and not (guideline_url.startswith(("http://", "https://")) and is_iri(guideline_url)):
        guideline_url = None
        warnings.append(warning(file, line, "bad-guideline", f"Guideline {guideline!r} is not a URL; ignored"))
    rec = ErepoRecord(
        file, line, title=title, clinvar_variation_id=clinvar_id, caid=caid_value, hgvs=hgvs, gene_symbol=gene,
        disease_label=disease, mondo_id=mondo_id, moi_text=moi_text, moi=moi, classification=classification,
        met=met, not_met=not_met, summary=summary, pmids=pmids, expert_panel=" ".join(panel.split()),
        guideline=guideline_url, approval_date=dates[0] or "", published_date=dates[1],
        retracted=retracted.casefold() == "true", erepo_link=link, uuid=uuid.lower(), met_as_written=met_text,
    )
    rec.warnings.extend(warnings)
    return rec


def split_hgvs(text: str, title: str = "") -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Split the comma-separated HGVS cell into (valid expressions, dropped items), order kept, duplicates removed.

    The cell ends (usually) with the variant title, which may itself hold a comma ("ITGB3, 11.2-KB DEL"), so the
    title is cut out whole before splitting. Items without a reference sequence ("m.8344A>G") or that are not
    HGVS at all are returned as dropped.
    """
    text = text.strip()
    parts: list[str] = []
    title = title.strip()
    pos = _whole_item(text, title) if title else -1
    if pos >= 0:
        before, after = text[:pos], text[pos + len(title):]
        parts = [*_split_commas(before), title, *_split_commas(after)]
    else:
        parts = _split_commas(text)
    good: list[str] = []
    bad: list[str] = []
    for item in parts:
        target = good if HGVS.match(item) else bad
        if item not in target:
            target.append(item)
    return tuple(good), tuple(bad)


def _whole_item(text: str, item: str) -> int:
    """Where ``item`` occurs in ``text`` as a complete comma-separated item (last occurrence), else -1."""
    start = text.rfind(item)
    while start >= 0:
        end = start + len(item)
        left_ok = start == 0 or text[:start].rstrip().endswith(",")
        right_ok = end == len(text) or text[end:].lstrip().startswith(",")
        if left_ok and right_ok:
            return start
        start = text.rfind(item, 0, start)
    return -1


def _split_commas(text: str) -> list[str]:
    return [p.strip() for p in text.split(",") if p.strip()]


def _iso_date(text: str) -> str | None:
    m = DATE.match(text)
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    try:
        return date(y, mo, d).isoformat()
    except ValueError:
        return None


def _moi(text: str) -> tuple[str | None, str | None]:
    """HPO CURIE for the mode of inheritance: an HP id written in the text wins (the ERepo writes e.g.
    "X-linked inheritance (recessive (HP:0001419))"), else the label before any "(…)" qualifier."""
    if not text:
        return None, "empty Mode of Inheritance"
    explicit = HP_IN_TEXT.findall(text)
    if explicit:
        return explicit[-1], None
    base = text.split("(", 1)[0].strip()
    try:
        return compress_iri(valuesets.moi().lookup(base)), None
    except valuesets.UnknownValueError:
        return None, (f"unknown Mode of Inheritance {text!r}; expected one of "
                      + ", ".join(sorted(valuesets.moi().labels.values())))


def _pmids(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    good: list[str] = []
    bad: list[str] = []
    for item in (p.strip() for p in re.split(r"[,;]", text)):
        if not item:
            continue
        value = item.removeprefix("PMID:").strip()
        if value.isdigit():
            if value not in good:
                good.append(value)
        else:
            bad.append(item)
    return tuple(good), tuple(bad)


# --- strengths the export lost, restored from the row's summary ------------------------------------------------

# A criterion code named in a summary, with its strength — "PS4_Very Strong", "PP4_Very strong", "BS2_Moderate",
# "PS4_VS", "PM2_P", "PS3_Mod" (after "_", the spellings acmg.parse_criterion reads) or "PS4 (Very Strong)" (a full
# word in brackets): groups 2/3 — or without one ("PS4", "PVS1 (RNA)"; neither group), which means its default
# strength. Group 1 may be a code-like word that is no ACMG code ("BM1"); the caller checks. One scan of the text
# (a character set first, so the regex engine skips fast to the next P or B).
_MENTION = re.compile(
    r"([PBpb](?<![A-Za-z0-9][PBpb])(?:[Vv][Ss]1|[SMPAsmpa]\d))"
    r"(?:_[ \t]*(?i:(very[ _-]?strong|stand[ _-]?alone|strong|moderate|supporting|supp|sup|mod|str|vs|sa|p|m|s))"
    r"(?![A-Za-z])"
    r"|[ \t]*\([ \t]*(?i:(very[ _-]?strong|stand[ _-]?alone|strong|moderate|supporting))[ \t]*\)"
    r"|(?![A-Za-z0-9_]))")
# Cheap first test: some token with a strength the export cannot write at all (pathogenic very strong; benign
# moderate or very strong). Without one nothing can be restored, and most summaries have none.
_MAY_RESTORE = re.compile(
    r"[PBpb](?<![A-Za-z0-9][PBpb])"
    r"(?:(?<=[Pp])(?:[Vv][Ss]1|[SMPsmp]\d)(?:_[ \t]*|[ \t]*\([ \t]*)(?i:very|vs(?![a-z]))"
    r"|(?<=[Bb])[SPAspa]\d(?:_[ \t]*|[ \t]*\([ \t]*)(?i:very|vs(?![a-z])|mod|m(?![a-z])))")
# A token the text says is not met or was replaced: "does not meet PS3_moderate", "PP1_Strong is not met",
# "downgraded from PM3_VeryStrong to …", "originally met PM3_Strong criteria, however …".
_NOT_APPLIED_BEFORE = re.compile(
    r"(?:\bnot\s+(?:be\s+)?(?:meet|met|reach|reached|apply|applied|use|used)|\bfrom|\binstead\s+of|\brather\s+than|"
    r"\boriginally\s+met|\bno\s+longer|\bwithout)\s*(?:the\s+)?(?:criteri(?:a|on)\s+(?:for\s+)?)?[(\[]?\s*$",
    re.IGNORECASE)
_NOT_APPLIED_AFTER = re.compile(
    r"\s*[)\]]?\s*(?:criteri(?:a|on)\s+)?(?:(?:is|was|were|are|has\s+been|have\s+been)\s+)?(?:not|no\s+longer)\b",
    re.IGNORECASE)
# The only codes the export writes at very strong (2024-04, every token of both code columns).
_EXPORT_VERY_STRONG = frozenset({"PVS1", "PS2", "PM3"})


def export_can_write(c: acmg.Criterion) -> bool:
    """Whether the ERepo code columns can hold ``c`` at its strength (2024-04: every token of both columns).

    Very strong only for PVS1, PS2 and PM3; benign codes only stand-alone, strong or supporting. Everything else
    the export flattens (``PS4_Very Strong`` → ``PS4``, ``PP4_Very strong`` → ``PP4_Strong``, ``BS2_Moderate`` →
    ``BS2_Supporting`` or ``BS2``, ``BP5_Very strong`` → ``BP5_Strong``).
    """
    if c.direction == "benign":
        return c.strength in ("standalone", "strong", "supporting")
    return c.strength != "very strong" or c.code in _EXPORT_VERY_STRONG


def strengths_from_summary(met: list[acmg.Criterion], summary: str) -> list[tuple[int, str, acmg.Criterion]]:
    """Met criteria whose strength the export lost and the row's summary states: ``(index in met, token as
    written, criterion at the summary's strength)``.

    Strict, so a summary never adds or guesses: only a code that is in the Met column, only an explicit token
    (``PS4_Very Strong``, ``BS2_Moderate``, ``PS4 (Very Strong)``) read by :func:`acmg.parse_criterion`, only when
    every mention of the code in the summary gives that one strength (a bare ``PS4`` counts as its default
    strength, so ``PS4`` next to ``PS4_Very Strong`` is ambiguous and left alone), never a token the text says is
    not met or was replaced, and only a strength the export cannot write (:func:`export_can_write`): where the
    column could have said what the summary says, the column stands. The Not Met column is never read here.
    """
    if not summary or not met or not _MAY_RESTORE.search(summary):
        return []
    in_met = {c.code for c in met}
    said: dict[str, set[str]] = {}  # code -> every strength the summary names it at (bare = default)
    first: dict[str, tuple[str, acmg.Criterion]] = {}  # code -> (first explicit token as written, parsed)
    unclear: set[str] = set()
    for m in _MENTION.finditer(summary):
        code = m.group(1).upper()
        if code not in in_met:
            continue
        word = m.group(2) or m.group(3)
        if word is None:
            said.setdefault(code, set()).add(acmg.DEFAULT_STRENGTH[code])
            continue
        try:
            c = acmg.parse_criterion(f"{m.group(1)}_{word}")
        except acmg.CriterionError:
            unclear.add(code)
            continue
        if (_NOT_APPLIED_BEFORE.search(summary, max(0, m.start() - 60), m.start())
                or _NOT_APPLIED_AFTER.match(summary, m.end())):
            unclear.add(code)
        said.setdefault(code, set()).add(c.strength)
        first.setdefault(code, (m.group(0), c))
    out: list[tuple[int, str, acmg.Criterion]] = []
    for i, c in enumerate(met):
        if c.code not in first or c.code in unclear or len(said[c.code]) != 1:
            continue
        (strength,) = said[c.code]
        if strength == c.strength:
            continue
        token, restored = first[c.code]
        if not export_can_write(restored):
            out.append((i, token, restored))
    return out


# --- comparison helpers (used by `clingen-graph classify --erepo`) --------------------------------------------

_SUMMARY_CODE = re.compile(
    r"\b(PVS1|P[SMP]\d|B[ASP]\d)(?:[ _]*(?:\((?:RNA|PTC)\)\s*)?[_ ](very[ _-]?strong|strong|moderate|supporting|"
    r"stand[ -]?alone|vs|mod|sup|m|p|s)\b)", re.IGNORECASE)
_OVERRIDE = re.compile(r"elected to (?:modify|downgrade|upgrade)|professional judg\w+|expert (?:panel )?judg\w+|"
                       r"deemed that|consensus is that|reduced penetrance|more convincing|did not override|"
                       r"will not contribute to the overall classification", re.IGNORECASE)


def summary_notes(rec: ErepoRecord) -> list[str]:
    """Why an expert class may differ from the met codes, read from the summary: a strength restored from the
    summary (see :func:`strengths_from_summary`), a strength the summary quotes that differs from the Met column
    but was not restored (ambiguous, or one the column could have written), or the panel saying it used its
    judgement. Hints for people reading a disagreement, never used to classify."""
    notes: list[str] = []
    met = {c.code: c for c in rec.met}
    try:
        written = {c.code: c for c in acmg.parse_codes(rec.met_as_written)}
    except acmg.CriterionError:
        written = {}
    for code, c in met.items():
        if code in written and written[code].strength != c.strength:
            notes.append(f"{code} counted at {c.strength} as the summary applies it; the Met column has "
                         f"{written[code].label}")
    quoted: dict[str, set[str]] = {}
    for m in _SUMMARY_CODE.finditer(rec.summary):
        try:
            c = acmg.parse_criterion(f"{m.group(1)}_{m.group(2)}")
        except acmg.CriterionError:
            continue
        quoted.setdefault(c.code, set()).add(c.strength)
    for code, strengths in quoted.items():
        if code in met and met[code].strength not in strengths:
            notes.append(f"summary quotes {code} at {'/'.join(sorted(strengths))}, the Met column has "
                         f"{met[code].label}")
    m = _OVERRIDE.search(rec.summary)
    if m:
        notes.append(f"summary: '…{m.group(0)}…'")
    if rec.retracted:
        notes.append("retracted")
    return notes


SOURCE = SourceSpec(
    name="clingen-erepo",
    title="ClinGen Evidence Repository: expert-panel variant pathogenicity interpretations",
    homepage="https://erepo.clinicalgenome.org/evrepo/",
    license="ClinGen terms of use (https://www.clinicalgenome.org/docs/terms-of-use/)",
    role="curation",
    sniff=_sniff,
    read_release=read_release,
    parse=parse,
)
