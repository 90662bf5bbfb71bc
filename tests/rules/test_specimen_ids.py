"""Specimen ids: every single-digit error and every adjacent transposition is caught."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ihr.rules.specimen_ids import (
    DAMM_TABLE,
    is_valid_specimen_id,
    looks_like_specimen_id,
    make_specimen_id,
    specimen_sequence,
)


def test_damm_table_is_weakly_totally_antisymmetric_quasigroup() -> None:
    # This is the property that makes the guarantees below hold for every id, not just drawn ones.
    digits = range(10)
    for row in DAMM_TABLE:
        assert sorted(row) == list(digits)
    for col in digits:
        assert sorted(DAMM_TABLE[r][col] for r in digits) == list(digits)
    for c, x, y in itertools.product(digits, digits, digits):
        if DAMM_TABLE[DAMM_TABLE[c][x]][y] == DAMM_TABLE[DAMM_TABLE[c][y]][x]:
            assert x == y


sequences = st.integers(min_value=0, max_value=999_999_999)


@settings(max_examples=200, deadline=None)
@given(sequences)
def test_single_digit_errors_are_rejected(seq: int) -> None:
    sid = make_specimen_id(seq)
    assert len(sid) == 10 and sid[:9] == f"{seq:09d}"
    assert is_valid_specimen_id(sid)
    assert specimen_sequence(sid) == seq
    for pos in range(10):
        for d in "0123456789":
            if d != sid[pos]:
                assert not is_valid_specimen_id(sid[:pos] + d + sid[pos + 1 :]), (sid, pos, d)


@settings(max_examples=200, deadline=None)
@given(sequences)
def test_adjacent_transpositions_are_rejected(seq: int) -> None:
    sid = make_specimen_id(seq)
    for pos in range(9):
        a, b = sid[pos], sid[pos + 1]
        if a != b:
            swapped = sid[:pos] + b + a + sid[pos + 2 :]
            assert not is_valid_specimen_id(swapped), (sid, pos)


def test_luhn_blind_spot_09_90_is_caught() -> None:
    sid = make_specimen_id(9)  # ...0009 + check
    swapped = sid[:7] + "90" + sid[9:]
    assert not is_valid_specimen_id(swapped)


def test_scanner_input_recognition() -> None:
    sid = make_specimen_id(1234)
    assert looks_like_specimen_id(f" {sid}\n")
    assert is_valid_specimen_id(f"{sid}\r\n")
    assert not looks_like_specimen_id(sid[:9])
    assert not looks_like_specimen_id(sid + "1")
    assert not looks_like_specimen_id("12345 67890")
    assert not looks_like_specimen_id("15038512345")  # 11 digits: a fødselsnummer, not a tube
    assert not looks_like_specimen_id("١٢٣٤٥٦٧٨٩٠")  # non-ASCII digits


def test_out_of_range_and_bad_input() -> None:
    with pytest.raises(ValueError):
        make_specimen_id(-1)
    with pytest.raises(ValueError):
        make_specimen_id(1_000_000_000)
    with pytest.raises(ValueError, match="Ugyldig prøvenummer"):
        specimen_sequence("0000000001")
    assert make_specimen_id(0) == "0000000000"
