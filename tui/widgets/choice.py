"""A one-line choice for the guided questions: a letter picks, the arrows step, no drop-down.

Textual's `Select` opens an overlay and moves focus into it; keys that arrive in the same
burst as the Enter that opens it (a fast typist, any SSH link) are routed before the overlay
has focus and are lost: Enter, Down, Down, Enter left the menu open and nothing chosen. Its
key bar also showed Textual's English "Dismiss menu". Here every key acts on arrival, in
order, and the answer takes one key:

- a letter: the next option whose text begins with it ("j" Ja, "n" Nei; again: the next one);
- Right or Space: the next option; Left: the one before (from none: the first or the last);
- Backspace or Delete: no answer.

Digits do nothing, so a barcode scanned while a choice has focus changes no answer.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widget import Widget

from tui import strings as S  # SELECT_PROMPT: "Velg …"


class ChoiceField(Widget, can_focus=True):
    # Looks like the compact inputs beside it: a band, the answer where the text would be,
    # and (like their cursor) the answer in reverse while the field has focus.
    DEFAULT_CSS = """
    ChoiceField { height: 1; width: 1fr; max-width: 40; background: $surface; color: $foreground; }
    ChoiceField:focus { background-tint: $foreground 5%; }
    ChoiceField:disabled { opacity: 0.6; }
    ChoiceField:ansi { background: ansi_default; color: ansi_default; }
    """

    class Changed(Message):
        """The answer changed; `value` is the chosen option's value, None for no answer."""

        def __init__(self, field: ChoiceField, value: str | None) -> None:
            super().__init__()
            self.field = field
            self.value = value

        @property
        def control(self) -> ChoiceField:
            return self.field

    def __init__(self, options: list[tuple[str, str]], value: str | None = None, **kwargs: object) -> None:
        """`options`: (text shown, value) pairs; `value`: the one chosen, if any."""
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.options = options
        self._index: int | None = next((i for i, (_, v) in enumerate(options) if v == value), None)
        initials = [text[:1].casefold() for text, _ in options]
        # the keys that choose, as a hint: "j/n", or the arrows when two options share a letter
        self._hint = "/".join(initials) if len(set(initials)) == len(initials) else "←/→"

    @property
    def value(self) -> str | None:
        return None if self._index is None else self.options[self._index][1]

    def render(self) -> Text:
        chosen = self._index is not None
        shown = self.options[self._index][0] if chosen else S.SELECT_PROMPT  # type: ignore[index]
        text = Text(shown, style=("" if chosen else "dim") + (" reverse" if self.has_focus else ""))
        hint = f" {self._hint}"
        text.append(" " * max(1, self.content_size.width - len(shown) - len(hint)))
        text.append(hint, style="dim")
        text.truncate(max(self.content_size.width, 1))
        return text

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def _choose(self, index: int | None) -> None:
        if index != self._index:
            self._index = index
            self.refresh()
            self.post_message(self.Changed(self, self.value))

    def _step(self, delta: int) -> None:
        n = len(self.options)
        if not n:
            return
        if self._index is None:
            self._choose(0 if delta > 0 else n - 1)
        else:
            self._choose((self._index + delta) % n)

    def _letter(self, letter: str) -> None:
        n = len(self.options)
        start = -1 if self._index is None else self._index
        for k in range(1, n + 1):
            i = (start + k) % n
            if self.options[i][0].casefold().startswith(letter):
                self._choose(i)
                return

    async def on_key(self, event: events.Key) -> None:
        key = event.key
        if key in ("right", "space"):
            self._step(1)
        elif key == "left":
            self._step(-1)
        elif key in ("backspace", "delete"):
            self._choose(None)
        elif event.is_printable and event.character and event.character.isalpha():
            self._letter(event.character.casefold())
        else:
            return  # Tab, Enter, F-keys...: for the screen and the app
        event.stop()
        event.prevent_default()
