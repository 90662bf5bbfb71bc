"""The command palette (Ctrl+P) in Norwegian: every action of the workflow by name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.command import CommandInput, CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider

from tui import strings as S


class NorwegianCommandPalette(CommandPalette):
    """Textual's palette with Norwegian texts and no blinking cursor."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("placeholder", S.PALETTE_PLACEHOLDER)
        super().__init__(**kwargs)

    def on_mount(self) -> None:
        self.query_one(CommandInput).cursor_blink = False

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual shows an English "No matches found"; show ours instead.
        self._stop_no_matches_countdown()

        def show() -> None:
            from rich.align import Align
            from rich.text import Text
            from textual.widgets.option_list import Option

            if search_value:
                self.query_one(CommandList).add_option(
                    Option(Align.center(Text(S.PALETTE_NO_MATCHES, style="not bold")), disabled=True, id=self._NO_MATCHES)
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show)


class IhrCommands(Provider):
    """The app's actions, searchable in Norwegian."""

    def _commands(self) -> list[tuple[tuple[str, str], Callable[[], Any]]]:
        app: Any = self.app
        return [
            (S.CMD_HELP, app.action_help),
            (S.CMD_PATIENT, app.action_go_patient),
            (S.CMD_ORDER, app.action_go_order),
            (S.CMD_QUESTIONS, app.action_go_questions),
            (S.CMD_REVIEW, app.action_go_review),
            (S.CMD_GROUPS, app.action_open_groups),
            (S.CMD_PRIORITY, app.action_toggle_priority),
            (S.CMD_REQUESTER, app.action_choose_requester),
            (S.CMD_SAVE, app.action_save),
            (S.CMD_PRINT, app.action_print),
            (S.CMD_COLLECT, app.action_collect_dialog),
            (S.CMD_SEND, app.action_send),
            (S.CMD_NEW_ORDER, app.new_order),
            (S.CMD_WORKLIST, lambda: app.switch_mode("worklist")),
            (S.CMD_QUIT, app.action_request_quit),
        ]

    async def discover(self) -> Hits:
        for (name, help_text), command in self._commands():
            yield DiscoveryHit(name, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for (name, help_text), command in self._commands():
            score = max(matcher.match(name), matcher.match(help_text) * 0.5)
            if score > 0:
                yield Hit(score, matcher.highlight(name), command, text=name, help=help_text)
