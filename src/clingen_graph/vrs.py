"""GA4GH VRS 2.0 Allele ids (``ga4gh:VA.…``) for GRCh38 variants, minted offline (SPEC §1.2, §2).

The id is the primary key of a GRCh38 variant node, so a wrong id is worse than none. Everything that
defines the id is delegated to GA4GH's reference implementation ``ga4gh.vrs`` (pydantic models,
``ga4gh.vrs.normalize`` = VRS "fully-justified" normalisation, ``ga4gh.core.ga4gh_identify`` = digest);
this module only parses VCF / SPDI / HGVS, maps the chromosome to its refget accession (bundled table
``data/refget_GRCh38_primary.tsv``) and decides *whether* an id can be minted without a genome.

Which inputs get an id
----------------------
VRS says an Allele is normalised before digesting. Normalisation trims bases shared by ref and alt and
then, for a pure insertion or deletion, slides it across any repeat it sits in and expands it to the whole
ambiguous region (a ``ReferenceLengthExpression``). Trimming needs only the ref bases; sliding needs the
reference *around* the variant, which we do not have offline. So we run GA4GH's own ``normalize`` against a
sequence proxy that knows only the bases we were given; if it asks for any other base, we refuse
(:class:`VrsError`) instead of guessing. In practice:

* **Minted** — substitutions: SNVs, MNVs and deletion-insertions whose ref and alt still differ at both ends
  after trimming (VCF ``GGAT>TGCT…``, SPDI ``…:GGAT:TGCT…``, HGVS ``44908822C>T`` or ``delGGATinsTGCT…``).
  Normalisation provably cannot move them: they get a ``LiteralSequenceExpression`` on the trimmed interval.
* **Minted** — the rare indel whose given ref bases already pin it (VCF ``GGCT>GT`` deletes ``GC`` between a
  ``G`` and a ``T`` it cannot slide past): ``normalize`` never needed another base. Reference alleles
  (ref == alt) too: VRS makes them a ``ReferenceLengthExpression`` over the given span.
* **Minted** — any allele, indels included, when the caller passes a :class:`ReferenceWindow` (GRCh38
  reference bases around the variant, e.g. from a local FASTA) that is wide enough for ``normalize``.
* **Minted** — NCBI *canonical* SPDI (``allele_from_spdi(..., canonical=True)``, e.g. ClinVar's
  ``<CanonicalSPDI>``): NCBI's canonical form is already expanded over the whole ambiguous region with the
  same VOCA algorithm VRS uses, so no base outside it can extend the repeat. We check that the SPDI is at
  least self-consistent (its span is exactly what normalisation returns) and refuse it otherwise.
* **Refused** — pure insertions, deletions and duplications (VCF ``CA>C``, HGVS ``del`` / ``ins`` / ``dup``,
  non-canonical SPDI) without a window: they may lie in a repeat and we cannot know.
* **Refused** — input without the deleted bases (HGVS ``delinsTT``, ``del`` without sequence, SPDI with a
  deleted *length*) without a window: shared bases could not be trimmed (``…:1:T`` may even be no change).
* **Refused** — anything not GRCh38 primary assembly (GRCh37 accessions such as ``NC_000001.10``, ``hg19``,
  alt/unplaced contigs, transcripts), ``c.``/``n.``/``p.``/``r.`` HGVS, intronic offsets, uncertain or
  unknown positions, repeats/alleles syntax, ``N`` or other ambiguity codes, symbolic or multiple VCF ALTs,
  positions outside the chromosome, and malformed input.

The ref bases we are given (VCF REF, SPDI deleted sequence, HGVS ref) are trusted: they are not checked
against the genome (we do not have it), except against a window when one is passed.

>>> allele_id(allele_from_vcf("19", 44908822, "C", "T"))
'ga4gh:VA.0AePZIWZUNsUlQTamyLrjm2HWUw2opLt'
>>> allele_id(allele_from_hgvs("NC_000019.10:g.44908822C>T"))
'ga4gh:VA.0AePZIWZUNsUlQTamyLrjm2HWUw2opLt'
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from ga4gh.core import ga4gh_identify
from ga4gh.vrs import models, normalize
from ga4gh.vrs.dataproxy import _DataProxy

__all__ = [
    "ReferenceWindow",
    "SequenceEntry",
    "VrsError",
    "allele_from_hgvs",
    "allele_from_spdi",
    "allele_from_vcf",
    "allele_id",
    "location_id",
    "lookup_sequence",
]

ASSEMBLY = "GRCh38"
_ASSEMBLY_ALIASES = {"grch38", "hg38"}
_REFGET_TSV = "refget_GRCh38_primary.tsv"
_BASES = re.compile(r"[ACGT]*")
_ACCESSION = re.compile(r"^(?P<base>N[CGMRTWZ]_\d+)\.(?P<version>\d+)$")
_PRIMARY_NC = re.compile(r"^NC_0000(?P<n>\d\d)$")


class VrsError(ValueError):
    """No VRS id can be minted for this input (unsupported, ambiguous without the genome, or malformed)."""


# --- sequences ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SequenceEntry:
    """One GRCh38 primary-assembly chromosome: name, RefSeq accession, refget accession, length."""

    chrom: str
    refseq_accession: str
    refget_accession: str  # "SQ.…"
    length: int

    def sequence_reference(self) -> models.SequenceReference:
        return models.SequenceReference(refgetAccession=self.refget_accession)


@cache
def _table() -> dict[str, SequenceEntry]:
    """Every accepted name (chromosome, RefSeq and refget accession) → its entry; built once."""
    text = files("clingen_graph").joinpath("data", _REFGET_TSV).read_text(encoding="utf-8")
    rows = csv.DictReader((line for line in text.splitlines() if not line.startswith("#")), delimiter="\t")
    index: dict[str, SequenceEntry] = {}
    for row in rows:
        entry = SequenceEntry(
            chrom=row["chrom"],
            refseq_accession=row["refseq_accession"],
            refget_accession=row["refget_accession"],
            length=int(row["length_bp"]),
        )
        for key in (entry.chrom, entry.refseq_accession, entry.refget_accession, "ga4gh:" + entry.refget_accession):
            index[key] = entry
    if len({e.refget_accession for e in index.values()}) != 25:
        raise RuntimeError(f"{_REFGET_TSV}: expected 25 GRCh38 primary sequences")
    return index


def _check_assembly(assembly: str) -> None:
    if assembly.strip().lower() not in _ASSEMBLY_ALIASES:
        raise VrsError(
            f"assembly {assembly!r} is not supported: only the GRCh38 primary assembly is supported "
            "(GRCh37 and other assemblies have other sequences; ids are never guessed)"
        )


def lookup_sequence(name: str, assembly: str = ASSEMBLY) -> SequenceEntry:
    """The GRCh38 chromosome for a name (``1``, ``chr1``, ``X``, ``chrM``, ``MT``), a RefSeq accession
    (``NC_000001.11``) or a refget accession (``SQ.…``). Anything else raises :class:`VrsError`: with no
    entry there is no refget accession, and an id must never be guessed."""
    _check_assembly(assembly)
    key = name.strip()
    table = _table()
    if key in table:
        return table[key]
    chrom = key[3:] if key[:3].lower() == "chr" else key
    chrom = {"M": "MT", "m": "MT", "x": "X", "y": "Y", "mt": "MT", "Mt": "MT"}.get(chrom, chrom)
    if chrom in table and not chrom.startswith(("NC_", "SQ.", "ga4gh:")):
        return table[chrom]
    match = _ACCESSION.match(key)
    if match and (nc := _PRIMARY_NC.match(match["base"])) and 1 <= int(nc["n"]) <= 24:
        current = next(e for e in table.values() if e.refseq_accession.startswith(match["base"] + "."))
        raise VrsError(
            f"{key} is not a GRCh38 sequence (GRCh38 chromosome {current.chrom} is {current.refseq_accession}): "
            "only the GRCh38 primary assembly is supported (GRCh37 and older are refused)"
        )
    raise VrsError(
        f"unknown sequence {name!r}: only the GRCh38 primary assembly (chromosomes 1-22, X, Y, MT or their "
        "NC_ accessions) is supported"
    )


# --- reference bases known to the normaliser ----------------------------------------------------------------

@dataclass(frozen=True)
class ReferenceWindow:
    """GRCh38 reference bases ``sequence`` starting at 0-based interbase ``start`` on the allele's own
    chromosome (e.g. read from a local FASTA). With it, indels can be normalised; it must be wide enough to
    cover the whole repeat the variant may sit in plus one base each side, else the allele is refused."""

    start: int
    sequence: str


class _NeedsSequence(Exception):
    """normalize asked for a reference base we do not know (not a ValueError: ga4gh.vrs catches those)."""


class _KnownBases(_DataProxy):
    """A ga4gh.vrs data proxy over the few reference bases we know; any other base raises
    :class:`_NeedsSequence` (or reads as ``N`` when ``pad`` is set: canonical SPDI, see module docstring)."""

    def __init__(self, entry: SequenceEntry, segments: list[tuple[int, str]], pad: bool) -> None:
        self.entry = entry
        self.segments = segments
        self.pad = pad

    def covers(self, start: int, end: int) -> bool:
        """Whether every base of [start, end) is really known (padding does not count)."""
        return all(any(s <= pos < s + len(seq) for s, seq in self.segments) for pos in range(start, end))

    def get_metadata(self, identifier: str) -> dict:
        return {"length": self.entry.length, "aliases": [identifier]}

    def _base(self, pos: int) -> str:
        for start, seq in self.segments:
            if start <= pos < start + len(seq):
                return seq[pos - start]
        if self.pad:
            return "N"
        raise _NeedsSequence(pos)

    def get_sequence(self, identifier: str, start: int | None = None, end: int | None = None) -> str:
        if start is None or end is None:  # the whole chromosome: never needed for one allele
            raise _NeedsSequence(0)
        for seg_start, seq in self.segments:
            if seg_start <= start and end <= seg_start + len(seq):
                return seq[start - seg_start : end - seg_start]
        return "".join(self._base(p) for p in range(start, end))


def _segments(start: int, ref: str | None, window: ReferenceWindow | None) -> list[tuple[int, str]]:
    """The known reference bases: the input's own ref and the window, checked against each other."""
    segments: list[tuple[int, str]] = []
    if window is not None:
        wseq = window.sequence.upper()
        if window.start < 0 or not re.fullmatch(r"[ACGTN]*", wseq):
            raise VrsError("reference window: start must be >= 0 and the sequence only A, C, G, T or N")
        if ref is not None:
            lo, hi = max(start, window.start), min(start + len(ref), window.start + len(wseq))
            if lo < hi and ref[lo - start : hi - start] != wseq[lo - window.start : hi - window.start]:
                raise VrsError(
                    f"reference mismatch at {lo}-{hi}: input says {ref[lo - start : hi - start]!r}, "
                    f"window says {wseq[lo - window.start : hi - window.start]!r}"
                )
        segments.append((window.start, wseq))
    if ref:
        segments.append((start, ref))
    return segments


