"""Signing in like a HelseID client: a client assertion, an access token, a DPoP proof per request.

`Session` holds what one signed-in client needs: its credentials (client id, private key,
authority, and the office and health worker it attests for), a DPoP key made for this
session, and the current access token. It builds the token request (`client_credentials`
with `private_key_jwt`: an assertion signed with the private key, at most 60 s of life and a
unique jti, plus a DPoP proof for the token endpoint) and the headers of each API request
(`Authorization: DPoP <token>` and a fresh proof with `htm`, `htu`, `iat`, `jti`, `ath`), and
says when the token must be renewed. It does no I/O of its own beyond `sign_in_sync` (used by
the start-up peek), so the async client sends the same requests through httpx
(`client.auth.HelseIdAuth`).

JOSE is joserfc, not hand-written signing: it is the JOSE half of Authlib (same author, well
kept, typed), signs and verifies with `cryptography`, reads JWK and PEM keys alike and makes
RFC 7638 thumbprints; the sandbox verifies with the same library. The keys on the start-up
path are the exception (`client.jws`): a P-256 JWK client key and the DPoP key sign on
`cryptography` directly, because importing joserfc costs a tenth of a second before every
patient's banner. No httpx and no pydantic here: the peek uses this module before the full
client has loaded.

`TokenStore` keeps the token and its DPoP key between starts (the EPJ starts `ihr` once per
patient, every few minutes), so a start within the token's life signs in no more.

Tokens, keys, assertions and proofs are never logged, and never put in an exception message.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from client.jws import Es256Key, JoseKey
from ihr.helseid import (
    ASSERTION_MAX_LIFE_S,
    ASSERTION_TYPE,
    TOKEN_PATH,
    Attestation,
    token_hash,
    trust_framework,
)
from ihr.privatefiles import FILE_MODE, private_dir
from ihr.settings import Settings, SettingsError, check_key_file

RENEW_BEFORE_S = 30  # a token this close to its expiry is renewed before the request
CLOCK_TOLERANCE_S = 30  # a service clock further off than this: "the clock is wrong"
USE_DPOP_NONCE = "use_dpop_nonce"  # RFC 9449 section 8: sign again with the server's nonce
TOKEN_FILE = "tokens.json"  # in the data dir: the tokens kept between starts (`TokenStore`)


class SignInFailed(Exception):
    """The authority said no (or not JSON). `error` is the OAuth code, `description` its text."""

    def __init__(self, status: int, error: str, description: str, clock_offset_s: float | None) -> None:
        super().__init__(f"sign-in refused ({status} {error})")
        self.status = status
        self.error = error
        self.description = description
        self.clock_offset_s = clock_offset_s  # the service's clock minus ours, when it said


def clock_offset(date_header: str | None, now: float) -> float | None:
    """The other side's clock minus ours, from an HTTP Date header (None if absent)."""
    if not date_header:
        return None
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(date_header).timestamp() - now
    except (TypeError, ValueError):
        return None


# ---- the key file -----------------------------------------------------------------------


SigningKey = Es256Key | JoseKey


