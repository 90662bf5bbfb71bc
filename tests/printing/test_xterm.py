"""A real terminal: xterm under Xvfb, its `printerCommand` writing to a file.

A program inside xterm prints through the `terminal:` printer (and `ihr printer test` does);
the file then holds the job's ZPL, which renders and decodes like the other transports'
labels (the independent renderer and zxing-cpp, as in test_render.py).

xterm 379 answers the printer status request with CSI ? 13 n ("no printer") even while its
printerCommand prints (the answer is a constant in its source), so with xterm a site uses
`terminal:?dsr=off`; the plain `terminal:` refuses, as it must when a terminal says so.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from printing.layout import layout_label
from printing.zpl import job_zpl
from tests.printing.renderer_client import render, renderer_problem

ROOT = Path(__file__).resolve().parents[2]
XTERM, XVFB = shutil.which("xterm"), shutil.which("Xvfb")

pytestmark = pytest.mark.skipif(
    XTERM is None or XVFB is None,
    reason="xterm and Xvfb are not installed (Debian xterm, xvfb; .ci/run installs them)",
)

CHILD = r"""
import json, sys
from printing.journal import PrintJournal
from printing.labels import label_for
from printing.service import print_labels
from printing.terminal import TtyLink
from printing.transports import open_printer
from tests.printing import factories as f

db, out, url = sys.argv[1:4]
label = label_for(f.specimen(), f.patient("Ødegård", "Åse Marie"), f.requester(), f.lab(),
                  f.container(), ["CRP", "Ferritin", "TSH"], None)  # as conftest.label
with TtyLink() as link, PrintJournal(db) as journal:
    asked = link.ask(b"\x1b[?15n", 1.0)
    result = print_labels([label], open_printer(url, terminal=link), journal, user="sekretær1")
with open(out, "w") as fh:
    json.dump({"outcome": result.outcome, "message": result.message, "answer": asked.decode()}, fh)
"""


@pytest.fixture(scope="module")
def display():
    """An Xvfb server on a free display number (it picks one and tells us with -displayfd)."""
    read, write = os.pipe()
    server = subprocess.Popen([XVFB, "-displayfd", str(write), "-nolisten", "tcp", "-screen", "0",
                               "800x600x24"], pass_fds=(write,), stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as fh:
        number = fh.readline().strip()
    if not number:
        server.kill()
        pytest.skip("Xvfb did not start")
    yield f":{number}"
    server.terminate()
    server.wait(timeout=10)


def run_in_xterm(display: str, printed: Path | None, argv: list[str], env: dict[str, str] | None = None) -> None:
    """Run `argv` in an xterm whose printer is `cat > printed` (no printer for None), with
    `env` added to the environment (COLUMNS and LINES taken out: the size is xterm's)."""
    env = {**{k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")},
           "DISPLAY": display, "PYTHONPATH": str(ROOT), **(env or {})}
    printer = [] if printed is None else ["-xrm", f"XTerm*printerCommand: cat > {printed}",
                                          "-xrm", "XTerm*printerAutoClose: true"]
    subprocess.run([XTERM, "-geometry", "80x24", *printer, "-e", *argv],
                   env=env, cwd=ROOT, timeout=60, check=True)


def test_label_printed_through_xterm_renders_and_decodes(display, tmp_path, label):
    printed, out = tmp_path / "skriver.zpl", tmp_path / "result.json"
    run_in_xterm(display, printed, [sys.executable, "-c", CHILD, str(tmp_path / "ihr.sqlite3"),
                                    str(out), "terminal:?dsr=off"])
    result = json.loads(out.read_text("utf-8"))
    assert result["answer"] == "\x1b[?13n"  # what xterm says, printerCommand or not
    assert result["outcome"] == "unconfirmed"  # sent; xterm cannot confirm it
    expected = job_zpl([layout_label(label)]).encode("utf-8")
    assert printed.read_bytes() == expected
    problem = renderer_problem()
    if problem is not None:
        pytest.skip(f"the ZPL arrived; rendering skipped: {problem}")
    zxingcpp = pytest.importorskip("zxingcpp")
    image = pytest.importorskip("PIL.Image")
    png = tmp_path / "label.png"
    render([{"zpl": printed.read_text("utf-8"), "width_mm": 50, "height_mm": 25, "dpmm": 8,
             "out": str(png)}])
    decoded = zxingcpp.read_barcodes(image.open(png))
    assert [(r.text, r.format.name) for r in decoded] == [(label.specimen_id, "Code128")]


@pytest.mark.parametrize("has_printer", [True, False], ids=["printerCommand", "no-printerCommand"])
def test_terminal_that_says_no_printer_gets_no_job(display, tmp_path, has_printer):
    printed, out = tmp_path / "skriver.zpl", tmp_path / "result.json"
    run_in_xterm(display, printed if has_printer else None,
                 [sys.executable, "-c", CHILD, str(tmp_path / "ihr.sqlite3"), str(out), "terminal:"])
    result = json.loads(out.read_text("utf-8"))
    assert result["answer"] == "\x1b[?13n"  # the same answer either way
    assert result["outcome"] == "failed"
    assert result["message"].startswith("Det er ingen etikettskriver koblet til denne arbeidsstasjonen")
    assert not printed.exists() or printed.read_bytes() == b""


def test_ihr_printer_test_inside_xterm(display, tmp_path):
    printed, said = tmp_path / "skriver.zpl", tmp_path / "said.txt"
    command = (f"{sys.executable} -m tui.cli printer test --url 'terminal:?dsr=off' > {said} 2>&1;"
               f" echo $? >> {said}")
    run_in_xterm(display, printed, ["sh", "-c", command])
    lines = said.read_text("utf-8").splitlines()
    assert lines[-1] == "3"  # sent, not confirmed
    assert lines[0].startswith("Testetikett sendt til terminal:?dsr=off, men ikke bekreftet")
    zpl = printed.read_text("utf-8")
    assert zpl.startswith("^XA\n^CI28") and "TESTETIKETT" in zpl and zpl.endswith("^XZ\n")
