"""Bad input never stores anything and never reaches the catch-all 500."""

from __future__ import annotations

import json
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from client.auth import HelseIdAuth
from sandbox.app import create_app
from sandbox.guard import MAX_BODY_BYTES
from sandbox.server import EmbeddedSandbox
from tests.helseid import session_for
from tests.sandbox.conftest import assert_problem, order_body

JSON = {"content-type": "application/json"}
SECRET = "".join(["1785", "9011284"])  # a fødselsnummer-like value in an exception message
GOOD = json.dumps(order_body()).encode()


def big_body() -> bytes:
    body = order_body(comment="x" * 100)
    body["answers"] = {f"k{i}": "y" * 100 for i in range(MAX_BODY_BYTES // 100 + 10)}
    return json.dumps(body).encode()


def chunks(data: bytes, size: int = 64 * 1024) -> Iterator[bytes]:
    for i in range(0, len(data), size):
        yield data[i : i + size]


CASES: list[tuple[str, str, str, dict, object, int]] = [
    # name, method, path, headers, content, expected status
    ("malformed json", "POST", "/orders", JSON, b'{"patient_id": ', 400),
    ("json with trailing garbage", "POST", "/orders", JSON, GOOD + b"}}", 400),
    ("invalid utf-8", "POST", "/orders", JSON, GOOD.replace(b"NPU19748", b"NPU\xff9748"), 400),
    ("invalid utf-8 (truncated sequence)", "POST", "/orders", JSON, GOOD[:-2] + b'"\xc3"}', 400),
    ("latin-1 text", "POST", "/orders", JSON, json.dumps(order_body(comment="æøå"), ensure_ascii=False).encode("latin-1"), 400),
    ("not an object", "POST", "/orders", JSON, b"[1, 2, 3]", 422),
    ("null body", "POST", "/orders", JSON, b"null", 422),
    ("empty body", "POST", "/orders", JSON, b"", 422),
    ("wrong types", "POST", "/orders", JSON, json.dumps(order_body(items="NPU19748", priority=3)).encode(), 422),
    ("items not objects", "POST", "/orders", JSON, json.dumps(order_body(items=[1])).encode(), 422),
    ("empty items", "POST", "/orders", JSON, json.dumps(order_body(items=[])).encode(), 422),
    ("unknown field", "POST", "/orders", JSON, json.dumps(order_body(hacker=True)).encode(), 422),
    ("unknown code", "POST", "/orders", JSON, json.dumps(order_body(["NPU00000"])).encode(), 422),
    ("answer a list", "POST", "/orders", JSON, json.dumps(order_body(answers={"gravid": [True]})).encode(), 422),
    ("answer nan", "POST", "/orders", JSON, json.dumps(order_body(["NPU01951"], answers={"gravid": True, "svangerskapsuke": float("nan")})).encode(), 422),
    ("answer infinity", "POST", "/orders", JSON, json.dumps(order_body(answers={"x": float("inf")})).encode(), 422),
    ("huge number", "POST", "/orders", JSON, json.dumps(order_body(["NPU01951"], answers={"gravid": True, "svangerskapsuke": 10**400})).encode(), 422),
    ("deep nesting", "POST", "/orders", JSON, b"[" * 100000 + b"]" * 100000, 400),
    ("text/plain", "POST", "/orders", {"content-type": "text/plain"}, GOOD, 415),
    ("form", "POST", "/orders", {"content-type": "application/x-www-form-urlencoded"}, b"a=b", 415),
    ("too large (declared)", "POST", "/orders", JSON, None, 413),
    ("too large (streamed)", "POST", "/orders", JSON, "stream", 413),
    ("bad content-length", "POST", "/orders", {**JSON, "content-length": "abc"}, GOOD, 400),
    ("group malformed", "POST", "/groups", JSON, b"{", 400),
    ("group wrong types", "POST", "/groups", JSON, b'{"name": 1, "service_codes": "x"}', 422),
    ("collection malformed", "POST", "/orders/x/collection", JSON, b"{{", 400),
    ("collection bad time", "POST", "/orders/x/collection", JSON,
     b'{"specimens": [{"specimen_id": "1", "collected_at": "i morges", "collected_by": "x"}]}', 422),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_a_problem_and_stores_nothing(
    sandbox: EmbeddedSandbox, client: httpx.Client, case: tuple
) -> None:
    name, method, path, headers, content, status = case
    db = sandbox.app.state.db
    before = db.count_orders()
    errors_before = sandbox.app.state.guard_stats.unexpected_errors
    headers = {**headers, "Idempotency-Key": uuid.uuid4().hex}
    if content is None:
        data = big_body()
        assert len(data) > MAX_BODY_BYTES
        r = client.request(method, path, headers=headers, content=data)
    elif content == "stream":
        r = client.request(method, path, headers=headers, content=chunks(big_body()))
    elif "content-length" in headers:
        # httpx would correct the header: write the request by hand.
        # uvicorn refuses it before the application (plain text): a 400, and nothing stored.
        r = raw_request(sandbox, method, path, headers, content)
        assert r.status_code == status
        assert db.count_orders() == before
        return
    else:
        r = client.request(method, path, headers=headers, content=content)
    problem = assert_problem(r, status)
    if status == 422 and path == "/orders":
        assert problem["errors"], problem
    assert db.count_orders() == before
    assert sandbox.app.state.guard_stats.unexpected_errors == errors_before


def raw_request(sandbox: EmbeddedSandbox, method: str, path: str, headers: dict, content: bytes) -> httpx.Response:
    import socket

    session = session_for(sandbox, Path(tempfile.mkdtemp(prefix="ihr-keys-")), sandbox.base_url)
    session.sign_in_sync()
    signed = session.headers(method, f"{sandbox.url}{path.split('?')[0]}")
    head = f"{method} /api/v1{path} HTTP/1.1\r\nHost: 127.0.0.1:{sandbox.port}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in signed.items())
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "Connection: close\r\n\r\n"
    with socket.create_connection(("127.0.0.1", sandbox.port), timeout=10) as s:
        s.sendall(head.encode() + content)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    status_line, _, rest = data.partition(b"\r\n")
    header_blob, _, body = rest.partition(b"\r\n\r\n")
    hdrs = dict(line.decode().split(": ", 1) for line in header_blob.split(b"\r\n") if b": " in line)
    return httpx.Response(int(status_line.split()[1]), headers=hdrs, content=body)


def test_unexpected_errors_become_a_500_problem(caplog: pytest.LogCaptureFixture) -> None:
    """The catch-all works (so the matrix above proves something by never reaching it)."""
    app: FastAPI = create_app(lab_delay_s=0)

    @app.get("/api/v1/_boom")
    def boom() -> None:
        raise RuntimeError("boom " + SECRET)

    app.state.authority.issuer = "http://t"
    auth = HelseIdAuth(session_for(app.state.authority, Path(tempfile.mkdtemp(prefix="ihr-keys-")), "http://t"))

    async def run() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://t", auth=auth) as c:
            return await c.get("/api/v1/_boom")

    import asyncio

    r = asyncio.run(run())
    problem = assert_problem(r, 500)
    assert SECRET not in r.text
    assert "uventet" in problem["detail"]
    assert app.state.guard_stats.unexpected_errors == 1
    logged = [r.getMessage() for r in caplog.records if r.name == "sandbox"]
    assert any("RuntimeError" in m and "boom" in m and "_boom" in m for m in logged)  # type and frames
    assert not any(SECRET in m for m in logged)  # never the message
    app.state.db.close()
