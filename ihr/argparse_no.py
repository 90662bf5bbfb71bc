"""argparse in Norwegian: the help, the section titles and the error messages of every `ihr`
command (`ihr`, `ihr demo`, `ihr sandbox`, `ihr printer`).

argparse is kept (it is the standard library's, and the commands are few and small); only
the words it prints itself are put into Norwegian: "usage:" and the section titles through
the formatter and the parser, its error messages by a table of the phrases it uses.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, NoReturn

#: argparse's own phrases (Python 3.11-3.13) in its error messages, in Norwegian.
_PHRASES = {
    "unrecognized arguments": "ukjente argumenter",
    "expected one argument": "trenger en verdi",
    "invalid int value": "ugyldig tall",
    "invalid float value": "ugyldig tall",
    "invalid choice": "ugyldig valg",
    "choose from": "velg blant",
    "the following arguments are required": "disse må være med",
    "argument ": "argumentet ",
    "not allowed with argument": "kan ikke brukes sammen med",
    "ignored explicit argument": "ignorerte verdien",
}


def norwegian(message: str) -> str:
    for en, no in _PHRASES.items():
        message = message.replace(en, no)
    return message


class NorwegianFormatter(argparse.HelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        # prefix "" is argparse finding a subcommand's prog: left as it is
        super().add_usage(usage, actions, groups, prefix="Bruk: " if prefix is None else prefix)


class NorwegianParser(argparse.ArgumentParser):
    """An ArgumentParser whose help and errors are Norwegian; exit code 2 on a usage error.

    `add_help=False` leaves out -h/--help (for a parser used as `parents=` of others);
    subparsers made with `add_subparsers` are NorwegianParsers too.
    """

    def __init__(self, *, add_help: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", NorwegianFormatter)
        super().__init__(add_help=False, **kwargs)
        self._positionals.title = "argumenter"
        self._optionals.title = "valg"
        if add_help:
            self.add_argument("-h", "--help", action="help", help="vis denne hjelpen og avslutt")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: Feil: {norwegian(message)}\n")
