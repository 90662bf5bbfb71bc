"""`ihr`: the console script.

    ihr [--patient FNR] [--requester HPR] [--office HER] [--epj FILE]   the app
    ihr demo [--data-dir DIR] [--no-context]                             app + embedded sandbox
    ihr sandbox [--port N] [--host H] [--db FILE]                        the reference service (data kept)
    ihr sandbox register-client --db FILE --client-id ID --office HER --key FILE [--new-key]
    ihr printer status|test ...                                          the label printer

Imports are lazy: `ihr sandbox` and `ihr printer` never import Textual, and the app's
start-up imports only what the first screen needs.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path
from typing import Any

from ihr.argparse_no import NorwegianParser as _Parser

DEMO_USER = "Demo (resepsjon)"
DEMO_CLIENT_ID = "ihr-demo"


#: `ihr demo --epj` without a file: the demo patient's synthetic launch bundle.
DEMO_BUNDLE = Path("<demo>")
DEMO_BUNDLE_NAME = "epj-oppstart.json"


def _context_args(p: argparse.ArgumentParser, demo: bool = False) -> None:
    p.add_argument("--patient", metavar="FNR", help="pasientens fødselsnummer (11 siffer)")
    p.add_argument("--requester", metavar="HPR", help="rekvirentens HPR-nummer")
    p.add_argument("--office", metavar="HER", help="kontorets HER-id")
    if demo:
        p.add_argument("--epj", metavar="FIL", type=Path, nargs="?", const=DEMO_BUNDLE,
                       help="oppstartsfil fra journalsystemet (EPJ); uten FIL: demopasientens FHIR-bundle")
    else:
        p.add_argument("--epj", metavar="FIL", type=Path,
                       help="oppstartsfil fra journalsystemet (EPJ): nøkkel = verdi, eller en FHIR R4-bundle (JSON)")


def _app_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="ihr",
        description="Rekvirering av laboratorieanalyser og bildediagnostikk (IHR). "
        "Underkommandoer: demo, sandbox, printer.",
    )
    _context_args(p)
    return p


def _resolve_context(args: argparse.Namespace) -> Any:
    from tui.context import LaunchContext, LaunchFileError, context_from_env, read_launch_file

    ctx = LaunchContext(args.patient, args.requester, args.office).merged(context_from_env())
    if args.epj is not None:
        try:
            ctx = ctx.merged(read_launch_file(args.epj, ctx.patient_id))
        except LaunchFileError as exc:
            print(f"ihr: {exc}", file=sys.stderr)
            raise SystemExit(2) from None
    return ctx


def _client_for(settings: Any, context: Any) -> Any:
    """The client, signed in (on its first request) for the requester at the office."""
    from client.api import IhrClient

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return IhrClient.from_settings(
        settings,
        user_hpr=context.requester_hpr or "",
        office_her_id=context.office_her_id or settings.office_her_id or None,
    )


def _run_app(context: Any, make_settings: Any) -> int:
    """Run the app; the client (httpx, pydantic, the models) loads after the first screen.

    Python's cyclic garbage collector is off until start-up is over (`tui.startup.start`
    turns it back on, loaded or failed): start-up makes a few hundred thousand objects
    (Textual, the screen, the models), nearly all of them living as long as the app, and the
    collector, run every 700 new objects, walked them again and again for little: about 75
    collections and 15-40 ms before the first screen alone. The garbage start-up leaves
    (a few thousand objects, about a megabyte) is collected once it is over.
    """
    gc.disable()
    try:
        settings = make_settings()  # the standard library only: no cost to speak of
        settings.require_sign_in()  # client id and a private key file, before the screen
    except ValueError as exc:  # ihr.settings.SettingsError: a bad IHR_ variable or config file
        print(f"ihr: {exc}", file=sys.stderr)
        return 2
    from tui import strings as S

    if not (context.office_her_id or settings.office_her_id):  # orders and drafts belong to an office
        print(f"ihr: {S.OFFICE_MISSING}", file=sys.stderr)
        return 2
    from client.recovery import recover_local_file
    from tui.crash import CrashGuard

    recovery = recover_local_file(settings.data_dir, settings.db_path)  # before any store opens it
    from tui.app import make_app

    app = make_app(
        settings, None, context=context, owns_client=True, client_factory=lambda: _client_for(settings, context)
    )
    crash_guard = CrashGuard(settings.data_dir)
    crash_guard.guard(app)
    if recovery is not None:
        app.notify(recovery.message, title=S.LOCAL_FILE_TITLE, severity="warning", timeout=60)
    app.run()
    return crash_guard.finish(app)


def _settings() -> Any:
    from ihr.settings import Settings

    return Settings()


def cmd_app(argv: list[str]) -> int:
    args = _app_parser().parse_args(argv)
    return _run_app(_resolve_context(args), _settings)


#: How long each simulated lab takes per step (receipt, acceptance, analysis, ...) in the demo:
#: time enough to add an analysis or cancel one before the lab has done it.
DEMO_LAB_DELAY_S = 60.0


def cmd_demo(argv: list[str]) -> int:
    """The app on an embedded sandbox and a file printer, kept in the user data dir: a basket
    left at quit is there at the next start (`--fresh` starts clean, keeping the labels)."""
    p = _Parser(prog="ihr demo", description="Programmet mot en innebygd sandkasse og en filskriver.")
    p.add_argument("--data-dir", type=Path, metavar="MAPPE", help="mappe for sandkassens database og etikettene")
    p.add_argument("--fresh", action="store_true",
                   help="start med tom sandkasse og uten lagret arbeid (etikettene beholdes)")
    p.add_argument("--lab-delay", type=float, default=None, metavar="SEK",
                   help=f"sekunder laboratoriene bruker per steg (standard: {DEMO_LAB_DELAY_S:.0f})")
    p.add_argument("--no-context", action="store_true", help="start uten pasient (pasientsøk)")
    _context_args(p, demo=True)
    args = p.parse_args(argv)

    from client.signin import write_new_key
    from ihr.helseid import SCOPES
    from ihr.privatefiles import private_dir
    from ihr.settings import Settings, default_data_dir
    from sandbox.seed.people import DEMO_OFFICE_HER_ID, DEMO_PATIENT_ID, DEMO_REQUESTER_HPR
    from sandbox.server import EmbeddedSandbox
    from tui.context import LaunchContext

    data_dir = args.data_dir or default_data_dir() / "demo"
    spool = data_dir / "etiketter"  # the demo's file printer, unless IHR_PRINTER_URL or config say otherwise
    kept = _demo_fresh(data_dir, spool) if args.fresh else False
    private_dir(data_dir)
    lab_delay = args.lab_delay if args.lab_delay is not None else float(
        os.environ.get("IHR_DEMO_LAB_DELAY_S", DEMO_LAB_DELAY_S)
    )
    if args.epj is DEMO_BUNDLE:
        args.epj = _write_demo_bundle(data_dir / DEMO_BUNDLE_NAME)
    given = _resolve_context(args)
    demo = LaunchContext(
        None if args.no_context else DEMO_PATIENT_ID, DEMO_REQUESTER_HPR, DEMO_OFFICE_HER_ID
    )
    context = given.merged(demo)
    key_file = data_dir / "klientnokkel.json"
    returned = data_dir / "epj-retur" if args.epj is not None else None
    with EmbeddedSandbox(db_path=data_dir / "sandkasse.sqlite3", lab_delay_s=lab_delay) as sandbox:
        # The demo is a client like any other: a key of its own, registered for the demo office.
        sandbox.register_client(DEMO_CLIENT_ID, write_new_key(key_file), DEMO_OFFICE_HER_ID, SCOPES, "ihr demo")

        made: list[Any] = []

        def settings() -> Any:
            # printer_url is not given: IHR_PRINTER_URL or config.toml win, else the demo's
            # data dir has it (`etiketter`, the default printer's folder), made private here
            made.append(Settings(
                api_url=sandbox.url,
                client_id=DEMO_CLIENT_ID,
                client_key_file=key_file,
                office_her_id=DEMO_OFFICE_HER_ID,
                user=DEMO_USER,
                data_dir=data_dir,
                **({"epj_return_dir": str(returned)} if returned else {}),  # with --epj: the journal's folder
            ))
            if made[-1].origin("printer_url") == "standard":
                private_dir(spool)
            return made[-1]

        code = _run_app(context, settings)
    from tui import strings as S

    printer_url = made[-1].printer_url if made else ""
    if printer_url.startswith("file://"):
        print(S.spool_named(printer_url.removeprefix("file://")))
    if kept:
        print(S.demo_labels_kept(str(spool)))
    if returned is not None:
        print(S.demo_returned(str(returned)))
    print(S.demo_kept(str(data_dir)))
    return code


def _demo_fresh(data_dir: Path, spool: Path) -> bool:
    """`ihr demo --fresh`: the demo's sandbox, drafts and settings go; its printed labels stay
    (True when there were any). Labels are what a secretary printed: evidence, not demo state,
    and deleting files she may be looking for without asking is never what she expects."""
    import shutil

    if not data_dir.exists():
        return False
    for entry in data_dir.iterdir():
        if entry == spool and entry.is_dir():
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    return spool.is_dir() and any(spool.iterdir())


def _write_demo_bundle(path: Path) -> Path:
    """The demo patient's synthetic FHIR launch bundle, dated from today, written 0600."""
    from datetime import datetime

    from ihr.localtime import OSLO
    from ihr.privatefiles import private_file
    from sandbox.seed.journal import demo_launch_bundle

    private_file(path).write_text(demo_launch_bundle(datetime.now(OSLO).date()).model_dump_json(indent=2), encoding="utf-8")
    return path


