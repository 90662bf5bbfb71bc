"""Keys typed ahead of the screen (issue 18, items 5, 7, 8, 9 and 12): they land where they
would typed slowly, or are set aside where the secretary sees it; a key is never taken by
something she had not seen.

Bursts are posted as the terminal driver queues them (`app.post_message(events.Key(...))`,
no waiting in between), against the sandbox on a real loopback port.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from textual import events

from sandbox.seed import people
from tests.tui.helpers import add, on_questions, ready, type_text, wait_for
from tests.tui.test_startup_preview import held_app

#: A patient of the sandbox other than the demo patient (Haugland, Sindre: synthetic).
OTHER = people.seed_patients()[8]


def keys_of(text: str) -> list[tuple[str, str | None]]:
    return [("space" if ch == " " else ch, ch) for ch in text]


def burst(app: Any, keys: list[tuple[str, str | None]]) -> list[events.Key]:
    """Post `keys` in one go, as the driver queues a burst; the events posted."""
    posted = [events.Key(key, char) for key, char in keys]
    for event in posted:
        app.post_message(event)
    return posted


def status(app: Any) -> str:
    return str(app.screen.query_one("#status").render())


def set_aside(app: Any) -> str:
    """What the open J/N question says it set aside ("" if nothing, or no such question)."""
    lines = app.screen.query("#typed-ahead")
    return str(lines.first().render()) if lines and lines.first().display else ""


# ---- item 7: keys after a key that starts a job wait for its outcome -----------------------


async def test_f6_f7_f8_f9_in_one_write_save_print_collect_and_send(app_factory: Any, spool: Path) -> None:
    """On the review of an unsaved order, F6 F7 F8 (F8 in the collection dialog) F9 in one
    write: saved, printed, collected and sent, as typed slowly (F7 was refused before: the
    save had not come home)."""
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await add(pilot, "crp")
        await pilot.press("f5")
        await wait_for(pilot, lambda: app.current_mode == "review")
        burst(app, [("f6", None), ("f7", None), ("f8", None), ("f8", None), ("f9", None)])
        steps = app.session.draft.steps
        await wait_for(pilot, lambda: steps["send"].state in ("done", "failed") and not app.screen.is_modal, 30)
        assert {step: steps[step].state for step in ("save", "print", "collect", "send")} == {
            "save": "done", "print": "done", "collect": "done", "send": "done"}, status(app)
        assert len(list(spool.glob("*.zpl"))) == 1  # one label job, for the saved order


async def test_enter_on_a_name_search_holds_the_keys_after_it(app_factory: Any) -> None:
    """"haugland" Enter Enter in one write: the second Enter waits for the results and opens
    the one patient found (it went to the field and searched again before)."""
    app = app_factory(context=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        burst(app, [*keys_of("haugland"), ("enter", "\r"), ("enter", "\r")])
        await wait_for(pilot, lambda: app.session.patient is not None and app.current_mode == "order", 20)
        assert app.session.patient.id == OTHER.id


# ---- item 5: the name search's result list ----------------------------------------------------


async def test_letters_typed_in_the_result_list_go_to_the_search_and_enter_never_opens_a_stale_list(
    app_factory: Any,
) -> None:
    """"sen" finds four patients and the list has focus. Backspace and "haugland" typed then go
    to the search field, and Enter searches again instead of opening the highlighted patient of
    the list that no longer matches (Christophersen Fjellheim, the first of "sen")."""
    app = app_factory(context=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        field, table = app.screen.query_one("#patient-query"), app.screen.query_one("#patient-results")
        await type_text(pilot, "sen")
        await pilot.press("enter")
        await wait_for(pilot, lambda: table.row_count >= 2 and table.has_focus)
        burst(app, [("backspace", None)] * 3 + keys_of("haugland") + [("enter", "\r")])
        await wait_for(pilot, lambda: table.row_count == 1 and table.has_focus, 20)
        assert field.value == "haugland"
        assert app.session.patient is None  # nobody opened from the stale list
        assert "Haugland" in str(table.get_row_at(0))
        await pilot.press("enter")  # the list matches the field now: Enter opens its patient
        await wait_for(pilot, lambda: app.session.patient is not None and app.current_mode == "order")
        assert app.session.patient.id == OTHER.id


async def test_letters_typed_in_the_order_builders_result_list_go_to_its_search(app_factory: Any) -> None:
    """"crp", the result list focused (Tab), then Backspace x3, "tsh", Enter in one burst: the
    field reads "tsh" and P-TSH goes into the basket, not the P-CRP highlighted before."""
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        results, field = app.screen.query_one("#results"), app.screen.query_one("#search")
        await type_text(pilot, "crp")
        await wait_for(pilot, lambda: bool(results.rows) and results.rows[0].name == "P-CRP")
        results.focus()
        await wait_for(pilot, lambda: results.has_focus)
        burst(app, [("backspace", None)] * 3 + keys_of("tsh") + [("enter", "\r")])
        await wait_for(pilot, lambda: len(app.session.draft.codes) == 1)
        assert [s.name for s in app.session.draft.services] == ["P-TSH"] and field.value == ""


# ---- item 8: a scan is never taken from a text field's typing; J/N takes no typed-ahead key ----


async def test_a_number_typed_fast_in_the_comment_stays_text(app_factory: Any) -> None:
    """"Ring <11 digits>" Enter in one burst in the comment: the digits are the comment's, not a
    scan (no "Bytte pasient?", the patient stays)."""
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await on_questions(pilot, "crp", showing="__comment__")
        comment = app.screen.fields["__comment__"].field
        comment.focus()
        await pilot.pause()
        burst(app, [*keys_of(f"Ring {OTHER.id}"), ("enter", "\r"), ("space", " "), ("i", "i")])
        await wait_for(pilot, lambda: app.session.draft.comment.endswith(" i") or not app.screen.is_current, 10)
        assert not app.screen.is_modal and app.current_mode == "questions"
        assert app.session.draft.comment.startswith(f"Ring {OTHER.id}")
        assert app.session.patient.id != OTHER.id


async def test_a_yes_no_question_sets_aside_the_letters_typed_ahead(app_factory: Any) -> None:
    """Ctrl+N on the review and "MR kne" Enter in one write: "Tømme kurven?" is not answered by
    the "n" (nor the Enter); it says what it set aside. J pressed after a pause answers it."""
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await add(pilot, "crp")
        await pilot.press("f5")
        await wait_for(pilot, lambda: app.current_mode == "review")
        posted = burst(app, [("ctrl+n", None), *keys_of("MR kne"), ("enter", "\r")])
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmDialog" and "«MR kne⏎»" in set_aside(app))
        assert app.session.draft.codes == ["NPU19748"]  # not answered: the basket is there
        answer = events.Key("j", "j")
        answer.time = posted[-1].time + 1.0  # she stopped typing, read the question, pressed J
        app.post_message(answer)
        await wait_for(pilot, lambda: app.session.draft.codes == [] and app.current_mode == "order")


# ---- item 9: keys typed during start-up --------------------------------------------------------


async def test_crp_enter_typed_during_start_up_puts_crp_in_the_basket(settings: Any) -> None:
    """No catalog cached (the first start): "crp" Enter typed before the catalog has come
    keeps its Enter; P-CRP goes in once the catalog is there, and the field is empty again."""
    release = threading.Event()
    app = held_app(settings, release)
    async with app.run_test(size=(120, 36)) as pilot:
        try:
            await wait_for(pilot, lambda: app.current_mode == "order" and app.screen.query_one("#search").has_focus)
            burst(app, [*keys_of("crp"), ("enter", "\r")])
            await wait_for(pilot, lambda: app.screen.query_one("#search").value == "crp")
            assert app.session.index is None  # still loading
        finally:
            release.set()
        await ready(pilot)
        await wait_for(pilot, lambda: app.session.draft.codes == ["NPU19748"])
        assert app.screen.query_one("#search").value == ""


# ---- item 12: the search fields belong to the patient -----------------------------------------


async def test_the_search_fields_are_emptied_when_the_patient_changes(app_factory: Any) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await type_text(pilot, "crp")  # typed, not chosen
        assert app.screen.query_one("#search").value == "crp"
        await pilot.press("f2")
        await wait_for(pilot, lambda: app.current_mode == "patient")
        await type_text(pilot, "haugland")
        await pilot.press("enter")
        table = app.screen.query_one("#patient-results")
        await wait_for(pilot, lambda: table.row_count == 1 and table.has_focus)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.session.patient.id == OTHER.id and app.current_mode == "order")
        assert app.screen.query_one("#search").value == ""  # not the last patient's "crp"
        await pilot.press("f2")
        await wait_for(pilot, lambda: app.current_mode == "patient")
        assert app.screen.query_one("#patient-query").value == ""
        assert not app.screen.query_one("#patient-results").display


def test_digits_right_after_typed_text_are_not_a_scan_but_a_scan_after_a_pause_is() -> None:
    """The scanner, on its own (no Textual): "Ring " and eleven digits and Enter, all in a few
    milliseconds (a burst), is text; the same digits 0.4 s after the last letter are a scan, and
    so are digits after a key that types nothing (Tab). Twelve fast digits are not a fødselsnummer."""
    from tui.scanner import Scanner

    def feed(scanner: Scanner, keys: str, start: float, step: float = 0.002) -> Any:
        scan = None
        for i, ch in enumerate(keys):
            key = {" ": "space", "\r": "enter", "\t": "tab"}.get(ch, ch)
            scan = scanner.key(key, None if ch == "\t" else ch, start + i * step)
        return scan

    scanner = Scanner()
    assert feed(scanner, f"Ring {OTHER.id}\r", 100.0) is None
    feed(scanner, "Ring ", 200.0)
    scan = feed(scanner, f"{OTHER.id}\r", 200.4)
    assert scan is not None and (scan.kind, scan.digits) == ("patient", OTHER.id)
    scan = feed(scanner, f"\t{OTHER.id}\r", 300.0)
    assert scan is not None and scan.digits == OTHER.id
    assert feed(scanner, f"7{OTHER.id}\r", 400.0) is None
    feed(scanner, "7", 500.0)  # a digit typed by hand, then a scan a second later
    scan = feed(scanner, f"{OTHER.id}\r", 501.0)
    assert scan is not None and scan.digits == OTHER.id


async def test_a_job_that_does_not_come_home_holds_the_keys_only_so_long(
    app_factory: Any, settings: Any, monkeypatch: Any, caplog: Any
) -> None:
    """F6 against a service that accepts the connection and never answers (a real loopback
    socket), then F3: F3 waits for the save only `JOB_LIMIT_S` (here 0.5 s), then goes on,
    with a warning in the log; the save is still under way."""
    import logging
    import socket

    from tests.tui.conftest import make_client

    monkeypatch.setattr("tui.keys.JOB_LIMIT_S", 0.5)
    app = app_factory()
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        async with app.run_test(size=(120, 36)) as pilot:
            await ready(pilot)
            await add(pilot, "crp")
            await pilot.press("f5")
            await wait_for(pilot, lambda: app.current_mode == "review")
            app.client = make_client(settings, url=f"http://127.0.0.1:{silent.getsockname()[1]}/api/v1")
            with caplog.at_level(logging.WARNING, logger="tui.keys"):
                burst(app, [("f6", None), ("f3", None)])
                await wait_for(pilot, lambda: app.current_mode == "order")
            assert app.session.draft.steps["save"].state == "running"  # F3 did not wait for it
            assert any("did not come home" in r.getMessage() for r in caplog.records)
            await app.client.aclose()


async def test_a_j_typed_ahead_does_not_confirm_labels_nobody_saw(settings: Any) -> None:
    """F7 and then "j" F9 in one write, on a terminal printer that cannot confirm (PuTTY; the
    terminal is played by `SilentTerminal`, a Pilot test has none): the keys wait for the print's
    outcome, "Kom etikettene ut?", and the "j" and F9 typed before it was read are set aside
    there, not taken as "yes, they came out"."""
    from tests.tui.helpers import saved_on_review
    from tests.tui.test_printing import SilentTerminal, build_app

    terminal = SilentTerminal()
    app = build_app(settings.copy_with(printer_url="terminal:"), terminal)
    async with app.run_test(size=(100, 36)) as pilot:
        await saved_on_review(pilot, "crp")
        burst(app, [("f7", None), ("j", "j"), ("f9", None)])
        await wait_for(pilot, lambda: type(app.screen).__name__ == "PrintedDialog" and "«j[F9]»" in set_aside(app))
        assert app.session.draft.steps["print"].state == "unconfirmed"
        assert app.session.draft.steps["send"].state == "pending"
        assert len(terminal.written) == 1
