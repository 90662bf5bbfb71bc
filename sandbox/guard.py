"""The ASGI layer in front of the API: bearer token, body size and encoding, last-resort 500.

Pure ASGI (not BaseHTTPMiddleware) so that it can count the streamed body as it arrives:
a request whose Content-Length or whose actual bytes exceed the limit is answered 413
before the application sees it. Bodies are buffered (they are at most 1 MB) and checked to
be UTF-8 before FastAPI parses them, so an invalid byte never becomes a 500.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from sandbox.problems import problem_response, scrubbed_traceback

log = logging.getLogger("sandbox")

MAX_BODY_BYTES = 1024 * 1024  # 1 MB

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class GuardStats:
    """Counters the tests read: how many requests ended in the catch-all 500."""

    def __init__(self) -> None:
        self.unexpected_errors = 0


class Guard:
    def __init__(
        self,
        app: ASGIApp,
        *,
        token: str,
        prefix: str = "/api/v1",
        max_body: int = MAX_BODY_BYTES,
        stats: GuardStats | None = None,
    ) -> None:
        self.app = app
        self.token = token.encode("utf-8")
        self.prefix = prefix
        self.max_body = max_body
        self.stats = stats or GuardStats()

    def _authorised(self, header: bytes) -> bool:
        return authorised(self.token, header)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        headers = _headers(scope)
        if path == self.prefix or path.startswith(self.prefix + "/"):
            if not self._authorised(headers.get(b"authorization", b"")):
                await problem_response(
                    401,
                    "Innloggingen mot IHR er utløpt eller ugyldig (mangler gyldig tilgangsnøkkel).",
                    headers={"WWW-Authenticate": 'Bearer realm="ihr"'},
                )(scope, receive, send)
                return

        # ---- body: declared size, streamed size, content type, encoding ---------------
        declared = headers.get(b"content-length")
        if declared is not None:
            text = declared.strip()
            if not text.isdigit():
                await problem_response(400, "Ugyldig Content-Length.")(scope, receive, send)
                return
            if int(text) > self.max_body:
                await problem_response(413, "Forespørselen er for stor (mer enn 1 MB).")(
                    scope, receive, send
                )
                return

        method = scope.get("method", "GET").upper()
        has_body = (declared is not None and int(declared.strip()) > 0) or (
            b"chunked" in headers.get(b"transfer-encoding", b"").lower()
        )
        if method in _BODY_METHODS and has_body:
            chunks: list[bytes] = []
            total = 0
            more = True
            while more:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                chunk = message.get("body", b"")
                total += len(chunk)
                if total > self.max_body:
                    await problem_response(413, "Forespørselen er for stor (mer enn 1 MB).")(
                        scope, receive, send
                    )
                    return
                chunks.append(chunk)
                more = message.get("more_body", False)
            body = b"".join(chunks)
            if body:
                ctype = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
                if not (ctype == b"application/json" or ctype.endswith(b"+json")):
                    await problem_response(415, "Innholdet må være JSON (Content-Type: application/json).")(
                        scope, receive, send
                    )
                    return
                try:
                    body.decode("utf-8")
                except UnicodeDecodeError:
                    await problem_response(400, "Innholdet er ikke gyldig UTF-8.")(scope, receive, send)
                    return
            receive = _replay(body, receive)

        started = False

        async def send_wrapper(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        except Exception as exc:  # the catch-all: a 500 problem, logged without the path
            self.stats.unexpected_errors += 1
            route = scope.get("route")
            where = getattr(route, "path", "?")
            log.error("unexpected error in %s %s: %s", method, where, scrubbed_traceback(exc))
            if not started:
                await problem_response(500)(scope, receive, send)


def _headers(scope: Scope) -> dict[bytes, bytes]:
    out: dict[bytes, bytes] = {}
    for name, value in scope.get("headers", []):
        out[name.lower()] = value
    return out


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _bearer(value: bytes) -> bytes | None:
    scheme, _, credentials = value.strip().partition(b" ")
    if scheme.lower() != b"bearer":
        return None
    return credentials.strip() or None


def authorised(token: bytes, header: bytes) -> bool:
    given = _bearer(header)
    return given is not None and hmac.compare_digest(given, token)

