"""Reading a signing key from a file's bytes: a JWK (JSON) or PEM, EC or RSA, private or public.

joserfc reads a JWK by its `kty`, but a PEM file says its key type only inside, so
`JWKRegistry.import_key(pem)` without a key type refuses every PEM. `cryptography` (which
joserfc itself uses) reads the PEM: PKCS#8 (`PRIVATE KEY`), PKCS#1 (`RSA PRIVATE KEY`,
`RSA PUBLIC KEY`), SEC 1 (`EC PRIVATE KEY`) and SubjectPublicKeyInfo (`PUBLIC KEY`); joserfc
then makes the JWK of the key object. The client (`client.signin`) and the service
(`sandbox.authority`, `register-client`) both read keys through here, so what one accepts
the other does. Encrypted PEM files are refused (the key file is protected by its mode).
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, JWKRegistry, Key, RSAKey

NativeKey = ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey | rsa.RSAPrivateKey | rsa.RSAPublicKey


class NotAKey(ValueError):
    """The bytes are no JWK or PEM key of a kind the sign-in uses (EC or RSA)."""


def native_pem_key(data: bytes) -> NativeKey:
    """The `cryptography` key of a PEM file (private or public, EC or RSA)."""
    loaded: Any
    try:
        loaded = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        try:
            loaded = serialization.load_pem_public_key(data)
        except (ValueError, TypeError, UnsupportedAlgorithm):
            raise NotAKey("not a PEM key") from None
    if not isinstance(loaded, NativeKey):
        raise NotAKey("neither EC nor RSA")
    return loaded


def import_key(data: bytes | dict[str, Any]) -> Key:
    """The joserfc key of a JWK (dict, or JSON bytes) or a PEM file's bytes."""
    try:
        if isinstance(data, dict):
            return JWKRegistry.import_key(data)
        text = data.decode("utf-8").strip()
        if text.startswith("{"):
            value = json.loads(text)
            if not isinstance(value, dict):
                raise NotAKey("not a JWK")
            return JWKRegistry.import_key(value)
        native = native_pem_key(data)
        if isinstance(native, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey):
            return ECKey.import_key(native)
        return RSAKey.import_key(native)
    except (JoseError, UnicodeError, ValueError, TypeError) as exc:
        if isinstance(exc, NotAKey):
            raise
        raise NotAKey("not a key") from exc
