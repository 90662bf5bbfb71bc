"""Clinical dates: what a secretary types for a date, and when such a date can be true.

One rule for the app (as she types, the date it understood shown under the field) and the
service (a 422 with the same Norwegian reason): `ihr.rules.questions` calls it for every
date answer.

What is understood (`parse_date`): "01.12.2026", "1.12.2026", "1.12.26" (a two-digit year
is the one nearest today: 26 is 2026, 98 is 1998), "01122026", ISO "2026-12-01", and the
words "i dag", "i går", "i forgårs" (also without the space). A date and a time: the date
as above, then the time ("i går 22:00", "1.12.26 kl 8.30").

When a date can be true (`clinical_date_problem`): within `ihr.rules.moments`' bounds, not
before the patient was born, and — for the dates of things that happened (the last eGFR,
the last menstruation, symptom onset, an earlier sample): every date question unless the
catalog marks it `future_allowed`, as a due date is — not after today.

Pure: no I/O and no clock of its own (the caller passes today, in Norwegian time).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from ihr.rules.moments import date_problem

BAD_DATE = "Ugyldig dato – skriv dd.mm.åååå, «i dag» eller «i går»"
BAD_DATETIME = "Ugyldig tidspunkt – skriv dd.mm.åååå tt:mm (eller «i dag 08:00»)"

#: The words for a day relative to today, and how many days back each is.
DAYS_BACK = {"i dag": 0, "idag": 0, "i går": 1, "igår": 1, "i forgårs": 2, "iforgårs": 2}

_DMY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$")
_COMPACT = re.compile(r"^(\d{2})(\d{2})(\d{4})$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^(?:(?:,|kl\.?)\s*)?(\d{1,2})[:.](\d{2})$", re.I)


def _century(yy: int, today: date) -> int:
    """The four-digit year of a two-digit one: the one nearest today."""
    return min((c + yy for c in (1900, 2000, 2100)), key=lambda year: abs(year - today.year))


def parse_date(text: str, today: date) -> date:
    """The date `text` says (see the module docstring), or ValueError with `BAD_DATE`."""
    t = " ".join(text.strip().lower().split())
    if t in DAYS_BACK:
        return today - timedelta(days=DAYS_BACK[t])
    try:
        if m := _DMY.match(t):
            year = int(m[3]) if len(m[3]) == 4 else _century(int(m[3]), today)
            return date(year, int(m[2]), int(m[1]))
        if m := _COMPACT.match(t):
            return date(int(m[3]), int(m[2]), int(m[1]))
        if _ISO.match(t):
            return date.fromisoformat(t)
    except ValueError:
        pass
    raise ValueError(BAD_DATE)


def parse_date_time(text: str, today: date) -> datetime:
    """A date (as `parse_date`) and a time after it, naive Norwegian local time; ValueError
    with `BAD_DATETIME`."""
    t = " ".join(text.strip().lower().split())
    for word in sorted(DAYS_BACK, key=len, reverse=True):  # "i går 22:00"
        if t.startswith(word + " "):
            day_text, rest = word, t[len(word):].strip()
            break
    else:
        day_text, _, rest = t.partition(" ")
        if "," in day_text:  # "1.12.2026,08:00"
            day_text, _, more = day_text.partition(",")
            rest = ", " + more + rest
    m = _TIME.match(rest.strip())
    try:
        day = parse_date(day_text.rstrip(","), today)
        if m is None:
            raise ValueError(BAD_DATETIME)
        return datetime(day.year, day.month, day.day, int(m[1]), int(m[2]))
    except ValueError:
        raise ValueError(BAD_DATETIME) from None


def clinical_date_problem(
    day: date, *, today: date | None = None, born: date | None = None, future_allowed: bool = False
) -> str | None:
    """What is wrong with a clinical date (Norwegian), or None: within the bounds, not before
    birth, and, unless `future_allowed`, not after `today` (when given)."""
    problem = date_problem(day, born=born)
    if problem is not None:
        return problem
    if today is not None and not future_allowed and day > today:
        return f"Datoen kan ikke være fram i tid (i dag er {today:%d.%m.%Y})."
    return None


def understood(day: date, today: date) -> str:
    """The date as the field understood it, for under the field: "Forstått: tirsdag 01.12.2026"."""
    weekday = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")[day.weekday()]
    relative = {0: " (i dag)", 1: " (i går)", 2: " (i forgårs)"}.get((today - day).days, "")
    return f"Forstått: {weekday} {day:%d.%m.%Y}{relative}"
