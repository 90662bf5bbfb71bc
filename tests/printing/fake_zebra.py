"""A Zebra printer on 127.0.0.1 for the tests: answers `~HS`, records everything received.

`FakeZebra(variant)` with variant one of VARIANTS. "silent" accepts connections and reads
but never answers. "paper_out_after" is ready before a job and out of paper after it;
"silent_after" is ready before a job and silent after it.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import replace

from printing.status import HS_COMMAND, HostStatus, format_host_status

READY = HostStatus(
    paper_out=False, paused=False, label_length_dots=200, formats_in_buffer=0,
    buffer_full=False, head_up=False, ribbon_out=False, labels_remaining=0,
)

VARIANTS: dict[str, HostStatus | None] = {
    "ok": READY,
    "paper_out": replace(READY, paper_out=True),
    "head_open": replace(READY, head_up=True),
    "paused": replace(READY, paused=True),
    "ribbon_out": replace(READY, ribbon_out=True),
    "buffer_full": replace(READY, buffer_full=True),
    "silent": None,
    "paper_out_after": READY,
    "silent_after": READY,
    "busy_after": READY,  # after the job: formats still in the buffer, for ever
}


class FakeZebra:
    def __init__(self, variant: str = "ok") -> None:
        self.variant = variant
        self.status = VARIANTS[variant]
        self.connections: list[bytearray] = []
        self.hs_queries = 0
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.2)
        self.port = self._server.getsockname()[1]
        self.url = f"tcp://127.0.0.1:{self.port}"
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._accept = threading.Thread(target=self._serve, daemon=True)
        self._accept.start()

    def __enter__(self) -> FakeZebra:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._stop.set()
        self._accept.join(timeout=2)
        self._server.close()
        for t in self._threads:
            t.join(timeout=2)

    @property
    def jobs(self) -> list[bytes]:
        """What each connection sent, with the `~HS` queries taken out, empty ones dropped."""
        with self._lock:
            out = [bytes(c).replace(HS_COMMAND, b"") for c in self.connections]
        return [j for j in out if j]

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except (TimeoutError, OSError):
                continue
            buf = bytearray()
            with self._lock:
                self.connections.append(buf)
            t = threading.Thread(target=self._handle, args=(conn, buf), daemon=True)
            self._threads.append(t)
            t.start()

    def _answer(self, after_job: bool) -> bytes | None:
        status = self.status
        if status is None:
            return None
        if self.variant == "silent_after" and after_job:
            return None
        if self.variant == "paper_out_after" and after_job:
            status = replace(status, paper_out=True)
        if self.variant == "busy_after" and after_job:
            status = replace(status, formats_in_buffer=1, labels_remaining=2)
        return format_host_status(status)

    def _handle(self, conn: socket.socket, buf: bytearray) -> None:
        conn.settimeout(0.2)
        scanned = 0
        with conn:
            while not self._stop.is_set():
                try:
                    chunk = conn.recv(65536)
                except TimeoutError:
                    continue
                except OSError:
                    return
                if not chunk:
                    return
                with self._lock:
                    buf.extend(chunk)
                    data = bytes(buf)
                while (at := data.find(HS_COMMAND, scanned)) >= 0:
                    scanned = at + len(HS_COMMAND)
                    self.hs_queries += 1
                    after_job = len(data[:at].replace(HS_COMMAND, b"")) > 0
                    answer = self._answer(after_job)
                    if answer is not None:
                        conn.sendall(answer)