def cmd_register_client(argv: list[str]) -> int:
    from ihr.helseid import SCOPE_API, SCOPES

    p = _Parser(prog="ihr sandbox register-client", description="Registrer en klient i sandkassen.")
    p.add_argument("--db", type=Path, required=True, help="sandkassens SQLite-fil")
    p.add_argument("--client-id", required=True, help="klient-id (client_id i innstillingene)")
    p.add_argument("--office", required=True, metavar="HER", help="kontorets HER-id")
    p.add_argument("--key", type=Path, required=True, metavar="FIL", help="klientens nøkkel (JWK eller PEM)")
    p.add_argument("--new-key", action="store_true", help="lag en ny privat nøkkel i FIL (kun lesbar for deg)")
    p.add_argument("--scope", action="append", choices=sorted(SCOPES), help=f"scope (standard: {SCOPE_API})")
    p.add_argument("--name", default="", help="navn på klienten")
    args = p.parse_args(argv)
    from sandbox.app import ensure_seeded
    from sandbox.authority import public_jwk_from_file, register_client
    from sandbox.db import Database

    if args.new_key:
        from client.signin import write_new_key

        public = write_new_key(args.key)
    else:
        try:
            public = public_jwk_from_file(str(args.key))
        except (OSError, ValueError):
            print(f"ihr: {args.key} er ikke en lesbar nøkkel (JWK eller PEM).", file=sys.stderr)
            return 2
    db = Database(args.db)
    try:
        ensure_seeded(db)
        register_client(db, args.client_id, public, args.office, args.scope or [SCOPE_API], args.name)
    finally:
        db.close()
    print(f"Registrert: client_id = \"{args.client_id}\", client_key_file = \"{args.key.resolve()}\"")
    return 0