def load_client_key(path: Path) -> SigningKey:
    """The private key from a JWK (JSON) or PEM file that only its owner can read."""
    check_key_file(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SettingsError(f"Kan ikke lese nøkkelfilen {path} ({exc.strerror or type(exc).__name__}).") from None
    try:
        text = data.decode("utf-8").strip()
        jwk = json.loads(text) if text.startswith("{") else None
        key: SigningKey | None = Es256Key.from_jwk(jwk) if isinstance(jwk, dict) else None
        if key is None and jwk is None:  # PEM: a P-256 key signs without joserfc too
            key = Es256Key.from_pem(data)
        if key is None:  # RSA, another curve: joserfc reads it (`ihr.keyfiles`, as the service)
            from ihr.keyfiles import import_key

            key = JoseKey(import_key(jwk if isinstance(jwk, dict) else data))
    except (ValueError, TypeError, UnicodeError):
        raise SettingsError(f"Nøkkelfilen {path} er ikke en gyldig privat nøkkel (JWK eller PEM).") from None
    if not key.is_private:
        raise SettingsError(f"Nøkkelfilen {path} har bare en offentlig nøkkel; klienten trenger den private.")
    return key


def write_new_key(path: Path) -> dict[str, Any]:
    """Make a P-256 key, store it private (0600) as a JWK at `path`; its public JWK."""
    key = Es256Key.generate()
    key.kid = key.thumbprint()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # also when the file was there before
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(key.as_dict(private=True), f)
    return key.as_dict(private=False)


# ---- the token between starts -------------------------------------------------------------


@dataclass(frozen=True)
class KeptToken:
    """A token an earlier start kept, with its DPoP key and when it expires (epoch s)."""

    token: str = field(repr=False)
    expires_at: float
    dpop_key: Es256Key = field(repr=False)
    nonce: str | None = None  # the service's DPoP nonce when it was kept (it may have expired)


class TokenStore:
    """Access tokens with their DPoP keys, kept between starts in a file only its owner reads.

    The EPJ starts `ihr` once per patient, every few minutes, and each start used to sign in
    (an assertion, a proof, the authority's checks) before the patient's banner could be
    fetched. A DPoP-bound token is worthless without its key, so the two are kept together,
    as private as the client's own key file (0600, in the user's data dir), and only until
    the token expires. The service checks a kept token exactly as a fresh one; when it
    refuses one (revoked, the service restarted), the session forgets it here too and signs
    in again. Entries are keyed by `Credentials.identity`. A file that others can read, or
    that cannot be read, is not used: the client then simply signs in.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def load(self, identity: str, now: float) -> KeptToken | None:
        """The kept token for `identity` with some life left, or None."""
        entry = self._read().get(identity)
        if not isinstance(entry, dict):
            return None
        try:
            expires_at = float(entry["expires_at"])
            token = entry["token"]
            key = Es256Key.from_jwk(entry["dpop_key"])
        except (KeyError, TypeError, ValueError):
            return None
        if not isinstance(token, str) or key is None or now >= expires_at - RENEW_BEFORE_S:
            return None
        nonce = entry.get("nonce")
        return KeptToken(token, expires_at, key, nonce if isinstance(nonce, str) else None)

    def save(self, identity: str, kept: KeptToken, now: float) -> None:
        """Keep `kept` for `identity` (expired entries go); a failure to write only costs a
        sign-in at the next start."""
        with self._lock:
            entries = {k: v for k, v in self._read().items() if _still_valid(v, now)}
            entries[identity] = {
                "token": kept.token,
                "expires_at": kept.expires_at,
                "dpop_key": kept.dpop_key.as_dict(private=True),
                "nonce": kept.nonce,
            }
            self._write(entries)

    def drop(self, identity: str, token: str) -> None:
        """Forget the token of `identity` if it is still `token` (another start may have
        kept a newer one meanwhile)."""
        with self._lock:
            entries = self._read()
            entry = entries.get(identity)
            if isinstance(entry, dict) and entry.get("token") == token:
                del entries[identity]
                self._write(entries)

    def _read(self) -> dict[str, Any]:
        try:
            with open(self.path, "rb") as f:
                status = os.fstat(f.fileno())
                if status.st_mode & 0o077 or status.st_uid != os.getuid():
                    return {}  # not private (any more): do not trust or use it
                data = json.loads(f.read())
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _write(self, entries: dict[str, Any]) -> None:
        """Write a new file (0600 from its first byte) and put it in place in one step, so
        a start reading at the same time sees the old file or the new one, never half."""
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}")
        try:
            if not self.path.parent.exists():
                private_dir(self.path.parent)  # made the owner's alone; an existing one is left
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                os.fchmod(f.fileno(), FILE_MODE)  # also if a stale temporary file was there
                json.dump(entries, f)
            os.replace(temporary, self.path)
        except OSError:
            temporary.unlink(missing_ok=True)


def _still_valid(entry: Any, now: float) -> bool:
    try:
        return now < float(entry["expires_at"])
    except (KeyError, TypeError, ValueError):
        return False


# ---- the session ------------------------------------------------------------------------


@dataclass
class Credentials:
    """Who signs in: the client, its key, the authority, and who it attests for."""

    authority: str
    client_id: str
    key: SigningKey = field(repr=False)
    office_her_id: str  # the office's HER-id: its address in messages
    hpr: str  # the health worker at the keyboard
    org_nr: str = ""  # the office's organisation number: the point of care attested

    def identity(self) -> str:
        """Who a token was issued to: the authority, the client and its key, the office and
        the health worker it attests (a token is never used for another of them)."""
        who = [self.authority.rstrip("/"), self.client_id, self.key.public_jwk(), self.office_her_id, self.org_nr, self.hpr]
        return hashlib.sha256(json.dumps(who, sort_keys=True).encode("utf-8")).hexdigest()

    def attestation(self) -> Attestation:
        """The trust framework's practitioner: her HPR number at the office (legal entity
        and point of care are the office's organisation number), for treatment."""
        return Attestation(hpr=self.hpr, point_of_care=self.org_nr)

    @classmethod
    def from_settings(
        cls, settings: Settings, *, hpr: str, office_her_id: str | None = None, org_nr: str | None = None
    ) -> Credentials:
        settings.require_sign_in()
        if not (org_nr or settings.office_org_nr):
            raise SettingsError(
                "Kontorets organisasjonsnummer mangler i innstillingene (office_org_nr): "
                "innloggingen oppgir behandlingsstedet med det."
            )
        return cls(
            authority=settings.authority,
            client_id=settings.client_id,
            key=load_client_key(settings.client_key_file),
            office_her_id=office_her_id or settings.office_her_id,
            hpr=hpr,
            org_nr=org_nr or settings.office_org_nr,
        )


class Session:
    """One signed-in client: the token, when to renew it, and the DPoP proofs (thread-safe).

    With a `store`, it starts with the token kept there by an earlier start (and its DPoP
    key), and keeps each new token there."""

    def __init__(self, credentials: Credentials, *, clock: Any = time.time, store: TokenStore | None = None) -> None:
        self.credentials = credentials
        self.clock = clock
        self.store = store
        self._identity = credentials.identity() if store is not None else ""
        kept = store.load(self._identity, clock()) if store is not None else None
        self.dpop_key = kept.dpop_key if kept is not None else Es256Key.generate()
        self._dpop_jwk = self.dpop_key.public_jwk()
        self._token: str | None = kept.token if kept is not None else None
        self._expires_at = kept.expires_at if kept is not None else 0.0
        self._nonce: str | None = kept.nonce if kept is not None else None  # the server's latest (RFC 9449 8)
        self._lock = threading.Lock()

    @property
    def token_url(self) -> str:
        return self.credentials.authority.rstrip("/") + TOKEN_PATH

    def needs_token(self) -> bool:
        with self._lock:
            return self._token is None or self.clock() >= self._expires_at - RENEW_BEFORE_S

    def forget(self) -> None:
        """Drop the token (the service refused it): the next request signs in again."""
        with self._lock:
            token, self._token = self._token, None
        if self.store is not None and token is not None:
            self.store.drop(self._identity, token)

    def note_nonce(self, nonce: str | None) -> None:
        """Keep the server's latest DPoP nonce (from any answer's `DPoP-Nonce`) for the next proofs."""
        if nonce and nonce.strip():
            with self._lock:
                self._nonce = nonce.strip()

    def proof(self, method: str, url: str, access_token: str | None = None) -> str:
        """A DPoP proof (RFC 9449) for one request; `ath` binds it to the access token, and
        `nonce` is the server's latest."""
        parts = urlsplit(url)
        claims: dict[str, Any] = {
            "htm": method.upper(),
            "htu": urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")),
            "iat": int(self.clock()),
            "jti": uuid.uuid4().hex,
        }
        if access_token is not None:
            claims["ath"] = token_hash(access_token)
        with self._lock:
            nonce = self._nonce
        if nonce is not None:
            claims["nonce"] = nonce
        header = {"typ": "dpop+jwt", "alg": "ES256", "jwk": self._dpop_jwk}
        return self.dpop_key.sign(header, claims)

    def assertion(self) -> str:
        """The client assertion (private_key_jwt) with the office and health worker attested."""
        c = self.credentials
        now = int(self.clock())
        claims = {
            "iss": c.client_id,
            "sub": c.client_id,
            "aud": c.authority.rstrip("/"),
            "iat": now,
            "nbf": now,
            "exp": now + ASSERTION_MAX_LIFE_S,
            "jti": uuid.uuid4().hex,
            "authorization_details": [trust_framework(c.attestation())],
        }
        header = {"alg": c.key.alg, "typ": "client-authentication+jwt"}
        if c.key.kid:
            header["kid"] = c.key.kid
        return c.key.sign(header, claims)

    def token_request(self) -> tuple[str, dict[str, str], bytes]:
        """(url, headers, form body) of the token request."""
        body = urlencode(
            {
                "grant_type": "client_credentials",
                "client_assertion_type": ASSERTION_TYPE,
                "client_assertion": self.assertion(),
            }
        ).encode("ascii")
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
            "DPoP": self.proof("POST", self.token_url),
        }
        return self.token_url, headers, body

    def accept(self, status: int, body: bytes, date_header: str | None) -> None:
        """Take the token response; SignInFailed when it is not a DPoP token."""
        try:
            data = json.loads(body)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            data = {}
        token, kind, lifetime = data.get("access_token"), str(data.get("token_type", "")), data.get("expires_in")
        if status != 200 or not isinstance(token, str) or not token.strip() or kind.lower() != "dpop" or not isinstance(lifetime, int):
            raise SignInFailed(
                status,
                str(data.get("error") or "invalid_response"),
                str(data.get("error_description") or ""),
                clock_offset(date_header, self.clock()),
            )
        with self._lock:
            self._token = token
            self._expires_at = self.clock() + lifetime
        if self.store is not None:
            with self._lock:
                nonce = self._nonce
            self.store.save(self._identity, KeptToken(token, self._expires_at, self.dpop_key, nonce), self.clock())

    def headers(self, method: str, url: str) -> dict[str, str]:
        """`Authorization` and `DPoP` for one API request (the token must be there)."""
        with self._lock:
            token = self._token
        if token is None:
            raise RuntimeError("not signed in")
        return {"Authorization": f"DPoP {token}", "DPoP": self.proof(method, url, token)}

    def sign_in_sync(self, timeout: float = 2.0) -> None:
        """Get a token with the standard library (the start-up peek; the client uses httpx)."""
        import urllib.error
        import urllib.request

        for retry in (False, True):
            url, headers, body = self.token_request()
            request = urllib.request.Request(url, data=body, headers=headers, method="POST")
            try:
                with urllib.request.urlopen(request, timeout=timeout) as resp:  # noqa: S310 - the configured authority
                    self.note_nonce(resp.headers.get("DPoP-Nonce"))
                    self.accept(resp.status, resp.read(), resp.headers.get("Date"))
                    return
            except urllib.error.HTTPError as exc:
                answer = exc.read()
                self.note_nonce(exc.headers.get("DPoP-Nonce"))
                if not retry and asks_for_nonce(exc.code, answer, exc.headers.get("DPoP-Nonce")):
                    continue  # once, with the nonce it gave
                self.accept(exc.code, answer, exc.headers.get("Date"))
                return


