"""Screens kept current by polling: a timer and a worker, with backoff.

`Polling` is mixed into a `MainScreen`. The screen says how to fetch (`start_fetch`, which
starts a worker) and reports back with `poll_done(changed)`; the mixin does the rest:
poll at once when the screen is shown, never while it is hidden, coalesce requests while a
fetch is under way, and back off while nothing changes (`Backoff`).
"""

from __future__ import annotations

from textual.timer import Timer


class Backoff:
    """Poll often while things change, less and less while nothing does.

    Starts at `start` seconds, doubles after every poll that changed nothing, up to `limit`;
    a change brings it back to `start`.
    """

    def __init__(self, start: float = 2.0, limit: float = 30.0) -> None:
        self.start = start
        self.limit = limit
        self.delay = start

    def reset(self) -> float:
        self.delay = self.start
        return self.delay

    def next(self, changed: bool) -> float:
        if changed:
            self.delay = self.start
        else:
            self.delay = min(self.limit, self.delay * 2)
        return self.delay


class Polling:
    #: Polling intervals in seconds (tests make them short).
    POLL_START_S = 2.0
    POLL_LIMIT_S = 30.0

    def init_polling(self) -> None:
        self.backoff = Backoff(self.POLL_START_S, self.POLL_LIMIT_S)
        self.polls = 0  # fetches answered
        self.repaints = 0  # fetches that changed what is shown
        self._poll_timer: Timer | None = None
        self._poll_fetching = False
        self._poll_active = False

    def start_fetch(self) -> None:
        """Start the worker that fetches; it ends with `poll_done` (or `poll_done(False)`)."""
        raise NotImplementedError

    def start_polling(self) -> None:
        self._poll_active = True
        self.backoff.reset()
        self.poll_now()

    def on_screen_suspend(self) -> None:
        self._poll_active = False
        self._stop_timer()

    def on_unmount(self) -> None:
        self._poll_active = False
        self._stop_timer()

    def poll_now(self) -> None:
        """Fetch now (coalesced: a fetch under way covers this request)."""
        if self._poll_fetching:
            return
        self._stop_timer()
        self._poll_fetching = True
        self.start_fetch()

    def poll_again_soon(self) -> None:
        """What is shown changed here (an action, a new scope): fetch now and poll often."""
        self.backoff.reset()
        self._poll_fetching = False
        self.poll_now()

    def poll_done(self, changed: bool) -> None:
        """A fetch ended; `changed` says whether it changed what is shown (False on failure)."""
        self._poll_fetching = False
        self._schedule(self.backoff.next(changed))

    def _stop_timer(self) -> None:
        if self._poll_timer is not None:
            self._poll_timer.stop()
            self._poll_timer = None

    def _schedule(self, delay: float) -> None:
        self._stop_timer()
        if self._poll_active:
            self._poll_timer = self.set_timer(delay, self._tick, name="poll")  # type: ignore[attr-defined]

    def _tick(self) -> None:
        self._poll_timer = None
        if self._poll_active:
            self.poll_now()
