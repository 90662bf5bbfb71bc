"""Groups (saved order templates): pick one into the basket, make, rename or delete one.

Letters typed go to the filter field on top and narrow the list ("diab" Enter); Up and Down
move in the list, Enter takes the highlighted group, in order with the keys around them.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Checkbox, OptionList, Static
from textual.widgets.option_list import Option

from ihr.models import Group
from tui import strings as S
from tui.dialogs.base import Dialog
from tui.dialogs.confirm import ConfirmDialog
from tui.widgets.inputs import TextInput
from tui.widgets.keybar import KeyBar


class GroupsDialog(Dialog[Group | None]):
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("escape", "close", S.KEY_BACK, id="groups_close", key_display="Esc"),
        Binding("enter", "pick", S.KEY_PICK, id="groups_pick", show=True),
        # priority: the filter field has keys of its own for Ctrl+E and Ctrl+D
        Binding("ctrl+e", "rename", S.KEY_EDIT, id="groups_edit", priority=True),
        Binding("ctrl+d", "delete", S.KEY_DELETE, id="groups_delete", priority=True),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box groups-box") as box:
            box.border_title = S.GROUPS_TITLE
            yield TextInput(placeholder=S.GROUPS_FILTER, id="group-filter", compact=True)
            yield OptionList(id="group-list")
            yield Static(S.GROUPS_HINT, classes="dialog-hint")
        yield KeyBar()

    def on_mount(self) -> None:
        self.refresh_groups()
        self.query_one("#group-filter", TextInput).focus()

    @property
    def groups(self) -> list[Group]:
        """The groups the filter lets through, in the service's order."""
        typed = self.query_one("#group-filter", TextInput).value.casefold().split()
        return [g for g in self.session.groups or [] if all(w in g.name.casefold() for w in typed)]

    @on(TextInput.Changed, "#group-filter")
    def _filtered(self) -> None:
        self.query_one(OptionList).highlighted = None
        self.refresh_groups()

    @on(TextInput.Moved, "#group-filter")
    def _moved(self, event: TextInput.Moved) -> None:
        ol = self.query_one(OptionList)
        if self.groups:
            ol.highlighted = max(0, min(len(self.groups) - 1, (ol.highlighted or 0) + event.delta))

    @on(TextInput.Submitted, "#group-filter")
    def _submitted(self) -> None:
        self.action_pick()

    def refresh_groups(self) -> None:
        ol = self.query_one(OptionList)
        highlighted = ol.highlighted
        ol.clear_options()
        if not self.groups:
            ol.add_option(Option(S.GROUPS_NO_MATCH if self.session.groups else S.GROUPS_NONE, disabled=True))
            return
        for g in self.groups:
            scope = S.GROUP_PERSONAL if g.scope == "personal" else S.GROUP_OFFICE
            ol.add_option(Option(S.group_row(g.name, len(g.service_codes), scope), id=g.id))
        ol.highlighted = min(highlighted or 0, len(self.groups) - 1)

    def _current(self) -> Group | None:
        ol = self.query_one(OptionList)
        if ol.highlighted is None:
            return None
        option_id = ol.get_option_at_index(ol.highlighted).id
        return next((g for g in self.groups if g.id == option_id), None)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_pick()

    def action_pick(self) -> None:
        group = self._current()
        if group is not None:
            self.dismiss(group)

    def action_close(self) -> None:
        self.dismiss(None)

    def _own_current(self) -> Group | None:
        """The highlighted group if it is one's own to change; else None (and say why)."""
        group = self._current()
        if group is not None and not self.session.may_edit(group):
            self.notify(S.GROUP_NOT_OWN, severity="warning")
            return None
        return group

    def action_rename(self) -> None:
        app = self.ihr
        group = self._own_current()
        if group is None:
            return

        basket = list(app.session.draft.codes)

        def done(result: tuple[str, str] | tuple[str, str, bool] | None) -> None:
            if result is not None:
                name, scope, *replace = result
                codes = basket if replace and replace[0] and basket else list(group.service_codes)
                app.save_group(group, name, codes, scope)

        app.push_screen(
            GroupNameDialog(S.GROUP_RENAME_TITLE, group.name, group.scope == "personal", basket_size=len(basket)),
            done,
        )

    def action_delete(self) -> None:
        app = self.ihr
        group = self._own_current()
        if group is None:
            return

        def done(ok: bool | None) -> None:
            if ok:
                app.delete_group(group)

        app.push_screen(ConfirmDialog(f"{S.GROUP_DELETE_CONFIRM} «{group.name}»"), done)


class GroupNameDialog(Dialog[tuple[str, str] | tuple[str, str, bool] | None]):
    """Name and scope of a group; dismisses with (name, scope), when editing
    (name, scope, replace-services-with-the-basket), or None."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("enter", "submit", S.KEY_SAVE, id="group_name_ok", key_display="Enter"),
        Binding("escape", "close", S.KEY_CANCEL, id="group_name_cancel", key_display="Esc"),
    ]

    def __init__(self, title: str, name: str = "", personal: bool = True, basket_size: int | None = None) -> None:
        super().__init__()
        self.box_title = title
        self.initial = name
        self.personal = personal
        self.basket_size = basket_size  # editing: offer to replace the services with the basket

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box") as box:
            box.border_title = self.box_title
            yield TextInput(self.initial, placeholder=S.GROUP_NAME_PLACEHOLDER, id="group-name", max_length=80)
            yield Checkbox(S.GROUP_SCOPE_PERSONAL, self.personal, id="group-personal", compact=True)
            if self.basket_size:
                yield Checkbox(S.group_replace(self.basket_size), False, id="group-replace", compact=True)
            yield Static("", classes="dialog-error", id="group-error")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#group-name", TextInput).focus()

    @on(TextInput.Submitted, "#group-name")
    def _submitted(self, event: TextInput.Submitted) -> None:
        self.action_submit()

    def action_submit(self) -> None:
        name = self.query_one("#group-name", TextInput).value.strip()
        if not name:
            self.query_one("#group-error", Static).update(S.GROUP_NAME_REQUIRED)
            return
        personal = self.query_one("#group-personal", Checkbox).value
        scope = "personal" if personal else "office"
        if self.basket_size is not None:
            replace = bool(self.basket_size) and self.query_one("#group-replace", Checkbox).value
            self.dismiss((name, scope, replace))
        else:
            self.dismiss((name, scope))

    def action_close(self) -> None:
        self.dismiss(None)
