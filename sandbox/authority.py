"""The sandbox as a HelseID-like authority, and the checks of the resource server (the API).

HelseID (Norsk helsenett's OAuth 2.0 / OpenID Connect service) gives machine clients access
tokens by `client_credentials` with `private_key_jwt`: the client signs a short-lived client
assertion with its own private key, and the authority, which knows only the public key,
answers with a signed JWT access token. The token is sender-bound with DPoP (RFC 9449): it
names the thumbprint of a key the client holds (`cnf.jkt`), and every request carries a
fresh proof signed with that key (`htm`, `htu`, `iat`, `jti` and, towards the API, `ath`,
the hash of the token). A stolen token is useless without the key.

Who acts comes from the token only. The client attests the acting health worker (the person
at the keyboard) in its client assertion as `authorization_details` of NHN's trust framework
(`ihr.helseid.Attestation`: HPR number, legal entity and point of care as organisation
numbers, purpose of use). The authority believes only what it can check: the point of care
and legal entity must be the registered client's office, the health worker must be on that
office's staff (with the authorisation she claims, if she claims one); then the access token
carries the attestation as checked and completed from the register, and the client's
organisation as HelseID names it (`orgnr_parent`, `orgnr_child`). `Identity` reads them.

DPoP nonces (RFC 9449 section 8 and 9): the token endpoint answers a proof without a valid
nonce `400 use_dpop_nonce` with a `DPoP-Nonce` header, and the API (when `api_nonce`)
`401` with `WWW-Authenticate: DPoP error="use_dpop_nonce"`. A nonce is an HMAC of a time
window under a secret kept in the database, so every process on one file issues and accepts
the same ones; it is good for its window and the next (`NONCE_WINDOW_S`). Replay caches
(assertion and proof `jti`s) are in the database too, with their expiry: a restart or a
second process does not forget them.

JOSE is joserfc (by the author of Authlib; JWS/JWT/JWK with the `cryptography` backend, RFC
7638 thumbprints, claim validation): nothing here assembles or verifies a signature by hand.

Time here is real time (`auth_clock`, epoch seconds), not the sandbox's business clock, which
tests freeze or move: tokens and proofs are made by clients that live in real time.

Nothing here logs a token, a key, a proof or an assertion.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, JWKRegistry, Key

from ihr.helseid import (
    API_AUDIENCE,
    ASSERTION_MAX_LIFE_S,
    ASSERTION_TYPE,
    ORGNR_CHILD_CLAIM,
    ORGNR_PARENT_CLAIM,
    SCOPES,
    TOKEN_PATH,
    TREATMENT,
    TRUST_FRAMEWORK_TYPE,
    Attestation,
    AttestationError,
    attested,
    token_hash,
    trust_framework,
)
from ihr.keyfiles import NotAKey, import_key
from ihr.models import Office
from sandbox.db import Database

JWKS_PATH = "/.well-known/openid-configuration/jwks"
DISCOVERY_PATH = "/.well-known/openid-configuration"

TOKEN_LIFETIME_S = 300
PROOF_MAX_AGE_S = 60  # a proof's iat may be this far off now, either way
CLOCK_LEEWAY_S = 5
SIGNING_ALG = "ES256"
CLIENT_ALGS = ["ES256", "ES384", "PS256", "RS256"]  # what a client may sign with
NONCE_WINDOW_S = 120  # a DPoP nonce is good for the window it was made in and the next
USE_DPOP_NONCE = "use_dpop_nonce"


@dataclass(frozen=True, slots=True)
class Identity:
    """Who is asking, as the verified access token says."""

    client_id: str
    office_her_id: str
    hpr: str  # the health worker at the keyboard
    scopes: frozenset[str]
    org_nr: str = ""  # the point of care's organisation number


class AuthError(Exception):
    """A refused sign-in or request; `detail` is Norwegian, `error` the OAuth error code."""

    def __init__(self, status: int, error: str, detail: str, nonce: str | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.error = error
        self.detail = detail
        self.nonce = nonce  # for `use_dpop_nonce`: the nonce to sign with (DPoP-Nonce header)


def _refused(detail: str) -> AuthError:
    return AuthError(401, "invalid_token", detail)


class Nonces:
    """DPoP nonces: base64url(window || HMAC-SHA256(secret, window)[:16]), where the window
    is the time divided by `window_s`. Stateless: any process with the secret (kept in the
    database's meta table) makes and checks the same nonces; a nonce expires after its window
    and the next."""

    def __init__(self, secret: bytes, clock: Callable[[], float], window_s: int = NONCE_WINDOW_S) -> None:
        self._secret = secret
        self._clock = clock
        self.window_s = window_s
        self._cached: tuple[int, str] = (-1, "")

    def _make(self, window: int) -> str:
        raw = window.to_bytes(8, "big")
        mac = hmac.new(self._secret, raw, hashlib.sha256).digest()[:16]
        return base64.urlsafe_b64encode(raw + mac).rstrip(b"=").decode("ascii")

    def current(self) -> str:
        window = int(self._clock() // self.window_s)
        cached = self._cached
        if cached[0] != window:
            cached = (window, self._make(window))
            self._cached = cached
        return cached[1]

    def valid(self, nonce: Any) -> bool:
        if not isinstance(nonce, str) or len(nonce) != 32:
            return False
        try:
            raw = base64.urlsafe_b64decode(nonce + "==")
        except ValueError:
            return False
        window = int.from_bytes(raw[:8], "big")
        now_window = int(self._clock() // self.window_s)
        return window in (now_window, now_window - 1) and hmac.compare_digest(self._make(window), nonce)


def nonce_secret(db: Database) -> bytes:
    """The database's DPoP-nonce secret, made by whichever process needs it first."""
    with db.transaction() as c:
        c.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('dpop_nonce_secret', ?)", (secrets.token_hex(32),))
    return bytes.fromhex(db.meta("dpop_nonce_secret") or "")


def _normal_url(url: str) -> tuple[str, str, str]:
    """(scheme, authority, path) compared for `htu`: case of scheme and host, no query."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    port = parts.port
    scheme = parts.scheme.lower()
    if port is not None and (scheme, port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    return scheme, host, parts.path or "/"


def _public_jwk(value: Any) -> Key:
    if not isinstance(value, dict) or "d" in value or value.get("kty") not in ("EC", "RSA", "OKP"):
        raise ValueError("not a public JWK")
    return JWKRegistry.import_key(value)


def _unverified_claims(compact: str) -> dict[str, Any]:
    claims = json.loads(jws.extract_compact(compact.encode("ascii")).payload)
    if not isinstance(claims, dict):
        raise ValueError("not a claim set")
    return claims


class Authority:
    """Issues tokens to registered clients and verifies them with their DPoP proofs.

    `issuer` is the authority's URL (the client assertion's audience and the token's `iss`);
    `sandbox.server` sets it once the port is known.
    """

    def __init__(
        self,
        db: Database,
        *,
        issuer: str = "http://127.0.0.1",
        auth_clock: Callable[[], float] = time.time,
        token_lifetime_s: int = TOKEN_LIFETIME_S,
        api_nonce: bool = True,
    ) -> None:
        self.db = db
        self.issuer = issuer.rstrip("/")
        self.clock = auth_clock
        self.token_lifetime_s = token_lifetime_s
        self.api_nonce = api_nonce
        self.nonces = Nonces(nonce_secret(db), auth_clock)
        self._offices: dict[str, Office] = {}  # organisation number -> office
        self._verified: dict[str, dict[str, Any]] = {}  # token -> claims whose signature held
        self._verified_lock = threading.Lock()
        self._proof_keys: dict[str, tuple[Key, str]] = {}  # DPoP JWK (JSON) -> (key, thumbprint)
        self.rotate_signing_key()

    def rotate_signing_key(self) -> None:
        """A new signing key, as after a restart: tokens signed before are refused from now."""
        key = ECKey.generate_key("P-256", parameters={"use": "sig", "alg": SIGNING_ALG}, auto_kid=True)
        with self._verified_lock:
            self.signing_key = key
            self._verify_key = JWKRegistry.import_key(key.as_dict(private=False))
            self._verified.clear()

    # ---- discovery ------------------------------------------------------------------------

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.signing_key.as_dict(private=False)]}

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "token_endpoint": self.issuer + TOKEN_PATH,
            "jwks_uri": self.issuer + JWKS_PATH,
            "grant_types_supported": ["client_credentials"],
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            "token_endpoint_auth_signing_alg_values_supported": CLIENT_ALGS,
            "dpop_signing_alg_values_supported": CLIENT_ALGS,
            "scopes_supported": sorted(SCOPES),
            "authorization_details_types_supported": [TRUST_FRAMEWORK_TYPE],
            "dpop_nonce_supported": True,
        }

    # ---- the client registry ----------------------------------------------------------------

    def register_client(
        self, client_id: str, public_jwk: Mapping[str, Any], office: str, scopes: Iterable[str], name: str = ""
    ) -> Office:
        return register_client(self.db, client_id, public_jwk, office, scopes, name)

    # ---- the token endpoint -------------------------------------------------------------------

    def issue(self, form: Mapping[str, str], dpop: str | None, htu: str) -> dict[str, Any]:
        """The token response for a `client_credentials` request, or AuthError (400/401/403)."""
        now = self.clock()
        if form.get("grant_type") != "client_credentials":
            raise AuthError(400, "unsupported_grant_type", "Bare grant_type=client_credentials støttes.")
        if form.get("client_assertion_type") != ASSERTION_TYPE or not form.get("client_assertion"):
            raise AuthError(401, "invalid_client", "Klienten må logge inn med en signert klient-assertion (private_key_jwt).")
        if not dpop:
            raise AuthError(400, "invalid_dpop_proof", "Mangler DPoP-bevis.")
        self._ask_for_nonce(dpop)  # before the assertion is used up: the client signs again
        client_id, _office, who, scopes = self._check_assertion(form["client_assertion"], now, form.get("scope"))
        jkt, _claims = self._check_proof(dpop, "POST", htu, now, access_token=None)
        claims = {
            "iss": self.issuer,
            "aud": API_AUDIENCE,
            "sub": client_id,
            "client_id": client_id,
            "scope": " ".join(sorted(scopes)),
            "iat": int(now),
            "nbf": int(now),
            "exp": int(now) + self.token_lifetime_s,
            "jti": uuid.uuid4().hex,
            "cnf": {"jkt": jkt},
            ORGNR_PARENT_CLAIM: who.legal_entity_or_point,
            ORGNR_CHILD_CLAIM: who.point_of_care,
            "authorization_details": [trust_framework(who)],
        }
        return {
            "access_token": self.sign_access_token(claims),
            "token_type": "DPoP",
            "expires_in": self.token_lifetime_s,
            "scope": claims["scope"],
        }

    def _ask_for_nonce(self, proof: str) -> None:
        """`400 use_dpop_nonce` (with a fresh nonce) unless the token request's proof carries
        a valid one."""
        try:
            nonce = _unverified_claims(proof).get("nonce")
        except (JoseError, ValueError, UnicodeError):
            return  # not a proof at all: the full check says so
        if not self.nonces.valid(nonce):
            raise AuthError(
                400, USE_DPOP_NONCE, "DPoP-beviset må ha tjenestens nonce (DPoP-Nonce).", nonce=self.nonces.current()
            )

    def sign_access_token(self, claims: Mapping[str, Any]) -> str:
        """An access token with the authority's key (the token endpoint's; tests make odd ones)."""
        header = {"alg": SIGNING_ALG, "typ": "at+jwt", "kid": self.signing_key.kid}
        return jwt.encode(header, dict(claims), self.signing_key)

    def _check_assertion(
        self, assertion: str, now: float, requested: str | None
    ) -> tuple[str, Office, Attestation, set[str]]:
        bad = AuthError(401, "invalid_client", "Klienten er ukjent, eller klient-assertion er ugyldig.")
        try:
            client_id = str(_unverified_claims(assertion)["iss"])
        except (JoseError, ValueError, KeyError, TypeError, UnicodeError):
            raise bad from None
        client = self.db.client(client_id)
        if client is None:
            raise bad
        try:
            key = JWKRegistry.import_key(json.loads(client["jwk"]))
            token = jwt.decode(assertion, key, algorithms=CLIENT_ALGS)
        except (JoseError, ValueError):
            raise bad from None
        c = token.claims
        if c.get("sub") != client_id or not _audience_has(c.get("aud"), (self.issuer, self.issuer + TOKEN_PATH)):
            raise bad
        _check_times(c, now)
        if not self.db.first_use(f"assertion:{client_id}:{c['jti']}", c["exp"] + CLOCK_LEEWAY_S, now):
            raise AuthError(401, "invalid_client", "Klient-assertion er brukt før.")
        office = self.db.office(client["office_her_id"])
        if office is None:
            raise AuthError(403, "access_denied", "Klientens kontor er ikke registrert.")
        who = self._check_practitioner(c, office)
        allowed = set(client["scopes"])
        wanted = set((requested or "").split()) or allowed
        if not wanted <= allowed:
            raise AuthError(400, "invalid_scope", "Klienten har ikke tilgang til alle scopene den ba om.")
        return client_id, office, who, wanted

    def _check_practitioner(self, claims: Mapping[str, Any], office: Office) -> Attestation:
        """The attestation as the register confirms it: the client's own office as point of
        care and legal entity, a health worker on its staff, her authorisation as registered."""
        try:
            who = attested(claims)
        except AttestationError as exc:
            raise AuthError(400, "invalid_request", str(exc)) from None
        if who is None or not who.point_of_care:
            raise AuthError(
                400, "invalid_request", "authorization_details mangler behandlingsstedet (point_of_care) som organisasjonsnummer."
            )
        if who.point_of_care != office.org_nr or who.legal_entity_or_point != office.org_nr:
            raise AuthError(403, "access_denied", "Klienten har ikke tilgang for dette behandlingsstedet.")
        if not (who.hpr.isdigit() and 1 <= len(who.hpr) <= 9):
            raise AuthError(400, "invalid_request", "Helsepersonellets HPR-nummer mangler i authorization_details.")
        member = self.db.staff_member(who.hpr, office.her_id)
        if member is None:
            raise AuthError(403, "access_denied", "Helsepersonellet er ikke registrert ved dette behandlingsstedet.")
        if who.authorization and who.authorization != member["authorization"]:
            raise AuthError(403, "access_denied", "Helsepersonellet har ikke autorisasjonen som er oppgitt.")
        if who.purpose_of_use and who.purpose_of_use != TREATMENT["code"]:
            raise AuthError(403, "access_denied", "Bestilling krever formålet behandling (TREAT).")
        return Attestation(
            hpr=who.hpr,
            point_of_care=office.org_nr,
            legal_entity=office.org_nr,
            authorization=member["authorization"],
            department=who.department,
            names={"point_of_care": office.name, "legal_entity": office.name},
        )

    # ---- the resource server ----------------------------------------------------------------

    def verify(self, authorization: str | None, dpop: str | None, method: str, htu: str) -> Identity:
        """The identity of a request to the API, or AuthError (401) saying what is wrong."""
        now = self.clock()
        scheme, _, access_token = (authorization or "").strip().partition(" ")
        access_token = access_token.strip()
        if not access_token:
            raise _refused("Mangler tilgangsbevis. Logg inn på nytt.")
        if scheme.lower() != "dpop":
            raise _refused("Tilgangsbeviset må sendes som DPoP, med et DPoP-bevis.")
        claims = self._token_claims(access_token)
        exp, nbf = claims.get("exp"), claims.get("nbf", claims.get("iat"))
        if not isinstance(exp, int | float) or exp <= now - CLOCK_LEEWAY_S:
            raise _refused("Innloggingen er utløpt. Logg inn på nytt.")
        if isinstance(nbf, int | float) and nbf > now + CLOCK_LEEWAY_S:
            raise _refused("Tilgangsbeviset er ikke gyldig ennå. Sjekk klokken på maskinen.")
        if claims.get("iss") != self.issuer:
            raise _refused("Tilgangsbeviset er ikke utstedt av denne tjenestens innloggingstjeneste.")
        if not _audience_has(claims.get("aud"), (API_AUDIENCE,)):
            raise _refused("Tilgangsbeviset gjelder en annen tjeneste.")
        if not dpop:
            raise _refused("Mangler DPoP-bevis for tilgangsbeviset.")
        jkt, _proof = self._check_proof(dpop, method, htu, now, access_token=access_token)
        if jkt != (claims.get("cnf") or {}).get("jkt"):
            raise _refused("DPoP-beviset er signert med en annen nøkkel enn tilgangsbeviset er bundet til.")
        try:
            who = attested(claims)
        except AttestationError:
            who = None
        office = self._office_of(who.point_of_care) if who is not None else None
        client_id = str(claims.get("client_id") or claims.get("sub") or "")
        if who is None or office is None or not who.hpr or not client_id:
            raise _refused("Tilgangsbeviset mangler behandlingssted eller helsepersonell.")
        scopes = frozenset(str(claims.get("scope") or "").split())
        return Identity(client_id, office.her_id, who.hpr, scopes, office.org_nr)

    def _office_of(self, org_nr: str) -> Office | None:
        """The office of an organisation number (remembered: offices are few and stay)."""
        office = self._offices.get(org_nr)
        if office is None:
            office = next((o for o in self.db.offices() if o.org_nr and o.org_nr == org_nr), None)
            if office is not None:
                self._offices[org_nr] = office
        return office

    def _token_claims(self, access_token: str) -> dict[str, Any]:
        """The token's claims once its signature holds (remembered: a client reuses its token)."""
        with self._verified_lock:
            known = self._verified.get(access_token)
        if known is not None:
            return known
        try:
            token = jwt.decode(access_token, self._verify_key, algorithms=[SIGNING_ALG])
        except (JoseError, ValueError):
            raise _refused("Tilgangsbeviset er ugyldig (signaturen stemmer ikke).") from None
        with self._verified_lock:
            if len(self._verified) > 10_000:
                self._verified.clear()
            self._verified[access_token] = token.claims
        return token.claims

    def _check_proof(
        self, proof: str, method: str, htu: str, now: float, *, access_token: str | None
    ) -> tuple[str, dict[str, Any]]:
        """A DPoP proof's (key thumbprint, claims), checked against this request (RFC 9449 4.3)."""
        status, error = (401, "invalid_token") if access_token else (400, "invalid_dpop_proof")
        try:
            header = jws.extract_compact(proof.encode("ascii")).protected
            if header.get("typ") != "dpop+jwt" or header.get("alg") not in CLIENT_ALGS:
                raise ValueError("typ or alg")
            key, jkt = self._proof_key(header.get("jwk"))
            claims = jwt.decode(proof, key, algorithms=CLIENT_ALGS).claims
        except (JoseError, ValueError, UnicodeError):
            raise AuthError(status, error, "DPoP-beviset er ugyldig.") from None
        if claims.get("htm") != method.upper():
            raise AuthError(status, error, "DPoP-beviset gjelder en annen metode.")
        if not isinstance(claims.get("htu"), str) or _normal_url(claims["htu"]) != _normal_url(htu):
            raise AuthError(status, error, "DPoP-beviset gjelder en annen adresse.")
        iat = claims.get("iat")
        if not isinstance(iat, int | float) or abs(now - iat) > PROOF_MAX_AGE_S:
            raise AuthError(status, error, "DPoP-beviset er for gammelt eller fra fremtiden. Sjekk klokken på maskinen.")
        if access_token is not None and claims.get("ath") != token_hash(access_token):
            raise AuthError(status, error, "DPoP-beviset hører ikke til dette tilgangsbeviset.")
        if (access_token is None or self.api_nonce) and not self.nonces.valid(claims.get("nonce")):
            raise AuthError(
                status, USE_DPOP_NONCE, "DPoP-beviset må ha tjenestens nonce (DPoP-Nonce).", nonce=self.nonces.current()
            )
        jti = claims.get("jti")
        if not isinstance(jti, str) or not jti:
            raise AuthError(status, error, "DPoP-beviset mangler jti.")
        if not self.db.first_use(f"proof:{jti}", iat + PROOF_MAX_AGE_S + 1, now):
            raise AuthError(status, error, "DPoP-beviset er brukt før.")
        return jkt, claims

    def _proof_key(self, jwk: Any) -> tuple[Key, str]:
        """The public key of a proof's `jwk` and its RFC 7638 thumbprint (remembered: a client
        signs every proof of its session with the same key)."""
        text = json.dumps(jwk, sort_keys=True)
        with self._verified_lock:
            known = self._proof_keys.get(text)
        if known is None:
            key = _public_jwk(jwk)
            known = (key, key.thumbprint())
            with self._verified_lock:
                if len(self._proof_keys) > 10_000:
                    self._proof_keys.clear()
                self._proof_keys[text] = known
        return known


