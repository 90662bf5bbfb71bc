"""The print queue: a job that did not print stays, with its labels, in the real SQLite file;
it survives a restart (a new process on the same file), can be retried or sent to another
printer, and the journal records where its labels finally printed."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from printing.journal import PrintJournal
from printing.layout import layout_label
from printing.queue import PrintQueue, UnknownJob
from printing.terminal import TerminalPrinter
from printing.transports import open_printer
from printing.zpl import job_zpl
from tests.printing.fake_zebra import READY, FakeZebra

ROOT = Path(__file__).resolve().parents[2]


def _printer(url: str):
    return open_printer(url, connect_timeout=1.0, io_timeout=0.6, drain_timeout=2.0)


def _dead_url() -> str:
    with socket.create_server(("127.0.0.1", 0)) as s:
        port = s.getsockname()[1]  # closed again: nobody listens there
    return f"tcp://127.0.0.1:{port}"


SUBMIT_IN_ANOTHER_PROCESS = r"""
import json, sys
from printing.journal import PrintJournal
from printing.labels import label_for
from printing.queue import PrintQueue
from printing.transports import open_printer
from tests.printing import factories as f

db, url = sys.argv[1:3]
label = label_for(f.specimen(), f.patient("Ødegård", "Åse Marie"), f.requester(), f.lab(),
                  f.container(), ["CRP", "Ferritin", "TSH"], None)  # as conftest.label
with PrintJournal(db) as journal:
    result = PrintQueue(journal).submit([label], open_printer(url, io_timeout=0.6), user="sekretær1")
