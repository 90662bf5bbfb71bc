"""Two `ihr sandbox` processes on one database file (as behind one proxy) share what a replay
check needs: a proof or an assertion used at one is refused at the other, because the replay
caches live in the database; a fresh one is accepted by either (same issuer, the signing key
beside the database, the same DPoP nonces)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from client.signin import Credentials, Session, load_client_key, write_new_key
from ihr.helseid import SCOPE_API
from sandbox.app import ensure_seeded
from sandbox.authority import register_client
from sandbox.db import Database
from sandbox.seed.offices import DEMO_OFFICE_ORG_NR, DEMO_SECRETARY_HPR
from sandbox.seed.people import DEMO_OFFICE_HER_ID, DEMO_PATIENT_ID

START_S = 60.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(port: int, db: Path, issuer: str) -> subprocess.Popen[bytes]:
    args = ["sandbox", "--port", str(port), "--db", str(db), "--issuer", issuer]
    proc = subprocess.Popen(
        [sys.executable, "-c", f"from tui.cli import main; main({args!r})"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    deadline = time.monotonic() + START_S
    while True:  # waits for the condition: the process answers
        try:
            if httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=2).status_code == 200:
                return proc
        except httpx.TransportError:
            pass
        assert proc.poll() is None, "the sandbox process ended"
        assert time.monotonic() < deadline, "the sandbox process did not answer"
        time.sleep(0.1)


@pytest.fixture
def two(tmp_path: Path) -> Iterator[tuple[str, str, Session]]:
    db = tmp_path / "delt.sqlite3"
    store = Database(db)
    ensure_seeded(store)
    register_client(store, "delt", write_new_key(tmp_path / "k.json"), DEMO_OFFICE_HER_ID, [SCOPE_API])
    store.close()
    p1, p2 = free_port(), free_port()
    issuer = f"http://127.0.0.1:{p1}"
    procs = [start(p1, db, issuer)]
    try:
        procs.append(start(p2, db, issuer))
        creds = Credentials(issuer, "delt", load_client_key(tmp_path / "k.json"), DEMO_OFFICE_HER_ID,
                            DEMO_SECRETARY_HPR, DEMO_OFFICE_ORG_NR)
        yield issuer, f"http://127.0.0.1:{p2}", Session(creds)
    finally:
        for proc in procs:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)


def test_a_proof_used_at_one_process_is_refused_at_the_other(two: tuple[str, str, Session]) -> None:
    one, other, session = two
    session.sign_in_sync()
    path = f"/api/v1/patients/{DEMO_PATIENT_ID}"
    url = one + path  # the address the client knows (the proxy's)
    headers = session.headers("GET", url)
    assert httpx.get(url, headers=headers, timeout=10).status_code == 200
    host = {"Host": one.removeprefix("http://")}
    replayed = httpx.get(other + path, headers={**headers, **host}, timeout=10)
    assert replayed.status_code == 401 and "brukt før" in replayed.json()["detail"]
    fresh = httpx.get(other + path, headers={**session.headers("GET", url), **host}, timeout=10)
    assert fresh.status_code == 200  # the other process takes the same token, nonce and all


def test_an_assertion_used_at_one_process_is_refused_at_the_other(two: tuple[str, str, Session]) -> None:
    one, other, session = two
    session.sign_in_sync()  # learns the nonce
    url, headers, body = session.token_request()
    assert httpx.post(url, content=body, headers=headers, timeout=10).status_code == 200
    headers = {**headers, "DPoP": session.proof("POST", url), "Host": one.removeprefix("http://")}
    again = httpx.post(other + "/connect/token", content=body, headers=headers, timeout=10)
    assert again.status_code == 401 and "brukt før" in again.json()["error_description"]
