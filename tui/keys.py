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
later (`call_after_refresh`, a timer, a job) is not waited for: focus that must move before
the next key is moved with `call_later`, and Tab waits for the layout (`laid_out`). A character typed into the text field the previous
character went to is routed at once (the field takes its keys in order), so typing and
pasting cost no more than in plain Textual. A settle that takes longer than `SETTLE_LIMIT_S`
(a handler waiting on something slow) lets the next key go, as Textual would, and is logged.

Plain asyncio, no Textual import: it asks the nodes through their public `call_later`. The app calls `put` from `on_event` and gives `route`, which does what
Textual's `App.on_event` does with a key.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger(__name__)

#: The longest a key waits for the one before it to settle.
SETTLE_LIMIT_S = 2.0
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

    def put(self, event: Any) -> None:
        """Queue a key (or paste) as the terminal delivered it."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="keys-in-order")
        self._queue.put_nowait(event)

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
            try:
                await self._route(event)
            except Exception as error:  # the app's own failure path, as if Textual had routed it
                self._app.call_later(_raise, error)
            # Settles while no key waits (typed at human speed, it is done before the next).
            self._settling = asyncio.create_task(self.settle(target))

    def _types(self, event: Any, focused: Any) -> bool:
        """A character typed into a text field (not a key the app or a dialog acts on)."""
        return bool(getattr(event, "is_printable", False)) and focused is not None and self._is_text_field(focused)

    async def settle(self, target: Any) -> None:
        try:
            async with asyncio.timeout(SETTLE_LIMIT_S):
                for _ in range(PASSES):
                    for node in self._reached(target):
                        await _worked_through(node)
        except TimeoutError:
            log.warning("a key did not settle within %.1f s; the next one goes on", SETTLE_LIMIT_S)

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
