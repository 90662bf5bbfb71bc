"""How work runs, and how its outcome reaches the secretary: one convention for all of `tui/`.

- All I/O runs as a *job*: a coroutine that does the work without touching a widget and
  returns the `Message` that says what it did (or None). `run_job(node, name, job)` starts
  it as a Textual worker of `node`: the app, a screen or a dialog, whichever shows the
  outcome. One job of a name runs at a time per node; a new one replaces it.
- When the job returns, its message is posted to `node`, whose handler owns the state.
- When the job raises, `JobFailed` is posted to `node` instead, with the Norwegian text for
  the secretary (`failure_text`). Nothing else catches errors, and no handler looks at
  `Worker.StateChanged`.
- `JobFailed` bubbles: a dialog or screen that shows failures in its own place (an error
  line, a step of the review) handles it and stops it; otherwise it reaches the app, which
  puts it on the status line and in a notification.
- A job that a key started holds the keys typed after it until its message is handled
  (`tui.keys.KeysInOrder.hold`): F6 F7 in one write saves, then prints.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any

from textual.dom import DOMNode
from textual.message import Message
from textual.worker import Worker

from tui import strings as S

log = logging.getLogger("ihr.tui")


@dataclass
class JobFailed(Message):
    """A job of `name` raised `error`; `text` says so in Norwegian."""

    name: str
    error: BaseException
    text: str

    @property
    def details(self) -> list[str]:
        """The service's field errors (a 422), where they add to `text`."""
        return [fe.detail for fe in getattr(self.error, "field_errors", None) or [] if fe.detail != self.text]

    def is_a(self, error_name: str) -> bool:
        """The error is a `client.errors` class of this name (or a subclass of it).

        By name, so that the app need not import the client to look at a failure.
        """
        return any(cls.__name__ == error_name for cls in type(self.error).__mro__)


def failure_text(error: BaseException) -> str:
    """The Norwegian message of an error for the secretary.

    The client's and the printer's errors carry one (`.message`); anything else is a bug,
    logged by its type only (never its text, which might hold personal data).
    """
    text = getattr(error, "message", None)
    if isinstance(text, str) and text:
        return text
    log.error("unexpected %s", type(error).__name__)
    return S.UNEXPECTED_ERROR


def run_job(
    node: DOMNode, name: str, job: Coroutine[Any, Any, Message | None], *, holds_keys: bool = True
) -> Worker[None]:
    """Run `job` as `node`'s worker `name`; post its message, or `JobFailed`, to `node`.

    Started while a key is worked through, it holds the keys after that one until it has
    come home; `holds_keys=False` for work no key asked for (start-up's, whenever it ends).
    """

    home = asyncio.Event()  # set once the message (or JobFailed) is posted, or the job is gone

    async def run() -> None:
        try:
            try:
                message = await job
            except Exception as error:  # noqa: BLE001 - every failure comes home as JobFailed
                node.post_message(JobFailed(name, error, failure_text(error)))
                return
            if message is not None:
                node.post_message(message)
        finally:
            home.set()

    worker = node.run_worker(run(), name=name, group=name, exclusive=True, exit_on_error=False)
    keys = getattr(node.app, "keys", None)  # tui.keys.KeysInOrder: the keys after this one wait
    if keys is not None and holds_keys:
        keys.hold(node, home)
    return worker
