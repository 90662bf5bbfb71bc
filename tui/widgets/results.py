"""The catalog search results: a light list that repaints only the lines that changed.

A DataTable repaints its whole region on every keystroke (about 7 KB at 120x36 in 256
colours); search-as-you-type over SSH wants less. This widget draws one line per service
(one style per line, no scrollbar: the info line says how many there are) and, when the
results change, refreshes only the lines whose text or highlight changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from tui import strings as S
from tui.widgets.inputs import run_own_binding


@dataclass(frozen=True)
class ResultRow:
    code: str
    discipline: str
    name: str


class ResultList(Widget, can_focus=True):
    """The results, one line each, under a header line.

    The header is told by its text (bold, underlined) rather than a background: at 16 colours
    a tinted header and the highlighted row come out as the same grey.
    """

    COMPONENT_CLASSES = {"results--header", "results--cursor"}
    DEFAULT_CSS = """
    ResultList { height: 1fr; background: $surface; color: $text; }
    ResultList > .results--header { text-style: bold underline; }
    ResultList > .results--cursor { background: $accent 40%; text-style: bold; }
    ResultList:focus > .results--cursor { background: $accent; color: $text; }
    """
    BINDINGS = [
        Binding("down", "move(1)", show=False, id="results_list_down"),
        Binding("up", "move(-1)", show=False, id="results_list_up"),
        Binding("pagedown", "move(10)", show=False, id="results_list_pagedown"),
        Binding("pageup", "move(-10)", show=False, id="results_list_pageup"),
        Binding("enter", "select", show=False, id="results_list_select"),
    ]

    @dataclass
    class Highlighted(Message):
        results: ResultList
        index: int
        code: str | None

        @property
        def control(self) -> ResultList:
            return self.results

    @dataclass
    class Selected(Message):
        results: ResultList
        index: int
        code: str

        @property
        def control(self) -> ResultList:
            return self.results

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.rows: list[ResultRow] = []
        self.cursor_row = 0
        self._top = 0
        self._drawn: dict[int, tuple[str, bool]] = {}

    # ---- data ------------------------------------------------------------------
    @property
    def row_count(self) -> int:
        return len(self.rows)

    @property
    def page_size(self) -> int:
        return max(0, self.size.height - 1)  # line 0 is the header

    def set_rows(self, rows: list[ResultRow]) -> None:
        self.rows = rows
        self.cursor_row = 0
        self._top = 0
        self._refresh_changed()
        self.post_message(self.Highlighted(self, 0, rows[0].code if rows else None))

    def move_cursor(self, row: int) -> None:
        if not self.rows:
            return
        row = max(0, min(len(self.rows) - 1, row))
        if row == self.cursor_row:
            return
        self.cursor_row = row
        if row < self._top:
            self._top = row
        elif self.page_size and row >= self._top + self.page_size:
            self._top = row - self.page_size + 1
        self._refresh_changed()
        self.post_message(self.Highlighted(self, row, self.rows[row].code))

    async def on_key(self, event: events.Key) -> None:
        # Run our keys when they reach us (see tui.widgets.inputs): in order with a burst.
        await run_own_binding(self, event)

    def action_move(self, delta: int) -> None:
        self.move_cursor(self.cursor_row + delta)

    def action_select(self) -> None:
        if self.rows:
            self.post_message(self.Selected(self, self.cursor_row, self.rows[self.cursor_row].code))

    # ---- drawing ---------------------------------------------------------------
    def _line_text(self, y: int) -> tuple[str, bool]:
        if y == 0:
            return (f" {S.COL_CODE:<10} {S.COL_DISCIPLINE_SHORT:<5} {S.COL_NAME}", False)
        i = self._top + y - 1
        if i >= len(self.rows):
            return ("", False)
        r = self.rows[i]
        return (f" {r.code:<10} {r.discipline:<5} {r.name}", i == self.cursor_row)

    def _refresh_changed(self) -> None:
        width, height = self.size
        if not width or not height:
            self.refresh()
            return
        for y in range(height):
            now = self._line_text(y)
            if self._drawn.get(y) != now:
                self.refresh(Region(0, y, width, 1))

    def on_resize(self) -> None:
        self._drawn.clear()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        text, is_cursor = self._line_text(y)
        self._drawn[y] = (text, is_cursor)
        if y == 0:
            style = self.get_component_rich_style("results--header")
        elif is_cursor:
            style = self.get_component_rich_style("results--cursor")
        else:
            style = self.rich_style
        cropped = text[:width].ljust(width)
        return Strip([Segment(cropped, style if isinstance(style, Style) else None)], width)
