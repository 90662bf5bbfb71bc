"""The ASGI layer in front of the API: access token and DPoP proof, body size and encoding,
last-resort 500.

Every request under the API prefix is verified here, before routing, so no endpoint can be
added without it: `Authority.verify` checks the token and its proof and the caller's
`Identity` goes into the ASGI scope under `IDENTITY_KEY` for the endpoints (which check the
scope the route needs). `auth=False` skips the check and hands every request one fixed
identity: only `bench/bench_auth.py` uses it, to measure what the check costs.

Pure ASGI (not BaseHTTPMiddleware) so that it can count the streamed body as it arrives:
a request whose Content-Length or whose actual bytes exceed the limit is answered 413
before the application sees it. Bodies are buffered (they are at most 1 MB) and checked to
be UTF-8 before FastAPI parses them, so an invalid byte never becomes a 500.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Collection, MutableMapping
from typing import Any

from ihr.helseid import TOKEN_PATH
from ihr.tracebacks import scrubbed_traceback
from sandbox.authority import AuthError, Authority, Identity
from sandbox.problems import problem_response

log = logging.getLogger("sandbox")

MAX_BODY_BYTES = 1024 * 1024  # 1 MB

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
IDENTITY_KEY = "ihr.identity"


class GuardStats:
    """Counters the tests read: how many requests ended in the catch-all 500."""

    def __init__(self) -> None:
        self.unexpected_errors = 0


class Guard:
    def __init__(
        self,
        app: ASGIApp,
        *,
        authority: Authority,
        prefix: str = "/api/v1",
        max_body: int = MAX_BODY_BYTES,
        stats: GuardStats | None = None,
        unchecked_identity: Identity | None = None,
        trusted_proxies: Collection[str] = (),
    ) -> None:
        self.app = app
        self.authority = authority
        self.prefix = prefix
        self.max_body = max_body
        self.stats = stats or GuardStats()
        self.unchecked_identity = unchecked_identity
        self.trusted_proxies = frozenset(trusted_proxies)

    def _identity(self, scope: Scope, headers: dict[bytes, bytes]) -> Identity:
        if self.unchecked_identity is not None:
            return self.unchecked_identity
        proofs = [v for k, v in scope.get("headers", []) if k.lower() == b"dpop"]
        if len(proofs) > 1:
            raise AuthError(401, "invalid_dpop_proof", "Bare ett DPoP-bevis per forespørsel.")
        return self.authority.verify(
            headers.get(b"authorization", b"").decode("latin-1"),
            proofs[0].decode("latin-1") if proofs else None,
            scope.get("method", "GET"),
            request_url(scope, headers, self.trusted_proxies),
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        headers = _headers(scope)
        api = path == self.prefix or path.startswith(self.prefix + "/")
        if api:
            try:
                scope[IDENTITY_KEY] = self._identity(scope, headers)
            except AuthError as exc:
                challenge = f'DPoP realm="ihr", error="{exc.error}", algs="ES256 ES384 PS256 RS256"'
                extra = {"WWW-Authenticate": challenge}
                if exc.nonce:
                    extra["DPoP-Nonce"] = exc.nonce
                await problem_response(exc.status, exc.detail, headers=extra)(scope, receive, send)
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
                form = ctype == b"application/x-www-form-urlencoded" and path == TOKEN_PATH
                if not (form or ctype == b"application/json" or ctype.endswith(b"+json")):
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

        nonce = self.authority.nonces.current().encode("ascii") if api and self.authority.api_nonce else None

        async def send_wrapper(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if nonce is not None:  # the client keeps the latest for its next proof
                    message["headers"] = [*message.get("headers", []), (b"dpop-nonce", nonce)]
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


def request_url(scope: Scope, headers: dict[bytes, bytes], trusted_proxies: Collection[str] = ()) -> str:
    """The URL the client asked for, without query: what a DPoP proof's `htu` must name.

    Behind a TLS proxy the client asked for https://proxy-host/...: the proxy says so in
    `X-Forwarded-Proto` and `X-Forwarded-Host`, believed only when the request comes from an
    address the operator named (`trusted_proxies`; `ihr sandbox --trusted-proxy`), never
    from anyone else (who could then aim a proof made for one service at another)."""
    host = headers.get(b"host", b"").decode("latin-1")
    scheme = str(scope.get("scheme", "http"))
    peer = (scope.get("client") or ("", 0))[0]
    if trusted_proxies and peer in trusted_proxies:
        proto = headers.get(b"x-forwarded-proto", b"").decode("latin-1").split(",")[0].strip().lower()
        fwd_host = headers.get(b"x-forwarded-host", b"").decode("latin-1").split(",")[0].strip()
        scheme = proto if proto in ("http", "https") else scheme
        host = fwd_host or host
    if not host:
        server = scope.get("server") or ("127.0.0.1", 80)
        host = f"{server[0]}:{server[1]}"
    raw = scope.get("raw_path")
    path = raw.decode("latin-1") if raw else scope.get("root_path", "") + scope.get("path", "")
    return f"{scheme}://{host}{path.split('?', 1)[0]}"