def _mint(
    entry: SequenceEntry,
    start: int,
    end: int,
    ref: str | None,
    alt: str,
    window: ReferenceWindow | None,
    source: str,
    canonical: bool = False,
) -> models.Allele:
    """Build the literal allele on [start, end) and normalise it with ga4gh.vrs over the known bases."""
    if not 0 <= start <= end <= entry.length:
        raise VrsError(f"{source}: interval {start}-{end} is outside chromosome {entry.chrom} (0-{entry.length})")
    if ref is not None and len(ref) != end - start:
        raise VrsError(f"{source}: reference {ref!r} does not span {end - start} bases")
    if window is not None and window.start + len(window.sequence) > entry.length:
        raise VrsError(f"{source}: the reference window runs past the end of chromosome {entry.chrom}")
    proxy = _KnownBases(entry, _segments(start, ref, window), pad=canonical)
    if ref is None:
        if not proxy.covers(start, end):
            raise VrsError(
                f"{source}: the reference bases at {start}-{end} are not given, so VRS normalisation (trimming "
                "shared bases, expanding repeats) cannot be done; give them (VCF REF, SPDI with the deleted "
                "sequence, HGVS delXins…) or pass a ReferenceWindow"
            )
        ref = proxy.get_sequence(entry.refget_accession, start, end)
    if not _BASES.fullmatch(alt) or not _BASES.fullmatch(ref):
        raise VrsError(f"{source}: sequences may only contain A, C, G and T (no N or other ambiguity codes)")
    allele = models.Allele(
        location=models.SequenceLocation(sequenceReference=entry.sequence_reference(), start=start, end=end),
        state=models.LiteralSequenceExpression(sequence=alt),
    )
    try:
        normalised = normalize(allele, proxy)
    except _NeedsSequence as exc:
        raise VrsError(
            f"{source}: this insertion/deletion may lie in a repeat; VRS normalisation needs the reference "
            f"base at 0-based {exc.args[0]} on chromosome {entry.chrom}, which we do not have offline. Pass a "
            "wider ReferenceWindow (or, for an NCBI canonical SPDI, canonical=True); refusing rather than minting "
            "a possibly wrong id"
        ) from None
    except ValueError as exc:  # ga4gh.vrs / bioutils reject the allele
        raise VrsError(f"{source}: normalisation failed: {exc}") from exc
    if canonical:
        loc = normalised.location
        if (loc.start, loc.end) != (start, end):
            raise VrsError(
                f"{source}: not an NCBI canonical SPDI (normalises to {loc.start}-{loc.end}, not {start}-{end}); "
                "use canonical=False with a ReferenceWindow"
            )
    return normalised


