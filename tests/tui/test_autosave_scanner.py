"""The autosave and the scanner, without Textual: a real SQLite file, a timer we fire by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from client.drafts import DraftStore
from tests.tui.test_session import CRP, HCG, catalog, session
from tui.autosave import Autosave
from tui.scanner import Scanner


class Timers:
    """`schedule(delay, callback)` as the app's `set_timer`; `fire()` runs what is due."""

    def __init__(self) -> None:
        self.pending: list[Any] = []

    def __call__(self, delay: float, callback: Any) -> Any:
        timer = Timer(callback)
        self.pending.append(timer)
        return timer

    def fire(self) -> None:
        due, self.pending = self.pending, []
        for timer in due:
            if not timer.stopped:
                timer.callback()


class Timer:
    def __init__(self, callback: Any) -> None:
        self.callback, self.stopped = callback, False

    def stop(self) -> None:
        self.stopped = True


def autosaved(tmp_path: Path) -> tuple[Any, Autosave, Timers, Path]:
    db = tmp_path / "ihr.sqlite3"
    timers = Timers()
    holder: dict[str, Autosave] = {}
    s = session("K", on_draft_change=lambda: holder["a"].changed())
    saver = holder["a"] = Autosave(s, lambda: DraftStore(db), timers)
    return s, saver, timers, db


def test_a_burst_of_changes_is_one_write_when_the_timer_fires(tmp_path: Path) -> None:
    s, saver, timers, db = autosaved(tmp_path)
    s.add_service(CRP)
    s.add_service(HCG)
    s.draft.answers["gravid"] = False
    assert len(timers.pending) == 1  # one timer for the burst
    assert DraftStore(db).get(s.patient.id, s.office_her_id) is None  # nothing written yet
    timers.fire()
    saver.close()  # waits for the write thread
    snap = DraftStore(db).get(s.patient.id, s.office_her_id)
    assert snap is not None and [c for c, _ in snap.items] == [CRP, HCG] and snap.answers == {"gravid": False}


def test_a_draft_comes_back_for_its_patient_and_goes_when_emptied(tmp_path: Path) -> None:
    s, saver, timers, db = autosaved(tmp_path)
    s.add_service(CRP)
    s.draft.priority = "haster"
    saver.flush().result()
    again, saver2, _, _ = autosaved(tmp_path)  # the next start, on the same file
    restored = saver2.restore()
    assert restored is not None and again.draft.codes == [CRP] and again.draft.priority == "haster"
    assert restored.order_id is None and not restored.changed
    again.draft.items.clear()
    saver2.flush().result()  # nothing left to lose: the row goes
    assert DraftStore(db).get(s.patient.id, s.office_her_id) is None


def test_a_draft_opened_before_the_catalog_waits_for_it(tmp_path: Path) -> None:
    s, saver, _, _ = autosaved(tmp_path)
    s.add_service(CRP)
    saver.flush().result()
    again, saver2, _, _ = autosaved(tmp_path)
    again.catalog = None
    assert saver2.restore() is None and saver2.restore_pending == again.patient.id
    again.catalog = catalog()
    assert saver2.restore() is not None and again.draft.codes == [CRP]


def test_after_close_a_change_is_written_at_once(tmp_path: Path) -> None:
    s, saver, timers, db = autosaved(tmp_path)
    saver.close()
    s.add_service(CRP)  # a worker finishing late, after the app has closed
    assert timers.pending == []
    assert DraftStore(db).get(s.patient.id, s.office_her_id) is not None


def test_eleven_fast_digits_and_enter_are_a_fodselsnummer_ten_a_label() -> None:
    scanner = Scanner()
    t = 100.0
    for i, ch in enumerate("15880099903"):
        assert scanner.key(ch, ch, t + i * 0.01) is None
    scan = scanner.key("enter", "\r", t + 0.12)
    assert scan is not None and (scan.kind, scan.digits) == ("patient", "15880099903")
    for i, ch in enumerate("1234567897"):
        scanner.key(ch, ch, t + 1 + i * 0.01)
    scan = scanner.key("enter", "\r", t + 1.11)
    assert scan is not None and (scan.kind, scan.digits) == ("specimen", "1234567897")


def test_typed_digits_and_other_keys_are_not_a_scan() -> None:
    scanner = Scanner()
    for i, ch in enumerate("15880099903"):  # a person: 0.2 s a digit
        scanner.key(ch, ch, 100.0 + i * 0.2)
    assert scanner.key("enter", "\r", 102.3) is None
    for i, ch in enumerate("158800a99903"):  # a letter in between
        scanner.key(ch, ch, 200.0 + i * 0.01)
    assert scanner.key("enter", "\r", 200.2) is None
