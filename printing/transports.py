"""Printer transports, chosen by URL: `open_printer(url)`.

- `tcp://host:9100`  raw socket to a Zebra printer. `check_ready()` asks `~HS` before the
  job; `send()` writes the job and then asks `~HS` until the printer has taken it, so a
  fault that shows up while printing is reported; one still busy when the drain bound runs
  out is `DeliveryUnconfirmed` (look at the printer), never "printed". Every step has a bound (connect, send,
  status read); a printer that stays silent is "not ready", never "ok".
- `cups://queue`     a raw CUPS queue, through `lp -o raw`. Optional query parameters:
  `server=host:port` (otherwise CUPS_SERVER / client.conf), `timeout=seconds` (how long
  to wait for CUPS to finish the job). The job carries `job-cancel-after`, so a job for an
  offline printer is dropped by CUPS instead of printing hours later; when the job is not
  completed within the bound it is cancelled and reported as failed.
  Why not the `zebra` package: `Zebra.output()` pipes into `lpr -oraw` but ignores lpr's
  exit status, cannot pass job options, does not return the job id (so completion cannot be
  checked) and `getqueues()` drops the caller's environment (CUPS_SERVER). We call `lp`
  ourselves, with bytes already encoded as UTF-8, and check every result.
- `terminal:`        through the session's own terminal to the printer at the thin client
  (printer controller mode): `printing.terminal`.
- `file://dir`       one `.zpl` file per job in `dir` (the demo's default), named with the
  time and a job number, created exclusively so a file is never overwritten.

CUPS and file printers cannot report the printer's status (`status()` raises
`StatusUnsupported`).
"""

from __future__ import annotations

import itertools
import os
import re
import socket
import subprocess
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, unquote, urlsplit

from ihr.privatefiles import make_private_dirs
from printing import errors
from printing.printer import Printer
from printing.status import ETX, HS_COMMAND, HostStatus, StatusParseError, parse_host_status

if TYPE_CHECKING:
    from printing.terminal import TerminalLink

DEFAULT_CONNECT_TIMEOUT = 3.0
DEFAULT_IO_TIMEOUT = 5.0
DEFAULT_DRAIN_TIMEOUT = 15.0
DEFAULT_CUPS_TIMEOUT = 20.0


# ---- tcp ------------------------------------------------------------------------------


class TcpPrinter(Printer):
    can_report_status = True

    def __init__(
        self,
        host: str,
        port: int = 9100,
        *,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        io_timeout: float = DEFAULT_IO_TIMEOUT,
        drain_timeout: float = DEFAULT_DRAIN_TIMEOUT,
        poll_interval: float = 0.3,
    ) -> None:
        self.host = host
        self.port = port
        self.connect_timeout = connect_timeout
        self.io_timeout = io_timeout
        self.drain_timeout = drain_timeout
        self.poll_interval = poll_interval
        self.url = f"tcp://{host}:{port}"

    def _connect(self) -> socket.socket:
        try:
            sock = socket.create_connection((self.host, self.port), timeout=self.connect_timeout)
        except OSError as exc:
            raise errors.PrinterUnreachable(
                f"Fikk ikke kontakt med skriveren på {self.host}:{self.port}. "
                "Sjekk at den er slått på og koblet til nettverket"
            ) from exc
        sock.settimeout(self.io_timeout)
        return sock

    def _query(self, sock: socket.socket) -> HostStatus:
        """Send ~HS and read three STX...ETX strings within `io_timeout` in total."""
        deadline = time.monotonic() + self.io_timeout
        try:
            sock.sendall(HS_COMMAND)
            buf = b""
            while buf.count(ETX) < 3:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise errors.PrinterNotResponding()
                sock.settimeout(remaining)
                chunk = sock.recv(1024)
                if not chunk:
                    raise errors.PrinterNotResponding()
                buf += chunk
        except OSError as exc:  # includes socket timeouts
            raise errors.PrinterNotResponding() from exc
        finally:
            sock.settimeout(self.io_timeout)
        try:
            return parse_host_status(buf)
        except StatusParseError as exc:
            raise errors.PrinterNotResponding(
                "Skriveren ga et svar som ikke kunne tolkes – er det en Zebra-skriver?"
            ) from exc

    def status(self) -> HostStatus:
        with self._connect() as sock:
            return self._query(sock)

    def check_ready(self) -> None:
        problem = self.status().problem(before_job=True)
        if problem is not None:
            raise problem

    def send(self, data: bytes) -> str:
        with self._connect() as sock:
            try:
                sock.sendall(data)
            except OSError as exc:
                raise errors.SendFailed(
                    "Etikettene kom ikke fram til skriveren (forbindelsen ble brutt)"
                ) from exc
            # Tilde commands are handled at once, ahead of queued formats: poll until the
            # printer has worked through the job or reports a fault.
            deadline = time.monotonic() + self.drain_timeout
            while True:
                try:
                    status = self._query(sock)
                except errors.PrinterNotResponding as exc:
                    raise errors.PrinterNotResponding(
                        "Skriveren svarte ikke etter at etikettene ble sendt. "
                        "Kontroller etikettene og skriv ut på nytt ved behov"
                    ) from exc
                problem = status.problem(before_job=False)
                if problem is not None:
                    problem.message += (
                        ". Etikettene er kanskje ikke skrevet ut – kontroller og skriv ut "
                        "på nytt ved behov"
                    )
                    raise problem
                busy = status.formats_in_buffer > 0 or status.labels_remaining > 0
                if not busy:
                    return self.url
                if time.monotonic() >= deadline:
                    # Still busy at the bound, without a fault: the printer holds the job, but
                    # nothing says the labels came out. Never journaled as printed (issue 13).
                    raise errors.DeliveryUnconfirmed(
                        f"Skriveren holdt fortsatt på med etikettene etter {self.drain_timeout:g} sekunder. "
                        "Se på skriveren: bekreft hvis etikettene kom ut, ellers skriv ut på nytt",
                        reference=self.url,
                    )
                time.sleep(self.poll_interval)