# --- parsers ------------------------------------------------------------------------------------------------

def _int(value: int | str, what: str, source: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise VrsError(f"{source}: {what} must be an integer")
    if isinstance(value, str):
        if not re.fullmatch(r"\d+", value.strip()):
            raise VrsError(f"{source}: {what} {value!r} is not an integer")
        value = int(value)
    return value


def allele_from_vcf(
    chrom: str,
    pos: int | str,
    ref: str,
    alt: str,
    assembly: str = ASSEMBLY,
    *,
    window: ReferenceWindow | None = None,
) -> models.Allele:
    """The normalised VRS Allele for one VCF record (1-based ``pos``; becomes 0-based interbase ``pos-1``).

    One ALT only; symbolic (``<DEL>``), ``*``, ``.`` and breakend ALTs are refused. Pure indels need a
    ``window`` (see the module docstring)."""
    source = f"VCF {chrom}:{pos}:{ref}:{alt}"
    entry = lookup_sequence(str(chrom), assembly)
    position = _int(pos, "POS", source)
    ref_u, alt_u = ref.strip().upper(), alt.strip().upper()
    if not ref_u or not re.fullmatch(r"[A-Z]+", ref_u):
        raise VrsError(f"{source}: REF must be bases")
    if not alt_u or not re.fullmatch(r"[A-Z]+", alt_u):
        raise VrsError(
            f"{source}: ALT must be one sequence of bases (no symbolic, '*', '.', breakend or multiple ALTs)"
        )
    if position < 1:
        raise VrsError(f"{source}: POS must be >= 1")
    return _mint(entry, position - 1, position - 1 + len(ref_u), ref_u, alt_u, window, source)


_SPDI = re.compile(r"^(?P<seq>[^:\s]+):(?P<pos>\d+):(?P<deleted>[A-Za-z]*|\d+):(?P<inserted>[A-Za-z]*)$")


def allele_from_spdi(
    spdi: str, *, canonical: bool = False, window: ReferenceWindow | None = None
) -> models.Allele:
    """The normalised VRS Allele for an SPDI ``sequence:position:deletion:insertion`` (0-based position;
    deletion given as bases or as a length).

    ``canonical=True`` states that the SPDI is NCBI's canonical form (ClinVar ``<CanonicalSPDI>``, NCBI
    Variation Services), which lets indels be minted without a window (module docstring)."""
    source = f"SPDI {spdi}"
    match = _SPDI.match(spdi.strip())
    if not match:
        raise VrsError(f"{source}: not SPDI (sequence:position:deleted:inserted)")
    entry = lookup_sequence(match["seq"])
    start = int(match["pos"])
    deleted, inserted = match["deleted"].upper(), match["inserted"].upper()
    if deleted.isdigit():
        length, ref = int(deleted), None if int(deleted) else ""
    else:
        length, ref = len(deleted), deleted
    if length == 0 and not inserted:
        raise VrsError(f"{source}: deletes and inserts nothing")
    return _mint(entry, start, start + length, ref, inserted, window, source, canonical=canonical)


_HGVS = re.compile(r"^(?P<ac>[A-Za-z0-9_.]+)(?:\([^)]*\))?:(?P<kind>[a-z])\.(?P<rest>.+)$")
_HGVS_G = re.compile(r"^(?P<s>[1-9]\d*)(?:_(?P<e>[1-9]\d*))?(?P<edit>[A-Za-z][A-Za-z0-9>]*)$")
_EDITS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("sub", re.compile(r"^(?P<ref>[ACGT])>(?P<alt>[ACGT])$")),
    ("delins", re.compile(r"^del(?P<ref>[ACGT]+|\d+)?ins(?P<alt>[ACGT]+)$")),
    ("del", re.compile(r"^del(?P<ref>[ACGT]+|\d+)?$")),
    ("ins", re.compile(r"^ins(?P<alt>[ACGT]+)$")),
    ("dup", re.compile(r"^dup(?P<ref>[ACGT]+|\d+)?$")),
)


