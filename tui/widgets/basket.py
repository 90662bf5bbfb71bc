"""The basket: the chosen services, grouped into one requisition per receiving lab."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui import strings as S

if TYPE_CHECKING:
    from ihr.models import Catalog, Service


@dataclass
class RequisitionView:
    kind: str  # rekvisisjon | henvisning
    lab_her_id: str
    lab_name: str
    services: list[Service]


def requisitions(items: list[tuple[Service, str]], catalog: Catalog) -> list[RequisitionView]:
    """Group basket items per requisition (receiving lab and discipline), as the service will."""
    from ihr.rules.ordering import group_into_requisitions, requisition_kind  # start-up seam

    out = []
    for (lab, discipline), services in group_into_requisitions(items).items():
        try:
            lab_name = catalog.lab(lab).short_name
        except KeyError:
            lab_name = lab or "?"
        out.append(RequisitionView(requisition_kind(discipline), lab, lab_name, services))
    return out


class BasketList(OptionList):
    """Requisition headings (disabled) and their services (selectable for removal).

    Services chosen at start-up, before the catalog and the patient have loaded, are shown
    under a heading of their own: they go into a requisition once they have been checked.
    """

    DEFAULT_CSS = """
    BasketList { height: 1fr; border: none; padding: 0; }
    """

    def show_items(
        self, items: list[tuple[Service, str]], catalog: Catalog | None, pending: Sequence[Any] = ()
    ) -> None:
        highlighted = self.highlighted_code
        self.clear_options()
        if catalog is None:
            items = []
        if not items and not pending:
            self.add_option(Option(Text(S.BASKET_EMPTY, style="italic"), disabled=True))
            return
        options: list[Option] = []
        if pending:
            options.append(Option(Text(S.BASKET_PENDING, style="bold underline"), disabled=True))
            options.extend(
                Option(Text(f"  {entry.name}", no_wrap=True, overflow="ellipsis"), disabled=True) for entry in pending
            )
        for req in requisitions(items, catalog) if catalog is not None else ():
            options.append(
                Option(Text(S.requisition_heading(req.kind, req.lab_name), style="bold underline"), disabled=True)
            )
            for service in req.services:
                options.append(Option(Text(f"  {service.name}", no_wrap=True, overflow="ellipsis"), id=service.code))
        self.add_options(options)
        if highlighted is not None:
            try:
                self.highlighted = self.get_option_index(highlighted)
            except Exception:
                pass

    @property
    def highlighted_code(self) -> str | None:
        if self.highlighted is None:
            return None
        try:
            return self.get_option_at_index(self.highlighted).id
        except Exception:
            return None
