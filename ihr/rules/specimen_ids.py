"""Specimen ids (the barcode on a tube label): 9-digit sequence + one Damm check digit.

The Damm algorithm uses a weakly totally anti-symmetric quasigroup of order 10, so it
detects every single-digit error and every transposition of two adjacent digits, the
check digit included (Luhn misses 09 <-> 90). A mistyped or misread barcode is refused
before anything is looked up.
"""

from __future__ import annotations

SEQUENCE_DIGITS = 9
ID_LENGTH = SEQUENCE_DIGITS + 1
MAX_SEQUENCE = 10**SEQUENCE_DIGITS - 1

# The quasigroup table of H. Michael Damm (2004), as published.
DAMM_TABLE: tuple[tuple[int, ...], ...] = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)


def damm_interim(digits: str) -> int:
    """Run the digits through the Damm table; 0 means a valid string with its check digit."""
    interim = 0
    for ch in digits:
        interim = DAMM_TABLE[interim][ord(ch) - 48]
    return interim


def _is_digits(value: str) -> bool:
    return value.isascii() and value.isdigit()


def make_specimen_id(sequence: int) -> str:
    """The 10-digit specimen id for a sequence number 0..999 999 999."""
    if not 0 <= sequence <= MAX_SEQUENCE:
        raise ValueError(f"sequence must be 0..{MAX_SEQUENCE}")
    body = f"{sequence:0{SEQUENCE_DIGITS}d}"
    return body + str(damm_interim(body))


def looks_like_specimen_id(value: str) -> bool:
    """Ten digits, ignoring surrounding whitespace: how scanner input is recognised."""
    v = value.strip()
    return len(v) == ID_LENGTH and _is_digits(v)


def is_valid_specimen_id(value: str) -> bool:
    """Ten digits (surrounding whitespace ignored) whose Damm check digit is right."""
    v = value.strip()
    return len(v) == ID_LENGTH and _is_digits(v) and damm_interim(v) == 0


def specimen_sequence(value: str) -> int:
    """The sequence number inside a valid specimen id; ValueError (Norwegian) otherwise."""
    if not is_valid_specimen_id(value):
        raise ValueError("Ugyldig prøvenummer – kontrollsifferet stemmer ikke")
    return int(value.strip()[:SEQUENCE_DIGITS])
