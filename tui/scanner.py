"""A barcode scanner is a keyboard that types fast and ends with Enter: recognise it.

Plain Python, no Textual. The app feeds every key to `Scanner.key`; eleven digits typed
within `WINDOW_S` and then Enter are a fødselsnummer, ten a specimen label.

What tells a scan from digits typed in a text field (a phone number in the comment, "Ring
03842365510", typed fast or arriving in one burst over SSH):

- speed: all the digits and the Enter within `WINDOW_S` (0.5 s); a person types eleven
  digits in a second or more;
- what comes before: a scanner starts on its own. A character that is not a digit (a letter,
  a space, a full stop) typed less than `PAUSE_S` before the first digit means the digits
  are part of what is being typed, and they stay text: nobody puts the scanner to a label
  within 0.3 s of the last letter typed. A key that types nothing (Enter, Tab, an arrow, a
  function key) or a pause before the digits does not count against a scan;
- how many: exactly eleven (or ten) digits between that start (or a pause) and the Enter;
  twelve digits in one run are no fødselsnummer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Scan:
    kind: Literal["patient", "specimen"]
    digits: str


class Scanner:
    #: The digits and the Enter must come within this many seconds to be a scanner's.
    WINDOW_S = 0.5
    #: A character that is not a digit this shortly before the first digit makes them typed text.
    PAUSE_S = 0.3

    def __init__(self) -> None:
        self._keys: list[tuple[str, float]] = []
        self._text_at: float | None = None  # when the last character that is not a digit came
        self._typed_on = False  # the digits so far follow such a character without a pause

    def key(self, key: str, character: str | None, now: float) -> Scan | None:
        """Feed one key (Textual's key name and character, and the time it came); a `Scan`
        when it is the Enter that ends one."""
        if key == "enter":
            keys, typed_on = self._keys, self._typed_on
            self._keys, self._typed_on, self._text_at = [], False, None
            if typed_on:
                return None
            for kind, length in (("patient", 11), ("specimen", 10)):
                if len(keys) == length and now - keys[0][1] <= self.WINDOW_S:
                    return Scan(kind, "".join(ch for ch, _ in keys))  # type: ignore[arg-type]
            return None
        if character is not None and character.isdigit() and len(key) == 1:
            if self._keys and now - self._keys[-1][1] >= self.PAUSE_S:
                self._keys, self._typed_on = [], False  # a pause: digits typed before are not the scan's
            elif not self._keys:
                self._typed_on = self._text_at is not None and now - self._text_at < self.PAUSE_S
            self._keys.append((character, now))
            del self._keys[:-12]  # twelve are enough to know that there are too many
        else:
            self._keys.clear()
            self._typed_on = False
            printable = character is not None and len(character) == 1 and character.isprintable()
            self._text_at = now if printable else None
        return None
