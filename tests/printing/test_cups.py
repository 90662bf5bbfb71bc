"""A real CUPS raw queue (own cupsd) whose device is a TCP listener in the test."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from printing import errors
from printing.layout import layout_label
from printing.service import print_labels
from printing.transports import CupsPrinter, open_printer
from printing.zpl import job_zpl
from tests.printing.cups_server import CupsUnavailable, start_cupsd


@pytest.fixture(scope="session")
def cups_server():
    try:
        server = start_cupsd()
    except CupsUnavailable as exc:
        pytest.skip(f"no CUPS for the tests: {exc}")
    yield server
    server.stop()


class Sink:
    """A raw printer port: accepts connections and keeps what each one sent."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.received: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except (TimeoutError, OSError):
                continue
            data = bytearray()
            with conn:
                conn.settimeout(5)
                try:
                    while chunk := conn.recv(65536):
                        data.extend(chunk)
                except OSError:
                    pass
            self.received.append(bytes(data))

    def wait_for(self, count: int, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.05)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.server.close()


def test_raw_queue_delivers_identical_bytes(cups_server, label, journal):
    sink = Sink()
    try:
        cups_server.add_raw_queue("ihr_ok", f"socket://127.0.0.1:{sink.port}")
        printer = open_printer(f"cups://ihr_ok?server={cups_server.server}&timeout=15")
        result = print_labels([label, label], printer, journal, copies=2, user="sekretær1")
        assert result.ok, f"{result.message}\n{cups_server.log_tail()}"
        sink.wait_for(1)
        expected = job_zpl([layout_label(label)] * 2, copies=2).encode("utf-8")
        assert sink.received == [expected]
        assert "Ø".encode() in expected  # UTF-8, not cp437
    finally:
        sink.close()
    [entry] = journal.entries()
    assert entry.outcome == "ok" and entry.printer_url.startswith("cups://ihr_ok")
    # The job carried job-cancel-after.
    assert result.reference and result.reference.startswith("ihr_ok-")


def test_printer_gone_is_a_failure_not_a_silent_success(cups_server, label, journal):
    with socket.create_server(("127.0.0.1", 0)) as s:
        dead_port = s.getsockname()[1]  # closed again: nobody listens there
    cups_server.add_raw_queue("ihr_gone", f"socket://127.0.0.1:{dead_port}")
    printer = CupsPrinter("ihr_gone", server=cups_server.server, job_timeout=3)
    started = time.monotonic()
    result = print_labels([label], printer, journal, user="sekretær1")
    elapsed = time.monotonic() - started
    assert not result.ok
    assert isinstance(result.error, errors.JobNotCompleted)
    assert "skrev ikke ut innen 3 sekunder" in result.message
    assert elapsed < 10
    [entry] = journal.entries()
    assert entry.outcome == "failed" and not journal.was_printed(label.specimen_id)
    # Cancelled, so it cannot come out hours later.
    pending = cups_server.run("lpstat", "-W", "not-completed", "-o", "ihr_gone").stdout
    assert result.error and pending.strip() == ""


def test_unknown_queue_is_reported(cups_server, label, journal):
    printer = CupsPrinter("finnes_ikke", server=cups_server.server, job_timeout=3)
    result = print_labels([label], printer, journal, user="u")
    assert not result.ok and isinstance(result.error, errors.QueueError)
    assert "tok ikke imot jobben" in result.message
    assert journal.entries()[0].outcome == "failed"


def test_queued_job_redirected_to_a_cups_queue(cups_server, label, journal):
    """Her printer is off: the job waits in the print queue and goes to the lab's CUPS queue."""
    from printing.queue import PrintQueue

    with socket.create_server(("127.0.0.1", 0)) as s:
        dead_port = s.getsockname()[1]
    queue = PrintQueue(journal)
    failed = queue.submit([label], open_printer(f"tcp://127.0.0.1:{dead_port}", connect_timeout=1.0),
                          user="sekretær1")
    assert failed.outcome == "failed"
    [job] = queue.waiting()
    sink = Sink()
    try:
        cups_server.add_raw_queue("ihr_lab", f"socket://127.0.0.1:{sink.port}")
        lab = open_printer(f"cups://ihr_lab?server={cups_server.server}&timeout=15")
        result = queue.retry(job.id, lab, user="sekretær1")
        assert result.ok, f"{result.message}\n{cups_server.log_tail()}"
        sink.wait_for(1)
        assert sink.received == [job_zpl([layout_label(label)]).encode("utf-8")]
    finally:
        sink.close()
    assert queue.waiting() == []
    assert journal.printed_on(label.specimen_id) == lab.url
