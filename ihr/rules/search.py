"""Incremental catalog search: the secretary types, the list follows, one keystroke at a time.

Matching is case- and accent-insensitive (é -> e, ü -> u) while æ, ø and å stay letters of
their own ("rontgen" does not find "Røntgen"; Swedish/German ä and ö count as æ and ø).
Text is split into words at anything that is not a letter or digit ("P-25-OH Vitamin D" ->
p, 25, oh, vitamin, d). A query of several words matches a service when every query word
matches some word of its name, code, short name, abbreviations or synonyms.

Ranking, best first:
  0. the whole query is the code, an abbreviation, the short name, or the name (with or
     without its system prefix: "crp" is P-CRP's name without "P-");
  1. the whole query is a synonym;
  2. the first query word begins a leading word (the name's first word after the system
     prefix, or the first word of a synonym, abbreviation or short name) and the others
     begin some word;
  3. every query word begins some word;
  4. every query word occurs inside some word;
  5. only when nothing else matched: every query word of four letters or more (letters only:
     a code or a number is never guessed) is one typo
     (a letter wrong, missing, extra or two swapped; a letter doubled or not counts as no
     typo at all) away from some word ("ferittin" finds Ferritin), the others as in 4.
Within a tier: shorter name first, then alphabetical, then catalog order. The list says how
many matched in all (`Found.total`), not only how many it shows.

Everything text-heavy happens once in `CatalogIndex(services)`: normalised words, word ->
services postings, a sorted vocabulary for prefix ranges, and per-character word lists for
substrings. A query only touches sets of small integers (a service's rank in the within-tier
order), and the word lists of the previous keystroke are reused for the next.

The index holds whatever it was built from and returns those: the catalog's `Service` models,
or `SearchEntry` tuples read straight from the catalog's JSON (`search_entries`), which is how
the app builds it at start-up, before pydantic and the models have been imported.
"""

from __future__ import annotations

import heapq
import json
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any, Generic, NamedTuple, Protocol, TypeVar

_KEEP = frozenset("æøå")
_FOLD = {"ä": "æ", "ö": "ø"}
_WORD = re.compile(r"[^\W_]+")
_SYSTEM_PREFIX = re.compile(r"^[^\W\d_]{1,4}-(?=\S)")  # "P-", "B-", "fS-", "Pt-" ...
_CACHE_LIMIT = 4096


class _FoldTable(dict[int, str]):
    """str.translate table that works out (and remembers) how to fold each character."""

    def __missing__(self, codepoint: int) -> str:
        ch = chr(codepoint)
        if ch.isascii() or ch in _KEEP:
            folded = ch
        elif ch in _FOLD:
            folded = _FOLD[ch]
        else:
            folded = "".join(p for p in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(p))
        self[codepoint] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def normalise(text: str) -> str:
    """Case- and accent-folded text with æ, ø and å kept."""
    folded = text.casefold()
    if folded.isascii():
        return folded
    # NFC first, so a decomposed "å" (a + combining ring, as macOS may send it) stays "å".
    return unicodedata.normalize("NFC", folded).translate(_FOLD_TABLE)


def words(text: str) -> list[str]:
    """The normalised words of a text."""
    return _WORD.findall(normalise(text))


_words = words


def strip_system_prefix(name: str) -> str:
    """ "P-CRP" -> "CRP", "fS-Insulin" -> "Insulin"; other names unchanged."""
    return _SYSTEM_PREFIX.sub("", name, count=1)


class Searchable(Protocol):
    """What search reads of a service (`ihr.models.Service` and `SearchEntry` both have it).

    `discipline` is an `ihr.models.Discipline` or its string value: the two compare and hash
    alike.
    """

    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def short_name(self) -> str: ...
    @property
    def discipline(self) -> str: ...
    @property
    def abbreviations(self) -> Sequence[str]: ...
    @property
    def synonyms(self) -> Sequence[str]: ...


