"""A list of lines with a checkbox each: ↑/↓ move, Space checks or unchecks, keyboard only.

Like `ChoiceField`, every key acts on arrival, in order: a burst of "Down Space Down Space"
(a fast typist, an SSH link) toggles exactly the lines it names. Textual's `SelectionList`
resolves its bindings after the key has bubbled, against whatever is highlighted then; and
its box is the same "▐X▌" checked or not, told apart by colour alone, which a 16-colour
terminal may not show: here a checked line reads "[x]" and an unchecked one "[ ]".

With more lines than its height (a `max-height`), it shows the window around the cursor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widget import Widget


class CheckList(Widget, can_focus=True):
    DEFAULT_CSS = """
    CheckList { height: auto; width: 1fr; background: $surface; color: $foreground; text-wrap: nowrap;
                text-overflow: ellipsis; }
    CheckList:ansi { background: ansi_default; color: ansi_default; }
    """

    @dataclass
    class Highlighted(Message):
        """The cursor moved to the line of `value`."""

        check_list: CheckList
        value: str

        @property
        def control(self) -> CheckList:
            return self.check_list

    def __init__(self, lines: Sequence[tuple[str, str]], checked: Sequence[str] = (), **kwargs: object) -> None:
        """`lines`: (text shown, value) pairs; `checked`: the values checked at first."""
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.lines = list(lines)
        self._checked = {v for _, v in self.lines if v in set(checked)}
        self.cursor = 0
        self._top = 0  # the first line shown when not all fit

    @property
    def checked(self) -> list[str]:
        """The checked values, in the order of the lines."""
        return [v for _, v in self.lines if v in self._checked]

    @property
    def highlighted(self) -> str | None:
        """The value of the line the cursor is on."""
        return self.lines[self.cursor][1] if self.lines else None

    def move_to(self, value: str) -> None:
        """Put the cursor on the line of `value`."""
        for i, (_, v) in enumerate(self.lines):
            if v == value:
                self.cursor = i
                self.refresh()
                return

    def render(self) -> Text:
        height = max(1, self.size.height or len(self.lines))
        self._top = min(max(self._top, self.cursor - height + 1), self.cursor)
        text = Text(no_wrap=True, overflow="ellipsis")
        shown = self.lines[self._top:self._top + height]
        for i, (line, value) in enumerate(shown, self._top):
            mark = "[x]" if value in self._checked else "[ ]"
            here = i == self.cursor
            style = "reverse" if here and self.has_focus else ("bold" if here else "")
            text.append(f"{'▸' if here else ' '} {mark} {line}", style=style)
            if i < self._top + len(shown) - 1:
                text.append("\n")
        return text

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return max(1, len(self.lines))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    async def on_key(self, event: events.Key) -> None:
        if not self.lines:
            return
        before = self.cursor
        if event.key == "down":
            self.cursor = min(self.cursor + 1, len(self.lines) - 1)
        elif event.key == "up":
            self.cursor = max(self.cursor - 1, 0)
        elif event.key == "space":
            value = self.lines[self.cursor][1]
            self._checked ^= {value}
        else:
            return  # Tab, Enter, F-keys...: for the dialog and the app
        event.stop()
        event.prevent_default()
        self.refresh()
        if self.cursor != before:
            self.post_message(self.Highlighted(self, self.lines[self.cursor][1]))
