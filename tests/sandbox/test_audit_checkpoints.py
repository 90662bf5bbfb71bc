"""The access log vouches for itself from outside the database: whoever rewrites a row and
recomputes every hash after it fools the hash chain, but not the checkpoints signed with the
audit key (kept outside the database file): the service reports the log broken, and so does
`ihr sandbox verify-log` on a copy, given the public key alone (and a checkpoint kept
elsewhere, should the database's own be deleted too)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ihr.helseid import SCOPE_AUDIT
from sandbox.db import AUDIT_FIELDS, AUDIT_GENESIS, audit_hash
from sandbox.seed.people import DEMO_PATIENT_ID
from sandbox.server import EmbeddedSandbox
from tests.helseid import auth_for


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[EmbeddedSandbox]:
    with EmbeddedSandbox(db_path=tmp_path / "sandkasse.sqlite3", lab_delay_s=0) as sb:
        yield sb


def read_log(sb: EmbeddedSandbox, folder: Path) -> dict[str, Any]:
    auth = auth_for(sb, folder, scopes=(SCOPE_AUDIT,))
    r = httpx.get(f"{sb.url}/audit", params={"patient": DEMO_PATIENT_ID}, auth=auth, timeout=10)
    assert r.status_code == 200, r.text
    return dict(r.json())


def rewrite_and_rechain(db_file: Path, *, drop_checkpoints: bool) -> None:
    """The attack: triggers dropped, row 1 given another health worker, every hash after it
    recomputed so that the chain holds again (and, if asked, the kept checkpoints deleted)."""
    with sqlite3.connect(db_file) as conn:
        conn.row_factory = sqlite3.Row
        conn.execute("DROP TRIGGER audit_no_update")
        conn.execute("UPDATE audit SET hpr = '990100458' WHERE seq = 1")
        prev = AUDIT_GENESIS
        for row in conn.execute("SELECT * FROM audit ORDER BY seq").fetchall():
            fields = tuple(row[k] for k in AUDIT_FIELDS)
            if row["requester_hpr"] is not None:
                fields = (*fields, row["requester_hpr"])
            digest = audit_hash(prev, fields)
            conn.execute("UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, digest, row["seq"]))
            prev = digest
        if drop_checkpoints:
            conn.execute("DELETE FROM audit_checkpoints")


def copy_of(db_file: Path, to: Path) -> Path:
    with sqlite3.connect(db_file) as src, sqlite3.connect(to) as dst:
        src.backup(dst)
    return to


def verify_log(db: Path, key: Path, *checkpoints: Path) -> subprocess.CompletedProcess[str]:
    args = ["sandbox", "verify-log", "--db", str(db), "--key", str(key)]
    for c in checkpoints:
        args += ["--checkpoint", str(c)]
    code = f"from tui.cli import main; main({args!r})"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("drop_checkpoints", [False, True], ids=["checkpoints kept", "checkpoints deleted too"])
def test_a_rewritten_and_rechained_log_is_reported_broken(
    sandbox: EmbeddedSandbox, tmp_path: Path, drop_checkpoints: bool
) -> None:
    with httpx.Client(base_url=sandbox.url, auth=auth_for(sandbox, tmp_path), timeout=10) as c:
        for _ in range(3):
            assert c.get(f"/patients/{DEMO_PATIENT_ID}").status_code == 200
    before = read_log(sandbox, tmp_path)
    assert before["chain_intact"] is True and before["checkpoint"]
    kept = tmp_path / "kontrollpunkt.jws"  # what the privacy officer keeps, outside the service
    kept.write_text(before["checkpoint"])
    public = tmp_path / "loggnokkel.pub.json"
    public.write_text(json.dumps(sandbox.app.state.audit_signer.public_jwk()))
    assert sandbox.app.state.audit_signer.key_file.parent == sandbox.db_path.parent
    assert sandbox.app.state.audit_signer.key_file != sandbox.db_path  # the key is not in the database

    intact = verify_log(copy_of(sandbox.db_path, tmp_path / "kopi-1.sqlite3"), public, kept)
    assert intact.returncode == 0 and "hel" in intact.stdout, intact.stdout + intact.stderr

    rewrite_and_rechain(sandbox.db_path, drop_checkpoints=drop_checkpoints)
    assert sandbox.app.state.db.audit_chain_break() is None  # the chain alone is fooled

    broken = verify_log(copy_of(sandbox.db_path, tmp_path / "kopi-2.sqlite3"), public, kept)
    assert broken.returncode == 1 and "BRUTT" in broken.stdout
    assert "skrevet om" in broken.stdout
    if not drop_checkpoints:  # the service checks against the checkpoints it keeps
        assert read_log(sandbox, tmp_path)["chain_intact"] is False


def test_a_checkpoint_signed_with_another_key_does_not_vouch(sandbox: EmbeddedSandbox, tmp_path: Path) -> None:
    with httpx.Client(base_url=sandbox.url, auth=auth_for(sandbox, tmp_path), timeout=10) as c:
        assert c.get(f"/patients/{DEMO_PATIENT_ID}").status_code == 200
    read_log(sandbox, tmp_path)
    from joserfc.jwk import ECKey

    stranger = tmp_path / "fremmed.pub.json"
    stranger.write_text(json.dumps(ECKey.generate_key("P-256").as_dict(private=False)))
    done = verify_log(copy_of(sandbox.db_path, tmp_path / "kopi.sqlite3"), stranger)
    assert done.returncode == 1 and "ugyldig signatur" in done.stdout
