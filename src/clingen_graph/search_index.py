"""An in-memory name index for search and typeahead: genes, diseases and variants by every name they carry.

Pure: built from :class:`Entry` rows (the API fetches them with the named query ``queries/api/search-names.rq``
once per release view), no store. A query is matched case-insensitively in tiers, best first:

1. exact: the whole name (a symbol, an id, a label) equals the query;
2. prefix: a name starts with the query (binary search in the sorted names);
3. word prefix: a later word of a name starts with it (``cardiomyopathy`` finds *dilated cardiomyopathy*);
4. substring: anywhere in a name (``c.1A>G`` inside an HGVS expression), only when 1-3 leave room and
   nothing matched exactly.

Within a tier, identifiers and symbols come before names and synonyms, shorter names before longer ones;
each entity appears once, with the best name it matched.

>>> index = SearchIndex([
...     Entry("HGNC:1100", "BRCA1", "gene", "BRCA1", "symbol", "/genes/HGNC:1100"),
...     Entry("HGNC:1101", "BRCA2", "gene", "BRCA2", "symbol", "/genes/HGNC:1101"),
...     Entry("HGNC:1100", "BRCA1", "gene", "RNF53", "alias symbol", "/genes/HGNC:1100"),
... ])
>>> [h.id for h in index.search("brca")]
['HGNC:1100', 'HGNC:1101']
>>> index.search("rnf53")[0].matched
'RNF53'
"""

from __future__ import annotations

import bisect
import heapq
import re
from collections.abc import Iterable
from dataclasses import dataclass

# the order names of one tier are shown in (lower is better)
KIND_RANK = {"symbol": 0, "id": 0, "caid": 0, "clinvar": 0, "rsid": 0, "vrs": 0, "label": 1,
             "previous symbol": 2, "alias symbol": 2, "name": 3, "synonym": 4, "hgvs": 5}
TYPES = ("gene", "disease", "variant")
_WORD = re.compile(r"[\s,;:()\[\]/]+")
_SEP = "\n"


@dataclass(frozen=True)
class Entry:
    """One name of one entity."""

    id: str  # the entity's CURIE (HGNC:1100, MONDO:0007254, CA114360, …)
    label: str  # what the entity is called (symbol, disease label, variant title)
    type: str  # gene | disease | variant
    text: str  # the name that is matched
    kind: str  # symbol, previous symbol, alias symbol, name, label, synonym, caid, clinvar, rsid, vrs, hgvs
    url: str  # its page


@dataclass(frozen=True)
class Hit:
    id: str
    label: str
    type: str
    matched: str
    kind: str
    url: str

    def as_json(self) -> dict[str, str]:
        return {"id": self.id, "label": self.label, "type": self.type, "matched": self.matched,
                "kind": self.kind, "url": self.url}


class SearchIndex:
    """Sorted names (for the prefix tiers) and one joined text (for the substring tier)."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        unique = sorted({e for e in entries if e.text}, key=lambda e: (e.text.lower(), self._rank(e), e.id))
        self.entries: list[Entry] = unique
        self._keys = [e.text.lower() for e in unique]
        self._ranks = [self._rank(e) for e in unique]
        words: list[tuple[str, int]] = []
        for i, key in enumerate(self._keys):
            parts = [w for w in _WORD.split(key) if w]
            start = 0 if parts and key.startswith(parts[0]) else -1
            words += [(w, i) for j, w in enumerate(parts) if j > start]
        words.sort()
        self._words = [w for w, _ in words]
        self._word_entries = [i for _, i in words]
        self._text = _SEP.join(self._keys)
        offsets, at = [], 0
        for key in self._keys:
            offsets.append(at)
            at += len(key) + 1
        self._offsets = offsets

    def __len__(self) -> int:
        return len(self.entries)

    @staticmethod
    def _rank(e: Entry) -> tuple[int, int]:
        return KIND_RANK.get(e.kind, 6), len(e.text)

    def _prefix_range(self, keys: list[str], q: str) -> range:
        lo = bisect.bisect_left(keys, q)
        hi = bisect.bisect_left(keys, q + "\uffff", lo)
        return range(lo, hi)

    def search(self, query: str, *, limit: int = 10, type: str | None = None) -> list[Hit]:
        """The best ``limit`` entities for ``query`` (of one ``type`` if given), best first."""
        q = " ".join(query.lower().split())
        if not q or limit <= 0:
            return []
        found: dict[str, Hit] = {}
        entries, ranks = self.entries, self._ranks

        def take(indices: Iterable[int]) -> bool:
            """Add the entities of ``indices`` (already in order) until ``limit``; True when full."""
            for i in indices:
                e = entries[i]
                if (type is None or e.type == type) and e.id not in found:
                    found[e.id] = Hit(e.id, e.label, e.type, e.text, e.kind, e.url)
                    if len(found) >= limit:
                        return True
            return False

        def best(indices: Iterable[int], key: list) -> list[int]:
            pool = list(indices) if type is None else [i for i in indices if entries[i].type == type]
            if len(pool) > 8 * limit:  # many matches (a one-letter prefix): rank only the best few
                return heapq.nsmallest(8 * limit + len(found), pool, key=key.__getitem__)
            return sorted(pool, key=key.__getitem__)

        prefix = self._prefix_range(self._keys, q)
        exact = range(prefix.start, bisect.bisect_right(self._keys, q, prefix.start))
        if take(sorted(exact, key=ranks.__getitem__)):
            return list(found.values())
        if take(best(prefix, ranks)):
            return list(found.values())
        words = self._prefix_range(self._words, q)
        word_ranks = {i: ranks[i] for i in (self._word_entries[j] for j in words)}
        if take(sorted(word_ranks, key=word_ranks.__getitem__)):
            return list(found.values())
        if not exact:  # an exact symbol or id asked for that: names merely containing it are noise
            take(self._substring(q, limit * 20))
        return list(found.values())

    def _substring(self, q: str, most: int) -> list[int]:
        """Entries whose name contains ``q`` beyond its start (the prefix tiers had those), ranked."""
        if _SEP in q:
            return []
        hits: set[int] = set()
        at = self._text.find(q)
        while at >= 0 and len(hits) < most:
            i = bisect.bisect_right(self._offsets, at) - 1
            if at > self._offsets[i]:
                hits.add(i)
            at = self._text.find(q, at + 1)
        return sorted(hits, key=self._ranks.__getitem__)