# ---- cups -----------------------------------------------------------------------------

_REQUEST_ID = re.compile(r"request id is (\S+)")


class CupsPrinter(Printer):
    def __init__(
        self,
        queue: str,
        *,
        server: str | None = None,
        job_timeout: float = DEFAULT_CUPS_TIMEOUT,
        command_timeout: float = 10.0,
        poll_interval: float = 0.25,
    ) -> None:
        if not queue or re.search(r"[\s/#\\\x00-\x1f\x7f]", queue):
            raise errors.BadPrinterUrl(f"Ugyldig navn på utskriftskø: «{queue}»")
        self.queue = queue
        self.server = server
        self.job_timeout = job_timeout
        self.command_timeout = command_timeout
        self.poll_interval = poll_interval
        self.url = f"cups://{queue}" + (f"?server={server}" if server else "")
        # CUPS drops the job itself a little after we stop waiting, also if we crash.
        self.cancel_after = max(1, int(job_timeout) + 10)

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["LC_ALL"] = "C"
        env["LANG"] = "C"
        if self.server:
            env["CUPS_SERVER"] = self.server
        return env

    def _run(self, args: list[str], data: bytes | None = None) -> subprocess.CompletedProcess:
        try:
            return subprocess.run(
                args, input=data, capture_output=True, timeout=self.command_timeout,
                env=self._env(), check=False,
            )
        except FileNotFoundError as exc:
            raise errors.QueueError(
                "CUPS-verktøyene (lp, lpstat) er ikke installert på denne maskinen"
            ) from exc
        except subprocess.TimeoutExpired as exc:
            raise errors.QueueError("Utskriftssystemet (CUPS) svarte ikke i tide") from exc

    def send(self, data: bytes) -> str:
        result = self._run(
            ["lp", "-d", self.queue, "-o", "raw", "-o", f"job-cancel-after={self.cancel_after}",
             "-t", "ihr-etiketter"],
            data,
        )
        match = _REQUEST_ID.search(result.stdout.decode("utf-8", "replace"))
        if result.returncode != 0 or match is None:
            detail = result.stderr.decode("utf-8", "replace").strip().splitlines()
            raise errors.QueueError(
                f"Utskriftskøen «{self.queue}» tok ikke imot jobben"
                + (f" ({detail[0]})" if detail else "")
            )
        job_id = match.group(1)
        self._wait(job_id)
        return job_id

    def _listed(self, which: str, long: bool = False) -> str:
        args = ["lpstat", "-W", which, "-o", self.queue] + (["-l"] if long else [])
        result = self._run(args)
        if result.returncode != 0:
            raise errors.QueueError("Fikk ikke lest utskriftskøen fra CUPS")
        return result.stdout.decode("utf-8", "replace")

    def _wait(self, job_id: str) -> None:
        deadline = time.monotonic() + self.job_timeout
        pattern = re.compile(rf"^{re.escape(job_id)}\s", re.MULTILINE)
        while pattern.search(self._listed("not-completed")):
            if time.monotonic() >= deadline:
                self._run(["cancel", job_id])
                raise errors.JobNotCompleted(
                    f"Skriveren skrev ikke ut innen {self.job_timeout:g} sekunder, så "
                    "utskriften er avbrutt. Sjekk at skriveren er på og tilkoblet"
                )
            time.sleep(self.poll_interval)
        # It left the queue: completed, or cancelled / aborted by CUPS?
        history = self._listed("completed", long=True)
        block = _job_block(history, job_id)
        if block is not None and re.search(r"Alerts:.*(cancel|abort)", block):
            raise errors.QueueError("Utskriftsjobben ble avbrutt av utskriftssystemet (CUPS)")


