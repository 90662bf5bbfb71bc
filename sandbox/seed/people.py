"""Synthetic people of the sandbox: patients (offices, doctors and other staff are in
`sandbox.seed.offices`, re-exported here).

Every identifier here is synthetic:

- fødselsnumre are Tenor-style test numbers (month + 80) with computed check digits;
- D-numbers add 40 to the day *and* 80 to the month (synthetic D-numbers);
- HPR numbers and HER-ids are invented 8-9 digit numbers starting with 99, well away from
  the ranges in use.

The numbers are computed from the birth date and a starting individual number, never typed
in as literals, so no real-looking number appears in this file.
"""

from __future__ import annotations

from datetime import date

from ihr.models import Patient
from sandbox.seed.offices import (
    DEMO_OFFICE_HER_ID,
    DEMO_REQUESTER_HPR,
    seed_offices,
    seed_requesters,
)

# ---- identifiers ------------------------------------------------------------------------

_W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def _check_digits(nine: str) -> str | None:
    """The two check digits of a fødselsnummer's first nine digits; None when invalid."""
    k1 = (11 - sum(int(d) * w for d, w in zip(nine, _W1, strict=False)) % 11) % 11
    if k1 == 10:
        return None
    ten = nine + str(k1)
    k2 = (11 - sum(int(d) * w for d, w in zip(ten, _W2, strict=False)) % 11) % 11
    if k2 == 10:
        return None
    return f"{k1}{k2}"


def _individual_range(year: int) -> range:
    if 1900 <= year <= 1999:
        return range(0, 500)
    if 2000 <= year <= 2039:
        return range(500, 1000)
    raise ValueError(f"no individual-number series for {year}")


def synthetic_id(birth: date, sex: str, start: int = 0, *, d_number: bool = False) -> str:
    """A synthetic fødselsnummer (month + 80) or synthetic D-number (day + 40, month + 80).

    `start` picks where to begin in the individual-number series of the birth year; the
    first number at or after it with the right sex digit (odd for men, even for women) and
    valid check digits is used. Numbers whose check digit would be 10 are skipped.
    """
    day = birth.day + (40 if d_number else 0)
    month = birth.month + 80
    series = _individual_range(birth.year)
    want_odd = sex == "M"
    for offset in range(len(series)):
        ind = series.start + (start + offset) % len(series)
        if (ind % 10 % 2 == 1) != want_odd:
            continue
        nine = f"{day:02d}{month:02d}{birth.year % 100:02d}{ind:03d}"
        check = _check_digits(nine)
        if check is not None:
            return nine + check
    raise ValueError("no valid individual number")  # pragma: no cover


# ---- offices and requesters: sandbox.seed.offices (with their staff) ----------------------

# ---- patients ---------------------------------------------------------------------------

# One line per patient: family name, given name, birth date, sex, municipality,
# start of the individual-number search, D-number?
_PATIENTS: list[tuple[str, str, date, str, str, int, bool]] = [
    ("Bjørnstad", "Åse Marie", date(1990, 5, 17), "K", "Oslo", 112, False),
    ("Nordmann-Bakke", "Ola Kristian", date(1975, 9, 3), "M", "Trondheim", 231, False),
    ("Ødegård", "Tobias", date(2026, 10, 30), "M", "Oslo", 517, False),
    ("Sæther", "Emma", date(2019, 2, 11), "K", "Bærum", 640, False),
    ("Hansen Lie", "Nora Elise", date(2009, 7, 24), "K", "Lillestrøm", 702, False),
    ("Christophersen Fjellheim", "Maria Kristine Elisabeth", date(1952, 12, 1), "K", "Stjørdal", 87, False),
    ("Løvås", "Per Ivar", date(1931, 3, 14), "M", "Melhus", 44, False),
    ("Bråten", "Gunvor", date(1934, 8, 29), "K", "Trondheim", 15, False),
    ("Haugland", "Sindre", date(1998, 11, 5), "M", "Asker", 301, False),
    ("Aasland", "Ingeborg", date(1986, 1, 19), "K", "Oslo", 420, False),
    ("Mykletun", "Kjell Arne", date(1961, 6, 8), "M", "Malvik", 260, False),
    ("Strøm", "Line Therese", date(1979, 4, 30), "K", "Nordre Follo", 199, False),
    ("Kvamme", "Jonas", date(2014, 9, 12), "M", "Oslo", 811, False),
    ("Fjærli", "Astrid", date(1944, 10, 2), "K", "Orkland", 333, False),
    ("Eikrem-Dahl", "Mathias", date(1969, 2, 27), "M", "Ullensaker", 58, False),
    ("Granum", "Solveig", date(2001, 12, 21), "K", "Trondheim", 901, False),
    ("Rønningen", "Bjørn Tore", date(1957, 5, 6), "M", "Skaun", 144, False),
    ("Vestbø", "Hanne", date(1993, 8, 15), "K", "Oslo", 276, False),
    ("Tønnessen", "Aksel", date(2023, 4, 3), "M", "Lørenskog", 655, False),
    ("Haraldsen", "Kari", date(1972, 3, 9), "K", "Oslo", 388, False),
    # D-numbers: foreign workers and visitors
    ("Kowalczyk", "Agnieszka", date(1988, 6, 22), "K", "Oslo", 410, True),
    ("Virtanen", "Mikko Juhani", date(1965, 1, 7), "M", "Trondheim", 252, True),
    ("Svensson", "Lars-Erik", date(1950, 11, 28), "M", "Ullensaker", 170, True),
    ("Pereira da Silva", "Ana Luísa", date(1996, 9, 9), "K", "Oslo", 63, True),
    ("Ahmadi", "Ali Reza", date(2004, 2, 16), "M", "Lillestrøm", 777, True),
]


# The patients' fastleger: the two at the demo office in turn (the demo patient's is not the
# demo requester, so a copy to the fastlege means something); none for the D-numbers.
_GPS = ["990100349", DEMO_REQUESTER_HPR]


def seed_patients() -> list[Patient]:
    return [
        Patient(
            id=synthetic_id(born, sex, start, d_number=d),
            family_name=family,
            given_name=given,
            birth_date=born,
            sex=sex,  # type: ignore[arg-type]
            municipality=muni,
            gp_hpr=None if d else _GPS[n % 2],
        )
        for n, (family, given, born, sex, muni, start, d) in enumerate(_PATIENTS)
    ]


_IDS = [p.id for p in seed_patients()]

#: The patient `ihr demo` opens with: a woman of 36, fit for the pregnancy order set.
DEMO_PATIENT_ID: str = _IDS[0]

#: Two patients the simulated labs do not know: their requisitions are answered with an
#: AppRec with error E35 "Pasient ikke funnet" (Svensson and Ahmadi, both D-numbers).
LAB_UNKNOWN_PATIENT_IDS: set[str] = {_IDS[22], _IDS[24]}

__all__ = [
    "DEMO_OFFICE_HER_ID",
    "DEMO_PATIENT_ID",
    "DEMO_REQUESTER_HPR",
    "LAB_UNKNOWN_PATIENT_IDS",
    "seed_offices",
    "seed_patients",
    "seed_requesters",
    "synthetic_id",
]
