"""Running the sandbox: embedded in a background thread, or in the foreground for a port.

`EmbeddedSandbox` binds 127.0.0.1 port 0 itself (a real loopback socket, so the client
talks to it exactly as to a remote service), hands the socket to uvicorn in a daemon
thread and returns once the service answers. uvicorn's access log stays off: paths such as
`/patients/{id}` carry a fødselsnummer. The sandbox is its own authority: its issuer is its
own origin (`base_url`), and clients sign in there once `register_client` knows them.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path
from types import TracebackType

import uvicorn
import uvicorn.config
from fastapi import FastAPI

from ihr.helseid import SCOPE_API
from ihr.models import Catalog
from sandbox.app import API_PREFIX, SEARCHES_PER_MINUTE, create_app

log = logging.getLogger("sandbox")

START_TIMEOUT_S = 15.0


def _config(app: FastAPI, *, embedded: bool, **kwargs: object) -> uvicorn.Config:
    """uvicorn settings: never an access log (paths carry fødselsnumre).

    Embedded, uvicorn must not configure logging at all (no dictConfig, no stderr handler):
    the host is a Textual app that owns the terminal. Its records go to the host's own
    handlers, if any; a NullHandler keeps Python's last-resort handler off stderr.
    """
    if embedded:
        for name in ("uvicorn", "sandbox"):
            logger = logging.getLogger(name)
            if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
                logger.addHandler(logging.NullHandler())
    return uvicorn.Config(
        app,
        access_log=False,
        log_config=None if embedded else uvicorn.config.LOGGING_CONFIG,
        log_level="warning" if embedded else "info",
        lifespan="on",
        timeout_graceful_shutdown=2,
        proxy_headers=False,  # forwarded scheme and host: only from a proxy the operator names (sandbox.guard)
        **kwargs,  # type: ignore[arg-type]
    )


class EmbeddedSandbox:
    """The sandbox on a free loopback port in a background thread; a context manager.

    `.url` is the API base (`http://127.0.0.1:PORT/api/v1`), `.base_url` the authority,
    `.db_path` the SQLite file (a temporary one unless given), `.app` the FastAPI app
    (its `state` holds `db`, `orders`, `hub` and `authority` for tests).
    """

    def __init__(
        self,
        *,
        db_path: Path | None = None,
        lab_delay_s: float = 2.0,
        catalog: Catalog | None = None,
        clock: Callable[[], datetime] | None = None,
        searches_per_minute: int | None = None,
        auth: bool = True,
    ) -> None:
        self.app = create_app(
            db_path=db_path, catalog=catalog, lab_delay_s=lab_delay_s, clock=clock, auth=auth,
            searches_per_minute=SEARCHES_PER_MINUTE if searches_per_minute is None else searches_per_minute,
        )
        self.db_path: Path = self.app.state.db.path
        self._sock: socket.socket | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.host = "127.0.0.1"
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def url(self) -> str:
        return self.base_url + API_PREFIX

    def start(self) -> EmbeddedSandbox:
        if self._thread is not None:
            return self
        # IPPROTO_TCP named, not left 0: asyncio turns Nagle off (TCP_NODELAY) only on sockets
        # whose proto says TCP, and with Nagle on, a small JSON body written after its headers
        # waited for the client's delayed ACK: 40 ms on every small answer.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, 0))
        sock.listen(128)
        sock.setblocking(False)
        self._sock = sock
        self.port = sock.getsockname()[1]
        self.app.state.authority.issuer = self.base_url
        self._server = uvicorn.Server(_config(self.app, embedded=True))
        failure: list[BaseException] = []

        def run() -> None:
            try:
                asyncio.run(self._server.serve(sockets=[sock]))  # type: ignore[union-attr]
            except BaseException as exc:  # pragma: no cover - reported by start()
                failure.append(exc)

        self._thread = threading.Thread(target=run, name="ihr-sandbox", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self._server.started:
            if failure or not self._thread.is_alive():
                self.stop()
                raise RuntimeError("Sandkassen kunne ikke starte") from (failure[0] if failure else None)
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("Sandkassen svarte ikke innen tidsfristen")
            time.sleep(0.005)
        return self

    def register_client(
        self,
        client_id: str,
        public_jwk: Mapping[str, object],
        office: str,
        scopes: Iterable[str] = (SCOPE_API,),
        name: str = "",
    ) -> None:
        """Let a client sign in here (its public key, the office it acts for by HER-id or
        organisation number, its scopes)."""
        self.app.state.authority.register_client(client_id, public_jwk, office, scopes, name)

    def stop(self) -> None:
        """Shut the server down and wait for its thread (idempotent)."""
        server, thread = self._server, self._thread
        if server is not None:
            server.should_exit = True
        if thread is not None:
            thread.join(timeout=10)
        if self._sock is not None:
            self._sock.close()
        self._server = self._thread = self._sock = None

    def __enter__(self) -> EmbeddedSandbox:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def serve(
    port: int,
    host: str = "127.0.0.1",
    db_path: Path | None = None,
    lab_delay_s: float = 2.0,
    auth: bool = True,
    audit_key_file: Path | None = None,
    trusted_proxies: Iterable[str] = (),
) -> None:
    """Run the sandbox in the foreground until interrupted (`ihr sandbox --port N`).

    Clients are registered in its SQLite file (`ihr sandbox register-client --db FILE`),
    also while it runs. `auth=False` is for `bench/bench_auth.py` alone.
    """
    app = create_app(
        db_path=db_path,
        lab_delay_s=lab_delay_s,
        issuer=f"http://{host}:{port}",
        auth=auth,
        audit_key_file=audit_key_file,
        trusted_proxies=tuple(trusted_proxies),
    )
    server = uvicorn.Server(_config(app, embedded=False, host=host, port=port))
    log.info("sandbox listening on http://%s:%d%s", host, port, API_PREFIX)
    server.run()
