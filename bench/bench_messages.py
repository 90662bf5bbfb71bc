"""Benchmark: what a requisition message costs to build, and the lab's reception of it.

    uv run python -m bench.bench_messages [--rounds 200]

Every simulated lab now validates each message against MsgHead-v1_2.xsd + Rekvisisjon-v1.6.xsd
(`sandbox.reception.receive`) before it answers. This prints, per message (p50 / p95 in ms),
side by side in the same run:

- build: `ihr.kith.build_requisition_message` for a lab requisition with four analyses on
  three tubes, and for an MR referral with coded contraindications;
- reception without XSDs (the baseline: parsing and the profile's checks only);
- reception with the XSDs (the schemas compiled once, as the sandbox does).

Needs ../shared/standards/kith (or IHR_KITH_DIR) for the last column.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from ihr.kith import build_requisition_message
from sandbox.reception import default_kith_dir, receive
from tests.kith.factories import GEN_DATE, LABS, OFFICE, REQUESTER, SERVICES, make_wide_order


def timed(fn: Callable[[], object], rounds: int) -> tuple[float, float]:
    fn()  # warm: caches, compiled schemas
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    kith_dir = default_kith_dir()
    order = make_wide_order()
    print(f"{'message':<12} {'build':>16} {'receive, no XSD':>18} {'receive + XSD':>18}   (p50 / p95 ms)")
    for req_id in ("rq-mbk", "rq-mr"):
        req = next(r for r in order.requisitions if r.id == req_id)

        def build() -> bytes:
            return build_requisition_message(
                order, req, sender_office=OFFICE, requester=REQUESTER, lab=LABS[req.lab_her_id],
                services=SERVICES, msg_id="m", gen_date=GEN_DATE,
            )

        xml = build()
        columns = [timed(build, args.rounds), timed(lambda: receive(xml, kith_dir=None), args.rounds)]
        if kith_dir is not None:
            assert receive(xml, kith_dir=kith_dir).accepted
            columns.append(timed(lambda: receive(xml, kith_dir=kith_dir), args.rounds))
        cells = " ".join(f"{p50:>8.2f} / {p95:<7.2f}" for p50, p95 in columns)
        print(f"{req_id:<12} {cells}{'' if kith_dir else '   (no XSD folder)'}  [{len(xml):,} bytes]")


if __name__ == "__main__":
    main()