def register_client(
    db: Database,
    client_id: str,
    public_jwk: Mapping[str, Any],
    office: str,
    scopes: Iterable[str],
    name: str = "",
) -> Office:
    """Add or replace a client: its public key (private parts are dropped), its office (by
    HER-id or organisation number; an unknown office is refused) and scopes. The office."""
    try:
        jwk = import_key(dict(public_jwk)).as_dict(private=False)
    except NotAKey as exc:
        raise ValueError("not a key") from exc
    unknown = sorted(set(scopes) - SCOPES.keys())
    if unknown or not client_id.strip():
        raise ValueError(f"bad registration (unknown scopes: {', '.join(unknown) or 'none'})")
    found = db.office_by_number(office)
    if found is None:
        raise UnknownOffice(office)
    db.put_client(client_id.strip(), json.dumps(jwk), found.her_id, sorted(set(scopes)), name)
    return found


class UnknownOffice(ValueError):
    """`register-client --office` names no office the service knows."""


def public_jwk_from_file(path: str) -> dict[str, Any]:
    """The public JWK of a key file (JWK or PEM, EC or RSA, private or public); ValueError
    (NotAKey) if it is none."""
    with open(path, "rb") as f:
        data = f.read()
    return dict(import_key(data).as_dict(private=False))


def _check_times(c: Mapping[str, Any], now: float) -> None:
    """An assertion's iat, nbf and exp: at most a minute of life, valid now (with leeway)."""
    iat, exp, nbf = c.get("iat"), c.get("exp"), c.get("nbf", c.get("iat"))
    if not (isinstance(iat, int | float) and isinstance(exp, int | float) and isinstance(nbf, int | float)) or not c.get("jti"):
        raise AuthError(401, "invalid_client", "Klienten er ukjent, eller klient-assertion er ugyldig.")
    if exp - iat > ASSERTION_MAX_LIFE_S:
        raise AuthError(401, "invalid_client", f"Klient-assertion kan leve høyst {ASSERTION_MAX_LIFE_S} sekunder.")
    if iat > now + CLOCK_LEEWAY_S or nbf > now + CLOCK_LEEWAY_S or exp < now - CLOCK_LEEWAY_S:
        raise AuthError(401, "invalid_client", "Klient-assertion er utløpt eller ikke gyldig ennå. Sjekk klokken.")


def _audience_has(aud: Any, accepted: tuple[str, ...]) -> bool:
    values = aud if isinstance(aud, list) else [aud]
    return any(v in accepted for v in values)