def allele_from_hgvs(hgvs: str, *, window: ReferenceWindow | None = None) -> models.Allele:
    """The normalised VRS Allele for a genomic HGVS on a GRCh38 ``NC_`` accession (``g.``; ``m.`` on
    ``NC_012920.1``): substitution ``123A>G``, ``del``, ``ins``, ``delins`` and ``dup``, with exact positions.

    Deliberately a small parser (the ``hgvs`` package needs a UTA database): ``c.``/``n.``/``p.``/``r.``,
    intronic offsets, uncertain positions, repeats, ``=``, ``inv``, ``con`` and alleles ``[…;…]`` are refused.
    Deleted bases may be given (``delA``, ``delAGinsT``); only then, or with a ``window``, can a ``delins`` be
    minted, and ``del``/``ins``/``dup`` always need a window (module docstring)."""
    source = f"HGVS {hgvs}"
    match = _HGVS.match(hgvs.strip())
    if not match:
        raise VrsError(f"{source}: not an HGVS variant (accession:type.change)")
    entry = lookup_sequence(match["ac"])
    if match["ac"] != entry.refseq_accession:
        raise VrsError(f"{source}: HGVS needs the RefSeq accession ({entry.refseq_accession}), not {match['ac']!r}")
    kind = match["kind"]
    if kind not in ("g", "m") or (kind == "m") != (entry.chrom == "MT"):
        raise VrsError(
            f"{source}: only genomic HGVS on GRCh38 NC_ accessions is supported (g., or m. on NC_012920.1); "
            f"{kind}. descriptions need transcript mapping"
        )
    where = _HGVS_G.match(match["rest"])
    if not where:
        raise VrsError(
            f"{source}: unsupported position or change (only exact positions 'N' or 'N_M' followed by "
            ">, del, ins, delins or dup; no offsets, uncertain ranges, repeats or alleles)"
        )
    s = int(where["s"])
    e = int(where["e"]) if where["e"] else s
    if where["e"] and e <= s:
        raise VrsError(f"{source}: range end must be after its start")
    found = next(((n, m) for n, p in _EDITS if (m := p.match(where["edit"]))), None)
    if found is None:
        raise VrsError(f"{source}: unsupported change {where['edit']!r} (only >, del, ins, delins, dup)")
    name, edit = found
    if name == "sub" and where["e"]:
        raise VrsError(f"{source}: a substitution is at one position; use delins for a range")
    span = e - s + 1
    given = edit.groupdict().get("ref")
    ref: str | None
    if given is None or given.isdigit():
        if given is not None and int(given) != span:
            raise VrsError(f"{source}: {name} of {given} bases does not match the {span}-base range")
        ref = None
    else:
        if len(given) != span:
            raise VrsError(f"{source}: {name} sequence {given!r} does not match the {span}-base range")
        ref = given
    if name == "sub":
        if edit["ref"] == edit["alt"]:
            raise VrsError(f"{source}: reference and alternate base are the same")
        return _mint(entry, s - 1, s, edit["ref"], edit["alt"], window, source)
    if name == "ins":
        if e != s + 1:
            raise VrsError(f"{source}: an insertion must be between two adjacent positions (N_N+1)")
        return _mint(entry, s, s, "", edit["alt"], window, source)
    if name in ("del", "delins"):
        return _mint(entry, s - 1, e, ref, edit.groupdict().get("alt") or "", window, source)
    # dup: the allele over the duplicated bases reads them twice; normalize() finds the whole repeat.
    if ref is None:
        if window is None:
            raise VrsError(
                f"{source}: a duplication is a tandem repeat; VRS normalisation needs the reference sequence "
                "around it (pass a ReferenceWindow)"
            )
        known = _KnownBases(entry, _segments(s - 1, None, window), pad=False)
        try:
            ref = known.get_sequence(entry.refget_accession, s - 1, e)
        except _NeedsSequence:
            raise VrsError(f"{source}: the ReferenceWindow does not cover the duplicated bases") from None
    return _mint(entry, s - 1, e, ref, ref + ref, window, source)


