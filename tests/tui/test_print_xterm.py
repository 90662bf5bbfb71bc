"""A real terminal: the whole `ihr` (`ihr demo`) in xterm under Xvfb prints an order's labels
from the review screen to xterm's printer (`printerCommand` writes to a file).

The session finds its printer as on a terminal server: IHR_WORKSTATION names the workstation,
the user's config.toml maps it to `terminal:?dsr=off` (xterm answers every printer status
request with "no printer", see printing.terminal). So the job is sent but unconfirmed, the
app asks whether the labels came out, and the secretary's yes makes it printed.

Nothing here can press keys in an X window (no xdotool), so xterm runs a relay (RELAY below)
that runs `ihr` in a pty of its own, copies every byte between the two unchanged (the print
block and xterm's answers pass through), and types the secretary's keys into `ihr` when the
screen shows what she waits for. The file then holds the ZPL of the order's labels, and it
renders and decodes like the other transports' labels (the renderer and zxing-cpp).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.printing.renderer_client import render, renderer_problem
from tests.printing.test_xterm import XTERM, XVFB, display, run_in_xterm  # noqa: F401 - `display` is a fixture
from tests.tui.test_print_terminal import expected_zpl

pytestmark = pytest.mark.skipif(
    XTERM is None or XVFB is None,
    reason="xterm and Xvfb are not installed (Debian xterm, xvfb; .ci/run installs them)",
)

RELAY = r"""
import json, os, pty, re, select, sys, termios, time, tty

data_dir, log = sys.argv[1:3]
F5, F6, F7, CTRL_Q = b"\x1b[15~", b"\x1b[17~", b"\x1b[18~", b"\x11"
STEPS = [  # (what the screen shows, the keys she then types)
    ("Søk analyse", b"crp"), ("P-CRP", b"\r"), ("Kurv: 1", F5), ("Skriver: skriveren ved", F6),
    ("Lagret: rekvisisjon", F7), ("Kom etikettene ut?", b"j"), ("Bekreftet:", CTRL_Q),
    ("Avslutte nå?", b"j"),
]
size = termios.tcgetwinsize(0)
pid, fd = pty.fork()
if pid == 0:
    termios.tcsetwinsize(0, size)
    os.execv(sys.executable, [sys.executable, "-m", "tui.cli", "demo", "--data-dir", data_dir])
tty.setraw(0)
seen, screen, deadline = [], "", time.monotonic() + 60
while time.monotonic() < deadline:
    ready = select.select([0, fd], [], [], 0.2)[0]
    if 0 in ready:  # xterm's answers and anything typed: to ihr as they are
        os.write(fd, os.read(0, 1024))
    if fd in ready:
        try:
            data = os.read(fd, 65536)
        except OSError:  # ihr has quit
            break
        os.write(1, data)  # to xterm as it is: the screen and the print block
        screen = (screen + re.sub(r"\x1b\[[0-9;?]*[ -/]*[@-~]", "", data.decode("utf-8", "replace")))[-20000:]
    if len(seen) < len(STEPS) and STEPS[len(seen)][0] in screen:
        time.sleep(0.3)  # let the screen settle, as a person would
        seen.append(STEPS[len(seen)][0])
        screen = ""
        os.write(fd, STEPS[len(seen) - 1][1])
os.waitpid(pid, 0)
with open(log, "w") as fh:
    json.dump({"seen": seen}, fh)
"""


def test_ihr_in_xterm_prints_the_orders_labels(display, tmp_path: Path) -> None:  # noqa: F811
    data_dir, config, printed, log = tmp_path / "demo", tmp_path / "config", tmp_path / "skriver.zpl", tmp_path / "relay.json"
    (config / "ihr").mkdir(parents=True)
    (config / "ihr" / "config.toml").write_text(
        '[workstation_printers]\n"resepsjon-xterm" = "terminal:?dsr=off"\n', "utf-8")
    run_in_xterm(display, printed, [sys.executable, "-c", RELAY, str(data_dir), str(log)],
                 env={"XDG_CONFIG_HOME": str(config), "IHR_WORKSTATION": "resepsjon-xterm"})
    seen = json.loads(log.read_text("utf-8"))["seen"]
    assert seen[-1] == "Avslutte nå?", seen  # every step reached: the print was confirmed
    expected, specimens = expected_zpl(data_dir, tmp_path)
    assert printed.read_bytes() == expected

    problem = renderer_problem()
    if problem is not None:
        pytest.skip(f"the ZPL arrived; rendering skipped: {problem}")
    zxingcpp = pytest.importorskip("zxingcpp")
    image = pytest.importorskip("PIL.Image")
    png = tmp_path / "label.png"
    render([{"zpl": printed.read_text("utf-8"), "width_mm": 50, "height_mm": 25, "dpmm": 8, "out": str(png)}])
    decoded = zxingcpp.read_barcodes(image.open(png))
    assert [(r.text, r.format.name) for r in decoded] == [(specimens[0], "Code128")]
