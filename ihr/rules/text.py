"""Free text the secretary types or pastes: what a KITH message can carry, and where it cannot.

The one rule the app (its text fields, as the text comes in) and the service (`XmlText`, a
422 with a Norwegian reason) both apply. Everything typed ends up in a KITH message (XML
1.0), which cannot carry the control characters U+0000-U+0008, U+000B, U+000C,
U+000E-U+001F (the escape that starts a terminal's escape sequence is U+001B), the
surrogates, nor U+FFFE and U+FFFF. Line breaks it can: a text of several lines is kept
whole (clinical information, the comment, the problem statement) and travels with its line
breaks (`ihr.kith.requisition`). A line break is one LF: CR LF and CR (Windows, old Mac,
what a terminal sends for Enter) become LF before anything is checked or stored.

Pure standard library: the app loads it before pydantic.
"""

from __future__ import annotations

import re

# Everything outside XML 1.0's Char production (tab, LF and CR are allowed).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAK = re.compile("\r\n?")

ESC = "\x1b"
#: The longest comment, clinical information or problem statement a requisition carries
#: (`ihr.models.OrderInput`).
FREE_TEXT_MAX = 2000


def normalise_line_breaks(text: str) -> str:
    """CR LF and a lone CR as LF: one way to break a line, the one XML keeps."""
    return _LINE_BREAK.sub("\n", text)


def lines(text: str) -> list[str]:
    """The text's lines (after `normalise_line_breaks`), without the empty ones at either end."""
    return normalise_line_breaks(text).strip("\n").split("\n") if text.strip() else []


def position(text: str, index: int) -> str:
    """Where `index` is, as the secretary counts: "plass 6" in a one-line text, "linje 2,
    plass 3" in a text of several lines (both from 1)."""
    text = normalise_line_breaks(text)
    if "\n" not in text:
        return f"plass {index + 1}"
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"linje {line}, plass {column}"


def text_problem(text: str) -> str | None:
    """A Norwegian sentence about the first character XML cannot carry, with its position;
    None when all of it fits."""
    text = normalise_line_breaks(text)
    found = _NOT_XML.search(text)
    if found is None:
        return None
    char = found.group()
    name = f"U+{ord(char):04X}, escape: starten på en terminalsekvens" if char == ESC else f"U+{ord(char):04X}"
    return (
        f"Teksten inneholder et usynlig kontrolltegn ({name}) på {position(text, found.start())} "
        "som ikke kan sendes i en melding. Fjern det og skriv teksten på nytt."
    )


def length_problem(text: str, max_length: int) -> str | None:
    """Norwegian, when the text is longer than `max_length` characters; None otherwise."""
    n = len(normalise_line_breaks(text).strip())
    return f"Teksten kan ha høyst {max_length} tegn (den har {n})." if n > max_length else None


def paste_problem(text: str, *, multi_line: bool) -> str | None:
    """Why a paste is refused whole (Norwegian, with the position), or None: it goes in as it
    is. A paste is never cut or reordered: it goes in whole or not at all."""
    problem = text_problem(text)
    if problem is not None:
        return "Innlimingen ble ikke satt inn. " + problem.replace(" Fjern det og skriv teksten på nytt.", "")
    text = normalise_line_breaks(text)
    if not multi_line and "\n" in text.strip("\n"):
        return (
            f"Innlimingen ble ikke satt inn: den har {len(lines(text))} linjer, og feltet har bare én. "
            "Lim inn én linje om gangen."
        )
    return None


def pasted(text: str) -> str:
    """What a paste that passed `paste_problem` inserts: its line breaks as LF, without a
    trailing line break (copied from a document, a paste often ends with one)."""
    return normalise_line_breaks(text).rstrip("\n")
