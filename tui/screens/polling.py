"""Screens kept current by polling: a timer and a worker, with backoff.

`Polling` is mixed into a `MainScreen`. The screen says how to fetch (`start_fetch`, which
starts a worker) and reports back with `poll_done(changed)`; the mixin does the rest:
poll at once when the screen is shown, never while it is hidden, coalesce requests while a
fetch is under way, and back off while nothing changes (`tui.followup.Backoff`).
"""

from __future__ import annotations

from textual.timer import Timer

from tui.followup import Backoff


class Polling:
    #: Polling intervals in seconds (tests make them short).
    POLL_START_S = 2.0
    POLL_LIMIT_S = 30.0

    def init_polling(self) -> None:
        self.backoff = Backoff(self.POLL_START_S, self.POLL_LIMIT_S)
        self.polls = 0  # fetches answered
        self.repaints = 0  # fetches that changed what is shown
        self._timer: Timer | None = None
        self._fetching = False
        self._active = False

    def start_fetch(self) -> None:
        """Start the worker that fetches; it ends with `poll_done` (or `poll_done(False)`)."""
        raise NotImplementedError

    def start_polling(self) -> None:
        self._active = True
        self.backoff.reset()
        self.poll_now()

    def on_screen_suspend(self) -> None:
        self._active = False
        self._stop_timer()

    def on_unmount(self) -> None:
        self._active = False
        self._stop_timer()

    def poll_now(self) -> None:
        """Fetch now (coalesced: a fetch under way covers this request)."""
        if self._fetching:
            return
        self._stop_timer()
        self._fetching = True
        self.start_fetch()

    def poll_again_soon(self) -> None:
        """What is shown changed here (an action, a new scope): fetch now and poll often."""
        self.backoff.reset()
        self._fetching = False
        self.poll_now()

    def poll_done(self, changed: bool) -> None:
        """A fetch ended; `changed` says whether it changed what is shown (False on failure)."""
        self._fetching = False
        self._schedule(self.backoff.next(changed))

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _schedule(self, delay: float) -> None:
        self._stop_timer()
        if self._active:
            self._timer = self.set_timer(delay, self._tick, name="poll")  # type: ignore[attr-defined]

    def _tick(self) -> None:
        self._timer = None
        if self._active:
            self.poll_now()
