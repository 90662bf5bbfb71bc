"""The start-up path's ES256 keys (`client.jws`) make what joserfc, and so the service, reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from joserfc import jwt
from joserfc.jwk import ECKey, RSAKey

from client.jws import Es256Key, JoseKey
from client.signin import load_client_key, write_new_key
from ihr.settings import SettingsError


def test_joserfc_verifies_what_an_es256_key_signs() -> None:
    key = Es256Key.generate()
    token = key.sign({"typ": "dpop+jwt", "jwk": key.public_jwk()}, {"htm": "GET", "jti": "x", "iat": 1})
    decoded = jwt.decode(token, ECKey.import_key(key.public_jwk()), algorithms=["ES256"])
    assert decoded.claims == {"htm": "GET", "jti": "x", "iat": 1}
    assert decoded.header["alg"] == "ES256" and decoded.header["jwk"] == key.public_jwk()
    assert key.thumbprint() == ECKey.import_key(key.public_jwk()).thumbprint()


def test_a_joserfc_jwk_is_read_and_a_tampered_one_refused() -> None:
    jose = ECKey.generate_key("P-256", auto_kid=True)
    mine = Es256Key.from_jwk(jose.as_dict(private=True))
    assert mine is not None and mine.kid == jose.kid and mine.public_jwk()["x"] == jose.as_dict()["x"]
    other = ECKey.generate_key("P-256").as_dict(private=True)
    with pytest.raises(ValueError):
        Es256Key.from_jwk({**jose.as_dict(private=True), "x": other["x"]})
    assert Es256Key.from_jwk(ECKey.generate_key("P-384").as_dict(private=True)) is None


def test_key_files_load_as_the_fast_key_or_through_joserfc(tmp_path: Path) -> None:
    public = write_new_key(tmp_path / "ec.json")
    ec_key = load_client_key(tmp_path / "ec.json")
    assert isinstance(ec_key, Es256Key) and ec_key.public_jwk()["x"] == public["x"] and ec_key.kid == public["kid"]
    rsa = tmp_path / "rsa.json"
    rsa.write_text(json.dumps(RSAKey.generate_key(2048).as_dict(private=True)))
    rsa.chmod(0o600)
    key = load_client_key(rsa)
    assert isinstance(key, JoseKey) and key.alg == "PS256"
    token = key.sign({"typ": "client-authentication+jwt"}, {"iss": "c"})
    assert jwt.decode(token, RSAKey.import_key(key.public_jwk()), algorithms=["PS256"]).claims == {"iss": "c"}
    public_only = tmp_path / "public.json"
    public_only.write_text(json.dumps(public))
    public_only.chmod(0o600)
    with pytest.raises(SettingsError):
        load_client_key(public_only)
