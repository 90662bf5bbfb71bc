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
from textual.widgets import Input, TextArea

from ihr.rules.text import paste_problem, pasted


@dataclass
class PasteRefused(Message):
    """A paste that a field did not take, whole (`ihr.rules.text.paste_problem`): what XML
    cannot carry, or lines for a field of one line. `problem` says why and where, in
    Norwegian; the field is as it was."""

    field: Widget
    problem: str

    @property
    def control(self) -> Widget:
        return self.field


def take_paste(field: Input | TextArea, event: events.Paste, *, multi_line: bool) -> str | None:
    """The text a paste inserts, or None when it is refused whole (a `PasteRefused` is
    posted). Never a part of it: Textual's `Input` keeps only the first line of a paste."""
    event.stop()
    event.prevent_default()
    problem = paste_problem(event.text, multi_line=multi_line)
    if problem is not None:
        field.post_message(PasteRefused(field, problem))
        return None
    return pasted(event.text)


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

    def on_paste(self, event: events.Paste) -> None:
        """A paste goes in whole or not at all: a line break or a control character in it
        refuses it in place (`PasteRefused`), where `Input` would keep its first line."""
        text = take_paste(self, event, multi_line=False)
        if text is not None:
            if self.selection.is_empty:
                self.insert_text_at_cursor(text)
            else:
                self.replace(text, *self.selection)


class TextBox(TextArea, inherit_bindings=False):
    """A free-text field of several lines (clinical information, comment, problem
    statement): Enter breaks the line, Tab moves on, the box grows with its text.

    Like `TextInput`: a steady cursor, its editing keys run on arrival (in order with the
    typed text in a burst), and a paste goes in whole or is refused in place (`PasteRefused`)
    with line breaks kept. TextArea's F6 and F7 (select line, select all) are left out: they
    are the screens' keys. `value` is its text, as for the one-line fields.
    """

    BINDINGS = [b for b in TextArea.BINDINGS if not (isinstance(b, Binding) and b.action in ("select_line", "select_all"))]

    def __init__(self, text: str = "", *, placeholder: str = "", **kwargs: Any) -> None:
        super().__init__(text, placeholder=placeholder, soft_wrap=True, tab_behavior="focus", compact=True,
                         highlight_cursor_line=False, **kwargs)
        self.cursor_blink = False

    @property
    def value(self) -> str:
        return self.text

    @value.setter
    def value(self, text: str) -> None:
        self.text = text

    async def on_key(self, event: events.Key) -> None:
        if event.is_printable or event.key == "enter":
            return  # TextArea's own key handler inserts it (Enter as a line break)
        await run_own_binding(self, event)

    def on_paste(self, event: events.Paste) -> None:
        text = take_paste(self, event, multi_line=True)
        if text is not None:
            result = self.replace(text, *self.selection, maintain_selection_offset=False)
            self.move_cursor(result.end_location)


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
