"""`HelseIdAuth`: httpx authentication that signs in and adds a DPoP proof to every request.

An `httpx.Auth` flow, so the token request goes through the same httpx client (and
transport) as the API requests: before a request, a token that is missing or about to
expire is fetched from the authority (`client.signin.Session` builds the request); then the
request gets `Authorization: DPoP <token>` and its own proof. A 401 from the API (the token
expired while the machine slept, or the service restarted) gets one new sign-in and one
resend: the service refused before doing anything, so even a POST is safe to send again.

Failures become the client's Norwegian errors: `AccessRefused` (the authority does not know
the client or its key, or not for this office), `ClockWrong` (the service's clock and ours
disagree: tokens and proofs are checked to the minute), and `SignInExpired` otherwise.
"""

from __future__ import annotations

from collections.abc import Generator

import httpx

from client.errors import AccessRefused, ClockWrong, IhrError, ServiceUnavailable
from client.signin import (
    CLOCK_TOLERANCE_S,
    USE_DPOP_NONCE,
    Session,
    SignInFailed,
    asks_for_nonce,
    clock_offset,
)

INVALID_TOKEN = (
    "Innloggingen mot IHR mislyktes: innloggingstjenesten svarte uten et gyldig tilgangsbevis. "
    "Kontakt den som drifter programmet."
)


class HelseIdAuth(httpx.Auth):
    requires_response_body = True

    def __init__(self, session: Session) -> None:
        self.session = session

    @property
    def hpr(self) -> str:
        return self.session.credentials.hpr

    @property
    def office_her_id(self) -> str:
        return self.session.credentials.office_her_id

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        nonce_retry = True  # once per request: the service asked for (a newer) DPoP nonce
        for attempt in (1, 2):
            while True:
                if self.session.needs_token():
                    yield from self._sign_in()
                request.headers.update(self.session.headers(request.method, str(request.url)))
                response = yield request
                self.session.note_nonce(response.headers.get("DPoP-Nonce"))
                if not (nonce_retry and _asks_for_nonce(response)):
                    break
                nonce_retry = False
            if response.status_code != 401:
                return
            offset = clock_offset(response.headers.get("Date"), self.session.clock())
            if offset is not None and abs(offset) > CLOCK_TOLERANCE_S:
                raise ClockWrong.by(offset, status=401)
            if attempt == 1:
                self.session.forget()

    def _sign_in(self) -> Generator[httpx.Request, httpx.Response, None]:
        """The token request; once more with the nonce when the authority asks for one."""
        for retry in (False, True):
            url, headers, body = self.session.token_request()
            answer = yield httpx.Request("POST", url, headers=headers, content=body)
            nonce = answer.headers.get("DPoP-Nonce")
            self.session.note_nonce(nonce)
            if not retry and asks_for_nonce(answer.status_code, answer.content, nonce):
                continue
            self._accept(answer)
            return

    def _accept(self, answer: httpx.Response) -> None:
        if answer.status_code >= 500:
            raise ServiceUnavailable(status=answer.status_code)
        try:
            self.session.accept(answer.status_code, answer.content, answer.headers.get("Date"))
        except SignInFailed as exc:
            raise sign_in_error(exc) from None


def _asks_for_nonce(response: httpx.Response) -> bool:
    """A 401 whose challenge is `use_dpop_nonce` (RFC 9449 section 9), with a nonce."""
    challenge = response.headers.get("WWW-Authenticate", "")
    return response.status_code == 401 and USE_DPOP_NONCE in challenge and bool(response.headers.get("DPoP-Nonce"))


def sign_in_error(exc: SignInFailed) -> IhrError:
    """The Norwegian error for a refused sign-in."""
    if exc.clock_offset_s is not None and abs(exc.clock_offset_s) > CLOCK_TOLERANCE_S:
        return ClockWrong.by(exc.clock_offset_s, status=exc.status)
    if exc.status == 200:  # it said yes, but no usable token came (empty, not DPoP, no lifetime)
        return AccessRefused(INVALID_TOKEN, status=exc.status)
    return AccessRefused(status=exc.status, detail=exc.description)
