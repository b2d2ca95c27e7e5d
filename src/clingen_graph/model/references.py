"""Reference look-ups that curations are checked against: MONDO/HPO term status and HGNC ids.

Built from the store's current reference releases (or from records in tests). A curation citing an
obsolete term is repaired through ``replaced_by`` and reported. An obsolete term with no single
replacement is loaded as cited, with a warning: the curation is real and the catalogue query
``obsolete-mondo-curations`` lists it for review; dropping it would lose a ClinGen assertion because our
MONDO release is newer than the curation. An id the reference does not know is loaded with a warning too
(it may be newer than the release).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..ids import compress_iri, expand_curie
from ..ingest.base import Problem, warning


@dataclass(frozen=True)
class TermStatus:
    deprecated: bool
    replaced_by: tuple[str, ...] = ()
    consider: tuple[str, ...] = ()


@dataclass
class References:
    # CURIE → status, per ontology prefix ("MONDO", "HP"); a missing prefix means "not loaded".
    terms: dict[str, dict[str, TermStatus]] = field(default_factory=dict)
    releases: dict[str, str] = field(default_factory=dict)  # "MONDO" → release label
    hgnc_ids: set[str] | None = None
    ncbi_to_hgnc: dict[str, str] = field(default_factory=dict)
    hgnc_symbols: dict[str, str] = field(default_factory=dict)  # HGNC:… → approved symbol
    _by_symbol: dict[str, str] = field(default_factory=dict, repr=False)  # approved symbol → HGNC:…
    _by_symbol_from: int = field(default=-1, repr=False)  # len(hgnc_symbols) when _by_symbol was built

    def resolve_term(self, curie: str, file: str, line: int) -> tuple[str, str | None, list[Problem]]:
        """``(iri, cited_iri_if_repaired, problems)``; the problems are warnings to report with the row."""
        prefix = curie.split(":", 1)[0]
        table = self.terms.get(prefix)
        iri = expand_curie(curie)
        if table is None:
            return iri, None, []
        release = self.releases.get(prefix, "?")
        status = table.get(curie)
        if status is None:
            return iri, None, [warning(file, line, "unknown-term",
                                       f"{curie} is not in the loaded {prefix} release {release}; loaded as cited")]
        if not status.deprecated:
            return iri, None, []
        same_kind = [r for r in status.replaced_by if r.split(":", 1)[0] == prefix]
        if len(status.replaced_by) == 1 and same_kind:
            new = status.replaced_by[0]
            return expand_curie(new), iri, [warning(
                file, line, "obsolete-repaired",
                f"{curie} is obsolete in {prefix} {release}; replaced by {new} (term replaced by)")]
        hint = f"; consider {', '.join(status.consider)}" if status.consider else ""
        many = f"; several replacements {', '.join(status.replaced_by)}" if status.replaced_by else ""
        return iri, None, [warning(file, line, "obsolete-unrepaired",
                                   f"{curie} is obsolete in {prefix} {release} with no single replacement{many}{hint}; "
                                   "loaded as cited")]

    def check_gene(self, hgnc_id: str, file: str, line: int) -> list[Problem]:
        if self.hgnc_ids is None or hgnc_id in self.hgnc_ids:
            return []
        return [warning(file, line, "unknown-gene", f"{hgnc_id} is not in the loaded HGNC release; loaded as cited")]

    def gene_for_symbol(self, symbol: str) -> str | None:
        """HGNC IRI for an approved symbol, when HGNC is loaded and knows it."""
        hgnc = self._symbol_index().get(symbol)
        return expand_curie(hgnc) if hgnc else None

    def _symbol_index(self) -> dict[str, str]:
        if self._by_symbol_from != len(self.hgnc_symbols):
            self._by_symbol = {sym: hid for hid, sym in self.hgnc_symbols.items()}
            self._by_symbol_from = len(self.hgnc_symbols)
        return self._by_symbol

    def gene_for_ncbi(self, ncbi: str) -> str | None:
        """HGNC IRI for an NCBI Gene id, when HGNC is loaded and knows it."""
        hgnc = self.ncbi_to_hgnc.get(ncbi)
        return expand_curie(hgnc) if hgnc else None


def curie_of(iri: str) -> str:
    return compress_iri(iri)
