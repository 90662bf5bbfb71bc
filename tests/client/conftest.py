"""A real HTTP server on loopback that misbehaves on cue, for the client's retry policy.

No mocks: `ScriptedServer` is a tiny HTTP/1.1 server on an asyncio socket. Each test gives
it a handler that sees every request (method, path, headers, body) and answers with a
status and body, closes the connection without answering, or hangs past the client's
timeout.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from ihr.models import (
    ItemInput,
    Order,
    OrderInput,
    OrderItem,
    OrderStatus,
    Patient,
    Requester,
    Requisition,
)
from ihr.models.catalog import Discipline


@dataclass
class Req:
    method: str
    path: str  # path and query as sent
    headers: dict[str, str]  # lower-case names
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # bytes, str or JSON-able
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"


@dataclass
class Close:
    """Read the request, then close the connection without a word."""


@dataclass
class Hang:
    seconds: float


Handler = Callable[[Req, int], Reply | Close | Hang]


class ScriptedServer:
    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[Req] = []
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v1"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for w in list(self._writers):  # keep-alive connections go too: the server is gone
            w.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                lines = head.decode("latin-1").split("\r\n")
                method, path, _ = lines[0].split(" ", 2)
                headers: dict[str, str] = {}
                for line in lines[1:]:
                    if ":" in line:
                        k, v = line.split(":", 1)
                        headers[k.strip().lower()] = v.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0") or 0))
                req = Req(method, path, headers, body)
                n = len(self.requests)
                self.requests.append(req)
                action = self.handler(req, n)
                if isinstance(action, Close):
                    return
                if isinstance(action, Hang):
                    await asyncio.sleep(action.seconds)
                    return
                payload = action.body
                if payload is None:
                    data = b""
                elif isinstance(payload, bytes):
                    data = payload
                elif isinstance(payload, str):
                    data = payload.encode()
                else:
                    data = json.dumps(payload).encode()
                out = [f"HTTP/1.1 {action.status} X"]
                if data or action.status not in (204, 304):
                    out.append(f"Content-Type: {action.content_type}")
                out.append(f"Content-Length: {len(data)}")
                out.extend(f"{k}: {v}" for k, v in action.headers.items())
                writer.write(("\r\n".join(out) + "\r\n\r\n").encode("latin-1") + data)
                await writer.drain()
        finally:
            self._writers.discard(writer)
            writer.close()


@pytest.fixture(scope="session")
def authority(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The sandbox as the authority only: scripted API servers, real sign-in."""
    from sandbox.server import EmbeddedSandbox

    with EmbeddedSandbox(lab_delay_s=0) as sb:
        yield sb


@pytest.fixture
def signed_in(authority: Any, tmp_path: Path) -> Callable[[], Any]:
    """`signed_in()`: a new `HelseIdAuth` of a client registered with the sandbox authority."""
    from client.auth import HelseIdAuth
    from tests.helseid import session_for

    return lambda: HelseIdAuth(session_for(authority, tmp_path, authority.base_url))


@pytest.fixture
async def scripted() -> AsyncIterator[Callable[[Handler], Any]]:
    servers: list[ScriptedServer] = []

    async def make(handler: Handler) -> ScriptedServer:
        s = ScriptedServer(handler)
        await s.start()
        servers.append(s)
        return s

    yield make
    for s in servers:
        await s.stop()


# ---- small valid domain objects -----------------------------------------------------

PATIENT_ID = "01018012345"  # shape of a synthetic number; only ever travels to loopback


def make_patient() -> Patient:
    return Patient(
        id=PATIENT_ID, family_name="Testesen", given_name="Tove", birth_date=date(1980, 1, 1), sex="K"
    )


def make_order_input(**kw: Any) -> OrderInput:
    base: dict[str, Any] = dict(
        patient_id=PATIENT_ID,
        requester_hpr="991234567",
        office_her_id="99123456",
        items=[ItemInput(service_code="NPU19748")],
    )
    base.update(kw)
    return OrderInput(**base)


def make_order(order_id: str = "ord-1", oi: OrderInput | None = None) -> Order:
    oi = oi or make_order_input()
    now = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
    return Order(
        id=order_id,
        patient=make_patient(),
        requester=Requester(hpr=oi.requester_hpr, name="Lege Test", office_her_id=oi.office_her_id),
        office_her_id=oi.office_her_id,
        status=OrderStatus.SAVED,
        created_at=now,
        updated_at=now,
        requisitions=[
            Requisition(
                id="req-1",
                number="R1",
                kind="rekvisisjon",
                discipline=Discipline.LAB,
                lab_her_id="99000001",
                items=[OrderItem(id="it-1", service_code=i.service_code, name=i.service_code) for i in oi.items],
            )
        ],
    )


def order_json(order_id: str = "ord-1", oi: OrderInput | None = None) -> Any:
    return make_order(order_id, oi).model_dump(mode="json")
