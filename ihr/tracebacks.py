"""Where an exception came from, without what it carried: for logs and crash reports.

An exception's message and the local variables of its frames can hold a fødselsnummer or a
name (`InvalidPersonId("17859011284 ...")`, `patient_id = ...`); the type, the file, the
line, the function and the source line of each frame do not. `scrubbed_traceback` keeps
those and drops the rest, for the exception and the ones it was raised from.
"""

from __future__ import annotations

import traceback


def scrubbed_traceback(exc: BaseException) -> str:
    """Type and frames of `exc` (then of its cause or context), no message, no locals."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = "".join(traceback.format_tb(current.__traceback__))
        parts.append(f"{type(current).__module__}.{type(current).__qualname__}\n{frames}")
        current = current.__cause__ or current.__context__
    return "\n(raised while handling, or from:)\n".join(parts)
