"""GET /orders is paged: a cursor in `Link: <…>; rel="next"` until the last page (issue 13).

Before, the list stopped at 500 rows with no sign of more. The client follows the cursor
(`IhrClient.list_orders`), so every caller still gets every order.
"""

from __future__ import annotations

import uuid

import httpx
import pytest

from sandbox.app import DEFAULT_PAGE
from sandbox.seed.people import seed_patients
from tests.sandbox.conftest import FakeClock, assert_problem, order_body, paths, post_order

PATIENT = seed_patients()[5]


def pages(client: httpx.Client, params: dict) -> list[list[dict]]:
    out = []
    r = client.get("/orders", params=params)
    while True:
        assert r.status_code == 200, r.text
        out.append(r.json())
        following = r.links.get("next")
        if following is None:
            return out
        url = httpx.URL(following["url"].removeprefix("/api/v1"))
        r = client.get(url.copy_merge_params(patient_of(params)))


def patient_of(params: dict) -> dict:
    """The next link leaves the fødselsnummer out (headers are logged): it is sent again."""
    return {"patient": params["patient"]} if "patient" in params else {}


def test_pages_follow_the_cursor_without_gaps_or_repeats(clock: FakeClock, client: httpx.Client) -> None:
    clock.advance(7 * 24 * 3600)
    since = clock().isoformat()
    made = []
    for _ in range(7):
        clock.advance(1)
        made.append(post_order(client, order_body(patient_id=PATIENT.id)).json()["id"])
    newest_first = made[::-1]

    first = client.get("/orders", params={"patient": PATIENT.id, "since": since, "limit": 3})
    assert [o["id"] for o in first.json()] == newest_first[:3]
    link = first.links["next"]["url"]
    assert "cursor=" in link and "limit=3" in link and PATIENT.id not in link
    post_order(client, order_body(patient_id=PATIENT.id))  # a new order between two pages
    rest = pages(client, {"patient": PATIENT.id, "since": since, "limit": 3, "cursor": cursor_of(first)})
    assert [len(p) for p in rest] == [3, 1]
    assert [o["id"] for p in [first.json(), *rest] for o in p] == newest_first  # no gap, no repeat
    assert client.get("/orders", params={"patient": PATIENT.id, "since": since}).links == {}


def cursor_of(response: httpx.Response) -> str:
    return httpx.URL(response.links["next"]["url"]).params["cursor"]


def test_a_full_page_says_more_follow(clock: FakeClock, client: httpx.Client) -> None:
    clock.advance(7 * 24 * 3600)
    since = clock().isoformat()
    for _ in range(DEFAULT_PAGE + 1):
        post_order(client, order_body(patient_id=PATIENT.id), key=uuid.uuid4().hex)
    got = pages(client, {"since": since})
    assert [len(p) for p in got] == [DEFAULT_PAGE, 1]


def test_bad_cursor_and_limit_are_norwegian_422s(client: httpx.Client) -> None:
    for cursor in ("tull", "MjAyNi0xMS0zMHxh", "%%%"):
        problem = assert_problem(client.get("/orders", params={"cursor": cursor}), 422)
        assert paths(problem) == {"cursor": "Ugyldig side-markør. Hent listen på nytt fra begynnelsen."}
    for limit in ("0", "501", "mange"):
        assert "limit" in paths(assert_problem(client.get("/orders", params={"limit": limit}), 422))


def test_a_name_search_says_when_more_match_than_it_lists(
    client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name search never pages through people; it says so when the list is not all."""
    import sandbox.routes.people

    everyone = client.get("/patients", params={"q": "sen"}).json()
    assert len(everyone["patients"]) > 2 and everyone["more"] is False
    monkeypatch.setattr(sandbox.routes.people, "MAX_SEARCH_HITS", 2)
    capped = client.get("/patients", params={"q": "sen"}).json()
    assert capped["patients"] == everyone["patients"][:2] and capped["more"] is True
