"""Burst equivalence: the same keys give the same order whether they come in one write (a
fast typist, a paste, SSH lag, a scanner) or one at a time, 50 ms apart.

The whole `ihr demo` runs in a real pty (bytes in); what comes out is the screen (pyte) and
the order the service stored (read from the demo's sandbox file after the app has quit).
The script goes through the order builder (search, Enter, the groups dialog with typed
filter, priority), the guided questions (answers that make questions appear and disappear
while the keys behind them are already on their way: eGFR 40 shows its date and the
metformin question, a metal implant shows "describe the implant"), the review, and after
the order is saved, printed and sent, the reprint dialog from the order detail (Up, Space,
Up, Space in its label list).

Before the order script, a J/N question met by typed-ahead letters (`question_phase`):
Ctrl+N on the review and "MR kne" Enter, meant for the search field; no key answers
"Tømme kurven?" and the dialog lists what it set aside. After it, F6 F7 F8 (F8 again in the
collection dialog) F9 in one write on the review of the unsaved order (`finish_phase`): each
key waits for the outcome of the job the one before started.

The slow run is the reference and is checked against what the script means; the burst run
must give the same order, the same screen and the same reprinted labels.
"""

from __future__ import annotations

import asyncio
import os
import re
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench._pty import PtyApp
from tests.tui.conftest import DEMO_PATIENT_ID, make_client
from tests.tui.test_demo import start as start_demo

TAB, ENTER, UP, DOWN, SPACE = b"\t", b"\r", b"\x1b[A", b"\x1b[B", b" "
F4, F5, F6, F7, F8, F10 = b"\x1bOS", b"\x1b[15~", b"\x1b[17~", b"\x1b[18~", b"\x1b[19~", b"\x1b[21~"
CTRL_Q, CTRL_N, F9 = b"\x11", b"\x0e", b"\x1b[20~"


def typed(text: str) -> list[bytes]:
    return [ch.encode() for ch in text]


def order_script() -> list[bytes]:
    """From the empty order builder to the review, every key as the secretary types it."""
    egfr_day = (date.today() - timedelta(days=5)).strftime("%d.%m.%Y")
    dose_at = (date.today() - timedelta(days=1)).strftime("%d.%m.%Y") + " 08:00"
    keys: list[bytes] = []
    keys += typed("ct thorax") + [ENTER] + typed("mr caput") + [ENTER]
    keys += [F6] + typed("stoff") + [ENTER]  # the groups dialog, filtered by what is typed
    keys += typed("litium") + [ENTER] + typed("hba1c") + [ENTER, F8]  # and the order is urgent
    keys += [F4]
    keys += typed("Hoste i tre uker") + [TAB]  # problemstilling
    keys += typed("40") + [TAB]  # eGFR: its date and the metformin question appear
    keys += typed(egfr_day) + [TAB]
    keys += typed("n") + [TAB]  # metformin: nei
    keys += typed("n") + [TAB]  # kontrastreaksjon: nei
    keys += typed("n") + [TAB]  # pacemaker: nei
    keys += typed("n") + [TAB] + typed("n") + [TAB] + typed("n") + [TAB] + typed("n") + [TAB]
    keys += typed("j") + [TAB]  # annet metallimplantat: ja, so "beskriv implantatet" appears
    keys += typed("Hofteprotese 2019") + [TAB]
    keys += typed("n") + [TAB] + typed("j") + [TAB]  # insulinpumpe nei, klaustrofobi ja
    keys += typed(dose_at) + [TAB] + typed("900") + [TAB] + typed("n")  # litium: dose, døgndose, endret nei
    keys += [TAB] + typed("j")  # the radiologist may change the modality: ja
    keys += [F5]
    return keys


def reprint_script() -> list[bytes]:
    """In the reprint dialog of the saved order: the label list has all three chosen at first;
    off, down, off, down, off, up, on leaves the second; a reason ("s": Skadet etikett), print."""
    return [SPACE, DOWN, SPACE, DOWN, SPACE, UP, SPACE, TAB, TAB] + typed("s") + [F6]


def send(app: PtyApp, keys: list[bytes], burst: bool) -> None:
    if burst:
        app.send(b"".join(keys), quiet=0.8, timeout=60)
        return
    for key in keys:
        os.write(app.master, key)
        time.sleep(0.05)
    app.wait_quiet(0.8, timeout=60)


def start(home: Path) -> PtyApp:
    app = start_demo(home, "--lab-delay", "600")  # labs too slow to change the order meanwhile
    app.wait_quiet(1.0, timeout=30)  # catalog and groups in
    return app


def normalised(screen: str) -> str:
    """The screen with the clock times made the same (two runs a minute apart)."""
    return re.sub(r"\d\d:\d\d", "hh:mm", screen)


def question_script() -> list[bytes]:
    """On the review with a basket: Ctrl+N ("Tømme kurven?") and "MR kne" Enter, meant for the
    search field of the new order, typed before the question is read."""
    return [CTRL_N, *typed("MR kne"), ENTER]