def asks_for_nonce(status: int, body: bytes, nonce: str | None) -> bool:
    """Whether a token endpoint's answer is `400 use_dpop_nonce` with a nonce to sign with."""
    if status != 400 or not nonce:
        return False
    try:
        data = json.loads(body)
    except ValueError:
        return False
    return isinstance(data, dict) and data.get("error") == USE_DPOP_NONCE


_sessions: dict[tuple[str, str, str, str, str, str], Session] = {}
_sessions_lock = threading.Lock()


def shared_session(settings: Settings, *, hpr: str, office_her_id: str | None = None) -> Session:
    """The process's one session for this client, health worker and office.

    The start-up peek signs in first; the full client, built a moment later, takes the same
    session and so its token, instead of signing in a second time. The session keeps its
    token in the data dir's `TOKEN_FILE`, so the next start within the token's life (the
    next patient from the EPJ) needs no sign-in at all.
    """
    office = office_her_id or settings.office_her_id
    key = (settings.authority, settings.client_id, str(settings.client_key_file), hpr, office, settings.office_org_nr)
    with _sessions_lock:
        session = _sessions.get(key)
    if session is None:
        credentials = Credentials.from_settings(settings, hpr=hpr, office_her_id=office)
        session = Session(credentials, store=TokenStore(settings.data_dir / TOKEN_FILE))
        with _sessions_lock:
            session = _sessions.setdefault(key, session)
    return session
