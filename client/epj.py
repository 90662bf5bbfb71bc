"""The order handed back to the journal system (EPJ), as FHIR.

When an order is saved, sent, cancelled in part or added to, the journal gets it again as
a FHIR transaction `Bundle` of `ServiceRequest`s and `Specimen`s (`ihr.epj.returned`), so
it files what was ordered, with the requisition numbers and the barcodes on the tubes:

- `epj_return_dir`: a file per hand-back in that folder (the journal picks them up),
  `ihr-bestilling-<order id>-<UTC time>-<n>.json`, written whole (a temporary file renamed) and
  readable by its owner alone; the name holds no personal data;
- `epj_return_url`: POSTed to the journal's FHIR endpoint (a transaction is POSTed to the
  server's base), through the IHR client's own connection, so with the same HelseID
  sign-in (a DPoP-bound token and a fresh proof for that URL).

Hand-backs of one session run one at a time, in the order the changes happened, so the
journal never gets an older state after a newer one. A failure raises `ReturnFailed`, whose
Norwegian `.message` names no person and no URL path.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from client.errors import IhrError

log = logging.getLogger("ihr.client")

FHIR_JSON = "application/fhir+json"


class ReturnFailed(Exception):
    """The order could not be handed back to the journal; `.message` says so in Norwegian."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def bundle_json(order: Any, catalog: Any, at: datetime) -> bytes:
    """The returned bundle's JSON (imports `fhir.resources`: call off the event loop)."""
    from ihr.epj.returned import order_bundle

    return order_bundle(order, catalog, at=at).model_dump_json().encode("utf-8")


_written = itertools.count(1)


def write_return_file(folder: Path, order_id: str, data: bytes) -> Path:
    """One hand-back as a file in the journal's folder, written whole, 0600. Names sort in
    the order they were written (UTC time of writing, then a running number)."""
    from ihr.privatefiles import FILE_MODE

    folder.mkdir(parents=True, exist_ok=True)
    safe_id = "".join(ch for ch in order_id if ch.isalnum() or ch in "-_")[:64] or "ukjent"
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    name = f"ihr-bestilling-{safe_id}-{stamp}-{next(_written):05d}.json"
    path = folder / name
    tmp = folder / f".{name}.tmp"
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, path)
    return path


class JournalReturn:
    """Where this installation hands orders back (`epj_return_dir`, `epj_return_url`)."""

    def __init__(self, return_dir: str = "", return_url: str = "") -> None:
        self.return_dir = Path(return_dir).expanduser() if return_dir.strip() else None
        self.return_url = return_url.strip() or None
        self._lock = asyncio.Lock()

    @classmethod
    def from_settings(cls, settings: Any) -> JournalReturn:
        return cls(settings.epj_return_dir, settings.epj_return_url)

    @property
    def wanted(self) -> bool:
        return self.return_dir is not None or self.return_url is not None

    async def hand_back(self, client: Any, order: Any, catalog: Any, at: datetime) -> list[str]:
        """Hand `order` (as it is now) back; what it was handed to ("mappe", "url")."""
        if not self.wanted:
            return []
        async with self._lock:  # in the order the changes came, never two at a time
            data = await asyncio.to_thread(bundle_json, order, catalog, at)
            done: list[str] = []
            if self.return_dir is not None:
                try:
                    await asyncio.to_thread(write_return_file, self.return_dir, order.id, data)
                except OSError as exc:
                    log.warning("order not written for the journal: %s", type(exc).__name__)
                    raise ReturnFailed(
                        f"Bestillingen ble ikke levert til journalen: kan ikke skrive i mappen {self.return_dir} "
                        f"({exc.strerror or type(exc).__name__})."
                    ) from None
                done.append("mappe")
            if self.return_url is not None:
                try:
                    await client.post_fhir_bundle(self.return_url, data)
                except IhrError as exc:
                    raise ReturnFailed(f"Bestillingen ble ikke levert til journalen: {exc.message}") from None
                done.append("url")
            return done
