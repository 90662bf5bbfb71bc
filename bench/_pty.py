"""Run a program in a pseudo-terminal and watch what it writes (for the TUI benchmarks).

`PtyApp(argv, cols, rows, env)` starts the program on a pty of that size; a reader thread
keeps every chunk it writes with a timestamp and feeds a pyte screen, so a benchmark can
wait for text to appear on the emulated screen, send keys, and count the bytes a keystroke
costs and how long until its first byte.
"""

from __future__ import annotations

import fcntl
import os
import signal
import struct
import subprocess
import termios
import threading
import time

import pyte


class PtyApp:
    def __init__(self, argv: list[str], cols: int = 120, rows: int = 36, env: dict[str, str] | None = None) -> None:
        self.cols, self.rows = cols, rows
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.master = master
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True, close_fds=True
        )
        os.close(slave)
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.chunks: list[tuple[float, int]] = []  # (time, size)
        self.output = bytearray()  # every byte the program wrote, escapes and all
        self.total = 0
        self._lock = threading.Condition()
        self._alive = True
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        while self._alive:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                break
            if not data:
                break
            now = time.perf_counter()
            with self._lock:
                self.chunks.append((now, len(data)))
                self.output += data
                self.total += len(data)
                try:
                    self.stream.feed(data)
                except Exception:  # pyte does not know every sequence; the count is what matters
                    pass
                self._lock.notify_all()
        with self._lock:
            self._alive = False
            self._lock.notify_all()

    def text(self) -> str:
        with self._lock:
            return "\n".join(self.screen.display)

    def wait_for_text(self, marker: str, timeout: float = 30.0) -> float:
        """Seconds from start until `marker` is on the emulated screen."""
        deadline = time.perf_counter() + timeout
        with self._lock:
            while marker not in "\n".join(self.screen.display):
                left = deadline - time.perf_counter()
                if left <= 0 or not self._alive:
                    raise TimeoutError(f"{marker!r} did not appear; screen:\n" + "\n".join(self.screen.display))
                self._lock.wait(min(left, 0.05))
            return time.perf_counter() - self.started

    def wait_quiet(self, quiet: float = 0.3, timeout: float = 10.0) -> None:
        """Wait until nothing has been written for `quiet` seconds."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            with self._lock:
                last = self.chunks[-1][0] if self.chunks else self.started
            if time.perf_counter() - last >= quiet:
                return
            time.sleep(quiet / 5)

    def send(self, data: bytes, quiet: float = 0.15, timeout: float = 5.0) -> tuple[float | None, int]:
        """Write keys; return (seconds to the first byte written back, bytes until quiet)."""
        with self._lock:
            n0, b0 = len(self.chunks), self.total
        t0 = time.perf_counter()
        os.write(self.master, data)
        first: float | None = None
        deadline = t0 + timeout
        with self._lock:
            while len(self.chunks) == n0 and time.perf_counter() < deadline:
                self._lock.wait(0.01)
            if len(self.chunks) > n0:
                first = self.chunks[n0][0] - t0
        self.wait_quiet(quiet, timeout)
        with self._lock:
            return first, self.total - b0

    def bytes_during(self, seconds: float) -> int:
        with self._lock:
            b0 = self.total
        time.sleep(seconds)
        with self._lock:
            return self.total - b0

    def rss_kb(self) -> int:
        """Resident memory of the program (VmRSS), in KiB."""
        with open(f"/proc/{self.proc.pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        self._alive = False
        try:
            os.close(self.master)
        except OSError:
            pass


def percentile(values: list[float], p: float) -> float:
    s = sorted(values)
    if not s:
        return float("nan")
    k = (len(s) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)
