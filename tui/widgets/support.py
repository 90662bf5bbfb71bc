"""Rekvireringsstøtte: how to take the sample for the highlighted service."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

if TYPE_CHECKING:
    from ihr.models import Catalog, Service
from tui import strings as S


def _ml(value: float) -> str:
    return f"{value:g}".replace(".", ",") + " ml"


def support_text(service: Service, catalog: Catalog) -> Group:
    title = Text(service.name, style="bold", overflow="ellipsis", no_wrap=True)
    title.append(f"  {service.code}", style="not bold")
    table = Table.grid(padding=(0, 1))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    spec = service.specimen
    if spec is None:
        table.add_row("", S.SUPPORT_IMAGING if service.requires_problemstilling else "")
    else:
        table.add_row(S.SUPPORT_MATERIAL, spec.material)
        try:
            container = catalog.container(spec.container)
            table.add_row(S.SUPPORT_CONTAINER, f"{container.name} ({container.cap_colour})")
        except KeyError:
            table.add_row(S.SUPPORT_CONTAINER, spec.container)
        table.add_row(S.SUPPORT_VOLUME, _ml(spec.min_volume_ml))
        h = spec.handling
        temperature = S.TEMPERATURE.get(str(h.temperature.value), str(h.temperature.value))
        if h.stability_hours is not None:
            table.add_row(S.SUPPORT_STABILITY, S.stability(h.stability_hours, temperature))
        handling = [temperature]
        if h.light_protected:
            handling.append(S.LIGHT_PROTECTED)
        if h.centrifuge_within_minutes is not None:
            handling.append(S.centrifuge_within(h.centrifuge_within_minutes))
        table.add_row(S.SUPPORT_HANDLING, ", ".join(handling))
        if h.notes:
            table.add_row(S.SUPPORT_NOTES, h.notes)
    if service.preparation:
        table.add_row(S.SUPPORT_PREPARATION, service.preparation)
    if service.order_interval_days:
        table.add_row(S.SUPPORT_INTERVAL, S.interval_days(service.order_interval_days))
    if service.notes:
        table.add_row(S.SUPPORT_NOTES, service.notes)
    return Group(title, table)


class SupportPanel(Static):
    """Shows one service's sampling information; redraws only when the service changes."""

    DEFAULT_CSS = """
    SupportPanel { height: auto; max-height: 50%; padding: 0 1; border-top: solid $primary; }
    """

    def on_mount(self) -> None:
        self.border_title = S.SUPPORT_TITLE
        self._code: str | None = "-"
        self.show(None, None)

    def show(self, service: Service | None, catalog: Catalog | None) -> None:
        code = service.code if service else None
        if code == self._code:
            return
        self._code = code
        if service is None or catalog is None:
            self.update(Text(S.SUPPORT_NONE, style="italic"))
        else:
            self.update(support_text(service, catalog))
