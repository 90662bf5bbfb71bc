"""Helpers for the Pilot tests: wait for the app's state instead of sleeping blindly."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any


async def wait_for(pilot: Any, condition: Callable[[], bool], timeout: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await pilot.pause(0.02)
    await pilot.pause()


async def handled(pilot: Any, *nodes: Any, passes: int = 3, timeout: float = 30.0) -> None:
    """Until `nodes` and the app have handled what was in their queues, `passes` times over
    (a message handled may post another): for asserting that something did *not* happen,
    without guessing how long it would have taken."""
    app = pilot.app
    async with asyncio.timeout(timeout):
        for _ in range(passes):
            for node in (*nodes, app.screen, app):
                done = asyncio.Event()
                if node.call_later(done.set):  # False: the node is gone
                    await done.wait()
    await pilot.pause()


def palette_hits(app: Any) -> int:
    """How many commands the open command palette lists (0 while it is still searching)."""
    from textual.command import CommandList

    return int(app.screen.query_one(CommandList).option_count)


async def ready(pilot: Any) -> None:
    """The app has its catalog, requester and groups, and (with a context) its patient and
    order screen."""
    app = pilot.app
    await wait_for(pilot, lambda: app.session.catalog is not None and app.session.requester is not None)
    if app.session.context.patient_id:
        await wait_for(pilot, lambda: app.session.patient is not None and app.current_mode == "order")
    await wait_for(pilot, lambda: app.session.groups is not None)


async def on_questions(pilot: Any, *queries: str, showing: str) -> Any:
    """From the order builder at start: each of `queries` into the basket, F4, and wait until
    the questions screen has the field `showing` (a question's key or an order field's)."""
    app = pilot.app
    await ready(pilot)
    for query in queries:
        await add(pilot, query)
    await pilot.press("f4")
    await wait_for(pilot, lambda: app.current_mode == "questions"
                   and (showing in getattr(app.screen, "fields", {}) or showing in getattr(app.screen, "rows", {})))
    return app.screen


async def type_text(pilot: Any, text: str) -> None:
    await pilot.press(*[("space" if ch == " " else ch) for ch in text])


async def add(pilot: Any, query: str) -> None:
    """Search for `query` in the order builder and Enter: its first result into the basket."""
    app = pilot.app
    search = app.screen.query_one("#search")
    search.focus()
    search.value = ""
    await type_text(pilot, query)
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


async def saved_on_review(pilot: Any, *queries: str) -> Any:
    """The services `queries` find in the basket, the order saved, the review showing; the
    saved order."""
    app = pilot.app
    await ready(pilot)
    for query in queries:
        await add(pilot, query)
    await pilot.press("f5")
    await wait_for(pilot, lambda: app.current_mode == "review")
    await pilot.press("f6")
    await step_done(pilot, "save")
    return app.session.draft.order


async def step_done(pilot: Any, step: str, timeout: float = 10.0) -> None:
    app = pilot.app
    await wait_for(pilot, lambda: app.session.draft.steps[step].state in ("done", "failed"), timeout)
    assert app.session.draft.steps[step].state == "done", app.session.draft.steps[step].text
