"""The terminal ihr runs in: notice when it has gone (a dropped SSH session, a closed window).

A thin client that loses its SSH connection, or a terminal closed without SIGHUP reaching
us, leaves stdin at end-of-file; Textual's input thread would then spin on it for ever. The
app checks every `TERMINAL_CHECK_S` and quits; work already saved is in the service or the
outbox, and the draft is autosaved. No Textual here.
"""

from __future__ import annotations

import select
import sys

#: How often the app checks that the terminal is still there (seconds).
TERMINAL_CHECK_S = 2.0


def terminal_hung_up(fd: int | None = None) -> bool:
    """True when the terminal on `fd` (default: stdin) has hung up or is gone.

    `poll` looks for the hang-up without reading (so it takes no keys) and writes nothing
    (so an idle screen stays silent).
    """
    try:
        if fd is None:
            if sys.__stdin__ is None:  # no stdin at all: nothing hung up
                return False
            fd = sys.__stdin__.fileno()
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        events = poller.poll(0)
    except (OSError, ValueError, AttributeError):
        return False
    return any(mask & (select.POLLHUP | select.POLLERR | select.POLLNVAL) for _, mask in events)
