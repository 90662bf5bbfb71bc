"""Random bodies and random answers: never a 500, and nothing stored unless created."""

from __future__ import annotations

import json
import uuid

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.server import EmbeddedSandbox
from tests.sandbox.conftest import order_body

SERVICES_WITH_QUESTIONS = ["NPU01951", "SSD0AD", "SNG0AG", "NPU08669", "LOK-MB-CTNG", "NPU03577"]
KEYS = ["gravid", "svangerskapsuke", "termindato", "siste_egfr", "siste_egfr_dato", "egfr_tiltak",
        "bruker_metformin", "kontrastallergi", "pacemaker", "metallimplantat", "implantat_beskrivelse",
        "problemstilling", "psa_indikasjon", "provetakingssted", "menopausestatus", "syklusdag", "x"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=30),
    st.sampled_from(["2026-11-01", "2026-11-01T08:00", "31.12.2026", "ja", "nei", "", " "]),
)
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)
answer_values = st.one_of(scalars, st.lists(scalars, max_size=2))
FIELDS = ["patient_id", "requester_hpr", "office_her_id", "priority", "items", "answers", "comment"]

COMMON = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def check(sandbox: EmbeddedSandbox, r: httpx.Response, before: int, errors_before: int) -> None:
    assert r.status_code in (201, 400, 413, 415, 422), r.text
    assert r.headers["content-type"].startswith("application/problem+json" if r.status_code != 201 else "application/json")
    if r.status_code != 201:
        assert sandbox.app.state.db.count_orders() == before
    assert sandbox.app.state.guard_stats.unexpected_errors == errors_before


@COMMON
@given(body=st.dictionaries(st.sampled_from(FIELDS + ["extra"]), json_values, max_size=7))
def test_random_order_bodies(sandbox: EmbeddedSandbox, client: httpx.Client, body: dict) -> None:
    before, errors = sandbox.app.state.db.count_orders(), sandbox.app.state.guard_stats.unexpected_errors
    r = client.post("/orders", content=json.dumps(body), headers={"Idempotency-Key": uuid.uuid4().hex, "content-type": "application/json"})
    check(sandbox, r, before, errors)


@COMMON
@given(
    codes=st.lists(st.sampled_from(SERVICES_WITH_QUESTIONS), min_size=1, max_size=3, unique=True),
    answers=st.dictionaries(st.sampled_from(KEYS), answer_values, max_size=8),
)
def test_random_answers(sandbox: EmbeddedSandbox, client: httpx.Client, codes: list[str], answers: dict) -> None:
    before, errors = sandbox.app.state.db.count_orders(), sandbox.app.state.guard_stats.unexpected_errors
    body = order_body(codes, answers=answers)
    r = client.post("/orders", content=json.dumps(body), headers={"Idempotency-Key": uuid.uuid4().hex, "content-type": "application/json"})
    check(sandbox, r, before, errors)
    if r.status_code == 201:
        stored = {a["key"] for a in r.json()["answers"]}
        assert stored <= set(answers)