class SearchEntry(NamedTuple):
    """A service as search sees it, read from the catalog's JSON without the models."""

    code: str
    name: str
    short_name: str
    discipline: str
    abbreviations: tuple[str, ...]
    synonyms: tuple[str, ...]


def search_entries(catalog_json: str | bytes) -> list[SearchEntry]:
    """The services of a catalog document (`GET /catalog`), in catalog order, for the index.

    Start-up reads the cached catalog this way: the standard JSON parser and no validation,
    so the search list is on screen before pydantic has loaded. The validated `Catalog`
    follows, and anything done with a service (its panel, the basket) goes through it.
    Raises ValueError when the document is not a catalog.
    """
    try:
        services: list[dict[str, Any]] = json.loads(catalog_json)["services"]
        return [
            SearchEntry(
                s["code"],
                s["name"],
                s["short_name"],
                s["discipline"],
                tuple(s.get("abbreviations", ())),
                tuple(s.get("synonyms", ())),
            )
            for s in services
        ]
    except (KeyError, TypeError) as exc:
        raise ValueError("not a catalog document") from exc


S = TypeVar("S", bound=Searchable)


class Found(list[S]):
    """The services shown, best first, and `total`: how many matched in all."""

    total: int = 0


#: A query word this long or longer may hold one typo (tier 5).
TYPO_MIN_LENGTH = 4


def undoubled(word: str) -> str:
    """`word` with every run of one letter written once ("ferritin" -> "feritin")."""
    return re.sub(r"(.)\1+", r"\1", word)