# --- ids ----------------------------------------------------------------------------------------------------

def _fresh(obj: models.Allele | models.SequenceLocation) -> models.Allele | models.SequenceLocation:
    """A copy without cached ``id``/``digest`` fields: ga4gh.vrs reuses a stored nested digest, which would
    give a stale id for an object changed after an earlier digest."""
    copy = obj.model_copy(deep=True)
    targets = [copy]
    if isinstance(copy, models.Allele) and isinstance(copy.location, models.SequenceLocation):
        targets.append(copy.location)
    for target in targets:
        target.id = None
        target.digest = None
    return copy


def allele_id(allele: models.Allele) -> str:
    """``ga4gh:VA.<32 chars>`` from ``ga4gh.core.ga4gh_identify``. The allele is digested as given: build it
    with ``allele_from_*`` so that it is normalised (SPEC §2.2 step 1)."""
    if not isinstance(allele, models.Allele):
        raise VrsError(f"expected a ga4gh.vrs Allele, got {type(allele).__name__}")
    identifier = ga4gh_identify(_fresh(allele), in_place="never")
    if not identifier:
        raise VrsError("ga4gh_identify returned no id")
    return identifier


def location_id(obj: models.Allele | models.SequenceLocation) -> str:
    """``ga4gh:SL.<32 chars>`` of a SequenceLocation, or of an Allele's location."""
    location = obj.location if isinstance(obj, models.Allele) else obj
    if not isinstance(location, models.SequenceLocation):
        raise VrsError(f"expected a SequenceLocation, got {type(location).__name__}")
    identifier = ga4gh_identify(_fresh(location), in_place="never")
    if not identifier:
        raise VrsError("ga4gh_identify returned no id")
    return identifier
