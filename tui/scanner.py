"""A barcode scanner is a keyboard that types fast and ends with Enter: recognise it.

Plain Python, no Textual. The app feeds every key to `Scanner.key`; eleven digits typed
within `WINDOW_S` and then Enter are a fødselsnummer, ten a specimen label.
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

    def __init__(self) -> None:
        self._keys: list[tuple[str, float]] = []

    def key(self, key: str, character: str | None, now: float) -> Scan | None:
        """Feed one key (Textual's key name and character, and the time it came); a `Scan`
        when it is the Enter that ends one."""
        if key == "enter":
            keys, self._keys = self._keys[-11:], []
            for kind, length in (("patient", 11), ("specimen", 10)):
                tail = keys[-length:]
                if len(tail) == length and now - tail[0][1] <= self.WINDOW_S:
                    return Scan(kind, "".join(ch for ch, _ in tail))  # type: ignore[arg-type]
            return None
        if character is not None and character.isdigit() and len(key) == 1:
            self._keys.append((character, now))
            del self._keys[:-11]
        else:
            self._keys.clear()
        return None