def one_typo_apart(a: str, b: str) -> bool:
    """a and b differ by one letter changed, missing, added, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return a == b
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) < len(b):
        return a[i:] == b[i + 1:]
    return a[i + 1:] == b[i + 1:] or (a[i + 2:] == b[i + 2:] and a[i:i + 2] == b[i:i + 2][::-1])


class CatalogIndex(Generic[S]):
    """A search index over one catalog version; build once, query on every keystroke."""

    def __init__(self, services: Iterable[S]) -> None:
        services = list(services)
        memo: dict[str, list[str]] = {}

        def words(text: str) -> list[str]:  # many names, synonyms and short names repeat
            found = memo.get(text)
            if found is None:
                found = memo[text] = _words(text)
            return found

        def _phrase(text: str) -> str:
            return " ".join(words(text))

        order = sorted(range(len(services)), key=lambda i: (len(services[i].name), normalise(services[i].name), i))
        rank_of = {i: r for r, i in enumerate(order)}
        self._by_rank: list[S] = [services[i] for i in order]
        self._catalog_order: list[int] = [rank_of[i] for i in range(len(services))]

        # Postings are tuples of ranks (a service's words are all added before the next
        # service's, so a repeat is always the last one added): 40 + 8 bytes a rank, where a
        # set is 216 bytes at least; most phrases and words belong to one service.
        exact: dict[str, list[int]] = {}
        synonym: dict[str, list[int]] = {}
        postings: dict[str, list[int]] = {}
        lead_postings: dict[str, list[int]] = {}
        per_discipline: dict[str, set[int]] = {}

        def add(into: dict[str, list[int]], key: str, r: int) -> None:
            ranks = into.get(key)
            if ranks is None:
                into[key] = [r]
            elif ranks[-1] != r:
                ranks.append(r)

        for i, s in enumerate(services):
            r = rank_of[i]
            per_discipline.setdefault(s.discipline, set()).add(r)
            for term in (s.code, s.short_name, s.name, strip_system_prefix(s.name), *s.abbreviations):
                if p := _phrase(term):
                    add(exact, p, r)
            for term in s.synonyms:
                if p := _phrase(term):
                    add(synonym, p, r)
            for term in (s.code, s.name, s.short_name, *s.abbreviations, *s.synonyms):
                for w in words(term):
                    add(postings, w, r)
            for term in (strip_system_prefix(s.name), s.short_name, *s.abbreviations, *s.synonyms):
                ws = words(term)
                if ws:
                    add(lead_postings, ws[0], r)

        self._discipline: dict[str, frozenset[int]] = {d: frozenset(rs) for d, rs in per_discipline.items()}
        self._exact: dict[str, tuple[int, ...]] = {p: tuple(rs) for p, rs in exact.items()}
        self._synonym: dict[str, tuple[int, ...]] = {p: tuple(rs) for p, rs in synonym.items()}
        self._postings: dict[str, tuple[int, ...]] = {w: tuple(rs) for w, rs in postings.items()}
        self._lead_postings: dict[str, tuple[int, ...]] = {w: tuple(rs) for w, rs in lead_postings.items()}
        del exact, synonym, postings, lead_postings
        self._vocab: list[str] = sorted(self._postings)
        self._lead_vocab: list[str] = sorted(self._lead_postings)
        char_words: dict[str, list[str]] = {}
        for w in self._vocab:
            for ch in set(w):
                char_words.setdefault(ch, []).append(w)
        self._char_words = char_words
        self._substring_words: dict[str, list[str]] = {}
        self._cache: dict[tuple[str, str], frozenset[int]] = {}

    def __len__(self) -> int:
        return len(self._by_rank)

    def entry(self, code: str) -> S | None:
        """The indexed service with this code, if there is one."""
        by_code = self.__dict__.get("_by_code")
        if by_code is None:  # built on first use: search alone never needs it
            by_code = self._by_code = {s.code: s for s in self._by_rank}
        return by_code.get(code)

    # ---- per-word candidate sets ----------------------------------------------------------

    def _remember(self, key: tuple[str, str], value: frozenset[int]) -> frozenset[int]:
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[key] = value
        return value

    @staticmethod
    def _prefix_words(vocab: list[str], token: str) -> list[str]:
        i = bisect_left(vocab, token)
        out = []
        while i < len(vocab) and vocab[i].startswith(token):
            out.append(vocab[i])
            i += 1
        return out

    def _prefix(self, token: str) -> frozenset[int]:
        key = ("p", token)
        if (hit := self._cache.get(key)) is not None:
            return hit
        sets = [self._postings[w] for w in self._prefix_words(self._vocab, token)]
        return self._remember(key, frozenset().union(*sets))

    def _lead(self, token: str) -> frozenset[int]:
        key = ("l", token)
        if (hit := self._cache.get(key)) is not None:
            return hit
        sets = [self._lead_postings[w] for w in self._prefix_words(self._lead_vocab, token)]
        return self._remember(key, frozenset().union(*sets))

    def _words_containing(self, token: str) -> list[str]:
        if (hit := self._substring_words.get(token)) is not None:
            return hit
        # The words containing "crp" are among those containing "cr": reuse the last keystroke.
        base: list[str] | None = None
        for cut in range(len(token) - 1, 0, -1):
            base = self._substring_words.get(token[:cut]) or self._substring_words.get(token[-cut:])
            if base is not None:
                break
        if base is None:
            lists = [self._char_words.get(ch, []) for ch in set(token)]
            base = min(lists, key=len)
        found = [w for w in base if token in w]
        if len(self._substring_words) >= _CACHE_LIMIT:
            self._substring_words.clear()
        self._substring_words[token] = found
        return found

    def _substring(self, token: str) -> frozenset[int]:
        key = ("s", token)
        if (hit := self._cache.get(key)) is not None:
            return hit
        sets = [self._postings[w] for w in self._words_containing(token)]
        return self._remember(key, frozenset().union(*sets))

    # ---- the query ------------------------------------------------------------------------

    def search(self, query: str, discipline: str | None = None, limit: int = 50) -> Found[S]:
        """The best `limit` services for what has been typed so far (see the module doc)."""
        found: Found[S] = Found()
        if limit <= 0:
            return found
        allowed = self._discipline.get(discipline, frozenset()) if discipline is not None else None
        tokens = words(query)
        if not tokens:
            ranks = (r for r in self._catalog_order if allowed is None or r in allowed)
            found.extend(self._by_rank[r] for r in islice(ranks, limit))
            found.total = len(self._by_rank) if allowed is None else len(allowed)
            return found
        found.extend(self._by_rank[r] for r in self._ranks(tokens, allowed, limit))
        if len(found) < limit:
            found.total = len(found)  # the tiers nest: a short list holds every match
        else:  # every match is a match of tier 4 (or of the exact phrase)
            phrase = " ".join(tokens)
            every = self._every_substring(tokens).union(self._exact.get(phrase, ()), self._synonym.get(phrase, ()))
            found.total = len(every if allowed is None else every & allowed)
        return found

    def _every_substring(self, tokens: list[str]) -> frozenset[int]:
        sets = sorted((self._substring(t) for t in tokens), key=len)
        return sets[0].intersection(*sets[1:]) if sets[0] else frozenset()

    def _ranks(self, tokens: list[str], allowed: frozenset[int] | None, limit: int) -> list[int]:
        """The ranks of the best `limit` matches of `tokens`, tier by tier."""
        phrase = " ".join(tokens)
        result: list[int] = []
        taken: set[int] = set()

        def take(candidates: Iterable[int] | None) -> bool:
            """Add the best of a tier; True when the list is full."""
            if not candidates:
                return len(result) >= limit
            pool = set(candidates)
            pool -= taken
            if allowed is not None:
                pool &= allowed
            best = heapq.nsmallest(limit - len(result), pool)
            result.extend(best)
            taken.update(best)
            return len(result) >= limit

        if take(self._exact.get(phrase)) or take(self._synonym.get(phrase)):
            return result

        prefix_sets = sorted((self._prefix(t) for t in tokens), key=len)
        every_prefix = prefix_sets[0].intersection(*prefix_sets[1:]) if prefix_sets[0] else frozenset()
        if every_prefix:
            lead = self._lead(tokens[0]) & every_prefix
            if take(lead) or take(every_prefix):
                return result

        take(self._every_substring(tokens))
        if not result:
            take(self._with_typos(tokens))
        return result

    # ---- tier 5: one typo ----------------------------------------------------------------

    def _with_typos(self, tokens: list[str]) -> frozenset[int]:
        """Services where each long query word is one typo from a word, the rest as tier 4."""
        sets = []
        for token in tokens:
            matches = self._substring(token)
            if len(token) >= TYPO_MIN_LENGTH and token.isalpha():  # never in a code or number
                near = [self._postings[w] for w in self._near_words(token)]
                matches = matches.union(*near)
            if not matches:
                return frozenset()
            sets.append(matches)
        sets.sort(key=len)
        return sets[0].intersection(*sets[1:])

    def prepare_typos(self) -> dict[str, list[str]]:
        """Build the index of one-letter deletions that finds words one typo away (symmetric
        delete): about 0.1 s and 1 MB for 10,000 services. The app builds it with the index,
        off the event loop; otherwise the first query that needs it does."""
        deletions: dict[str, list[str]] | None = self.__dict__.get("_deletions")
        if deletions is None:
            deletions = {}
            for w in self._vocab:
                u = undoubled(w)
                if len(u) >= TYPO_MIN_LENGTH - 1 and w.isalpha():
                    for key in {u, *(u[:i] + u[i + 1:] for i in range(len(u)))}:
                        deletions.setdefault(key, []).append(w)
            self._deletions = deletions
        return deletions

    def _near_words(self, token: str) -> list[str]:
        """Vocabulary words one typo from `token`."""
        deletions = self.prepare_typos()
        t = undoubled(token)
        seen: set[str] = set()
        for key in {t, *(t[:i] + t[i + 1:] for i in range(len(t)))}:
            for w in deletions.get(key, ()):
                if w not in seen and one_typo_apart(t, undoubled(w)):
                    seen.add(w)
        return sorted(seen)
