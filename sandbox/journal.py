"""A journal system's FHIR endpoint, small and real: where `ihr` hands orders back
(`epj_return_url`, see `client.epj`), for the tests and for trying the setting.

`POST /fhir` takes a transaction `Bundle` (JSON), validated with `fhir.resources`; each
entry is a conditional update (`PUT ServiceRequest?identifier=...`), kept under that URL,
so a later hand-back of the same order replaces what the first one filed. The answer is a
`transaction-response` Bundle. In front of it is the sandbox's own guard: only a request
signed in with the sandbox's HelseID (a DPoP-bound token and a proof for this URL) gets in,
as for the IHR API. `EmbeddedJournal` runs it on a loopback port in a thread.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import uvicorn
from fastapi import FastAPI, Request, Response
from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError

from sandbox.authority import Authority, Identity
from sandbox.guard import IDENTITY_KEY, Guard
from sandbox.problems import problem_response
from sandbox.server import START_TIMEOUT_S, _config

FHIR_PREFIX = "/fhir"
FHIR_JSON = "application/fhir+json"


@dataclass
class Filed:
    """What the journal holds: each resource under its conditional URL, and who sent what."""

    resources: dict[str, dict[str, Any]] = field(default_factory=dict)
    senders: list[Identity] = field(default_factory=list)
    bundles: int = 0


def create_journal_app(authority: Authority, filed: Filed) -> Any:
    """The journal's FHIR endpoint behind the sandbox's guard (ASGI)."""
    app = FastAPI(title="EPJ (sandkasse)", openapi_url=None, docs_url=None, redoc_url=None)
    lock = threading.Lock()

    @app.post(FHIR_PREFIX)
    async def transaction(request: Request) -> Response:
        try:
            bundle = Bundle.model_validate_json(await request.body())
        except ValidationError:
            return problem_response(422, "Ikke en gyldig FHIR R4-bundle.")
        if bundle.type != "transaction":
            return problem_response(422, "Journalen tar bare imot transaksjoner (Bundle.type = transaction).")
        answers = []
        with lock:
            for entry in bundle.entry or []:
                if entry.request is None or entry.resource is None or entry.request.method != "PUT":
                    return problem_response(422, "Hver oppføring må være en PUT med ressursen.")
                url = str(entry.request.url)
                status = "200 OK" if url in filed.resources else "201 Created"
                filed.resources[url] = entry.resource.model_dump(mode="json")
                answers.append({"response": {"status": status}})
            filed.senders.append(request.scope[IDENTITY_KEY])
            filed.bundles += 1
        reply = Bundle.model_validate({"type": "transaction-response", "entry": answers})
        return Response(reply.model_dump_json(), media_type=FHIR_JSON)

    return Guard(app, authority=authority, prefix=FHIR_PREFIX)


class EmbeddedJournal:
    """The journal endpoint on a free loopback port in a thread; `.url` is its FHIR base,
    `.filed` what it holds. `authority` is the sandbox's (`sandbox.app.state.authority`)."""

    def __init__(self, authority: Authority) -> None:
        self.filed = Filed()
        self.app = create_journal_app(authority, self.filed)
        self.port = 0
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._sock: socket.socket | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{FHIR_PREFIX}"

    def __enter__(self) -> EmbeddedJournal:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        sock.setblocking(False)
        self._sock, self.port = sock, sock.getsockname()[1]
        server = self._server = uvicorn.Server(_config(self.app, embedded=True))
        self._thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])), daemon=True)
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.__exit__(None, None, None)
                raise RuntimeError("Journalens FHIR-tjeneste kunne ikke starte")
            time.sleep(0.005)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._sock is not None:
            self._sock.close()
        self._server = self._thread = self._sock = None