def cmd_sandbox(argv: list[str]) -> int:
    if argv and argv[0] == "register-client":
        return cmd_register_client(argv[1:])
    p = _Parser(prog="ihr sandbox", description="Referansetjenesten for IHR (sandkasse).")
    p.add_argument("--port", type=int, default=8765, help="port (standard: 8765)")
    p.add_argument("--host", default="127.0.0.1", help="adresse å lytte på (standard: 127.0.0.1)")
    p.add_argument("--db", type=Path, default=None, help="SQLite-fil (standard: sandkasse.sqlite3 i datamappen)")
    args = p.parse_args(argv)
    from ihr.settings import default_data_dir
    from sandbox.server import serve

    db = args.db or default_data_dir() / "sandkasse.sqlite3"  # kept between runs, the owner's alone
    print(f"Sandkassens data: {db.resolve()}", flush=True)
    try:
        serve(args.port, args.host, db)
    except KeyboardInterrupt:  # Ctrl+C: a stop, not an error
        pass
    print("Sandkassen er stoppet. Dataene er tatt vare på.", flush=True)
    return 0


def cmd_printer(argv: list[str]) -> int:
    from printing.cli import printer_command

    return printer_command(argv)


def main(argv: list[str] | None = None) -> None:
    """Run a command; an error nothing caught ends in a Norwegian message and a report
    without personal data (`tui.crash`), never a traceback."""
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = {"demo": cmd_demo, "sandbox": cmd_sandbox, "printer": cmd_printer}
    try:
        if argv and argv[0] in commands:
            code = commands[argv[0]](argv[1:])
        else:
            code = cmd_app(argv)
    except Exception as exc:  # noqa: BLE001 - the last stop: report it, show no traceback
        from ihr.settings import default_data_dir
        from tui.crash import report_and_tell

        code = report_and_tell(exc, default_data_dir())
    raise SystemExit(code)


if __name__ == "__main__":  # pragma: no cover
    main()
