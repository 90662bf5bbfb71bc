"""Behind a TLS proxy the client's proofs name the proxy's https address: the service
believes X-Forwarded-Proto and X-Forwarded-Host from the proxy the operator names
(`trusted_proxies`, `ihr sandbox --trusted-proxy`) and from no one else."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from sandbox.seed.people import DEMO_PATIENT_ID
from sandbox.server import EmbeddedSandbox
from tests.helseid import session_for

PUBLIC = "https://ihr.proxy.example"


def sandbox(tmp_path: Path, trusted: tuple[str, ...]) -> Iterator[EmbeddedSandbox]:
    with EmbeddedSandbox(db_path=tmp_path / "s.sqlite3", lab_delay_s=0, trusted_proxies=trusted) as sb:
        yield sb


@pytest.fixture
def behind_proxy(tmp_path: Path) -> Iterator[EmbeddedSandbox]:
    yield from sandbox(tmp_path, ("127.0.0.1",))  # the proxy runs on this machine


@pytest.fixture
def no_proxy(tmp_path: Path) -> Iterator[EmbeddedSandbox]:
    yield from sandbox(tmp_path, ())


def get_as_proxy(sb: EmbeddedSandbox, keys: Path) -> httpx.Response:
    """A request as the proxy passes it on: the proof names the public https address."""
    s = session_for(sb, keys, sb.base_url)
    s.sign_in_sync()
    s.note_nonce(sb.app.state.authority.nonces.current(), PUBLIC)  # as the proxy's answers carry it
    path = f"/api/v1/patients/{DEMO_PATIENT_ID}"
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": PUBLIC.removeprefix("https://")}
    return httpx.get(sb.base_url + path, headers={**s.headers("GET", PUBLIC + path), **forwarded}, timeout=10)


def test_the_named_proxy_is_believed(behind_proxy: EmbeddedSandbox, tmp_path: Path) -> None:
    assert get_as_proxy(behind_proxy, tmp_path).status_code == 200


def test_forwarded_headers_from_anyone_else_are_not(no_proxy: EmbeddedSandbox, tmp_path: Path) -> None:
    r = get_as_proxy(no_proxy, tmp_path)
    assert r.status_code == 401 and "annen adresse" in r.json()["detail"]
