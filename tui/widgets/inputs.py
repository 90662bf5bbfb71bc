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

from functools import cache
from typing import Any

from textual import events
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Input


class TextInput(Input):
    """An `Input` with a steady cursor whose editing keys keep their order in a burst."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cursor_blink = False

    async def on_key(self, event: events.Key) -> None:
        if event.is_printable:
            return  # Input's own key handler inserts it
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
    """Key -> action of a widget class's BINDINGS, merged as Textual does (nearest class wins)."""
    keys: dict[str, str] = {}
    for base in reversed(cls.__mro__):
        for binding in Binding.make_bindings(base.__dict__.get("BINDINGS", [])):
            keys[binding.key] = binding.action
    return keys
