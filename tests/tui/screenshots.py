"""What a terminal shows: snapshots as a 16- or 256-colour terminal shows them, and the text
and background colours of each cell of a screenshot.

Textual draws in true colour and leaves the reduction to the terminal's palette to the
moment it writes to the terminal: with `TEXTUAL_COLOR_SYSTEM=standard` (or TERM=screen) each
colour becomes the nearest of the 16 ANSI colours, with 256 colours the nearest of xterm's
256. Its SVG screenshot is always true colour, so `show_in(monkeypatch, 16)` makes the app's
screenshot go through the same reduction (rich's `Color.downgrade`, which Textual's output
uses) and paints each ANSI colour as xterm's default palette does. Two shades that are apart
in true colour but one colour at 16 colours are one colour in the snapshot too.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest
from rich.color import Color, ColorSystem
from rich.terminal_theme import DEFAULT_TERMINAL_THEME

COLOURS = [pytest.param(16, id="16colours"), pytest.param(256, id="256colours")]

SYSTEMS = {16: ColorSystem.STANDARD, 256: ColorSystem.EIGHT_BIT}

# rich's window around the screenshot (title bar, its three buttons) is not the app's
WINDOW = frozenset({"#292929", "#ff5f57", "#febc2e", "#28c840"})

HEX = re.compile(r"#[0-9a-fA-F]{6}\b")


@cache
def shown(hex_colour: str, colours: int) -> str:
    """`hex_colour` as a terminal with `colours` colours shows it."""
    if hex_colour.lower() in WINDOW:
        return hex_colour
    reduced = Color.parse(hex_colour).downgrade(SYSTEMS[colours])
    return reduced.get_truecolor(DEFAULT_TERMINAL_THEME).hex


def in_colours(svg: str, colours: int) -> str:
    """The SVG screenshot with every colour reduced to a `colours`-colour terminal's."""
    return HEX.sub(lambda m: shown(m.group(0), colours), svg)


def show_in(monkeypatch: pytest.MonkeyPatch, colours: int) -> None:
    """Screenshots taken in this test are as a `colours`-colour terminal shows the app."""
    from textual.app import App

    export = App.export_screenshot

    def export_in_colours(self: App[Any], **kwargs: Any) -> str:
        return in_colours(export(self, **kwargs), colours)

    monkeypatch.setattr(App, "export_screenshot", export_in_colours)


# rich's SVG: a cell is 12.2 units wide and a line 24.4 high; backgrounds are crisp rects
CELL_W, LINE_H, RECT_Y0 = 12.2, 24.4, 1.5
TEXT = re.compile(r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+" clip-path="url\(#terminal-(?:\w+-)?line-(\d+)\)">([^<]*)</text>')
RECT = re.compile(r'<rect fill="(#[0-9a-fA-F]{6})" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="[\d.]+" shape-rendering="crispEdges"/>')


@dataclass
class Screen:
    """A screenshot read back: each line's text and each cell's background colour."""

    lines: list[str]
    backgrounds: list[list[str]]

    @classmethod
    def of(cls, svg: str, size: tuple[int, int]) -> Screen:
        width, height = size
        chars = [[" "] * width for _ in range(height)]
        backgrounds = [[""] * width for _ in range(height)]
        for x, row, text in TEXT.findall(svg):
            col = round(float(x) / CELL_W)
            for i, ch in enumerate(html.unescape(text).replace("\u00a0", " ")):
                if col + i < width:
                    chars[int(row)][col + i] = ch
        for fill, x, y, w in RECT.findall(svg):
            row, col = round((float(y) - RECT_Y0) / LINE_H), round(float(x) / CELL_W)
            for c in range(col, min(width, col + round(float(w) / CELL_W))):
                backgrounds[row][c] = fill.lower()
        return cls(["".join(line).rstrip() for line in chars], backgrounds)

    def row(self, starting: str) -> int:
        """The first line that starts with `starting` (leading spaces aside)."""
        for i, line in enumerate(self.lines):
            if line.lstrip().startswith(starting):
                return i
        raise AssertionError(f"no line starts with {starting!r}:\n{self.text}")

    @property
    def text(self) -> str:
        return "\n".join(self.lines)
