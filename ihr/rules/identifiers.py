"""Norwegian person identifiers: fødselsnummer, D-nummer, H-nummer and synthetic test numbers.

This module is the ONE place that knows how such a number is built. When the rules change in
2032 (new numbers no longer encode sex and accept more check-digit remainders), change them
here and nowhere else: every other package calls `parse_person_id` / `is_valid_person_id`.

Layout of the 11 digits: DDMMYY III KK
- DD day (D-nummer: day + 40), MM month (H-nummer: month + 40; synthetic Tenor test numbers:
  month + 80, and a synthetic D-nummer has both day + 40 and month + 80), YY year in century;
- III individual number: it decides the century together with YY, and its last digit (the
  9th digit of the whole number) is odd for men and even for women;
- KK two modulo-11 check digits; a remainder that would give the digit 10 is never issued.

Nothing here logs or formats a number into an error message: messages are generic, so they
can be shown and logged without leaking a fødselsnummer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Literal

WEIGHTS_1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
WEIGHTS_2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)

D_OFFSET = 40  # added to the day in a D-nummer
H_OFFSET = 40  # added to the month in an H-nummer
SYNTHETIC_OFFSET = 80  # added to the month in a synthetic (Tenor) test number

MSG_LENGTH = "Fødselsnummeret må ha 11 siffer"
MSG_DIGITS = "Fødselsnummeret kan bare inneholde siffer"
MSG_CHECK = "Kontrollsifrene stemmer ikke – sjekk at nummeret er skrevet riktig"
MSG_DATE = "Ugyldig fødselsdato i nummeret"
MSG_CENTURY = "Individnummeret passer ikke med fødselsåret i nummeret"
MSG_FUTURE = "Fødselsdatoen i nummeret er fram i tid"
MSG_SYNTHETIC = "Syntetiske testnumre kan ikke brukes i produksjon"


class IdKind(StrEnum):
    FNR = "fødselsnummer"
    DNR = "D-nummer"
    HNR = "H-nummer"


@dataclass(frozen=True, slots=True)
class PersonId:
    """A parsed, valid person identifier. `value` is the 11 digits without spaces."""

    value: str
    kind: IdKind
    synthetic: bool
    birth_date: date
    sex: Literal["M", "K"]


class InvalidPersonId(ValueError):
    """The text is not a valid person identifier; `str()` is a Norwegian message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def _remainder_digit(digits: str, weights: tuple[int, ...]) -> int:
    return (11 - sum(w * int(d) for w, d in zip(weights, digits, strict=True))) % 11


def check_digits(first9: str) -> str | None:
    """The two check digits for the first nine digits, or None when a remainder gives 10.

    Raises ValueError when `first9` is not exactly nine digits.
    """
    if len(first9) != 9 or not first9.isascii() or not first9.isdigit():
        raise ValueError("first9 must be nine digits")
    k1 = _remainder_digit(first9, WEIGHTS_1)
    if k1 == 10:
        return None
    k2 = _remainder_digit(first9 + str(k1), WEIGHTS_2)
    if k2 == 10:
        return None
    return f"{k1}{k2}"


def _check_digits_ok(digits: str) -> bool:
    """Whether the two check digits of an 11-digit string are right.

    The 2032 change goes here. As announced (check the final rule before relying on it), the
    first check digit will be valid when the weighted sum of the first ten digits (weights
    3,7,6,1,8,9,4,5,2,1) leaves remainder 0, 1, 2 or 3 mod 11, the second check digit stays
    as it is, and new numbers no longer encode sex (so `PersonId.sex` must become optional).
    Until then only remainder 0 is accepted.
    """
    return check_digits(digits[:9]) == digits[9:]


def century(individual: int, yy: int) -> int | None:
    """The century (1800, 1900 or 2000) that individual number and two-digit year give."""
    if 0 <= individual <= 499:
        return 1900
    if 500 <= individual <= 749 and 54 <= yy <= 99:
        return 1800
    if 500 <= individual <= 999 and 0 <= yy <= 39:
        return 2000
    if 900 <= individual <= 999 and 40 <= yy <= 99:
        return 1900
    return None


def _compact(value: str) -> str:
    """Drop whitespace and the hyphen some systems print between date and individual part."""
    return "".join(ch for ch in value if not ch.isspace() and ch != "-")


