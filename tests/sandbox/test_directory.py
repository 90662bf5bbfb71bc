"""The directory (address register) and the ICPC-2 code list the sandbox serves."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from ihr.kith.icpc2 import FILE_ENV
from ihr.models import CodeSearchResult, DirectorySearchResult, Office
from sandbox.seed.directory import person_her_id
from sandbox.seed.people import DEMO_OFFICE_HER_ID
from tests.sandbox.conftest import assert_problem, order_body, paths, post_order

EXTRACT = Path(__file__).resolve().parents[1] / "data" / "icpc-2-utdrag.json"


def test_an_office_with_its_region(client: httpx.Client) -> None:
    office = Office.model_validate(client.get(f"/offices/{DEMO_OFFICE_HER_ID}").json())
    assert (office.name, office.health_region, office.municipality) == ("Solbakken legekontor", "Helse Sør-Øst", "Oslo")
    assert_problem(client.get("/offices/99999999"), 404)


def test_health_workers_by_name_or_number(client: httpx.Client) -> None:
    found = DirectorySearchResult.model_validate(client.get("/directory", params={"q": "tveiten"}).json())
    (tveiten,) = found.entries
    assert (tveiten.kind, tveiten.hpr, tveiten.her_id) == ("person", "990100571", person_her_id("990100571"))
    assert (tveiten.organisation_name, tveiten.category) == ("Elvebredden legevakt", "LE")
    by_hpr = DirectorySearchResult.model_validate(client.get("/directory", params={"q": "990100571"}).json())
    assert by_hpr.entries == [tveiten]
    by_her = DirectorySearchResult.model_validate(client.get("/directory", params={"q": tveiten.her_id}).json())
    assert by_her.entries == [tveiten]
    secretaries = DirectorySearchResult.model_validate(client.get("/directory", params={"q": "helsesekr solbakken"}).json())
    assert secretaries.entries and all(e.role == "Helsesekretær" for e in secretaries.entries)
    assert "3 bokstaver" in assert_problem(client.get("/directory", params={"q": "tv"}), 422)["detail"]


def test_icpc2_codes_and_an_unknown_code_refused(client: httpx.Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FILE_ENV, str(EXTRACT))
    found = CodeSearchResult.model_validate(client.get("/codes/icpc2", params={"q": "kne"}).json())
    assert ("L96", "Akutt indre kneskade") in [(t.code, t.text) for t in found.terms]
    bad = post_order(client, order_body(diagnosis={"code": "X99", "text": "Noe annet"}))
    assert "finnes ikke i ICPC-2" in paths(assert_problem(bad, 422))["diagnosis.code"]
    good = post_order(client, order_body(diagnosis={"code": "L96", "text": "Akutt indre kneskade"}))
    assert good.status_code == 201, good.text
    monkeypatch.setenv(FILE_ENV, str(EXTRACT.with_name("mangler.json")))
    monkeypatch.setenv("IHR_KITH_DIR", str(EXTRACT.parent))
    assert_problem(client.get("/codes/icpc2", params={"q": "kne"}), 404)