def question_phase(app: PtyApp, burst: bool) -> str:
    """The J/N question met by typed-ahead letters: neither the "n" of "kne" nor the Enter
    answers it (the "n" did, before), and it says what it set aside; J pressed after reading
    it starts the new order. The dialog as seen."""
    app.send(b"crp", quiet=0.3)
    app.send(ENTER, quiet=0.3)
    app.wait_for_text("1 analyse,", timeout=30)
    app.send(F5, quiet=0.5)
    app.wait_for_text("Prioritet:", timeout=30)
    send(app, question_script(), burst)
    app.wait_for_text("satt til side", timeout=30)
    dialog = normalised(app.text())
    assert "«MR kne⏎»" in dialog and "Tømme kurven" in dialog
    app.send(b"j", quiet=0.8)
    app.wait_for_text("Kurven er tom", timeout=30)
    return dialog


def finish_script() -> list[bytes]:
    """On the review of the unsaved order: save, print, collect (F8 opens the collection
    dialog, F8 there registers every tube) and send, in one go."""
    return [F6, F7, F8, F8, F9]


def finish_phase(app: PtyApp, burst: bool) -> str:
    """The review's four steps typed without waiting; the steps as the review shows them."""
    send(app, finish_script(), burst)
    app.wait_for_text("Sendt:", timeout=60)
    app.wait_quiet(0.5, timeout=30)
    lines = [line.strip() for line in app.text().splitlines() if re.match(r"\s*F[6-9] ", line)]
    return re.sub(r"\d+", "n", "\n".join(lines[:4]))


def finished(order: dict[str, Any]) -> dict[str, Any]:
    """What the four steps left in the service: the order's status, which tubes are taken."""
    return {"status": order["status"], "taken": [s["collected_at"] is not None for s in order["specimens"]]}


def play(home: Path, burst: bool, seen: dict[str, str] | None = None) -> tuple[str, dict[str, Any], list[int]]:
    """Run the scripts; the review screen, the stored order, and the tube numbers reprinted
    (`seen`: the question's dialog and the steps after the finish phase)."""
    seen = {} if seen is None else seen
    app = start(home)
    try:
        seen["question"] = question_phase(app, burst)
        send(app, order_script(), burst)
        app.wait_for_text("Prioritet: Haster", timeout=60)  # the review, F5 the last key
        app.wait_quiet(0.8, timeout=60)  # keys wait for jobs now (a lookup on F4): all drawn
        review = normalised(app.text())
        seen["steps"] = finish_phase(app, burst)
        app.send(F10, quiet=0.5)
        app.wait_for_text("Dagens bestillinger", timeout=30)
        app.send(ENTER, quiet=0.8)
        app.send(F6, quiet=0.8)
        app.wait_for_text("på nytt", timeout=30)
        send(app, reprint_script(), burst)
        app.send(CTRL_Q, quiet=0.5)  # the order is sent: nothing left to ask about
        app.proc.wait(timeout=30)
    finally:
        app.close()
    order = asyncio.run(stored_order(home))
    return review, order, reprinted(home, order)


async def stored_order(home: Path) -> dict[str, Any]:
    from sandbox.server import EmbeddedSandbox
    from tests.helseid import settings_for

    with EmbeddedSandbox(db_path=home / "data" / "ihr" / "demo" / "sandkasse.sqlite3") as sandbox:
        client = make_client(settings_for(sandbox, home / "check", data_dir=home / "check-data"))
        try:
            [summary] = await client.list_orders(patient=DEMO_PATIENT_ID)
            order = await client.get_order(summary.id)
        finally:
            await client.aclose()
    return order.model_dump(mode="json")


def reprinted(home: Path, order: dict[str, Any]) -> list[int]:
    """Which tubes (their places in the order of draw, from 1) the reprint job printed: the
    demo's file printer writes each job to a file."""
    *_, reprint = sorted((home / "data" / "ihr" / "demo" / "etiketter").glob("*.zpl"))
    zpl = reprint.read_text("utf-8")
    tubes = sorted(order["specimens"], key=lambda s: (s["order_of_draw"], s["id"]))
    return [n for n, tube in enumerate(tubes, 1) if tube["id"] in zpl]


def what_matters(order: dict[str, Any]) -> dict[str, Any]:
    """Basket, every answer, priority, requester and the order's own fields."""
    return {
        "requester": order["requester"]["hpr"],
        "priority": order["priority"],
        "basket": [(r["kind"], r["lab_her_id"], [i["service_code"] for i in r["items"]]) for r in order["requisitions"]],
        "answers": {a["key"]: a["value"] for a in order["answers"]},
        "fields": [order[k] for k in ("comment", "payment_category", "copy_recipients", "diagnosis",
                                      "clinical_info", "modality_change_allowed")],
    }


def test_keys_in_one_write_give_the_order_typed_slowly(tmp_path: Path) -> None:
    slow_seen: dict[str, str] = {}
    burst_seen: dict[str, str] = {}
    slow_screen, slow_order, slow_reprint = play(tmp_path / "slow", burst=False, seen=slow_seen)
    burst_screen, burst_order, burst_reprint = play(tmp_path / "burst", burst=True, seen=burst_seen)
    answers = what_matters(slow_order)["answers"]  # the reference is as typed
    assert answers["problemstilling"] == "Hoste i tre uker" and answers["implantat_beskrivelse"] == "Hofteprotese 2019"
    assert slow_reprint == [2]
    assert what_matters(burst_order) == what_matters(slow_order)
    assert burst_screen == slow_screen
    assert burst_reprint == slow_reprint
    # the J/N question and the four steps: the same in one write as typed slowly
    assert finished(slow_order) == {"status": "sendt", "taken": [True] * len(slow_order["specimens"])}
    assert finished(burst_order) == finished(slow_order)
    assert burst_seen == slow_seen