def parse_person_id(
    value: str, *, allow_synthetic: bool = True, today: date | None = None
) -> PersonId:
    """Parse and validate a person identifier; raise `InvalidPersonId` with a Norwegian message.

    Accepts spaces anywhere ("DDMMYY NNNNN") and a hyphen. `allow_synthetic=False` is the
    production setting: synthetic (Tenor, month + 80) numbers are refused. When `today` is
    given, a birth date after it is refused as well (kept optional so this stays pure).
    """
    digits = _compact(value)
    if not digits.isascii() or not digits.isdigit():
        if len(digits) != 11:
            raise InvalidPersonId(MSG_LENGTH)
        raise InvalidPersonId(MSG_DIGITS)
    if len(digits) != 11:
        raise InvalidPersonId(MSG_LENGTH)
    if not _check_digits_ok(digits):
        raise InvalidPersonId(MSG_CHECK)

    dd, mm, yy, individual = int(digits[0:2]), int(digits[2:4]), int(digits[4:6]), int(digits[6:9])
    kind = IdKind.FNR
    synthetic = False
    if dd > D_OFFSET:
        kind = IdKind.DNR
        dd -= D_OFFSET
    if mm > SYNTHETIC_OFFSET:
        synthetic = True
        mm -= SYNTHETIC_OFFSET
    elif mm > H_OFFSET:
        if kind is IdKind.DNR:  # a number is never both a D- and an H-nummer
            raise InvalidPersonId(MSG_DATE)
        kind = IdKind.HNR
        mm -= H_OFFSET
    if not (1 <= dd <= 31 and 1 <= mm <= 12):
        raise InvalidPersonId(MSG_DATE)
    cent = century(individual, yy)
    if cent is None:
        raise InvalidPersonId(MSG_CENTURY)
    try:
        birth = date(cent + yy, mm, dd)
    except ValueError:
        raise InvalidPersonId(MSG_DATE) from None
    if today is not None and birth > today:
        raise InvalidPersonId(MSG_FUTURE)
    if synthetic and not allow_synthetic:
        raise InvalidPersonId(MSG_SYNTHETIC)
    sex: Literal["M", "K"] = "M" if int(digits[8]) % 2 else "K"
    return PersonId(value=digits, kind=kind, synthetic=synthetic, birth_date=birth, sex=sex)


def is_valid_person_id(
    value: str, *, allow_synthetic: bool = True, today: date | None = None
) -> bool:
    """True when `parse_person_id` accepts the value."""
    try:
        parse_person_id(value, allow_synthetic=allow_synthetic, today=today)
    except InvalidPersonId:
        return False
    return True


def looks_like_person_id(value: str) -> bool:
    """Eleven digits (spaces allowed): how scanner or keyboard input is recognised as an id."""
    digits = _compact(value)
    return len(digits) == 11 and digits.isascii() and digits.isdigit()


def format_person_id(value: str) -> str:
    """Show an identifier as "DDMMYY NNNNN"; anything not 11 digits comes back stripped."""
    digits = _compact(value)
    if len(digits) != 11 or not digits.isdigit():
        return value.strip()
    return f"{digits[:6]} {digits[6:]}"


def make_person_id(
    birth_date: date,
    individual: int,
    *,
    kind: IdKind = IdKind.FNR,
    synthetic: bool = True,
) -> str | None:
    """Build an identifier (11 digits), or None when its check digits would give 10.

    Used by the sandbox seeds and the tests. Raises ValueError when the individual number
    does not fit the birth year's century (see `century`) or for a synthetic H-nummer,
    which does not exist. The sex follows the individual number: odd last digit = M.
    """
    if not 0 <= individual <= 999:
        raise ValueError("individual must be 0..999")
    yy = birth_date.year % 100
    if century(individual, yy) != birth_date.year - yy:
        raise ValueError("individual number does not fit the birth year")
    if kind is IdKind.HNR and synthetic:
        raise ValueError("there is no synthetic H-nummer")
    dd = birth_date.day + (D_OFFSET if kind is IdKind.DNR else 0)
    mm = birth_date.month + (H_OFFSET if kind is IdKind.HNR else 0)
    mm += SYNTHETIC_OFFSET if synthetic else 0
    first9 = f"{dd:02d}{mm:02d}{yy:02d}{individual:03d}"
    checks = check_digits(first9)
    return None if checks is None else first9 + checks
