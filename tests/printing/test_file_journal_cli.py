"""File printer, print journal, service rules and the `ihr printer` command."""

from __future__ import annotations

import sqlite3

import pytest

from printing import errors
from printing.cli import printer_command
from printing.journal import PrintJournal
from printing.layout import layout_label
from printing.service import print_labels
from printing.transports import CupsPrinter, FilePrinter, TcpPrinter, open_printer
from printing.zpl import job_zpl


def test_open_printer_by_url(tmp_path):
    assert isinstance(open_printer("tcp://10.0.0.5:9100"), TcpPrinter)
    assert open_printer("tcp://printer.local").port == 9100
    cups = open_printer("cups://Zebra_ZD421?server=127.0.0.1:6310&timeout=5")
    assert isinstance(cups, CupsPrinter) and cups.server == "127.0.0.1:6310" and cups.job_timeout == 5
    assert isinstance(open_printer(f"file://{tmp_path}"), FilePrinter)
    assert open_printer("file://./etiketter").directory.as_posix() == "etiketter"
    for bad in ("lpt1", "http://x", "tcp://", "cups://"):
        with pytest.raises(errors.BadPrinterUrl):
            open_printer(bad)


def test_file_printer_one_file_per_job_never_overwrites(tmp_path, label, journal):
    printer = open_printer(f"file://{tmp_path / 'spool'}")
    results = [print_labels([label], printer, journal, user="u") for _ in range(3)]
    files = sorted((tmp_path / "spool").glob("*.zpl"))
    assert len(files) == 3 and all(r.ok for r in results)
    assert {r.reference for r in results} == {str(p) for p in files}
    expected = job_zpl([layout_label(label)]).encode("utf-8")
    assert all(p.read_bytes() == expected for p in files)
    assert all(p.name.startswith("etiketter-") for p in files)


def test_file_printer_failure_is_reported(tmp_path, label, journal):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    result = print_labels([label], open_printer(f"file://{blocker}"), journal, user="u")
    assert not result.ok and "Kunne ikke skrive etikettfilen" in result.message
    assert journal.entries()[0].outcome == "failed"


def test_journal_has_no_patient_data_and_records_reprints(tmp_path, label, journal):
    printer = open_printer(f"file://{tmp_path / 'spool'}")
    print_labels([label], printer, journal, user="sekretær1")
    print_labels([label], printer, journal, user="sekretær1", reason="reprint",
                 reason_text="Etiketten ble skadet")
    first, reprint = reversed(journal.entries(label.specimen_id))
    assert first.reason == "first" and reprint.reason == "reprint"
    assert reprint.reason_text == "Etiketten ble skadet"
    assert journal.was_printed(label.specimen_id)
    dump = "\n".join(sqlite3.connect(journal.path).iterdump())
    assert "print_jobs" in dump
    assert label.person_id not in dump and label.family_name not in dump
    assert label.given_name.split()[0] not in dump


def test_service_refuses_bad_arguments(tmp_path, label, journal):
    printer = open_printer(f"file://{tmp_path}")
    with pytest.raises(ValueError):
        print_labels([], printer, journal, user="u")
    with pytest.raises(ValueError):
        print_labels([label], printer, journal, user="u", reason="reprint")
    with pytest.raises(ValueError):
        print_labels([label], printer, journal, user="u", copies=0)
    assert journal.entries() == []


def test_journal_table_is_shared_safely(tmp_path):
    path = tmp_path / "ihr.sqlite3"
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE drafts (id INTEGER)")
    with PrintJournal(path) as j1, PrintJournal(path) as j2:
        job = j1.start(["1"], copies=1, reason="first", reason_text=None, printer_url="file://x", user="u")
        assert j2.entries()[0].outcome == "pending"
        j1.finish(job, ok=False, error="Skriveren er tom for etiketter")
        assert j2.entries()[0].error == "Skriveren er tom for etiketter"
        assert not j2.was_printed("1")


def test_cli_test_and_status_on_file_printer(tmp_path, capsys):
    url = f"file://{tmp_path}"
    assert printer_command(["test", "--url", url]) == 0
    [written] = tmp_path.glob("*.zpl")
    assert "TESTETIKETT" in written.read_text("utf-8")
    assert printer_command(["status", "--url", url]) == 0
    out = capsys.readouterr().out
    assert "Testetikett sendt" in out and "ingen status" in out
    assert printer_command(["status", "--url", "cups://kø1"]) == 0
    assert "CUPS-kø kan ikke rapportere" in capsys.readouterr().out
    assert printer_command(["test", "--preview", "--url", url]) == 0
    assert "TESTETIKETT" in capsys.readouterr().out
    assert printer_command(["status", "--url", "lpt1"]) == 2


def test_cli_uses_settings_printer_url(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("IHR_PRINTER_URL", f"file://{tmp_path / 'fra-innstillinger'}")
    assert printer_command(["test"]) == 0
    assert list((tmp_path / "fra-innstillinger").glob("*.zpl"))


def test_cli_usage_error_is_norwegian(capsys):
    with pytest.raises(SystemExit) as exc:
        printer_command(["tull"])
    assert exc.value.code == 2
    assert "Feil:" in capsys.readouterr().err