print(json.dumps({"outcome": result.outcome, "queue_id": result.queue_id}))
"""


def test_failed_job_survives_a_restart_and_prints_on_retry(tmp_path, label):
    db = tmp_path / "ihr.sqlite3"
    expected = job_zpl([layout_label(label)]).encode("utf-8")
    with FakeZebra("paper_out") as zebra:
        done = subprocess.run(
            [sys.executable, "-c", SUBMIT_IN_ANOTHER_PROCESS, str(db), zebra.url],
            capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
            timeout=60, check=True,
        )
        submitted = json.loads(done.stdout)
        assert submitted["outcome"] == "failed" and zebra.jobs == []

        # A new process, new objects, the same file: the job is still there with its labels.
        with PrintJournal(db) as journal:
            queue = PrintQueue(journal)
            [job] = queue.waiting()
            assert job.id == submitted["queue_id"] and job.state == "waiting"
            assert job.specimen_ids == (label.specimen_id,) and job.printer_url == zebra.url
            assert job.message == "Skriveren er tom for etiketter"

            zebra.status = READY  # the secretary puts in new labels
            result = queue.retry(job.id, _printer(zebra.url), user="sekretær1")
            assert result.ok, result.message
            assert zebra.jobs == [expected]  # exactly the job that failed
            assert queue.waiting() == []
            assert queue.job(job.id).state == "done" and queue.job(job.id).attempts == 2
            first, second = reversed([e for e in journal.entries() if e.queue_id == job.id])
            assert (first.outcome, second.outcome) == ("failed", "ok")
            assert journal.printed_on(label.specimen_id) == zebra.url
            with pytest.raises(UnknownJob):
                queue.retry(job.id, _printer(zebra.url), user="sekretær1")


def test_redirect_to_another_printer(tmp_path, label, journal):
    queue = PrintQueue(journal)
    hers = _dead_url()
    result = queue.submit([label], _printer(hers), user="sekretær1")
    assert result.outcome == "failed" and "Fikk ikke kontakt" in result.message
    [job] = queue.waiting()
    with FakeZebra("ok") as lab_printer:  # the lab's printer down the hall
        moved = queue.retry(job.id, _printer(lab_printer.url), user="sekretær1")
        assert moved.ok and moved.printer_url == lab_printer.url
        assert lab_printer.jobs == [job_zpl([layout_label(label)]).encode("utf-8")]
    assert queue.waiting() == []
    assert journal.printed_on(label.specimen_id) == lab_printer.url
    assert [e.printer_url for e in reversed(journal.entries())] == [hers, lab_printer.url]


class SilentTerminal:
    """A terminal that takes the job and never answers the status request (as PuTTY).

    A stand-in for the terminal here only; test_terminal.py runs the real thing in a pty.
    """

    def __init__(self) -> None:
        self.blocks: list[bytes] = []

    def write(self, block: bytes) -> None:
        self.blocks.append(block)

    def ask(self, request: bytes, timeout: float) -> bytes:
        return b""


def test_unconfirmed_job_waits_until_the_secretary_confirms_it(tmp_path, label, journal):
    queue = PrintQueue(journal)
    terminal = SilentTerminal()
    result = queue.submit([label], TerminalPrinter(terminal), user="sekretær1")
    assert result.outcome == "unconfirmed" and not result.ok and len(terminal.blocks) == 1
    [job] = queue.waiting()
    assert job.state == "unconfirmed"
    assert not journal.was_printed(label.specimen_id)
    queue.confirm(job.id, user="sekretær2")
    assert queue.waiting() == []
    [entry] = journal.entries()
    assert entry.printed and entry.confirmed_by == "sekretær2" and entry.printer_url == "terminal:"


def test_labels_leave_the_file_when_the_job_is_done_or_dropped(tmp_path, label, journal):
    queue = PrintQueue(journal)

    def on_disk(text: str) -> bool:  # the file's bytes, free pages included
        return text.encode("utf-8") in journal.path.read_bytes()

    waiting = queue.submit([label], _printer(_dead_url()), user="u").queue_id
    assert on_disk(label.family_name)  # kept, to print it later
    queue.drop(waiting)
    assert not on_disk(label.family_name) and not on_disk(label.person_id)
    assert queue.waiting() == [] and queue.job(waiting).state == "dropped"
    assert not journal.was_printed(label.specimen_id)
    with FakeZebra("ok") as zebra:
        assert queue.submit([label], _printer(zebra.url), user="u").ok
    assert not on_disk(label.family_name) and not on_disk(label.person_id)


def test_bad_arguments_queue_nothing(journal, label):
    queue = PrintQueue(journal)
    with pytest.raises(ValueError):
        queue.submit([label], _printer(_dead_url()), user="u", reason="reprint")
    assert queue.waiting() == [] and journal.entries() == []


def test_journal_from_before_the_queue_is_upgraded_with_its_rows(tmp_path):
    db = tmp_path / "ihr.sqlite3"
    with sqlite3.connect(db) as old:  # the table as it was before `unconfirmed`
        old.execute(
            "CREATE TABLE print_jobs (id INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT NULL,"
            " finished_at TEXT, specimen_ids TEXT NOT NULL, copies INTEGER NOT NULL, reason TEXT NOT"
            " NULL CHECK (reason IN ('first', 'reprint')), reason_text TEXT, printer_url TEXT NOT NULL,"
            " user TEXT NOT NULL, outcome TEXT NOT NULL CHECK (outcome IN ('pending', 'ok', 'failed')),"
            " error TEXT)"
        )
        old.execute("INSERT INTO print_jobs VALUES (1, '2026-11-01T08:00:00+00:00',"
                    " '2026-11-01T08:00:01+00:00', '[\"2611220017\"]', 1, 'first', NULL,"
                    " 'file://x', 'u', 'ok', NULL)")
    with PrintJournal(db) as journal:
        assert journal.printed_on("2611220017") == "file://x"
        job = journal.start(["2611220018"], copies=1, reason="first", reason_text=None,
                            printer_url="terminal:", user="u")
        journal.finish(job, ok=False, error="ikke bekreftet", unconfirmed=True)
        assert [e.outcome for e in journal.entries()] == ["unconfirmed", "ok"]
