"""Catalog search: what the secretary types and what she expects at the top of the list."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ihr.models import Catalog, Discipline
from ihr.rules.search import (
    CatalogIndex,
    normalise,
    one_typo_apart,
    search_entries,
    strip_system_prefix,
    undoubled,
    words,
)

from .conftest import SERVICES


@pytest.fixture
def index(catalog: Catalog) -> CatalogIndex:
    return CatalogIndex(catalog.services)


def names(index: CatalogIndex, query: str, discipline: Discipline | None = None, limit: int = 50) -> list[str]:
    return [s.name for s in index.search(query, discipline, limit)]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("crp", "P-CRP"),
        ("CRP", "P-CRP"),
        ("p-crp", "P-CRP"),
        ("npu19748", "P-CRP"),
        ("hba1c", "B-HbA1c"),
        ("HbA1c", "B-HbA1c"),
        ("tsh", "P-TSH"),
        ("rtg thorax", "Røntgen thorax"),
        ("rtg t", "Røntgen thorax"),
        ("røntgen th", "Røntgen thorax"),
        ("langtidsblodsukker", "B-HbA1c"),  # a synonym
        ("blodsukker", "P-Glukose"),  # exact synonym before the longer word that contains it
        ("senkning", "B-SR"),
        ("vit d", "P-25-OH Vitamin D"),
        ("ferr", "P-Ferritin"),
        ("kreat", "P-Kreatinin"),
        ("hb", "B-Hemoglobin"),  # abbreviation "Hb" before HbA1c and Hb-Elektroforese
        ("mullersk", "S-AMH"),  # ü typed without the dots
        ("MÜLLERSK", "S-AMH"),
        ("protein c-aktivitet", "P-Protein C"),  # é in the synonym
        ("mr hjerne", "MR caput"),
    ],
)
def test_best_match_first(index: CatalogIndex, query: str, first: str) -> None:
    assert names(index, query)[0] == first


def test_tiers_beat_name_length(index: CatalogIndex) -> None:
    # Within a tier shorter names come first, so these orders show the tiers themselves.
    # "blod": leading word of the synonyms "Blodsukker" (P-Glukose) and "Blodprosent"
    # (B-Hemoglobin), only inside "Langtidsblodsukker" (B-HbA1c, the shortest name).
    assert names(index, "blod") == ["P-Glukose", "B-Hemoglobin", "B-HbA1c"]
    # "protein": P-Protein C's leading word; for P-CRP a later word of "C-reaktivt protein".
    assert names(index, "protein") == ["P-Protein C", "P-CRP"]
    # "hem": B-Hemoglobin's leading word; B-HbA1c via "Glykert hemoglobin".
    assert names(index, "hem") == ["B-Hemoglobin", "B-HbA1c"]
    assert names(index, "cr") == ["P-CRP"]
    # Only inside words: shorter name first.
    assert names(index, "glob") == ["B-HbA1c", "B-Hemoglobin"]
    assert names(index, "kal") == ["P-Kalium", "P-25-OH Vitamin D"]  # "Kalsidiol" is a synonym


def test_multi_word_needs_every_word(index: CatalogIndex) -> None:
    assert names(index, "rtg bekken") == ["Røntgen bekken"]
    assert names(index, "rtg") == ["Røntgen bekken", "Røntgen thorax"]
    assert names(index, "thorax kontrast") == []
    assert names(index, "ct kontrast") == ["CT abdomen med kontrast"]
    assert names(index, "kontrast ct") == ["CT abdomen med kontrast"]


def test_ae_oe_aa_stay_meaningful(index: CatalogIndex) -> None:
    assert names(index, "røntgen") == ["Røntgen bekken", "Røntgen thorax"]
    assert index.search("rontgen").total == 2  # not the same word: found only as one typo away (tier 5)
    assert names(index, "rontgen thorax") == ["Røntgen thorax"]
    assert names(index, "RØNTGEN") == names(index, "røntgen")
    assert names(index, "lungerøntgen") == ["Røntgen thorax"]


def test_discipline_filter_and_limit(index: CatalogIndex, catalog: Catalog) -> None:
    assert names(index, "rtg", Discipline.LAB) == []
    assert all(s.discipline is Discipline.RADIOLOGY for s in index.search("r", Discipline.RADIOLOGY))
    assert len(index.search("p", limit=3)) == 3
    assert index.search("p", limit=0) == []


def test_empty_query_lists_the_discipline_in_catalog_order(index: CatalogIndex, catalog: Catalog) -> None:
    assert index.search("") == catalog.services
    assert index.search("  -  ", limit=2) == catalog.services[:2]
    radiology = [s for s in catalog.services if s.discipline is Discipline.RADIOLOGY]
    assert index.search("", Discipline.RADIOLOGY) == radiology
    assert index.search("", Discipline.RADIOLOGY, limit=2) == radiology[:2]


def test_typing_one_key_at_a_time_gives_the_same_as_a_fresh_index(catalog: Catalog) -> None:
    warm = CatalogIndex(catalog.services)
    for query in ("c", "cr", "crp", "h", "hb", "hba", "hba1", "hba1c", "t", "ts", "tsh", "r", "rt", "rtg", "rtg ", "rtg t"):
        assert warm.search(query) == CatalogIndex(catalog.services).search(query), query


def test_no_match(index: CatalogIndex) -> None:
    assert index.search("xyzzy") == []


def test_normalisation() -> None:
    assert normalise("Protéin Müller Ärlig Øst Å") == "protein muller ærlig øst å"
    assert words("P-25-OH Vitamin D") == ["p", "25", "oh", "vitamin", "d"]
    assert strip_system_prefix("P-CRP") == "CRP"
    assert strip_system_prefix("fS-Insulin") == "Insulin"
    assert strip_system_prefix("Røntgen thorax") == "Røntgen thorax"


# ---- every result matches, nothing that matches is missing -------------------------------




def _all_words(s) -> set[str]:  # type: ignore[no-untyped-def]
    out: set[str] = set()
    for term in (s.code, s.name, s.short_name, *s.abbreviations, *s.synonyms):
        out.update(words(term))
    return out


_VOCAB = sorted({w for s in SERVICES for w in _all_words(s)})
_FRAGMENTS = st.builds(lambda w, a, b: w[min(a, len(w) - 1): max(a + 1, b)], st.sampled_from(_VOCAB),
                       st.integers(0, 4), st.integers(1, 12))


@settings(max_examples=120, deadline=None)
@given(st.lists(_FRAGMENTS, min_size=1, max_size=3), st.sampled_from([None, *Discipline]))
def test_results_are_exactly_the_matching_services(fragments: list[str], discipline: Discipline | None) -> None:
    catalog = Catalog(version="t", services=SERVICES, containers=[], labs=[])
    got = CatalogIndex(catalog.services).search(" ".join(fragments), discipline, limit=1000)
    expected = {
        s.code for s in SERVICES
        if (discipline is None or s.discipline is discipline)
        and all(any(f in w for w in _all_words(s)) for f in words(" ".join(fragments)))
    }
    assert [s.code for s in got] == list(dict.fromkeys(s.code for s in got))  # no duplicates
    assert got.total == len(got)
    if expected:
        assert {s.code for s in got} == expected
        return
    for s in got:  # nothing matched as typed: only services one typo away (tier 5)
        for f in words(" ".join(fragments)):
            assert any(f in w for w in _all_words(s)) or (
                len(f) >= 4 and f.isalpha() and any(one_typo_apart(undoubled(f), undoubled(w)) for w in _all_words(s))
            ), (f, s.code)


def test_a_word_one_typo_away_is_found_when_nothing_matches(index: CatalogIndex) -> None:
    assert names(index, "ferittin") == names(index, "ferritin") != []  # a letter doubled wrongly
    assert names(index, "ferirtin") == names(index, "ferritin")  # two letters swapped
    assert index.search("ferritni").total == 1
    assert names(index, "crx") == []  # short words are not guessed
    code = next(s.code for s in SERVICES if s.code[-1].isdigit())
    wrong = code[:-1] + str((int(code[-1]) + 1) % 10)
    if all(s.code != wrong for s in SERVICES):
        assert index.search(wrong).total == 0  # a code is never guessed: it would be another analysis


def test_the_list_says_how_many_matched_in_all(index: CatalogIndex) -> None:
    everything = index.search("", limit=10_000)
    assert len(index.search("", limit=3)) == 3 and index.search("", limit=3).total == len(everything)
    p = index.search("p", limit=2)
    assert len(p) == 2 and p.total == len(index.search("p", limit=10_000))


def test_decomposed_input_keeps_aa() -> None:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Røntgen Årsak")
    assert normalise(decomposed) == "røntgen årsak"
    assert normalise("İstanbul ǅ") == "istanbul dz"  # ž is an accented z; only æ, ø, å are kept


# ---- the index the app builds at start-up, from the catalog's JSON ------------------------


@settings(max_examples=60, deadline=None)
@given(st.lists(_FRAGMENTS, min_size=0, max_size=3), st.sampled_from([None, *Discipline]))
def test_the_json_index_finds_what_the_model_index_finds(fragments: list[str], discipline: Discipline | None) -> None:
    catalog = Catalog(version="t", services=SERVICES, containers=[], labs=[])
    entries = search_entries(catalog.model_dump_json())
    query = " ".join(fragments)
    from_models = CatalogIndex(catalog.services).search(query, discipline)
    from_json = CatalogIndex(entries).search(query, discipline)
    assert [(s.code, s.name, s.discipline) for s in from_json] == [(s.code, s.name, s.discipline) for s in from_models]


def test_the_json_entries_are_the_services_as_search_reads_them(catalog: Catalog) -> None:
    entries = search_entries(catalog.model_dump_json().encode())
    assert [e.code for e in entries] == [s.code for s in catalog.services]
    crp = next(e for e in entries if e.name == "P-CRP")
    model = catalog.service(crp.code)
    assert (crp.short_name, crp.abbreviations, crp.synonyms) == (model.short_name, tuple(model.abbreviations), tuple(model.synonyms))
    assert crp.discipline == Discipline.LAB


@pytest.mark.parametrize("body", [b"{}", b'{"services": [{"code": "X"}]}', b"[]", b"{"])
def test_a_document_that_is_not_a_catalog_is_refused(body: bytes) -> None:
    with pytest.raises(ValueError):
        search_entries(body)
