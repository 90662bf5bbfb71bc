"""Inputs that never blink and that apply their editing keys at once.

No blink: an idle screen writes no bytes (SSH bandwidth, snapshots).

Editing keys at once: Textual resolves a widget's bindings (Backspace, Ctrl+U, Delete, ...)
only after the key has bubbled up to the app, against whatever has focus *then*. Keys that
arrive in one burst — a fast typist, a barcode scanner, any SSH link with latency — are
routed before that happens, so "crx<Backspace>p" became "crx" (the p typed, then deleted).
`TextInput` runs its own bindings when the key reaches it, in order with the typed text
(`run_own_binding`, which `tui.widgets.results` uses too).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input


class TextInput(Input, inherit_bindings=False):
    """An `Input` with a steady cursor whose editing keys keep their order in a burst.

    Up, Down, PgUp and PgDn are not a one-line field's: it has nothing to scroll (the scroll
    keys Input inherits are left out), and it says `Moved` instead, in order with what is
    typed, for the list that follows the field (the order builder's results).
    """

    BINDINGS = Input.BINDINGS

    STEPS = {"up": -1, "down": 1, "pageup": -10, "pagedown": 10}

    @dataclass
    class Moved(Message):
        """Up, Down, PgUp or PgDn typed in the field: move the list it searches by `delta`."""

        input: TextInput
        delta: int

        @property
        def control(self) -> TextInput:
            return self.input

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cursor_blink = False

    async def on_key(self, event: events.Key) -> None:
        if event.is_printable:
            return  # Input's own key handler inserts it
        if event.key in self.STEPS:
            event.stop()
            event.prevent_default()
            self.post_message(self.Moved(self, self.STEPS[event.key]))
            return
        await run_own_binding(self, event)


async def run_own_binding(widget: Widget, event: events.Key) -> None:
    """Run the binding `widget` has for this key now, if it has one.

    The widget's own (class) bindings, not the screen's active ones: those follow the focus,
    which a Tab later in the same burst may already have moved on.
    """
    action = own_bindings(type(widget)).get(event.key)
    if action is not None:
        event.stop()
        event.prevent_default()
        await widget.run_action(action)


@cache
def own_bindings(cls: type[Widget]) -> dict[str, str]:
    """Key -> action of a widget class's own BINDINGS (our widgets inherit none they use)."""
    return {binding.key: binding.action for binding in Binding.make_bindings(cls.BINDINGS)}


#: The editing keys a result list passes on to its search field (its own keys move and
#: choose; Ctrl+C stays the app's).
EDITING_KEYS = frozenset({"backspace", "delete", "ctrl+u", "ctrl+w", "ctrl+k", "ctrl+backspace", "alt+backspace"})


async def type_into(field: Input, event: events.Key) -> bool:
    """A letter or an editing key typed while a result list has focus: it goes on in the
    list's search field, which takes the focus (before the next key is routed, `tui.keys`).
    False if the key is not one for the field."""
    if event.is_printable and event.character is not None:
        event.stop()
        event.prevent_default()
        field.insert_text_at_cursor(event.character)
    elif event.key in EDITING_KEYS:
        await run_own_binding(field, event)
    else:
        return False
    field.focus()
    return True
