"""Benchmark: what HelseID-style sign-in costs the service, per request and in orders per second.

    uv run python -m bench.bench_auth [--seconds 5] [--rounds 3] [--clients 10] [--verify 2000]

1. Verification alone: `Authority.verify` (the access token's signature, issuer, audience,
   expiry; the DPoP proof's signature, method, URL, age, token hash, nonce, replay) per
   request, in microseconds, for a token seen before (its signature result is remembered, as
   when a client reuses its token) and for a fresh token each time. Side by side in the same
   run: today's checks (a DPoP nonce at the API and the replay cache in the database, shared
   by every process on the file) and the checks before them (no nonce at the API, the replay
   cache in the process's memory: `MemoryReplay`, as the service had it). Making the proof
   (the client's side) is timed apart.
2. The standalone sandbox (`sandbox.server.serve`, uvicorn in its own process, as
   `ihr sandbox --port N` runs it) with `--clients` async clients each creating and sending
   orders in a loop for `--seconds`: orders per second with auth switched off (the "before":
   `serve(auth=False)`, an option only this benchmark uses; every request then acts as one
   fixed client) and on (every client signed in, every request with a token and a fresh
   proof), side by side in the same run, on fresh database files, in alternating rounds
   (the machine is shared; the median of each side is printed).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import socket
import statistics
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import parse_qsl

import httpx

from client.api import IhrClient
from client.auth import HelseIdAuth
from client.signin import Credentials, Session, load_client_key, write_new_key
from ihr.helseid import SCOPE_API
from ihr.models import ItemInput, OrderInput
from sandbox.app import ensure_seeded
from sandbox.authority import Authority, register_client
from sandbox.db import Database
from sandbox.seed.offices import DEMO_OFFICE_ORG_NR
from sandbox.seed.people import DEMO_OFFICE_HER_ID, DEMO_PATIENT_ID, DEMO_REQUESTER_HPR

CRP = "NPU19748"


class MemoryReplay:
    """The replay cache as it was before: `jti`s in this process's memory (the baseline)."""

    def __init__(self) -> None:
        self._until: dict[str, float] = {}
        self._lock = threading.Lock()
        self._next_prune = 0.0

    def first_use(self, key: str, until: float, now: float) -> bool:
        with self._lock:
            if now >= self._next_prune:
                self._until = {k: t for k, t in self._until.items() if t > now}
                self._next_prune = now + 10
            if key in self._until:
                return False
            self._until[key] = until
            return True


def bench_verify(n: int) -> None:
    for label, nonce, replay in (
        ("before (no nonce, replay cache in memory)", False, MemoryReplay()),
        ("now (nonce, replay cache in the database)", True, None),
    ):
        print(label + ":")
        _bench_verify(n, nonce, replay)


