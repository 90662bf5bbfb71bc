"""Catalog search in the order builder, over the 10,000-service catalog.

    uv run python bench/bench_tui_search.py

1. The search itself: `CatalogIndex.search` for every prefix of typical queries, as typed
   one key at a time (p50 / p95 / max per keystroke). Budget: p95 <= 5 ms.
2. In a pty at 120x36 with 256 colours (TERM=xterm-256color, no COLORTERM): `ihr` against the
   sandbox serving the 10,000-service catalog; the same queries typed one key at a time.
   For each key: time to the first byte written back (budget <= 30 ms) and the bytes written
   until the screen is quiet again (budget: median <= 4 KB). Then idle: bytes in 3 s (0).
3. Resident memory of the `ihr` process with an order open (services in the basket, the
   guided questions and review screens visited, the order saved). Budget <= 120 MB.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._pty import PtyApp, percentile  # noqa: E402
from bench.bench_tui_startup import PY, base_env  # noqa: E402

if TYPE_CHECKING:
    from ihr.models import Catalog

QUERIES = ["hemoglobin", "p-krea", "crp", "glukose", "tsh", "vitamin d", "ferritin", "npu02192", "rtg thorax", "kolest"]


def search_only(catalog: Catalog) -> None:
    from ihr.rules.search import CatalogIndex

    t0 = time.perf_counter()
    index = CatalogIndex(catalog.services)
    build = time.perf_counter() - t0
    times: list[float] = []
    for _ in range(3):
        for q in QUERIES:
            for i in range(1, len(q) + 1):
                t = time.perf_counter()
                index.search(q[:i], limit=50)
                times.append(time.perf_counter() - t)
    ms = [t * 1000 for t in times]
    print(f"1. CatalogIndex over {len(catalog.services)} services (index built in {build * 1000:.0f} ms)")
    print(f"   search per keystroke ({len(ms)} keystrokes): p50 {percentile(ms, 50):.2f} ms, "
          f"p95 {percentile(ms, 95):.2f} ms, max {max(ms):.2f} ms  (budget p95 <= 5 ms)")


def register(sb: object, key: Path) -> Path:
    """A new client key in `key`, registered with the sandbox `sb` as the client "bench"."""
    from client.signin import write_new_key
    from ihr.helseid import SCOPE_API
    from sandbox.seed.people import DEMO_OFFICE_HER_ID

    sb.register_client("bench", write_new_key(key), DEMO_OFFICE_HER_ID, [SCOPE_API])  # type: ignore[attr-defined]
    return key


def start_ihr(sb: object, tmp: Path, key: Path | None = None) -> PtyApp:
    """`ihr --patient --requester` on a 120x36 pty, talking to the sandbox `sb`.

    With `key`, the client already registered under it signs in; without, a new key is made
    and registered (which replaces the key of every session started before).
    """
    from sandbox.seed.people import DEMO_OFFICE_HER_ID, DEMO_PATIENT_ID, DEMO_REQUESTER_HPR

    key = key or register(sb, tmp / "key.json")
    env = dict(
        base_env(tmp),
        IHR_API_URL=sb.url,  # type: ignore[attr-defined]
        IHR_CLIENT_ID="bench",
        IHR_CLIENT_KEY_FILE=str(key),
        IHR_DATA_DIR=str(tmp / "ihr-data"),
        IHR_PRINTER_URL=f"file://{tmp / 'spool'}",
        IHR_OFFICE_HER_ID=DEMO_OFFICE_HER_ID,
    )
    argv = [PY, "-m", "tui.cli", "--patient", DEMO_PATIENT_ID, "--requester", DEMO_REQUESTER_HPR]
    return PtyApp(argv, 120, 36, env)


def in_pty(sb: object, tmp: Path) -> None:
    app = start_ihr(sb, tmp)
    try:
        app.wait_for_text("Alle fagområder", timeout=60)
        app.wait_for_text("Bjørnstad")
        app.wait_quiet(0.5)
        first: list[float] = []
        sizes: list[int] = []
        for q in QUERIES:
            for ch in q:
                f, n = app.send(ch.encode(), quiet=0.12)
                if f is not None:
                    first.append(f * 1000)
                sizes.append(n)
            app.send(b"\x15", quiet=0.12)  # Ctrl+U: clear the field for the next query
        idle = app.bytes_during(3.0)
        print(f"2. ihr in a 120x36 pty, 256 colours, 10,000 services, {len(sizes)} keystrokes:")
        print(f"   keystroke -> first byte: p50 {percentile(first, 50):.1f} ms, p95 {percentile(first, 95):.1f} ms, "
              f"max {max(first):.1f} ms  (budget <= 30 ms)")
        print(f"   bytes per keystroke: median {statistics.median(sizes) / 1024:.2f} KB, p95 "
              f"{percentile([float(s) for s in sizes], 95) / 1024:.2f} KB, max {max(sizes) / 1024:.2f} KB  (budget median <= 4 KB)")
        print(f"   idle for 3 s: {idle} bytes written")

        print("3. resident memory with an order open (budget <= 120 MB):")
        print("   with the 10,000-service catalog: " + open_an_order(app))
    finally:
        app.close()


def open_an_order(app: PtyApp) -> str:
    """Basket, guided questions, review, save; the RSS of the process then."""
    for q in ("crp", "tsh", "kolest", "ferritin"):
        app.send(q.encode(), quiet=0.15)
        app.send(b"\r", quiet=0.2)
    app.send(b"\x1bOS", quiet=0.3)  # F4 questions
    app.send(b"\x1b[15~", quiet=0.3)  # F5 review
    before = app.rss_kb()
    app.send(b"\x1b[17~", quiet=0.5)  # F6 save
    try:
        app.wait_for_text("Lagret", timeout=10)
        saved = "saved"
    except TimeoutError:
        saved = "NOT saved"
    return f"{app.rss_kb() / 1024:.1f} MB ({saved}; {before / 1024:.1f} MB before saving)"


def order_open(sb: object, tmp: Path) -> None:
    app = start_ihr(sb, tmp)
    try:
        app.wait_for_text("Alle fagområder", timeout=60)
        app.wait_quiet(0.5)
        print("   with the sandbox's seed catalog:  " + open_an_order(app))
    finally:
        app.close()


def main() -> None:
    from sandbox.seed.generate import big_catalog
    from sandbox.server import EmbeddedSandbox

    catalog = big_catalog(10_000)
    search_only(catalog)
    tmp = Path(tempfile.mkdtemp(prefix="ihr-bench-search-"))
    with EmbeddedSandbox(db_path=tmp / "sandbox.sqlite3", catalog=catalog, lab_delay_s=5) as sb:
        in_pty(sb, tmp)
    tmp = Path(tempfile.mkdtemp(prefix="ihr-bench-seed-"))
    with EmbeddedSandbox(db_path=tmp / "sandbox.sqlite3", lab_delay_s=5) as sb:
        order_open(sb, tmp)


if __name__ == "__main__":
    main()
