"""Errors name their cause (issue 13): a refused sign-in, an unusable token, a certificate
this machine does not trust and a service that does not answer each read differently; once
all of them read "Får ikke kontakt med IHR-tjenesten".

Real servers on loopback: the sandbox as authority, a scripted HTTP server, and a TLS
server with a self-signed certificate made here.
"""

from __future__ import annotations

import datetime as dt
import socket
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from client import AccessRefused, CertificateNotTrusted, IhrClient, ServiceUnavailable, Unauthorized
from client.auth import INVALID_TOKEN, HelseIdAuth
from client.signin import Credentials, Session, load_client_key, write_new_key
from tests.client.conftest import Reply

NO_CONTACT = ServiceUnavailable.default_message


def session_of_unknown_client(authority_url: str, tmp_path: Path) -> Session:
    key = tmp_path / "ukjent.jwk.json"
    write_new_key(key)
    return Session(Credentials(authority_url, "ukjent-klient", load_client_key(key), "99200101", "990100217"))


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[str]:
    """A TLS server on loopback with a self-signed certificate (nothing here trusts it)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1)).sign(key, hashes.SHA256())
    )
    (tmp_path / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            try:
                with context.wrap_socket(conn, server_side=True) as tls:
                    tls.recv(1024)
            except (OSError, ssl.SSLError):
                pass  # the client gives up during the handshake

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join(timeout=2)
    server.close()


async def test_untrusted_certificate(tls_server: str, tmp_path: Path) -> None:
    auth = HelseIdAuth(session_of_unknown_client(tls_server, tmp_path))
    async with IhrClient(f"{tls_server}/api/v1", auth, backoff_s=0.01) as ihr:
        with pytest.raises(CertificateNotTrusted) as caught:
            await ihr.get_requester("990100217")
    assert caught.value.message.startswith("IHR-tjenestens sertifikat er ikke klarert")
    assert caught.value.message != NO_CONTACT


async def test_service_unreachable(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nobody listens there
    url = f"http://127.0.0.1:{port}"
    async with IhrClient(f"{url}/api/v1", HelseIdAuth(session_of_unknown_client(url, tmp_path)), backoff_s=0.01) as ihr:
        with pytest.raises(ServiceUnavailable) as caught:
            await ihr.get_requester("990100217")
    assert caught.value.message == NO_CONTACT


async def test_sign_in_refused(authority: Any, tmp_path: Path) -> None:
    auth = HelseIdAuth(session_of_unknown_client(authority.base_url, tmp_path))
    async with IhrClient(authority.url, auth, backoff_s=0.01) as ihr:
        with pytest.raises(AccessRefused) as caught:
            await ihr.get_requester("990100217")
    assert caught.value.message.startswith("IHR nekter tilgang")


async def test_empty_token_and_a_refused_token(scripted: Any, tmp_path: Path) -> None:
    token = {"access_token": "", "token_type": "DPoP", "expires_in": 300}

    def service(req: Any, n: int) -> Reply:
        if req.path.startswith("/connect/token"):
            return Reply(200, token)
        return Reply(401, {"title": "Ikke autentisert", "status": 401, "detail": "", "errors": []})

    server = await scripted(service)
    origin = server.url.removesuffix("/api/v1")
    async with IhrClient(server.url, HelseIdAuth(session_of_unknown_client(origin, tmp_path)), backoff_s=0.01) as ihr:
        with pytest.raises(AccessRefused) as empty:
            await ihr.get_requester("990100217")
        assert empty.value.message == INVALID_TOKEN
        assert not [r for r in server.requests if r.path.startswith("/api/")]  # never sent with it

        token["access_token"] = "et-bevis-tjenesten-ikke-godtar"
        with pytest.raises(Unauthorized) as refused:  # signed in, but the service says no (twice)
            await ihr.get_requester("990100217")
    assert refused.value.message == Unauthorized.default_message != NO_CONTACT
