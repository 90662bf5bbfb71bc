"""The baseline for the cold-start benchmark: a minimal Textual app (Header, Input, DataTable, Footer)."""

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header, Input


class Minimal(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="minimal-ready")
        yield DataTable()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).cursor_blink = False
        table = self.query_one(DataTable)
        table.add_columns("Kode", "Navn")
        table.add_rows([(f"K{i}", f"Rad {i}") for i in range(50)])


if __name__ == "__main__":
    Minimal().run()
