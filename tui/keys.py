"""Keys in order: what a key changes is on the screen before the next key is routed.

Textual routes a key the moment it arrives: the app runs its binding, or posts the key to
the focused widget's queue and goes on to the next. What the key changes happens later, in
other queues: the answer that shows a conditional question, the Enter that opens a dialog,
the Tab that moves focus. Keys that arrive in one read (a fast typist, a paste, SSH lag, a
scanner) were therefore routed on a screen that was already out of date: the eGFR date was
skipped and "n" went into the comment; the groups dialog opened after the filter had been
typed into the search field.

`KeysInOrder` holds every key the terminal delivers and routes them one at a time, each
after the previous one has *settled*: every node that the key or its consequences reach
(the widget it went to, the widget that has focus now, their ancestors, the screen, the
app) has worked through what was queued for it, `PASSES` times over. Work a key starts for
later (`call_after_refresh`, a timer) is not waited for: focus that must move before
the next key is moved with `call_later`, and Tab waits for the layout (`laid_out`). A character typed into the text field the previous
character went to is routed at once (the field takes its keys in order), so typing and
pasting cost no more than in plain Textual. A settle that takes longer than `SETTLE_LIMIT_S`
(a handler waiting on something slow) lets the next key go, as Textual would, and is logged.

A key that starts a *job* (F6 save, F7 print, F9 send, Enter on a name search, a scan; every
`tui.work.run_job` while a key is being routed or settled) has not settled until the job has
come home and what it brought is handled: the keys after it wait (`hold`), at most
`JOB_LIMIT_S`, and are then routed as if typed slowly by someone who watched the screen. A job
whose outcome starts another (F7: the print journal first, then the printer) is waited for
too. Jobs started by a timer or at start-up hold no key. A screen can hold the keys itself
the same way until it can take the next one (`hold`: an Enter in the search field before the
catalog has come).

`mark()` and `arrived_before()` tell a question (a J/N dialog) which keys were typed before it
was on the screen: they count the keys in the order the terminal delivered them.

Plain asyncio, no Textual import: it asks the nodes through their public `call_later`. The app calls `put` from `on_event` and gives `route`, which does what
Textual's `App.on_event` does with a key.
"""

from __future__ import annotations

import asyncio
import collections
import logging
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger(__name__)

#: The longest a key waits for the one before it to settle.
SETTLE_LIMIT_S = 2.0
#: The longest a key waits for the jobs the one before it started (a save, a print) to come
#: home: a request that hangs (the client's timeout is 10 s) does not keep the keys forever.
JOB_LIMIT_S = 15.0
#: How many of the last keys `arrived_before` can tell about.
RECENT_KEYS = 256
#: Rounds through the nodes a key reached: a message a node handles may post another to the
#: same node, or bubble to its parent, or ask the app to move focus (`Widget.focus`).
PASSES = 3


async def _worked_through(node: Any) -> None:
    """Until `node` has handled what was in its queue when this was called."""
    done = asyncio.Event()
    if node.call_later(done.set):  # False: the node is gone, nothing to wait for
        await done.wait()


