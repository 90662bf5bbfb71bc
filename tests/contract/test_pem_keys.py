"""Keys made by openssl, as an operator makes them, sign in: PEM files, EC and RSA, PKCS#1
(`RSA PRIVATE KEY`), SEC 1 (`EC PRIVATE KEY`) and PKCS#8 (`PRIVATE KEY`). `register-client`
reads the PEM (its public half: a public PEM does too) and the real client signs its
assertions and proofs with it against a real sandbox."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from client.auth import HelseIdAuth
from client.signin import Credentials, Session, load_client_key
from ihr.settings import SettingsError
from sandbox.seed.offices import DEMO_OFFICE_ORG_NR, DEMO_SECRETARY_HPR
from sandbox.seed.people import DEMO_OFFICE_HER_ID, DEMO_PATIENT_ID
from sandbox.server import EmbeddedSandbox

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")

OPENSSL = {
    "ec-pkcs8": (["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"], "BEGIN PRIVATE KEY"),
    "ec-sec1": (["ecparam", "-name", "prime256v1", "-genkey", "-noout"], "BEGIN EC PRIVATE KEY"),
    "rsa-pkcs1": (["genrsa", "-traditional", "2048"], "BEGIN RSA PRIVATE KEY"),
    "rsa-pkcs8": (["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"], "BEGIN PRIVATE KEY"),
}


def openssl(args: list[str], out: Path) -> None:
    subprocess.run(["openssl", args[0], "-out", str(out), *args[1:]], check=True, capture_output=True, timeout=120)
    os.chmod(out, 0o600)


def register(db: Path, client_id: str, key: Path) -> subprocess.CompletedProcess[str]:
    args = ["sandbox", "register-client", "--db", str(db), "--client-id", client_id, "--office", DEMO_OFFICE_ORG_NR,
            "--key", str(key)]
    return subprocess.run([sys.executable, "-c", f"from tui.cli import main; main({args!r})"],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("kind", sorted(OPENSSL))
def test_a_key_made_by_openssl_signs_in(tmp_path: Path, kind: str) -> None:
    args, marker = OPENSSL[kind]
    key = tmp_path / f"{kind}.pem"
    openssl(args, key)
    assert marker in key.read_text()
    db = tmp_path / "sandkasse.sqlite3"
    done = register(db, f"klient-{kind}", key)
    assert done.returncode == 0, done.stderr
    with EmbeddedSandbox(db_path=db, lab_delay_s=0) as sb:
        creds = Credentials(
            sb.base_url, f"klient-{kind}", load_client_key(key), DEMO_OFFICE_HER_ID, DEMO_SECRETARY_HPR, DEMO_OFFICE_ORG_NR
        )
        r = httpx.get(f"{sb.url}/patients/{DEMO_PATIENT_ID}", auth=HelseIdAuth(Session(creds)), timeout=10)
        assert r.status_code == 200, r.text


def test_a_public_pem_registers_but_does_not_sign_in(tmp_path: Path) -> None:
    private, public = tmp_path / "k.pem", tmp_path / "k.pub.pem"
    openssl(OPENSSL["ec-pkcs8"][0], private)
    subprocess.run(["openssl", "pkey", "-in", str(private), "-pubout", "-out", str(public)], check=True, timeout=60)
    os.chmod(public, 0o600)
    assert register(tmp_path / "s.sqlite3", "klient", public).returncode == 0  # the service needs the public half only
    with pytest.raises(SettingsError, match="bare en offentlig nøkkel"):
        load_client_key(public)
