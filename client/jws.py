"""ES256 signing keys for the sign-in, on `cryptography`'s primitives alone.

Why not joserfc here, as everywhere else: importing it costs about 0.1 s (it loads its JWE,
PEM and X.509 support with the key classes), and the EPJ starts `ihr` once per patient with
a sign-in before the banner. An ES256 compact JWS is two base64url JSON parts and a P-256
ECDSA signature over them (RFC 7515 and 7518 3.4: r and s, 32 bytes each); `cryptography`
does the signing, this module only the serialisation. The sandbox verifies every token
request and proof with joserfc, and `tests/client/test_jws.py` checks joserfc reads these.

Other keys (RSA, PEM files, other curves) go through joserfc (`JoseKey`).
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_int(text: str) -> int:
    return int.from_bytes(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)), "big")


def _compact(header: dict[str, Any], claims: dict[str, Any]) -> bytes:
    def part(value: dict[str, Any]) -> str:
        return b64url(json.dumps(value, separators=(",", ":")).encode("utf-8"))

    return f"{part(header)}.{part(claims)}".encode("ascii")


class Es256Key:
    """A P-256 private key that signs compact JWS with ES256."""

    alg = "ES256"

    def __init__(self, key: ec.EllipticCurvePrivateKey, kid: str | None = None) -> None:
        self._key = key
        self.kid = kid
        numbers = key.public_key().public_numbers()
        self._public = {
            "kty": "EC",
            "crv": "P-256",
            "x": b64url(numbers.x.to_bytes(32, "big")),
            "y": b64url(numbers.y.to_bytes(32, "big")),
        }

    @classmethod
    def generate(cls) -> Es256Key:
        return cls(ec.generate_private_key(ec.SECP256R1()))

    @classmethod
    def from_pem(cls, data: bytes) -> Es256Key | None:
        """The key of a PEM file holding a private P-256 key (PKCS#8 or SEC 1); None for
        any other PEM key; ValueError when it is no PEM key at all."""
        from cryptography.exceptions import UnsupportedAlgorithm
        from cryptography.hazmat.primitives import serialization

        try:
            key = serialization.load_pem_private_key(data, password=None)
        except (TypeError, UnsupportedAlgorithm):
            return None
        except ValueError:
            return None  # maybe a public key: joserfc says what it is (and the caller refuses it)
        if isinstance(key, ec.EllipticCurvePrivateKey) and isinstance(key.curve, ec.SECP256R1):
            return cls(key)
        return None

    @classmethod
    def from_jwk(cls, jwk: dict[str, Any]) -> Es256Key | None:
        """The key of a private P-256 JWK; None for any other kind of key."""
        if jwk.get("kty") != "EC" or jwk.get("crv") != "P-256" or not isinstance(jwk.get("d"), str):
            return None
        key = ec.derive_private_key(_b64url_int(jwk["d"]), ec.SECP256R1())
        mine = cls(key, jwk.get("kid"))
        if (mine._public["x"], mine._public["y"]) != (jwk.get("x"), jwk.get("y")):
            raise ValueError("the JWK's public part does not belong to its private key")
        return mine

    @property
    def is_private(self) -> bool:
        return True

    def public_jwk(self) -> dict[str, str]:
        return dict(self._public)

    def thumbprint(self) -> str:
        """RFC 7638: SHA-256 of the required members in lexical order."""
        canonical = json.dumps({k: self._public[k] for k in ("crv", "kty", "x", "y")}, separators=(",", ":"))
        return b64url(hashlib.sha256(canonical.encode("ascii")).digest())

    def as_dict(self, private: bool = False) -> dict[str, str]:
        out = self.public_jwk()
        if private:
            out["d"] = b64url(self._key.private_numbers().private_value.to_bytes(32, "big"))
        if self.kid:
            out["kid"] = self.kid
        return out

    def sign(self, header: dict[str, Any], claims: dict[str, Any]) -> str:
        """The compact JWS of `claims` under `header` (whose alg must be ES256)."""
        signing_input = _compact({**header, "alg": self.alg}, claims)
        r, s = decode_dss_signature(self._key.sign(signing_input, ec.ECDSA(hashes.SHA256())))
        return signing_input.decode("ascii") + "." + b64url(r.to_bytes(32, "big") + s.to_bytes(32, "big"))


class JoseKey:
    """Any other private key (RSA, PEM, other curves), signed with joserfc."""

    def __init__(self, key: Any) -> None:
        self._key = key  # a joserfc Key
        self.kid = key.kid
        if key.key_type == "EC":
            self.alg = {"P-256": "ES256", "P-384": "ES384"}.get(key.get("crv", ""), "ES256")
        else:
            self.alg = "PS256"

    @property
    def is_private(self) -> bool:
        return bool(self._key.is_private)

    def public_jwk(self) -> dict[str, Any]:
        return dict(self._key.as_dict(private=False))

    def as_dict(self, private: bool = False) -> dict[str, Any]:
        return dict(self._key.as_dict(private=private))

    def sign(self, header: dict[str, Any], claims: dict[str, Any]) -> str:
        from joserfc import jwt

        return jwt.encode({**header, "alg": self.alg}, claims, self._key, algorithms=[self.alg])
