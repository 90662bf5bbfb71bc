"""ICPC-2 (Volven 7170): the referral diagnosis from the official Norwegian code list.

The list is not shipped with `ihr`: Direktoratet for e-helse publishes it ("ICPC-2 teknisk
koderegister", yearly, on ehelse.no) and a deployment installs the file it chose. Where it
is installed it is read from:

1. the file `IHR_ICPC2_FILE` names, else
2. `icpc-2.json` in the KITH standards folder (`IHR_KITH_DIR`, else
   `../shared/standards/kith` next to the checkout), else
3. the list "7170" in that folder's `volven-kodeverk.json` (the other Volven lists' file).

The file: `{"kodeverk": "7170", "versjon": "2025", "kilde": "...", "koder": {"L96": "Akutt
indre kneskade", ...}}` (a bare `{code: text}` is read too). Without a list nothing is looked
up and the diagnosis is typed as before (code and text).

`search` finds codes by code ("l9", "L96") or by words, each the start of a word of the text
("kne" finds L96 Akutt indre kneskade).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

FILE_ENV = "IHR_ICPC2_FILE"
KITH_DIR_ENV = "IHR_KITH_DIR"
LIST_FILE = "icpc-2.json"
VOLVEN_FILE = "volven-kodeverk.json"
VOLVEN_LIST = "7170"

_CODE = re.compile(r"^[A-Za-z]\d{0,2}$")
_WORD = re.compile(r"[^\W\d_]+|\d+")


@dataclass(frozen=True)
class Icpc2List:
    codes: dict[str, str]  # code -> the list's Norwegian text
    version: str = ""
    source: str = ""
    _words: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)

    def text(self, code: str) -> str | None:
        return self.codes.get(code.strip().upper())

    def search(self, query: str, limit: int = 8) -> list[tuple[str, str]]:
        """(code, text) pairs for what is typed: the code itself or codes starting so, then
        the codes whose text has a word starting with each word typed; by code."""
        q = query.strip()
        if not q:
            return []
        found: dict[str, None] = {}
        if _CODE.match(q):
            up = q.upper()
            if up in self.codes:
                found[up] = None
            found.update((c, None) for c in sorted(self.codes) if c.startswith(up))
        words = [w.casefold() for w in _WORD.findall(q)]
        if words and not (_CODE.match(q) and len(q) > 1 and q[1:].isdigit()):
            for code in sorted(self.codes):
                have = self._words.get(code) or tuple(w.casefold() for w in _WORD.findall(self.codes[code]))
                self._words.setdefault(code, have)
                if all(any(h.startswith(w) for h in have) for w in words):
                    found.setdefault(code)
        return [(c, self.codes[c]) for c in list(found)[:limit]]


def _read(path: Path) -> Icpc2List | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    if path.name == VOLVEN_FILE:
        data = data.get(VOLVEN_LIST)
        if not isinstance(data, dict):
            return None
    codes = data.get("koder", data)
    if not isinstance(codes, dict) or not codes:
        return None
    clean = {str(k).strip().upper(): str(v).strip() for k, v in codes.items() if isinstance(v, str) and v.strip()}
    return Icpc2List(clean, version=str(data.get("versjon", "")), source=str(data.get("kilde", "")))


def standards_dir() -> Path | None:
    configured = os.environ.get(KITH_DIR_ENV, "").strip()
    if configured:
        return Path(configured)
    beside = Path(__file__).resolve().parents[3] / "shared" / "standards" / "kith"
    return beside if beside.is_dir() else None


def installed_list() -> Icpc2List | None:
    """The installed ICPC-2 list (see the module's text), or None."""
    configured = os.environ.get(FILE_ENV, "").strip()
    folder = standards_dir()
    candidates = [Path(configured)] if configured else []
    if folder is not None:
        candidates += [folder / LIST_FILE, folder / VOLVEN_FILE]
    for path in candidates:
        found = _cached(str(path), _mtime(path))
        if found is not None:
            return found
    return None


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return -1.0


@lru_cache(maxsize=8)
def _cached(path: str, mtime: float) -> Icpc2List | None:
    return _read(Path(path)) if mtime >= 0 else None


__all__ = ["FILE_ENV", "LIST_FILE", "Icpc2List", "installed_list"]
