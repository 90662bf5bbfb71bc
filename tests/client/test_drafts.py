"""The autosaved drafts: a round trip on a real SQLite file, and only what the open work needs."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from client.drafts import DraftSnapshot, DraftStore

PATIENT = "15876500520"  # synthetic (month + 80)
OTHER = "01817010055"  # synthetic (month + 80)


def snapshot(patient: str = PATIENT, **kw: object) -> DraftSnapshot:
    base: dict[str, object] = dict(
        patient_id=patient,
        office_her_id="8765",
        requester_hpr="9144900",
        items=[("NPU19748", "90001"), ("NPU01951", "90002")],
        answers={"gravid": True, "svangerskapsuke": 20, "vekt": 71.5, "dato": "2026-11-01"},
        raw_answers={"svangerskapsuke": "20", "vekt": "71,5", "dato": "1.11.2026"},
        priority="haster",
        comment="Spørsmål om infeksjon",
        updated_at=datetime(2026, 11, 22, 8, 14, tzinfo=UTC),
    )
    base.update(kw)
    return DraftSnapshot(**base)  # type: ignore[arg-type]


def test_round_trip_and_survives_a_new_store(tmp_path: Path) -> None:
    db = tmp_path / "ihr.sqlite3"
    store = DraftStore(db)
    assert store.get(PATIENT) is None
    snap = snapshot()
    store.put(snap)
    assert store.get(PATIENT) == snap
    assert store.get(PATIENT, "8765") == snap
    assert store.get(PATIENT, "1111") is None  # another office's drafts are its own

    again = DraftStore(db)  # a new process on the same file
    got = again.get(PATIENT)
    assert got == snap
    assert got is not None and got.answers["gravid"] is True and got.answers["svangerskapsuke"] == 20
    assert got.items == [("NPU19748", "90001"), ("NPU01951", "90002")]
    assert got.updated_at == snap.updated_at


def test_one_draft_per_patient_and_office(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "ihr.sqlite3")
    store.put(snapshot())
    store.put(snapshot(items=[("NPU19748", "90001")], comment=""))
    store.put(snapshot(OTHER))
    assert len(store) == 2
    got = store.get(PATIENT)
    assert got is not None and got.items == [("NPU19748", "90001")] and got.comment == ""
    assert store.remove(PATIENT)
    assert not store.remove(PATIENT)
    assert store.get(PATIENT) is None
    assert store.get(OTHER) is not None


def test_mark_saved_by_key(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "ihr.sqlite3")
    store.put(snapshot(idempotency_key="k-1", submitted='{"patient_id": "x"}'))
    assert not store.mark_saved("k-2", "o-1")
    assert store.mark_saved("k-1", "o-1")
    got = DraftStore(tmp_path / "ihr.sqlite3").get(PATIENT)
    assert got is not None and got.order_id == "o-1" and got.idempotency_key == "k-1"


def test_holds_no_name(tmp_path: Path) -> None:
    """The row has the ids, codes and answers, and nothing that names the patient."""
    db = tmp_path / "ihr.sqlite3"
    store = DraftStore(db)
    store.put(snapshot())
    assert set(DraftSnapshot.__dataclass_fields__) == {
        "patient_id", "office_her_id", "requester_hpr", "items", "answers", "raw_answers",
        "priority", "comment", "idempotency_key", "submitted", "order_id", "updated_at",
        # the requisition fields: copy recipients by HPR-nummer only (their names are looked up
        # again), codes, and what was typed (like the comment)
        "payment_category", "copy_to_gp", "copy_other", "diagnosis_code", "diagnosis_text", "clinical_info",
        "modality_change",
        "region_reasons",  # lab HER-id: reason code and text (why another region)
    }
    con = sqlite3.connect(db)
    try:
        columns = [r[1] for r in con.execute("PRAGMA table_info(drafts)")]
        rows = con.execute("SELECT * FROM drafts").fetchall()
    finally:
        con.close()
    assert not any("name" in c or "navn" in c for c in columns)
    text = " ".join(str(v) for row in rows for v in row)
    assert '"name"' not in text and "navn" not in text
