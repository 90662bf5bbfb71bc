"""ICPC-2 look-up (ihr.kith.icpc2) on a small list in the official file's shape (test data,
tests/data/icpc-2-utdrag.json: not the official list, which is installed, not shipped)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ihr.kith.icpc2 import FILE_ENV, Icpc2List, installed_list

EXTRACT = Path(__file__).resolve().parents[1] / "data" / "icpc-2-utdrag.json"


@pytest.fixture
def codes(monkeypatch: pytest.MonkeyPatch) -> Icpc2List:
    monkeypatch.setenv(FILE_ENV, str(EXTRACT))
    found = installed_list()
    assert found is not None
    return found


def test_words_find_codes_by_the_start_of_a_word_of_the_text(codes: Icpc2List) -> None:
    assert [c for c, _ in codes.search("kne")] == ["L15", "L78", "L90", "L96"]
    assert codes.search("akutt kne") == [("L96", "Akutt indre kneskade")]
    assert codes.search("KNESKADE") == [("L96", "Akutt indre kneskade")]


def test_a_code_or_its_start_finds_the_code_with_the_lists_text(codes: Icpc2List) -> None:
    assert codes.search("l96") == [("L96", "Akutt indre kneskade")]
    assert [c for c, _ in codes.search("L9")] == ["L90", "L96"]
    assert codes.text("t90") == "Diabetes type 2" and codes.text("X99") is None
    assert codes.version == "testutdrag"


def test_no_list_installed_is_none(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(FILE_ENV, str(tmp_path / "mangler.json"))
    monkeypatch.setenv("IHR_KITH_DIR", str(tmp_path))
    assert installed_list() is None
