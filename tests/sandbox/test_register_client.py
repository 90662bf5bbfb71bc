"""`ihr sandbox register-client`: a client registered in the sandbox's file can sign in."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx

from client.auth import HelseIdAuth
from client.signin import Credentials, Session, load_client_key
from sandbox.seed.offices import org_nr_of
from sandbox.seed.people import DEMO_OFFICE_HER_ID, DEMO_PATIENT_ID, DEMO_REQUESTER_HPR
from sandbox.server import EmbeddedSandbox

ROOT = Path(__file__).resolve().parents[2]


def ihr(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={k: v for k, v in os.environ.items() if not k.startswith("IHR_")},
    )


def test_a_registered_client_signs_in_for_its_office(tmp_path: Path) -> None:
    db, key = tmp_path / "sandkasse.sqlite3", tmp_path / "nokkel.json"
    done = ihr("sandbox", "register-client", "--db", str(db), "--client-id", "kontor-1",
               "--office", DEMO_OFFICE_HER_ID, "--key", str(key), "--new-key")
    assert done.returncode == 0, done.stderr
    assert 'client_id = "kontor-1"' in done.stdout
    assert key.stat().st_mode & 0o077 == 0  # the private key is the owner's alone
    with EmbeddedSandbox(db_path=db, lab_delay_s=0) as sb:
        creds = Credentials(
            sb.base_url, "kontor-1", load_client_key(key), DEMO_OFFICE_HER_ID, DEMO_REQUESTER_HPR, org_nr_of(DEMO_OFFICE_HER_ID)
        )
        r = httpx.get(f"{sb.url}/patients/{DEMO_PATIENT_ID}", auth=HelseIdAuth(Session(creds)), timeout=10)
        assert r.status_code == 200
        # the same key for another office: refused at sign-in
        elsewhere = Credentials(
            sb.base_url, "kontor-1", load_client_key(key), "99200218", DEMO_REQUESTER_HPR, org_nr_of("99200218")
        )
        session = Session(elsewhere)
        session.note_nonce(r.headers["DPoP-Nonce"])
        url, headers, body = session.token_request()
        assert httpx.post(url, content=body, headers=headers, timeout=10).json()["error"] == "access_denied"


def test_an_unreadable_key_is_a_norwegian_error(tmp_path: Path) -> None:
    (tmp_path / "tull.json").write_text("ikke en nøkkel")
    done = ihr("sandbox", "register-client", "--db", str(tmp_path / "s.sqlite3"), "--client-id", "x",
               "--office", DEMO_OFFICE_HER_ID, "--key", str(tmp_path / "tull.json"))
    assert done.returncode == 2 and "ikke en lesbar nøkkel" in done.stderr
