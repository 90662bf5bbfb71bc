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
- how many: eleven (or ten) digits before the Enter, with no digit typed less than
  `PAUSE_S` before them either: twelve digits in one run are no fødselsnummer, while a digit
  typed by hand a second before the scan does not spoil it.
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
        self._keys: list[tuple[str, float]] = []  # the digits typed since the last other key
        self._text_at: float | None = None  # when the character before them came, if one did

    def key(self, key: str, character: str | None, now: float) -> Scan | None:
        """Feed one key (Textual's key name and character, and the time it came); a `Scan`
        when it is the Enter that ends one."""
        if key == "enter":
            keys, text_at = self._keys, self._text_at
            self._keys, self._text_at = [], None
            for kind, length in (("patient", 11), ("specimen", 10)):
                if len(keys) < length or now - keys[-length][1] > self.WINDOW_S:
                    continue
                before = keys[-length - 1][1] if len(keys) > length else text_at
                if before is not None and keys[-length][1] - before < self.PAUSE_S:
                    continue  # typed on from what came before: text, not a scan
                return Scan(kind, "".join(ch for ch, _ in keys[-length:]))  # type: ignore[arg-type]
            return None
        if character is not None and character.isdigit() and len(key) == 1:
            self._keys.append((character, now))
            del self._keys[:-12]  # the eleven of a scan and the one before them
        else:
            self._keys.clear()
            printable = character is not None and len(character) == 1 and character.isprintable()
            self._text_at = now if printable else None
        return None
