"""The embedded server: real socket, reuse of the store, clean stop, background labs."""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

import httpx

from sandbox.server import EmbeddedSandbox
from tests.helseid import auth_for
from tests.sandbox.conftest import order_body, post_order


def auth(sb: EmbeddedSandbox) -> httpx.Auth:
    return auth_for(sb, Path(tempfile.mkdtemp(prefix="ihr-keys-")))


def test_the_store_is_seeded_once_and_reused(tmp_path: Path) -> None:
    db = tmp_path / "sandkasse.sqlite3"
    with EmbeddedSandbox(db_path=db, lab_delay_s=0) as sb:
        assert sb.url.startswith("http://127.0.0.1:") and sb.url.endswith("/api/v1")
        assert sb.db_path == db
        with httpx.Client(base_url=sb.url, auth=auth(sb)) as c:
            order = post_order(c, order_body()).json()
            n_patients = len(c.get("/patients", params={"q": "sen"}).json()["patients"])
    assert db.exists()

    with EmbeddedSandbox(db_path=db, lab_delay_s=0) as sb:
        with httpx.Client(base_url=sb.url, auth=auth(sb)) as c:
            assert c.get(f"/orders/{order['id']}").json()["id"] == order["id"]
            assert len(c.get("/patients", params={"q": "sen"}).json()["patients"]) == n_patients
            again = post_order(c, order_body()).json()
            # sequences continue: no barcode is handed out twice
            assert again["specimens"][0]["id"] != order["specimens"][0]["id"]


def test_a_temporary_store_goes_away_and_stop_is_clean() -> None:
    before = {t.name for t in threading.enumerate()}
    sb = EmbeddedSandbox(lab_delay_s=0).start()
    path = sb.db_path
    assert path.exists()
    assert httpx.get(sb.url + "/catalog", auth=auth(sb)).status_code == 200
    port = sb.port
    sb.stop()
    sb.stop()  # idempotent
    assert not path.exists()
    leftover = {t.name for t in threading.enumerate()} - before
    assert not {"ihr-sandbox", "ihr-sandbox-labs"} & leftover
    try:
        httpx.get(f"http://127.0.0.1:{port}/api/v1/catalog", timeout=1)
    except httpx.TransportError:
        pass
    else:  # pragma: no cover
        raise AssertionError("the server still answers after stop()")


def test_the_labs_answer_in_the_background_with_a_real_clock() -> None:
    with EmbeddedSandbox(lab_delay_s=0.05) as sb, httpx.Client(base_url=sb.url, auth=auth(sb)) as c:
        order = post_order(c, order_body(["NPU19748"])).json()
        assert c.post(f"/orders/{order['id']}/send").json()["status"] == "sendt"
        deadline = time.monotonic() + 10
        status = "sendt"
        while status != "svar_klart" and time.monotonic() < deadline:
            time.sleep(0.05)
            status = c.get(f"/orders/{order['id']}").json()["status"]
        assert status == "svar_klart"
        kinds = [e["kind"] for e in c.get(f"/orders/{order['id']}/events").json()]
        assert kinds[:4] == ["opprettet", "sendt", "transportkvittering", "applikasjonskvittering"]
