"""Local files are their owner's alone: data folder 0700, SQLite files 0600 (issue 13).

On a terminal server many users share one machine; drafts, unsent orders and the print
journal name patients. Real files under a umask that would make them world-readable.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from client.outbox import Outbox
from client.recovery import recover_local_file
from ihr.models import OrderInput
from printing.journal import PrintJournal
from sandbox.db import Database


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def open_umask() -> Iterator[None]:
    old = os.umask(0o022)  # the usual default: 0644 files in 0755 folders
    yield
    os.umask(old)


def test_the_stores_make_owner_only_files(tmp_path: Path) -> None:
    data = tmp_path / "ny" / "ihr"
    Outbox(data / "ihr.sqlite3").put("k", OrderInput(patient_id="1", requester_hpr="2", office_her_id="3", items=[{"service_code": "X"}]))
    assert mode(data) == 0o700 and mode(data / "ihr.sqlite3") == 0o600
    shared = tmp_path / "delt"
    shared.mkdir(mode=0o755)
    PrintJournal(shared / "journal.sqlite3").close()
    assert mode(shared / "journal.sqlite3") == 0o600
    db = Database(shared / "sandkasse.sqlite3")
    try:
        assert mode(shared / "sandkasse.sqlite3") == 0o600
        assert mode(shared / "sandkasse.sqlite3-wal") == 0o600  # SQLite copies the file's mode
    finally:
        db.close()
    assert mode(shared) == 0o755  # a folder that was there already (say /tmp) is left alone


def test_an_older_data_folder_is_closed_at_start(tmp_path: Path) -> None:
    data = tmp_path / "ihr"
    data.mkdir(mode=0o755)
    db = data / "ihr.sqlite3"
    Outbox(db).put("k", OrderInput(patient_id="1", requester_hpr="2", office_her_id="3", items=[{"service_code": "X"}]))
    db.chmod(0o644)
    data.chmod(0o755)
    assert recover_local_file(data, db) is None  # a sound file: kept where it is
    assert mode(data) == 0o700 and mode(db) == 0o600
    assert [p.key for p in Outbox(db).pending()] == ["k"]
