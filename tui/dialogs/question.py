"""A question answered by one key (J/N) takes only a key pressed once it is on the screen.

Keys typed ahead (Ctrl+N on the review and "MR kne" in one write, meant for the search
field) reach the dialog before the secretary has seen it; its "n" answered "Tømme kurven?".
`OneKeyQuestion` sets such keys aside and says so in the dialog, in its `#typed-ahead` line:

- a key delivered before the dialog was drawn (`tui.keys.KeysInOrder.mark` taken after its
  first refresh) is set aside, whatever it is;
- a character that answers nothing (the "M" of "MR kne") is set aside;
- an answer pressed less than `PAUSE_S` after a key that was set aside is set aside too: she
  is still typing, not answering (at 50 ms a key the "n" of "kne" comes 50 ms after the "k").

A key pressed after she stopped and read the question answers it; so does the first key
after it is drawn when nothing was set aside (the common case: no wait).
"""

from __future__ import annotations

from typing import TypeVar

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widgets import Static

from tui import strings as S
from tui.dialogs.base import Dialog
from tui.widgets.keybar import key_label

T = TypeVar("T")


class OneKeyQuestion(Dialog[T]):
    """Mixed into a dialog whose keys answer it; it composes `typed_ahead_line()`."""

    #: A pause this long after the last key set aside shows she is answering, not typing.
    PAUSE_S = 0.5

    drawn_mark: int | None = None  # `KeysInOrder.mark()` once the question is on the screen
    aside_at: float | None = None  # when the last key set aside was pressed
    aside_text = ""

    def typed_ahead_line(self) -> Static:
        line = Static("", classes="dialog-error", id="typed-ahead")
        line.display = False
        return line

    def on_mount(self) -> None:
        self.call_after_refresh(self._question_drawn)

    def _question_drawn(self) -> None:
        self.drawn_mark = self.ihr.keys.mark()

    def answer_keys(self) -> frozenset[str]:
        """The keys that answer: the dialog's bindings, and Enter (a focused button)."""
        keys = {"enter"}
        for binding in Binding.make_bindings(self.BINDINGS):
            keys.add(binding.key)
        return frozenset(keys)

    async def on_key(self, event: events.Key) -> None:
        answer = event.key in self.answer_keys()
        early = self.drawn_mark is None or self.ihr.keys.arrived_before(event, self.drawn_mark)
        still_typing = answer and self.aside_at is not None and event.time - self.aside_at < self.PAUSE_S
        stray = not answer and event.is_printable
        if early or still_typing or stray:
            event.stop()
            event.prevent_default()
            self.set_aside(event)

    def set_aside(self, event: events.Key) -> None:
        self.aside_at = event.time
        self.aside_text += _shown(event)
        line = self.query_one("#typed-ahead", Static)
        line.update(Text(S.typed_ahead_set_aside(self.aside_text)))  # Text: "[F9]" is no markup
        line.display = True


def _shown(event: events.Key) -> str:
    """A key set aside as the dialog lists it: the character, ⏎ for Enter, [F8] for a key."""
    if event.key == "enter":
        return "⏎"
    if event.is_printable and event.character:
        return event.character
    return f"[{key_label(event.key)}]"
