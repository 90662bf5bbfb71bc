"""Files only their owner may read: the app's data folder (0700) and its SQLite files (0600).

The local SQLite file holds drafts, unsent orders and answers about patients, and the app
runs on terminal servers shared by many users: with the default umask it would be created
0644 in a 0755 folder, readable by all of them. Every store creates its file through
`private_file` before SQLite opens it, so the file (and the journal and WAL files SQLite
makes beside it, which take the main file's mode) is the owner's alone from its first byte.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """The folder, made if missing; made the owner's alone (0700) when it is ours."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    if path.stat().st_uid == os.getuid() and stat.S_IMODE(path.stat().st_mode) != DIR_MODE:
        path.chmod(DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """The file, created empty (0600) if missing, and set to 0600 if it exists.

    A missing parent folder is made 0700; an existing one is left as it is (a sandbox
    database may be put in a folder such as /tmp, which must stay shared).
    """
    if not path.parent.exists():
        private_dir(path.parent)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE))
    if stat.S_IMODE(path.stat().st_mode) != FILE_MODE:
        path.chmod(FILE_MODE)
    return path


def make_private_dirs(path: Path) -> Path:
    """The folder and any missing parents made, each the owner's alone (0700); folders that
    exist are left as they are (a spool folder the site shares stays shared)."""
    missing: list[Path] = []
    here = path
    while not here.exists():
        missing.append(here)
        if here.parent == here:
            break
        here = here.parent
    for folder in reversed(missing):
        folder.mkdir(mode=DIR_MODE, exist_ok=True)
    return path