def _bench_verify(n: int, api_nonce: bool, replay: MemoryReplay | None) -> None:
    folder = Path(tempfile.mkdtemp(prefix="ihr-bench-"))
    db = Database(folder / "auth.sqlite3")
    ensure_seeded(db)
    authority = Authority(db, issuer="http://127.0.0.1:1", api_nonce=api_nonce, replay=replay)
    pub = write_new_key(folder / "k.json")
    authority.register_client("bench", pub, DEMO_OFFICE_HER_ID, [SCOPE_API])
    creds = Credentials(
        authority.issuer, "bench", load_client_key(folder / "k.json"), DEMO_OFFICE_HER_ID, DEMO_REQUESTER_HPR,
        DEMO_OFFICE_ORG_NR,
    )
    session = Session(creds)
    session.note_nonce(authority.nonces.current())  # as the client has it after its first answer
    token_url = authority.issuer + "/connect/token"
    url = "http://127.0.0.1:1/api/v1/orders"

    def sign_in() -> str:
        _u, headers, body = session.token_request()
        form = dict(parse_qsl(body.decode()))
        return str(authority.issue(form, headers["DPoP"], token_url)["access_token"])

    token = sign_in()
    proofs = [session.proof("POST", url, token) for _ in range(n)]
    started = time.perf_counter()
    for proof in proofs:
        authority.verify(f"DPoP {token}", proof, "POST", url)
    reused = (time.perf_counter() - started) / n * 1e6

    m = max(50, n // 20)
    tokens = [sign_in() for _ in range(m)]
    fresh_proofs = [session.proof("POST", url, t) for t in tokens]
    started = time.perf_counter()
    for t, proof in zip(tokens, fresh_proofs, strict=True):
        authority.verify(f"DPoP {t}", proof, "POST", url)
    fresh = (time.perf_counter() - started) / m * 1e6

    started = time.perf_counter()
    for _ in range(n):
        session.proof("POST", url, token)
    making = (time.perf_counter() - started) / n * 1e6
    db.close()
    print(f"  verify token + proof, token seen before:  {reused:7.0f} µs per request ({n} requests)")
    print(f"  verify token + proof, a new token:        {fresh:7.0f} µs per request ({m} requests)")
    print(f"  make a DPoP proof (client side):          {making:7.0f} µs per request")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(port: int, db_path: str, auth: bool) -> None:
    import logging

    logging.disable(logging.INFO)
    from sandbox.server import serve

    serve(port, db_path=Path(db_path), lab_delay_s=3600, auth=auth)


async def _orders_per_second(url: str, auths: list[httpx.Auth | None], seconds: float) -> tuple[float, list[float]]:
    body = OrderInput(
        patient_id=DEMO_PATIENT_ID,
        requester_hpr=DEMO_REQUESTER_HPR,
        office_her_id=DEMO_OFFICE_HER_ID,
        items=[ItemInput(service_code=CRP)],
    )
    done = 0
    latencies: list[float] = []
    stop = time.monotonic() + seconds

    async def worker(auth: httpx.Auth | None) -> None:
        nonlocal done
        async with IhrClient(url, auth, max_retries=0, timeout=30) as ihr:
            await ihr.get_requester(DEMO_REQUESTER_HPR)  # sign in before the clock runs
            while time.monotonic() < stop:
                t0 = time.perf_counter()
                order = await ihr.create_order(body, idempotency_key=uuid.uuid4().hex)
                await ihr.send_order(order.id)
                latencies.append(time.perf_counter() - t0)
                done += 1

    started = time.monotonic()
    await asyncio.gather(*(worker(a) for a in auths))
    return done / (time.monotonic() - started), latencies


def bench_throughput(seconds: float, clients: int, rounds: int) -> None:
    results: dict[bool, list[tuple[float, list[float]]]] = {False: [], True: []}
    for auth in [False, True] * rounds:  # alternating, so a noisy neighbour hits both alike
        folder = Path(tempfile.mkdtemp(prefix="ihr-bench-"))
        db_path = folder / "sandkasse.sqlite3"
        db = Database(db_path)
        ensure_seeded(db)
        auths: list[httpx.Auth | None] = [None] * clients
        port = _free_port()
        if auth:
            auths = []
            for i in range(clients):
                key = folder / f"k{i}.json"
                register_client(db, f"bench-{i}", write_new_key(key), DEMO_OFFICE_HER_ID, [SCOPE_API])
                creds = Credentials(
                    f"http://127.0.0.1:{port}", f"bench-{i}", load_client_key(key), DEMO_OFFICE_HER_ID,
                    DEMO_REQUESTER_HPR, DEMO_OFFICE_ORG_NR,
                )
                auths.append(HelseIdAuth(Session(creds)))
        db.close()
        proc = multiprocessing.get_context("spawn").Process(target=_serve, args=(port, str(db_path), auth), daemon=True)
        proc.start()
        url = f"http://127.0.0.1:{port}/api/v1"
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        try:
            results[auth].append(asyncio.run(_orders_per_second(url, auths, seconds)))
        finally:
            proc.terminate()
            proc.join(10)
    print(f"standalone sandbox, {clients} clients, create+send, {rounds} alternating rounds of {seconds:.0f} s:")
    medians = {}
    for auth, label in ((False, "auth off (before)"), (True, "signed in, DPoP   ")):
        rates = [r for r, _ in results[auth]]
        lat = [x for _, ls in results[auth] for x in ls]
        medians[auth] = statistics.median(rates)
        p50 = statistics.median(lat) * 1000
        p95 = statistics.quantiles(lat, n=20)[-1] * 1000
        each = ", ".join(f"{r:.0f}" for r in rates)
        print(f"  {label}: {medians[auth]:6.1f} orders/s (median of {each})   p50 {p50:4.0f} ms   p95 {p95:4.0f} ms")
    print(f"  cost of auth: {(1 - medians[True] / medians[False]) * 100:5.1f} % of the throughput")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=5.0)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--clients", type=int, default=10)
    p.add_argument("--verify", type=int, default=2000)
    args = p.parse_args()
    bench_verify(args.verify)
    bench_throughput(args.seconds, args.clients, args.rounds)


if __name__ == "__main__":
    main()
