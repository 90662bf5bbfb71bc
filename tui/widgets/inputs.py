"""Inputs that never blink: an idle screen writes no bytes (SSH bandwidth, snapshots)."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input


class TextInput(Input):
    """An `Input` with a steady cursor."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cursor_blink = False