class KeysInOrder:
    """One key at a time, each routed on the screen the keys before it left."""

    def __init__(self, app: Any, route: Callable[[Any], Awaitable[None]], is_text_field: Callable[[Any], bool]) -> None:
        self._app = app
        self._route = route
        self._is_text_field = is_text_field
        self._queue: asyncio.Queue[Any] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self._settling: asyncio.Task[None] | None = None  # the last key's settle
        self._routing = False  # a key is being routed now
        self._holds: list[tuple[Any, asyncio.Event]] = []  # what the last key started (`hold`)
        self._arrived = 0  # keys delivered so far
        self._serials: collections.deque[tuple[Any, int]] = collections.deque(maxlen=RECENT_KEYS)

    def put(self, event: Any) -> None:
        """Queue a key (or paste) as the terminal delivered it."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="keys-in-order")
        self._arrived += 1
        self._serials.append((event, self._arrived))
        self._queue.put_nowait(event)

    def mark(self) -> int:
        """Where the keys are now: a key `arrived_before` this mark was delivered before it
        was taken (a question takes it once it is drawn)."""
        return self._arrived

    def arrived_before(self, event: Any, mark: int) -> bool:
        """`event` was delivered before `mark` was taken. A key that did not come through
        here (or long ago) is not known: False."""
        for known, serial in reversed(self._serials):
            if known is event:
                return serial <= mark
        return False

    def hold(self, node: Any, done: asyncio.Event) -> bool:
        """Work that a key set going (a job of `node`): the keys after it wait until `done`
        is set and `node` has handled what it was sent meanwhile. Held only while a key is
        being routed or settled (work a timer starts holds nothing); True if held."""
        if not self._routing and (self._settling is None or self._settling.done()):
            return False
        self._holds.append((node, done))
        return True

    def stop(self) -> None:
        for task in (self._task, self._settling):
            if task is not None:
                task.cancel()
        self._task = self._settling = None

    async def _run(self) -> None:
        typed_into: Any = None  # the text field the last key was a character for
        while True:
            event = await self._queue.get()
            if self._settling is not None:
                if typed_into is not None and self._app.focused is typed_into and self._types(event, typed_into):
                    # A character for the field the one before it went to needs no wait:
                    # the field takes its keys in order, and a character there moves no focus.
                    self._settling.cancel()
                else:
                    await self._settling
            focused = self._app.focused
            typed_into = focused if self._types(event, focused) else None
            target = focused or self._app.screen
            holds: list[tuple[Any, asyncio.Event]] = []  # what this key starts
            self._holds = holds
            self._routing = True
            try:
                await self._route(event)
            except Exception as error:  # the app's own failure path, as if Textual had routed it
                self._app.call_later(_raise, error)
            finally:
                self._routing = False
            # Settles while no key waits (typed at human speed, it is done before the next).
            self._settling = asyncio.create_task(self.settle(target, holds))

    def _types(self, event: Any, focused: Any) -> bool:
        """A character typed into a text field (not a key the app or a dialog acts on)."""
        return bool(getattr(event, "is_printable", False)) and focused is not None and self._is_text_field(focused)

    async def settle(self, target: Any, holds: list[tuple[Any, asyncio.Event]] | None = None) -> None:
        try:
            async with asyncio.timeout(SETTLE_LIMIT_S):
                await self._passes(target)
        except TimeoutError:
            log.warning("a key did not settle within %.1f s; the next one goes on", SETTLE_LIMIT_S)
        if holds:
            await self._jobs_home(target, holds)

    async def _passes(self, target: Any, *more: Any) -> None:
        for _ in range(PASSES):
            for node in [*more, *self._reached(target)]:
                await _worked_through(node)

    async def _jobs_home(self, target: Any, holds: list[tuple[Any, asyncio.Event]]) -> None:
        """Until every job the key started (and the jobs their outcomes started, appended to
        `holds` meanwhile) has come home and its message is handled, at most `JOB_LIMIT_S`."""
        try:
            async with asyncio.timeout(JOB_LIMIT_S):
                waited = 0
                while waited < len(holds):
                    node, done = holds[waited]
                    waited += 1
                    await done.wait()
                    await self._passes(target, node)
        except TimeoutError:
            log.warning("a job a key started did not come home within %.1f s; the next key goes on", JOB_LIMIT_S)

    def _reached(self, target: Any) -> list[Any]:
        """The nodes a key sent to `target` may have set working, the deepest first: the
        target's and the focused widget's ancestry up to the app."""
        app = self._app
        nodes: list[Any] = []
        for start in (target, app.focused, app.screen):
            if start is None:
                continue
            for node in start.ancestors_with_self:
                if node not in nodes:
                    nodes.append(node)
        if app not in nodes:
            nodes.append(app)
        return nodes


async def laid_out(screen: Any) -> None:
    """Until `screen` has refreshed (and so laid out what was shown or hidden), at most
    `SETTLE_LIMIT_S`: the focus order is the screen's order, which the layout decides."""
    try:
        async with asyncio.timeout(SETTLE_LIMIT_S):
            await screen.wait_for_refresh()
    except TimeoutError:
        log.warning("the screen did not refresh within %.1f s; focus moves on the layout it has", SETTLE_LIMIT_S)


def _raise(error: Exception) -> None:
    raise error
