"""A list of lines with a checkbox each: ↑/↓ move, Space checks or unchecks, keyboard only.

Like `ChoiceField`, every key acts on arrival, in order: a burst of "Down Space Down Space"
(a fast typist, an SSH link) toggles exactly the lines it names. Textual's `SelectionList`
resolves its bindings after the key has bubbled, against whatever is highlighted then.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.widget import Widget


class CheckList(Widget, can_focus=True):
    DEFAULT_CSS = """
    CheckList { height: auto; width: 1fr; background: $surface; color: $foreground; }
    CheckList:ansi { background: ansi_default; color: ansi_default; }
    """

    def __init__(self, lines: Sequence[tuple[str, str]], checked: Sequence[str] = (), **kwargs: object) -> None:
        """`lines`: (text shown, value) pairs; `checked`: the values checked at first."""
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.lines = list(lines)
        self._checked = {v for _, v in self.lines if v in set(checked)}
        self.cursor = 0

    @property
    def checked(self) -> list[str]:
        """The checked values, in the order of the lines."""
        return [v for _, v in self.lines if v in self._checked]

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        for i, (shown, value) in enumerate(self.lines):
            mark = "[x]" if value in self._checked else "[ ]"
            here = i == self.cursor
            style = "reverse" if here and self.has_focus else ("bold" if here else "")
            text.append(f"{'▸' if here else ' '} {mark} {shown}", style=style)
            if i < len(self.lines) - 1:
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
