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
app) has worked through what was queued for it, twice over (a message a node handles may
post another to the same node or bubble to its parent), and the screen has refreshed once
(focus set "after refresh" lands then). A settle that takes longer than `SETTLE_LIMIT_S`
(a handler waiting on something slow) lets the next key go, as Textual would, and is logged.

Plain asyncio, no Textual import: it asks the nodes through their public `call_later` and
`call_after_refresh`. The app calls `put` from `on_event` and gives `route`, which does what
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


async def _worked_through(node: Any) -> None:
    """Until `node` has handled what was in its queue when this was called."""
    done = asyncio.Event()
    if node.call_later(done.set):  # False: the node is gone, nothing to wait for
        await done.wait()


async def _refreshed(screen: Any) -> None:
    done = asyncio.Event()
    if screen.call_after_refresh(done.set):
        await done.wait()


class KeysInOrder:
    """One key at a time, each routed on the screen the keys before it left."""

    def __init__(self, app: Any, route: Callable[[Any], Awaitable[None]]) -> None:
        self._app = app
        self._route = route
        self._queue: asyncio.Queue[Any] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None

    def put(self, event: Any) -> None:
        """Queue a key (or paste) as the terminal delivered it."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="keys-in-order")
        self._queue.put_nowait(event)

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def _run(self) -> None:
        while True:
            event = await self._queue.get()
            target = self._app.focused or self._app.screen
            try:
                await self._route(event)
            except Exception as error:  # the app's own failure path, as if Textual had routed it
                self._app.call_later(_raise, error)
            await self.settle(target)

    async def settle(self, target: Any) -> None:
        try:
            async with asyncio.timeout(SETTLE_LIMIT_S):
                for _ in range(2):
                    for node in self._reached(target):
                        await _worked_through(node)
                await _refreshed(self._app.screen)
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


def _raise(error: Exception) -> None:
    raise error
