"""Cold start of `ihr` to its first interactive screen, in a pty, against a minimal Textual app.

    uv run python bench/bench_tui_startup.py [--runs N]

Both programs start as new processes on a 120x36 pty (TERM=xterm-256color). For the minimal
app (Header, Input, DataTable, Footer) the clock stops when its input's placeholder is on
the emulated screen. For `ihr --patient --requester` (talking to the sandbox on loopback,
started once in this process, with a warm catalog cache as on any working day) two times are
taken: first screen drawn (the order builder's search field), and interactive (patient banner
and the catalog's search results on screen). Budget: interactive <= 1.2 x minimal.

Then "crp" and Enter typed, a key at a time, the moment it is interactive, until P-CRP is in
the basket ("1 analyse," in its title). Budget: <= 1.4 x minimal. The keys are typed while
the client is loading: the basket shows the service at once, under "Sjekkes når katalogen er
lastet", and the checks (patient, duplicates) follow with the validated catalog and patient.
Also printed, without a budget: how long each of those keys took to its first byte.

These starts come within the access token's life of the one before (the EPJ starts `ihr`
once per patient, every few minutes), so they use the token it kept (`tokens.json`). For
comparison, without a budget: the same start after the kept token is removed (the first
start of the day, or after a pause longer than the token's life), which signs in first.

Also without a budget: `ihr --epj BUNDLE`, started by the journal with a FHIR launch bundle
(the demo patient's: observations, medication, a condition). It reads and checks the bundle
with `fhir.resources` before the first screen, so it pays for that import there; a start
without a bundle must not (tests/test_layers.py), which the first rows above show.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._pty import PtyApp, percentile  # noqa: E402

PY = sys.executable


def base_env(home: Path) -> dict[str, str]:
    # PYTHONDONTWRITEBYTECODE (set on the build machines) would make every start compile our
    # modules from source; an installed ihr starts from its __pycache__, as measured here.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("IHR_", "TEXTUAL", "COLORTERM")) and k != "PYTHONDONTWRITEBYTECODE"
    }
    env.update(HOME=str(home), TERM="xterm-256color", XDG_CONFIG_HOME=str(home / "cfg"), XDG_DATA_HOME=str(home / "data"))
    return env


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()

    from client.signin import TOKEN_FILE, write_new_key
    from ihr.helseid import SCOPE_API
    from sandbox.seed.people import DEMO_OFFICE_HER_ID, DEMO_PATIENT_ID, DEMO_REQUESTER_HPR
    from sandbox.server import EmbeddedSandbox

    tmp = Path(tempfile.mkdtemp(prefix="ihr-bench-start-"))
    with EmbeddedSandbox(db_path=tmp / "sandbox.sqlite3", lab_delay_s=5) as sb:
        sb.register_client("bench", write_new_key(tmp / "key.json"), DEMO_OFFICE_HER_ID, [SCOPE_API])
        env = base_env(tmp)
        ihr_env = dict(
            env,
            IHR_API_URL=sb.url,
            IHR_CLIENT_ID="bench",
            IHR_CLIENT_KEY_FILE=str(tmp / "key.json"),
            IHR_DATA_DIR=str(tmp / "ihr-data"),
            IHR_PRINTER_URL=f"file://{tmp / 'spool'}",
            IHR_OFFICE_HER_ID=DEMO_OFFICE_HER_ID,
        )
        ihr_argv = [PY, "-m", "tui.cli", "--patient", DEMO_PATIENT_ID, "--requester", DEMO_REQUESTER_HPR]
        minimal_argv = [PY, str(ROOT / "bench" / "_minimal_app.py")]
        from datetime import date

        from sandbox.seed.journal import demo_launch_bundle

        bundle = tmp / "epj-oppstart.json"
        bundle.write_text(demo_launch_bundle(date.today()).model_dump_json(), encoding="utf-8")
        bundle.chmod(0o600)
        epj_argv = [PY, "-m", "tui.cli", "--epj", str(bundle)]

        # one unmeasured start of each (fills the catalog cache and the OS file cache)
        for argv, e, marker in ((minimal_argv, env, "minimal-ready"), (ihr_argv, ihr_env, "Alle fagområder")):
            app = PtyApp(argv, 120, 36, e)
            try:
                app.wait_for_text(marker)
            finally:
                app.close()

        minimal: list[float] = []
        first: list[float] = []
        ready: list[float] = []
        basket: list[float] = []
        keys: list[float] = []
        signing_in: list[float] = []
        epj_first: list[float] = []
        epj_ready: list[float] = []
        for _ in range(args.runs):
            # First the start without a kept token, so that the minimal app, not another ihr
            # still winding down, comes right before the start the budgets are about.
            (tmp / "ihr-data" / TOKEN_FILE).unlink()  # as after a pause longer than the token's life
            app = PtyApp(ihr_argv, 120, 36, ihr_env)
            try:
                signing_in.append(max(app.wait_for_text("Alle fagområder"), app.wait_for_text("Bjørnstad")))
            finally:
                app.close()
            app = PtyApp(minimal_argv, 120, 36, env)
            try:
                minimal.append(app.wait_for_text("minimal-ready"))
            finally:
                app.close()
            app = PtyApp(ihr_argv, 120, 36, ihr_env)
            try:
                first.append(app.wait_for_text("Søk analyse"))
                # ready: the catalog's search list and the patient's banner, whichever is last
                ready.append(max(app.wait_for_text("Alle fagområder"), app.wait_for_text("Bjørnstad")))
                for key in (b"c", b"r", b"p"):
                    first_byte, _ = app.send(key, quiet=0.0)
                    if first_byte is not None:
                        keys.append(first_byte)
                os.write(app.master, b"\r")
                basket.append(app.wait_for_text("1 analyse,"))
            finally:
                app.close()
            app = PtyApp(epj_argv, 120, 36, ihr_env)
            try:
                epj_first.append(app.wait_for_text("Søk analyse"))
                epj_ready.append(max(app.wait_for_text("Alle fagområder"), app.wait_for_text("Bjørnstad")))
            finally:
                app.close()

    m, f, r, b, si = (statistics.median(x) for x in (minimal, first, ready, basket, signing_in))
    print(f"cold start, median of {args.runs} runs on a 120x36 pty (2 shared cores):")
    print(f"  minimal Textual app (Header, Input, DataTable, Footer): {m * 1000:7.0f} ms")
    print(f"  ihr, first screen drawn (order builder):                 {f * 1000:7.0f} ms  ({f / m:.2f} x)")
    print(f"  ihr, interactive (patient + catalog search on screen):   {r * 1000:7.0f} ms  ({r / m:.2f} x)")
    print(f"  ihr, 'crp' Enter typed then, until P-CRP is in the basket: {b * 1000:7.0f} ms  ({b / m:.2f} x)")
    print(f"  ihr, interactive after signing in (no kept token):       {si * 1000:7.0f} ms  ({si / m:.2f} x)")
    ef, er = statistics.median(epj_first), statistics.median(epj_ready)
    print(f"  ihr --epj FHIR bundle, first screen drawn:               {ef * 1000:7.0f} ms  ({ef / m:.2f} x)")
    print(f"  ihr --epj FHIR bundle, interactive:                      {er * 1000:7.0f} ms  ({er / m:.2f} x)")
    print(f"  keystroke -> first byte while the client loads: p50 {percentile(keys, 50) * 1000:.1f} ms, "
          f"max {max(keys) * 1000:.1f} ms ({len(keys)} keys)")
    print(f"  budget: interactive <= 1.2 x minimal -> {'OK' if r <= 1.2 * m else 'OVER'}")
    print(f"  budget: basket <= 1.4 x minimal -> {'OK' if b <= 1.4 * m else 'OVER'}")
    print("  all runs (ms): minimal", [round(x * 1000) for x in minimal])
    print("                 first  ", [round(x * 1000) for x in first])
    print("                 ready  ", [round(x * 1000) for x in ready])
    print("                 basket ", [round(x * 1000) for x in basket])
    print("                 signing in", [round(x * 1000) for x in signing_in])
    print("                 epj ready", [round(x * 1000) for x in epj_ready])


if __name__ == "__main__":
    main()
