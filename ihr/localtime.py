"""Norwegian local time: what every screen, label and message shows.

The service stores and answers in UTC; people read Europe/Oslo. A naive datetime is taken
to be Norwegian local time already. (`tzdata` is a dependency, so the zone is always there.)
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")


def local(at: datetime) -> datetime:
    """`at` in Norwegian local time (a naive time is returned as it is)."""
    return at.astimezone(OSLO) if at.tzinfo is not None else at


def as_aware(at: datetime) -> datetime:
    """`at` with a time zone: a naive time is read as Norwegian local time."""
    return at if at.tzinfo is not None else at.replace(tzinfo=OSLO)


def format_no(at: datetime, fmt: str = "%d.%m.%Y %H:%M") -> str:
    """dd.mm.åååå tt:mm (or `fmt`) in Norwegian local time."""
    return local(at).strftime(fmt)
