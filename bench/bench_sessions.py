"""What each session costs on a terminal server (memory and idle CPU).

    uv run python bench/bench_sessions.py [--sessions 20] [--idle 20]

1. Resident memory of one `ihr` with an order open (basket, guided questions, review, saved;
   seed catalog), beside a minimal Textual app (bench/_minimal_app.py), both in a 120x36 pty
   in this run. RSS counts the shared pages (Python, libraries) in full; PSS (proportional
   set size, /proc/<pid>/smaps_rollup) shares them out, which is what N sessions add up to.
2. N concurrent `ihr` sessions against one sandbox, each in its own pty, all with the order
   builder up; then nobody types for `--idle` seconds: total RSS and PSS, CPU of the `ihr`
   processes in that time (from /proc/<pid>/stat, as % of one core), and the bytes they
   wrote to their terminals. Goal: 0 % CPU and 0 bytes while idle.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._pty import PtyApp  # noqa: E402
from bench.bench_tui_search import open_an_order, register, start_ihr  # noqa: E402
from bench.bench_tui_startup import PY, base_env  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def pss_kb(pid: int) -> int:
    """Proportional set size, in KiB (shared pages divided among the processes sharing them)."""
    with open(f"/proc/{pid}/smaps_rollup") as fh:
        for line in fh:
            if line.startswith("Pss:"):
                return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the process so far."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime (fields 14, 15)


def one_session(sb: object, tmp: Path, key: Path) -> None:
    minimal = PtyApp([PY, str(ROOT / "bench" / "_minimal_app.py")], 120, 36, base_env(tmp))
    try:
        minimal.wait_for_text("minimal-ready", timeout=60)
        minimal.wait_quiet(0.5)
        m_rss, m_pss = minimal.rss_kb(), pss_kb(minimal.proc.pid)
    finally:
        minimal.close()
    app = start_ihr(sb, tmp, key)
    try:
        app.wait_for_text("Alle fagområder", timeout=60)
        app.wait_quiet(0.5)
        opened = open_an_order(app)
        i_pss = pss_kb(app.proc.pid)
    finally:
        app.close()
    print("1. one session, 120x36 pty, seed catalog:")
    print(f"   minimal Textual app:   RSS {m_rss / 1024:6.1f} MB   PSS {m_pss / 1024:6.1f} MB")
    print(f"   ihr, an order open:    RSS {opened}   PSS {i_pss / 1024:.1f} MB")


def many_sessions(sb: object, tmp: Path, key: Path, count: int, idle: float) -> None:
    apps: list[PtyApp] = []
    try:
        started = time.perf_counter()
        for n in range(count):
            home = tmp / f"s{n}"
            home.mkdir()
            apps.append(start_ihr(sb, home, key))  # one client, registered once: as 20 desks of one office
        for app in apps:
            app.wait_for_text("Alle fagområder", timeout=180)
        up = time.perf_counter() - started
        for app in apps:
            app.wait_quiet(1.0, timeout=30)
        pids = [app.proc.pid for app in apps]
        cpu0 = [cpu_seconds(pid) for pid in pids]
        bytes0 = sum(app.total for app in apps)
        t0 = time.perf_counter()
        time.sleep(idle)
        elapsed = time.perf_counter() - t0
        cpu = [cpu_seconds(pid) - c for pid, c in zip(pids, cpu0, strict=False)]
        written = sum(app.total for app in apps) - bytes0
        rss = sum(app.rss_kb() for app in apps)
        pss = sum(pss_kb(pid) for pid in pids)
    finally:
        for app in apps:
            app.close()
    total = sum(cpu) / elapsed * 100
    print(f"2. {count} sessions of ihr against one sandbox (all up in {up:.0f} s), idle for {elapsed:.0f} s:")
    print(f"   memory: RSS {rss / 1024:.0f} MB in total ({rss / count / 1024:.1f} MB each), "
          f"PSS {pss / 1024:.0f} MB in total ({pss / count / 1024:.1f} MB each)")
    print(f"   CPU while idle: {total:.2f} % of one core for all {count} together "
          f"(max one session {max(cpu) / elapsed * 100:.2f} %; goal 0 %)")
    print(f"   written to the terminals while idle: {written} bytes (goal 0)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--idle", type=float, default=20.0)
    args = ap.parse_args()
    from sandbox.server import EmbeddedSandbox

    tmp = Path(tempfile.mkdtemp(prefix="ihr-bench-sessions-"))
    with EmbeddedSandbox(db_path=tmp / "sandbox.sqlite3", lab_delay_s=5) as sb:
        key = register(sb, tmp / "key.json")
        one_session(sb, tmp, key)
        many_sessions(sb, tmp, key, args.sessions, args.idle)


if __name__ == "__main__":
    main()
