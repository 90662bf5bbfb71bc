"""When a date or a time that someone typed can be true: the bounds the app and the service share.

A date or a time enters in many places (a question's answer, a collection time, a list's
`since`); each one is checked here, where it enters, before anything does arithmetic with it:
converting 0001-01-01T00:00+01:00 to UTC overflows Python's datetime, which once gave the
service a 500. The rules, all with Norwegian messages:

- every date lies between `EARLIEST` and `LATEST` (no person, order or specimen is older
  than 1900, nothing is planned past 2100);
- a time about the patient is not before the patient was born;
- a time that happened (a collection, a last dose) is not in the future beyond
  `FUTURE_ALLOWANCE` (clocks differ by a little), and a collection is not before its order
  by more than `BEFORE_ORDER_ALLOWANCE` (a sample drawn in the morning for an order the
  doctor phoned in and the secretary registers after is ordinary; one from 1900 is not).

Naive times are Norwegian local time, as everywhere in `ihr`. Pure: no I/O, no clock of its
own (the caller passes `now`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from ihr.localtime import OSLO, format_no

EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)
FUTURE_ALLOWANCE = timedelta(minutes=5)
BEFORE_ORDER_ALLOWANCE = timedelta(hours=24)

OUT_OF_RANGE = f"Datoen må være mellom {EARLIEST:%d.%m.%Y} og {LATEST:%d.%m.%Y}."


def date_problem(day: date, *, born: date | None = None) -> str | None:
    """What is wrong with a date (Norwegian), or None: within the bounds, not before birth."""
    if not EARLIEST <= day <= LATEST:
        return OUT_OF_RANGE
    if born is not None and day < born:
        return f"Datoen kan ikke være før pasienten ble født ({born:%d.%m.%Y})."
    return None


def in_utc(moment: datetime) -> datetime | None:
    """`moment` as aware UTC (naive read as Norwegian local time); None outside the bounds,
    where the conversion could overflow."""
    if not EARLIEST <= moment.date() <= LATEST:
        return None
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=OSLO)
    return aware.astimezone(UTC)


def moment_problem(
    moment: datetime,
    *,
    now: datetime,
    born: date | None = None,
    not_before: datetime | None = None,
    not_before_text: str = "bestillingen ble laget",
    past_only: bool = True,
) -> str | None:
    """What is wrong with a time (Norwegian), or None.

    Within the date bounds; not before the patient's birth (`born`, a local date); not
    before `not_before` less `BEFORE_ORDER_ALLOWANCE` (`not_before_text` says what it was); and,
    when `past_only`, not later than `now` plus `FUTURE_ALLOWANCE`.
    """
    at = in_utc(moment)
    if at is None:
        return OUT_OF_RANGE.replace("Datoen", "Tidspunktet")
    if born is not None and at.astimezone(OSLO).date() < born:
        return f"Tidspunktet kan ikke være før pasienten ble født ({born:%d.%m.%Y})."
    if not_before is not None and at < not_before - BEFORE_ORDER_ALLOWANCE:
        return f"Tidspunktet kan ikke være mer enn et døgn før {not_before_text} ({format_no(not_before)})."
    if past_only and at > now + FUTURE_ALLOWANCE:
        return "Tidspunktet kan ikke være fram i tid."
    return None
