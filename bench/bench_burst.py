"""What keys in order cost: a burst of keys, from one write until its last effect is on screen.

    uv run python bench/bench_burst.py [--runs 3]

`tui.keys.KeysInOrder` routes each key only once the one before it has settled; a burst is
therefore worked through one key at a time. In a pty at 120x36:

1. Baseline, same run: the minimal Textual app (bench/_minimal_app.py, stock routing), 100
   characters in one write into its input, until the last one is on screen.
2. `ihr demo`: the same 100 characters into the search field.
3. `ihr demo`: the whole order script of tests/tui/test_burst.py (about 190 keys: searches,
   the groups dialog, the guided questions, F5) in one write, until the review is on screen.
   Beside it: the time the same keys take typed by a fast typist (50 ms a key).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._pty import PtyApp  # noqa: E402
from bench.bench_tui_startup import PY, base_env  # noqa: E402

TEXT = ("hemoglobin ferritin kreatinin glukose " * 3)[:100]


def burst(app: PtyApp, data: bytes, marker: str) -> float:
    """Seconds from the write until `marker` is on screen and nothing more is written."""
    t0 = time.perf_counter()
    app.send(data, quiet=0.3, timeout=60)
    app.wait_for_text(marker, timeout=60)
    return time.perf_counter() - t0 - 0.3  # the quiet spell is ours, not the app's


def minimal(home: Path) -> float:
    app = PtyApp([PY, str(ROOT / "bench" / "_minimal_app.py")], 120, 36, base_env(home))
    try:
        app.wait_for_text("minimal-ready", timeout=60)
        app.wait_quiet(0.5)
        return burst(app, TEXT.encode(), TEXT[-30:])
    finally:
        app.close()


def ihr(home: Path) -> tuple[float, float]:
    from tests.tui.test_burst import order_script

    env = base_env(home)
    env["PYTHONPATH"] = str(ROOT)
    app = PtyApp([PY, "-m", "tui.cli", "demo", "--fresh", "--lab-delay", "600"], 120, 36, env)
    try:
        app.wait_for_text("Alle fagområder", timeout=60)
        app.wait_for_text("Bjørnstad", timeout=60)
        app.wait_quiet(1.0)
        search = burst(app, TEXT.encode(), TEXT[-30:])
        app.send(b"\x15", quiet=0.5)  # Ctrl+U: the field empty again
        script = burst(app, b"".join(order_script()), "Prioritet: Haster")
        return search, script
    finally:
        app.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    from tests.tui.test_burst import order_script

    n_script = len(order_script())
    rows: dict[str, list[float]] = {"minimal": [], "search": [], "script": []}
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            rows["minimal"].append(minimal(Path(tmp)))
            search, script = ihr(Path(tmp))
            rows["search"].append(search)
            rows["script"].append(script)
    med = {k: statistics.median(v) for k, v in rows.items()}
    print(f"{args.runs} runs, medians; 120x36, TERM=xterm-256color")
    print(f"  minimal Textual app, {len(TEXT)} characters in one write: {med['minimal'] * 1000:6.0f} ms"
          f"  ({med['minimal'] * 1000 / len(TEXT):.1f} ms a key)")
    print(f"  ihr search field, the same {len(TEXT)} characters:       {med['search'] * 1000:6.0f} ms"
          f"  ({med['search'] * 1000 / len(TEXT):.1f} ms a key, {med['search'] / med['minimal']:.2f}x)")
    print(f"  ihr order script, {n_script} keys in one write:           {med['script'] * 1000:6.0f} ms"
          f"  ({med['script'] * 1000 / n_script:.1f} ms a key; typed at 50 ms a key: {n_script * 50} ms)")


if __name__ == "__main__":
    main()
