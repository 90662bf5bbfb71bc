"""A broken outbox row is put aside and the secretary told once (issue 13: it was skipped at
every start but counted as waiting for ever). The real outbox file, the real sandbox."""

from __future__ import annotations

import sqlite3
from typing import Any

from client.drafts import DraftStore
from client.outbox import Outbox
from ihr.models import ItemInput, OrderInput
from tests.tui.conftest import DEMO_OFFICE_HER_ID, DEMO_PATIENT_ID, DEMO_REQUESTER_HPR, make_client
from tui import messages as m
from tui import strings as S
from tui import workflow


async def test_resend_reports_a_broken_row_once_and_keeps_it(settings: Any) -> None:
    outbox = Outbox(settings.db_path)
    order = OrderInput(patient_id=DEMO_PATIENT_ID, requester_hpr=DEMO_REQUESTER_HPR,
                       office_her_id=DEMO_OFFICE_HER_ID, items=[ItemInput(service_code="NPU19748")])
    outbox.put("ødelagt", order)
    con = sqlite3.connect(settings.db_path)
    con.execute("UPDATE outbox SET order_input = 'ikke json'")
    con.commit()
    client = make_client(settings)
    try:
        first = await workflow.resend_outbox(client, outbox, DraftStore(settings.db_path))
        assert isinstance(first, m.Notice) and first.text == S.outbox_quarantined(1, 0)
        assert "lagt til side (ikke slettet)" in first.text
        assert await workflow.resend_outbox(client, outbox, DraftStore(settings.db_path)) is None  # once
    finally:
        await client.aclose()
    assert con.execute("SELECT order_input FROM outbox_quarantine").fetchall() == [("ikke json",)]
    con.close()
