"""The key bar: every key of the screen with its Norwegian name, wrapped onto two lines
when the terminal is narrow (Textual's Footer scrolls out of sight at 80 columns).

It lays the keys out into lines itself, a key never apart from its name (Rich wraps at a
non-breaking space too, which put "F10" at the end of one line and "Arbeidsliste" on the
next). It redraws only when the set of keys or the width changes, so moving focus writes
no bytes.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Static

_ORDER = {f"f{i}": i for i in range(1, 13)}


def key_label(key: str) -> str:
    key = key.split(",")[0]
    if key.startswith("ctrl+"):
        return "Ctrl+" + key[5:].upper()
    if key in _ORDER:
        return key.upper()
    if key == "escape":
        return "Esc"
    if key == "enter":
        return "Enter"
    return key.upper() if len(key) == 1 else key


def _sort_key(key: str) -> tuple[int, str]:
    k = key.split(",")[0]
    if k in _ORDER:
        return (_ORDER[k], k)
    if k.startswith("ctrl+"):
        return (50, k)
    return (40, k)


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar { dock: bottom; width: 100%; height: auto; min-height: 2; max-height: 3; background: $panel; color: $text; padding: 0 1; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("", **kwargs)
        self._shown: tuple[tuple[str, str, bool], ...] | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.show_keys)
        self.call_after_refresh(self.show_keys, self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def show_keys(self, screen: Any) -> None:
        if not self.is_attached:
            return
        items: dict[str, tuple[str, str, bool]] = {}
        for _key, active in self.screen.active_bindings.items():
            binding = active.binding
            if not binding.show or not binding.description:
                continue
            label = binding.key_display or key_label(binding.key)
            items.setdefault(binding.action, (label, binding.description, active.enabled))
        # A screen's own key can be shadowed by the focused widget's hidden one for the same
        # key (Enter in a list): the screen's says what it does, so it is shown too.
        keymap = getattr(getattr(self.app, "settings", None), "keymap", None) or {}
        for binding in Binding.make_bindings(self.screen.BINDINGS):
            if binding.show and binding.description:
                label = binding.key_display or key_label(keymap.get(binding.id or "", binding.key))
                items.setdefault(binding.action, (label, binding.description, True))
        keys = tuple(sorted(items.values(), key=lambda item: _sort_key(item[0].lower())))
        if keys == self._shown:
            return
        self._shown = keys
        self._lay_out()

    def on_resize(self) -> None:
        if self._shown is not None:
            self._lay_out()

    def _lay_out(self) -> None:
        width = self.content_size.width or 80
        text = Text(no_wrap=True, overflow="crop")
        column = 0
        for label, description, enabled in self._shown or ():
            item = len(label) + 2 + len(description)
            if column and column + 2 + item > width:
                text.append("\n")
                column = 0
            elif column:
                text.append("  ")
                column += 2
            style = "bold" if enabled else "dim"
            text.append(f" {label} ", style=style + " reverse")
            text.append(description, style="" if enabled else "dim")
            column += item
        self.update(text)
