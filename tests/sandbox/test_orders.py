"""Creating orders: allocation, idempotency, validation with field paths, lookups, collection."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from datetime import date, timedelta

import httpx

from ihr.models import Catalog, Order
from ihr.rules.identifiers import make_person_id
from ihr.rules.specimen_ids import is_valid_specimen_id, make_specimen_id
from sandbox.seed.catalog import seed_groups
from sandbox.seed.people import seed_patients
from sandbox.server import EmbeddedSandbox
from tests.sandbox.conftest import (
    FakeClock,
    assert_problem,
    order_body,
    paths,
    post_order,
)

PATIENTS = seed_patients()
MAN = next(p for p in PATIENTS if p.sex == "M" and 1960 <= p.birth_date.year <= 1990)
CHILD = next(p for p in PATIENTS if p.birth_date.year >= 2015)
OUS_MB, STO_MIKRO = "99100101", "99300223"


def catalog(client: httpx.Client) -> Catalog:
    return Catalog.model_validate(client.get("/catalog").json())


def group_codes(name: str) -> list[str]:
    return next(g.service_codes for g in seed_groups() if g.name == name)


# ---- creation and allocation -----------------------------------------------------------


def test_a_realistic_basket_gets_requisitions_and_tubes(client: httpx.Client) -> None:
    codes = group_codes("Diabetes årskontroll")
    r = post_order(client, order_body(codes))
    assert r.status_code == 201, r.text
    assert r.headers["location"].endswith(r.json()["id"])
    order = Order.model_validate(r.json())
    cat = catalog(client)

    assert order.status == "lagret"
    assert len(order.requisitions) == 1
    req = order.requisitions[0]
    assert (req.kind, req.discipline, req.lab_her_id, req.status) == ("rekvisisjon", "klinisk_kjemi", OUS_MB, "lagret")
    assert [i.service_code for i in req.items] == codes
    assert req.number

    # One specimen per planned tube, valid barcodes, every item on a tube of its own material.
    ids = [s.id for s in order.specimens]
    assert len(set(ids)) == len(ids) and all(is_valid_specimen_id(i) for i in ids)
    draws = [s.order_of_draw for s in order.specimens]
    assert draws == sorted(draws)
    on_tube = Counter(code for s in order.specimens for code in s.service_codes)
    assert on_tube == Counter(codes)
    by_id = {s.id: s for s in order.specimens}
    for item in req.items:
        spec = by_id[item.specimen_id]
        need = cat.service(item.service_code).specimen
        assert item.service_code in spec.service_codes
        assert (spec.container, spec.material) == (need.container, need.material)
        assert spec.requisition_id == req.id
        assert spec.volume_ml <= cat.container(spec.container).capacity_ml
    # What the secretary draws: one heparin tube for the chemistry, potassium in a tube of its
    # own (centrifuged within 60 min), EDTA for HbA1c, and the urine container last.
    plan = [(s.container, s.service_codes) for s in order.specimens]
    assert plan == [
        ("LHG", sorted(["NOR25909", "NPU01566", "NPU01567", "NPU01568", "NPU04094", "NPU18016", "NPU19651"])),
        ("LHG", ["NPU03230"]),
        ("EDTA", ["NPU27300"]),
        ("URIN", ["NPU19661"]),
    ]
    assert order.specimens[1].centrifuge_within_minutes == 60
    # Barcodes are allocated in order of draw.
    assert ids == sorted(ids)


def test_one_requisition_per_lab_and_discipline_and_imaging_is_a_referral(client: httpx.Client) -> None:
    body = order_body(
        ["NPU19748", "LOK-MB-STREP", "SSC0AA"],
        answers={"problemstilling": "Langvarig hoste, spørsmål om pneumoni."},
    )
    order = Order.model_validate(post_order(client, body).json())
    kinds = {r.discipline: r.kind for r in order.requisitions}
    assert kinds == {"klinisk_kjemi": "rekvisisjon", "mikrobiologi": "rekvisisjon", "radiologi": "henvisning"}
    numbers = [r.number for r in order.requisitions]
    assert len(set(numbers)) == 3
    rad = next(r for r in order.requisitions if r.discipline == "radiologi")
    assert rad.items[0].specimen_id is None
    assert order.answer("problemstilling") == "Langvarig hoste, spørsmål om pneumoni."


def test_a_chosen_lab_is_used(client: httpx.Client) -> None:
    body = order_body(["LOK-MB-STREP"])
    body["items"][0]["lab_her_id"] = STO_MIKRO
    order = Order.model_validate(post_order(client, body).json())
    assert order.requisitions[0].lab_her_id == STO_MIKRO
    assert order.specimens[0].lab_her_id == STO_MIKRO


# ---- idempotency -------------------------------------------------------------------------


def test_the_same_key_gives_the_same_order(sandbox: EmbeddedSandbox, client: httpx.Client) -> None:
    key = uuid.uuid4().hex
    body = order_body(["NPU19748", "NOR05172"])
    before = sandbox.app.state.db.count_orders()
    first = post_order(client, body, key)
    second = post_order(client, body, key)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json() == second.json()
    assert sandbox.app.state.db.count_orders() == before + 1

    other = post_order(client, order_body(["NPU19748"]), key)
    problem = assert_problem(other, 422)
    assert "Idempotency-Key" in problem["detail"]
    assert sandbox.app.state.db.count_orders() == before + 1


def test_concurrent_posts_with_one_key_make_one_order(sandbox: EmbeddedSandbox, client: httpx.Client) -> None:
    auth = client.auth  # one signed-in client, eight connections
    key = uuid.uuid4().hex
    body = order_body(["NPU19748", "NPU03577"])
    before = sandbox.app.state.db.count_orders()
    results: list[httpx.Response] = []
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def post() -> None:
        with httpx.Client(base_url=sandbox.url, auth=auth) as c:
            barrier.wait()
            r = post_order(c, body, key)
            with lock:
                results.append(r)

    threads = [threading.Thread(target=post) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(r.status_code for r in results) == [200] * 7 + [201]
    assert len({r.json()["id"] for r in results}) == 1
    assert sandbox.app.state.db.count_orders() == before + 1


def test_a_key_is_required(sandbox: EmbeddedSandbox, client: httpx.Client) -> None:
    before = sandbox.app.state.db.count_orders()
    problem = assert_problem(client.post("/orders", json=order_body()), 400)
    assert "Idempotency-Key" in problem["detail"]
    assert_problem(client.post("/orders", json=order_body(), headers={"Idempotency-Key": ""}), 400)
    assert_problem(client.post("/orders", json=order_body(), headers={"Idempotency-Key": "k" * 201}), 400)
    assert sandbox.app.state.db.count_orders() == before


# ---- validation ----------------------------------------------------------------------------


def rejected(sandbox: EmbeddedSandbox, client: httpx.Client, body: dict) -> dict[str, str]:
    before = sandbox.app.state.db.count_orders()
    problem = assert_problem(post_order(client, body), 422)
    assert sandbox.app.state.db.count_orders() == before
    return paths(problem)


def test_unknown_service_code(sandbox: EmbeddedSandbox, client: httpx.Client) -> None:
    found = rejected(sandbox, client, order_body(["NPU19748", "TULL123"]))
    assert "TULL123" in found["items[1].service_code"]


def test_lab_that_does_not_perform_the_service(sandbox: EmbeddedSandbox, client: httpx.Client) -> None:
    body = order_body(["NPU19748"])
    body["items"][0]["lab_her_id"] = STO_MIKRO
    assert "utfører ikke" in rejected(sandbox, client, body)["items[0].lab_her_id"]


def test_required_answer_only_when_enabled(sandbox: EmbeddedSandbox, client: httpx.Client) -> None:
    found = rejected(sandbox, client, order_body(["NPU01951"], answers={"gravid": True}))
    assert set(found) == {"answers.svangerskapsuke"}
    assert "Mangler svar" in found["answers.svangerskapsuke"]
    # not pregnant: the week is not asked, so not required
    assert post_order(client, order_body(["NPU01951"], answers={"gravid": False})).status_code == 201


def test_wrong_type_and_out_of_bounds_answers(sandbox: EmbeddedSandbox, client: httpx.Client) -> None:
    found = rejected(sandbox, client, order_body(["NPU01951"], answers={"gravid": True, "svangerskapsuke": 50}))
    assert "mellom 1 og 45" in found["answers.svangerskapsuke"]
    found = rejected(sandbox, client, order_body(["NPU01951"], answers={"gravid": "kanskje"}))
    assert "ja eller nei" in found["answers.gravid"]
    found = rejected(sandbox, client, order_body(["NPU01951"], answers={"gravid": [1, 2]}))
    assert "answers.gravid" in found


def test_answers_to_disabled_or_unknown_questions_are_dropped(client: httpx.Client) -> None:
    body = order_body(
        ["NPU01951"], answers={"gravid": False, "svangerskapsuke": 20, "termindato": "2027-01-01", "tull": "x"}
    )
    order = Order.model_validate(post_order(client, body).json())
    assert {a.key: a.value for a in order.answers} == {"gravid": False}
    stored = Order.model_validate(client.get(f"/orders/{order.id}").json())
    assert [a.key for a in stored.answers] == ["gravid"]


def test_sex_and_age_limits(sandbox: EmbeddedSandbox, client: httpx.Client) -> None:
    found = rejected(sandbox, client, order_body(["NPU19748", "NPU08669"], answers={"psa_indikasjon": "kontroll"}))
    assert list(found) == ["items[1].service_code"]
    assert found["items[1].service_code"].startswith("P-PSA kan bare")  # the wording is ihr.rules'
    assert found["items[1].service_code"].endswith("for menn")
    man = order_body(["NPU08669"], patient_id=MAN.id, answers={"psa_indikasjon": "kontroll"})
    assert post_order(client, man).status_code == 201
    found = rejected(sandbox, client, order_body(["NOR25909"], patient_id=CHILD.id))
    assert "items[0].service_code" in found


def test_unknown_patient_requester_and_office(sandbox: EmbeddedSandbox, client: httpx.Client) -> None:
    found = rejected(sandbox, client, order_body(patient_id="01010112345", requester_hpr="1"))
    assert {"patient_id", "requester_hpr"} <= set(found)
    # an order is for the office the client is signed in for, never one named in the body
    before = sandbox.app.state.db.count_orders()
    problem = assert_problem(post_order(client, order_body(office_her_id="2")), 422)
    assert paths(problem)["office_her_id"].startswith("Et annet kontor")
    assert sandbox.app.state.db.count_orders() == before
    assert "01010112345" not in found["patient_id"]
    assert found["patient_id"].startswith("Ugyldig fødselsnummer")  # check digits wrong
    valid_unknown = make_person_id(date(1980, 1, 1), 123)
    found = rejected(sandbox, client, order_body(patient_id=valid_unknown))
    assert found["patient_id"].startswith("Ukjent pasient")


def test_every_problem_is_reported_at_once(sandbox: EmbeddedSandbox, client: httpx.Client) -> None:
    body = order_body(["TULL", "NPU01951", "NPU08669"], requester_hpr="1", answers={"gravid": True})
    found = rejected(sandbox, client, body)
    assert {"requester_hpr", "items[0].service_code", "items[2].service_code", "answers.svangerskapsuke"} <= set(found)


# ---- reading back ---------------------------------------------------------------------------


def test_list_orders_newest_first_with_filters(clock: FakeClock, client: httpx.Client) -> None:
    clock.advance(3600)
    since = clock().isoformat()
    first = post_order(client, order_body(["NPU03577"], patient_id=MAN.id)).json()
    clock.advance(60)
    second = post_order(client, order_body(["NPU03579"], patient_id=MAN.id)).json()
    rows = client.get("/orders", params={"patient": MAN.id, "since": since}).json()
    assert [r["id"] for r in rows] == [second["id"], first["id"]]
    assert rows[0]["patient_name"] == f"{MAN.family_name}, {MAN.given_name}"
    assert rows[0]["service_names"] == [catalog(client).service("NPU03579").name]
    assert all(r["patient_id"] == MAN.id for r in client.get("/orders", params={"patient": MAN.id}).json())
    assert client.get("/orders", params={"status": "sendt", "since": since}).json() == []
    assert len(client.get("/orders", params={"status": "lagret", "since": since}).json()) == 2
    assert client.get("/orders", params={"since": (clock() + timedelta(days=1)).date().isoformat()}).json() == []
    assert_problem(client.get("/orders", params={"status": "tull"}), 422)
    assert "since" in paths(assert_problem(client.get("/orders", params={"since": "igår"}), 422))


def test_get_order_and_specimen_lookup(client: httpx.Client) -> None:
    order = post_order(client, order_body(["NPU19748", "NOR05172"])).json()
    assert client.get(f"/orders/{order['id']}").json() == order
    spec = order["specimens"][0]
    found = client.get(f"/specimens/{spec['id']}").json()
    assert found == {"order_id": order["id"], "specimen": spec}

    wrong = spec["id"][:-1] + str((int(spec["id"][-1]) + 1) % 10)
    problem = assert_problem(client.get(f"/specimens/{wrong}"), 400)
    assert problem["detail"] == "Strekkoden er feil lest (kontrollsiffer)"
    assert_problem(client.get("/specimens/12345"), 400)
    assert_problem(client.get(f"/specimens/{make_specimen_id(999_999_999)}"), 404)


# ---- collection -----------------------------------------------------------------------------


def test_collection_is_registered_per_specimen(clock: FakeClock, client: httpx.Client) -> None:
    order = post_order(client, order_body(["NPU19748", "NOR05172"])).json()
    ids = [s["id"] for s in order["specimens"]]
    at = (clock() - timedelta(minutes=10)).isoformat()
    r = client.post(
        f"/orders/{order['id']}/collection",
        json={"specimens": [{"specimen_id": ids[0], "collected_at": at, "collected_by": "Helsesekretær Kari"}]},
    )
    assert r.status_code == 200, r.text
    after = Order.model_validate(r.json())
    first = next(s for s in after.specimens if s.id == ids[0])
    assert first.collected_by == "Helsesekretær Kari" and first.collected_at is not None
    assert next(s for s in after.specimens if s.id == ids[1]).collected_at is None
    events = client.get(f"/orders/{order['id']}/events")
    if events.status_code == 200:
        assert [e["kind"] for e in events.json()] == ["opprettet", "prøvetatt"]

    problem = assert_problem(
        client.post(
            f"/orders/{order['id']}/collection",
            json={"specimens": [{"specimen_id": "0000000000", "collected_at": at, "collected_by": "X"}]},
        ),
        422,
    )
    assert "specimens[0].specimen_id" in paths(problem)
    future = (clock() + timedelta(hours=2)).isoformat()
    problem = assert_problem(
        client.post(
            f"/orders/{order['id']}/collection",
            json={"specimens": [{"specimen_id": ids[1], "collected_at": future, "collected_by": "X"}]},
        ),
        422,
    )
    assert "specimens[0].collected_at" in paths(problem)
    assert_problem(
        client.post(f"/orders/{order['id']}/collection", json={"specimens": []}), 422
    )
    assert_problem(
        client.post("/orders/finnes-ikke/collection",
                    json={"specimens": [{"specimen_id": ids[1], "collected_at": at, "collected_by": "X"}]}),
        404,
    )


# ---- what the standard carries beyond the items ------------------------------------------


def test_order_fields_of_the_requisition_are_stored_with_defaults(client: httpx.Client) -> None:
    plain = Order.model_validate(post_order(client, order_body()).json())
    assert (plain.payment_category, plain.copy_recipients, plain.diagnosis, plain.clinical_info) == ("1", [], None, None)
    assert plain.modality_change_allowed is None

    patient = PATIENTS[0]
    body = order_body(
        ["SSC0AA"],
        answers={"problemstilling": "Hoste i 6 uker."},
        payment_category="RE",
        copy_to_hpr=[patient.gp_hpr],
        diagnosis={"code": "R05", "text": "Hoste"},
        clinical_info="Røyker, 20 pakkeår.",
        modality_change_allowed=False,
    )
    r = post_order(client, body)
    assert r.status_code == 201, r.text
    order = Order.model_validate(r.json())
    assert order.payment_category == "RE" and order.diagnosis.code == "R05"
    assert [(c.hpr, c.office_name) for c in order.copy_recipients] == [(patient.gp_hpr, "Solbakken legekontor")]
    assert "Fastlege" not in order.copy_recipients[0].name  # the name without the title
    assert (order.clinical_info, order.modality_change_allowed) == ("Røyker, 20 pakkeår.", False)


def test_order_fields_are_validated_with_paths(client: httpx.Client) -> None:
    body = order_body(copy_to_hpr=["990100349", "123"], diagnosis={"code": "hoste", "text": "Hoste"}, payment_category="X")
    problem = assert_problem(post_order(client, body), 422)
    assert {"diagnosis.code", "payment_category"} <= set(paths(problem))
    problem = assert_problem(post_order(client, order_body(copy_to_hpr=["990100349", "123"])), 422)
    assert list(paths(problem)) == ["copy_to_hpr[1]"]
    assert "kopimottaker" in paths(problem)["copy_to_hpr[1]"]


def test_answers_from_the_journal_keep_their_date_and_a_date_ahead_is_refused(client: httpx.Client) -> None:
    """`journal_dates`: an answer the app took from the EPJ is stored with the date of the
    journal's value; a journal date in the future is a 422 with its path."""
    body = order_body(["NPU01951"], answers={"gravid": False}, journal_dates={"gravid": "2026-11-20"})
    r = post_order(client, body)
    assert r.status_code == 201, r.text
    order = Order.model_validate(r.json())
    assert [(a.key, a.journal_date) for a in order.answers] == [("gravid", date(2026, 11, 20))]
    r = post_order(client, order_body(["NPU01951"], answers={"gravid": False}, journal_dates={"gravid": "2030-01-01"}))
    assert paths(assert_problem(r, 422)) == {"journal_dates.gravid": "Datoen fra journalen kan ikke være fram i tid."}