def _job_block(listing: str, job_id: str) -> str | None:
    """The lines of `lpstat -l` that belong to `job_id`."""
    lines = listing.splitlines()
    for i, line in enumerate(lines):
        if line.split(" ", 1)[0] == job_id:
            block = [line]
            for following in lines[i + 1 :]:
                if not following.startswith(("\t", " ")):
                    break
                block.append(following)
            return "\n".join(block)
    return None


# ---- file -----------------------------------------------------------------------------

_job_numbers = itertools.count(1)


class FilePrinter(Printer):
    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        self.url = f"file://{directory}"

    def send(self, data: bytes) -> str:
        try:
            make_private_dirs(self.directory)  # labels name patients: a new folder is 0700
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            while True:
                path = self.directory / f"etiketter-{stamp}-{next(_job_numbers):04d}.zpl"
                try:
                    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                except FileExistsError:
                    continue
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                return str(path)
        except OSError as exc:
            raise errors.SendFailed(
                f"Kunne ikke skrive etikettfilen i {self.directory}"
            ) from exc


# ---- choosing -------------------------------------------------------------------------


def _float(query: dict[str, list[str]], key: str, default: float) -> float:
    try:
        return float(query[key][0]) if key in query else default
    except ValueError as exc:
        raise errors.BadPrinterUrl(f"Ugyldig verdi for {key} i skriveradressen") from exc


def open_printer(url: str, *, terminal: TerminalLink | None = None, **options: float) -> Printer:
    """The printer for `url`: tcp://host:9100, cups://queue, file://dir or terminal:.

    `terminal` is the link to the session's terminal, which `terminal:` prints through
    (`printing.terminal`). `options` go to the transport's constructor (e.g. `io_timeout=2`,
    `job_timeout=5`, `answer_timeout=0.5`). `terminal:?timeout=S` sets how long to wait for
    the terminal's status answer, `terminal:?dsr=off` not to ask (for terminals that answer
    wrongly, see `printing.terminal`).
    """
    if url.lower().startswith("terminal:"):
        from printing.terminal import DEFAULT_ANSWER_TIMEOUT, TerminalPrinter

        query = parse_qs(urlsplit(url).query)
        dsr = query.get("dsr", ["on"])[0].lower()
        if dsr not in ("on", "off"):
            raise errors.BadPrinterUrl("Ugyldig verdi for dsr i skriveradressen (bruk on eller off)")
        kwargs = {"answer_timeout": _float(query, "timeout", DEFAULT_ANSWER_TIMEOUT)}
        kwargs.update(options)
        return TerminalPrinter(terminal, ask_status=dsr == "on", **kwargs)
    scheme, _, rest = url.partition("://")
    scheme = scheme.lower()
    if scheme == "file" and rest:
        return FilePrinter(unquote(rest))
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    if scheme == "tcp" and parts.hostname:
        try:
            port = parts.port or 9100
        except ValueError as exc:
            raise errors.BadPrinterUrl("Ugyldig portnummer i skriveradressen") from exc
        kwargs = {"io_timeout": _float(query, "timeout", DEFAULT_IO_TIMEOUT)}
        kwargs.update(options)
        return TcpPrinter(parts.hostname, port, **kwargs)
    if scheme == "cups" and (parts.netloc or parts.path.strip("/")):
        queue = unquote(parts.netloc or parts.path.strip("/"))
        kwargs = {"job_timeout": _float(query, "timeout", DEFAULT_CUPS_TIMEOUT)}
        kwargs.update(options)
        return CupsPrinter(queue, server=query.get("server", [None])[0], **kwargs)
    raise errors.BadPrinterUrl()
