"""The open order is never lost: autosave to the local SQLite file, and restore.

Plain Python, no Textual. Every change to the session's draft calls `changed()`; changes
within `DELAY_S` go to disk in one write, on one background thread, in order. When the
patient is opened again, `restore()` brings the basket and the answers back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from tui import strings as S
from tui.draft import OrderDraft
from tui.session import OrderSession

log = logging.getLogger("ihr.tui")


@dataclass(frozen=True)
class Restored:
    """A draft brought back: what to tell the secretary, and what to fetch for it."""

    text: str
    requester_hpr: str | None  # the draft's requester, if another than the one shown
    order_id: str | None  # the service already holds the order: fetch it and lock the draft
    changed: bool  # services were dropped: the draft on disk must be written again


class Autosave:
    #: Changes within this many seconds go to disk in one write.
    DELAY_S = 0.5

    def __init__(
        self,
        session: OrderSession,
        store: Callable[[], Any],
        schedule: Callable[[float, Callable[[], object]], Any],
    ) -> None:
        """`store()` opens the `client.drafts.DraftStore`; `schedule(delay, callback)`
        returns a timer with `stop()`, or None when nothing can be scheduled yet."""
        self.session = session
        self._open_store = store
        self._store: Any = None
        self._schedule = schedule
        self._timer: Any = None
        self._io: ThreadPoolExecutor | None = None
        self._closed = False  # after `close()`: write at once, on this thread
        self.restore_pending: str | None = None  # patient whose draft waits for the catalog

    @property
    def store(self) -> Any:
        if self._store is None:
            self._store = self._open_store()
        return self._store

    def changed(self) -> None:
        """The draft changed: write it within `DELAY_S` (one write for a burst of changes)."""
        if self._closed:
            self.flush()
        elif self._timer is None:
            self._timer = self._schedule(self.DELAY_S, self.flush)

    @property
    def waiting(self) -> bool:
        """Changes are waiting for the timer."""
        return self._timer is not None

    def flush(self) -> Future[Any] | None:
        """Write the open draft now (or forget it when there is nothing left to lose).

        The returned future is done when the row is on disk (None without a patient).
        """
        timer, self._timer = self._timer, None
        if timer is not None:
            timer.stop()
        session = self.session
        if session.patient is None:
            return None
        store, draft, office = self.store, session.draft, session.office_her_id
        if draft.dirty:
            job: tuple[Any, ...] = (
                store.put,
                draft.snapshot(session.patient.id, session.requester_hpr, office, session.clock()),
            )
        else:
            job = (store.remove, session.patient.id, office)
        if self._closed:  # shutting down (a worker finishing late): no thread left
            done: Future[Any] = Future()
            try:
                done.set_result(job[0](*job[1:]))
            except Exception as exc:  # noqa: BLE001 - logged by type, never raised into Textual
                done.set_exception(exc)
            _log_failure(done)
            return done
        if self._io is None:
            self._io = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ihr-autosave")
        future = self._io.submit(*job)
        future.add_done_callback(_log_failure)
        return future

    def close(self) -> None:
        """The app is closing: write what the timer had not yet, and wait for the writes."""
        if self._timer is not None:
            self.flush()
        self._closed = True
        if self._io is not None:
            self._io.shutdown(wait=True)

    def restore(self) -> Restored | None:
        """Bring back the open patient's autosaved draft into the session, if there is one."""
        session = self.session
        if session.patient is None:
            return None
        if session.catalog is None:  # opened before the catalog came: restore when it does
            self.restore_pending = session.patient.id
            return None
        self.restore_pending = None
        snap = self.store.get(session.patient.id, session.office_her_id)
        if snap is None:
            return None
        draft, dropped = OrderDraft.restore(snap, session.catalog)
        session.draft = draft
        text = S.draft_restored(snap.updated_at.astimezone(session.clock().tzinfo), saved=snap.order_id is not None)
        if dropped:
            text += " " + S.draft_dropped(dropped)
        other_requester = snap.requester_hpr and (
            session.requester is None or session.requester.hpr != snap.requester_hpr
        )
        return Restored(text, snap.requester_hpr if other_requester else None, snap.order_id, bool(dropped))


def _log_failure(future: Future[Any]) -> None:
    exc = future.exception()
    if exc is not None:  # the type only: no patient data in logs
        log.warning("draft autosave failed: %s", type(exc).__name__)
