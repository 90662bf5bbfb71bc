"""The command palette (Ctrl+P) in Norwegian: every action of the workflow by name."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from textual.command import CommandInput, CommandPalette, DiscoveryHit, Hit, Hits, Provider

from tui import strings as S

if TYPE_CHECKING:  # typing only: tui.app imports this module
    from tui.ports import IhrPort


class NorwegianCommandPalette(CommandPalette):
    """Textual's palette with a Norwegian placeholder and no blinking cursor (the Norwegian
    "no matches" comes from `IhrCommands`)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("placeholder", S.PALETTE_PLACEHOLDER)
        super().__init__(**kwargs)

    def on_mount(self) -> None:
        self.query_one(CommandInput).cursor_blink = False


class IhrCommands(Provider):
    """The app's actions, searchable in Norwegian."""

    def _commands(self) -> list[tuple[tuple[str, str], Callable[[], Any]]]:
        app = cast("IhrPort", self.app)
        return [
            (S.CMD_HELP, app.action_help),
            (S.CMD_PATIENT, app.action_go_patient),
            (S.CMD_ORDER, lambda: app.action_go("order")),
            (S.CMD_QUESTIONS, lambda: app.action_go("questions")),
            (S.CMD_REVIEW, lambda: app.action_go("review")),
            (S.CMD_GROUPS, app.action_open_groups),
            (S.CMD_PRIORITY, app.action_toggle_priority),
            (S.CMD_REQUESTER, app.action_choose_requester),
            (S.CMD_SAVE, lambda: app.finish("save")),
            (S.CMD_PRINT, lambda: app.finish("print")),
            (S.CMD_COLLECT, lambda: app.finish("collect")),
            (S.CMD_SEND, lambda: app.finish("send")),
            (S.CMD_PRINT_QUEUE, app.action_print_queue),
            (S.CMD_NEW_ORDER, app.action_new_order),
            (S.CMD_WORKLIST, app.action_go_worklist),
            (S.CMD_QUIT, app.action_request_quit),
        ]

    async def discover(self) -> Hits:
        for (name, help_text), command in self._commands():
            yield DiscoveryHit(name, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        found = False
        for (name, help_text), command in self._commands():
            score = max(matcher.match(name), matcher.match(help_text) * 0.5)
            if score > 0:
                found = True
                yield Hit(score, matcher.highlight(name), command, text=name, help=help_text)
        if not found:  # instead of Textual's English "No matches found"
            yield Hit(0.0, S.PALETTE_NO_MATCHES, lambda: None, text=S.PALETTE_NO_MATCHES)
