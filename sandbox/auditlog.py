"""Signed checkpoints of the access log, and checking a log against them (also offline).

The access log is hash-chained (`sandbox.db.audit_hash`), which shows an edited row, but
only as long as nobody recomputes the hashes after it: whoever can write the database file
can drop the trigger, edit a row and rechain. A checkpoint is the log's head (its row count
and the last row's hash) signed with a key that is not in the database file (`AuditSigner`,
a P-256 JWK in a file of its own, 0600; the operator may keep it elsewhere). Checkpoints are
made every `CHECKPOINT_EVERY` rows, at every read of the log and at shutdown; they are kept in
the database and handed to the privacy officer with each read (`AuditLog.checkpoint`), who
may keep them anywhere. A rewritten and rechained log no longer has, at row N, the head a
checkpoint signed for row N: `log_problems` reports it, in the service and offline
(`ihr sandbox verify-log`), given the public key alone.

JWS is joserfc's (compact, ES256); nothing here signs or verifies by hand.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, Key

from ihr.keyfiles import NotAKey, import_key
from sandbox.db import AUDIT_FIELDS, AUDIT_GENESIS, Database, _hashed, audit_hash

CHECKPOINT_EVERY = 100  # rows between checkpoints made as the log grows
CHECKPOINT_TYPE = "ihr-audit-checkpoint+jws"


class AuditSigner:
    """The audit key (made on first use) and the checkpoints it signs."""

    def __init__(self, key_file: Path) -> None:
        self.key_file = key_file
        if key_file.exists():
            key = import_key(key_file.read_bytes())
            if not key.is_private:
                raise NotAKey("the audit key file must hold the private key")
        else:
            key = ECKey.generate_key("P-256", auto_kid=True)
            key_file.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(key.as_dict(private=True), f)
        self.key: Key = key

    def public_jwk(self) -> dict[str, Any]:
        return dict(self.key.as_dict(private=False))

    def checkpoint(self, db: Database, at: datetime) -> str | None:
        """Sign the log's head now (None while the log is empty); kept in the database."""
        with db.transaction() as c:
            last = c.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
            if last is None:
                return None
            payload = {"count": int(last["seq"]), "head": last["hash"], "at": at.isoformat()}
            header = {"alg": "ES256", "typ": CHECKPOINT_TYPE, "kid": self.key.kid}
            token = jws.serialize_compact(header, json.dumps(payload, separators=(",", ":")), self.key)
            c.execute(
                "INSERT INTO audit_checkpoints (count, head, jws) VALUES (?, ?, ?)",
                (payload["count"], payload["head"], token),
            )
        return token


def _chain(rows: Sequence[Mapping[str, Any]]) -> tuple[dict[int, str], list[str]]:
    """(seq -> the hash the chain gives that row, problems of the chain itself)."""
    heads: dict[int, str] = {}
    problems: list[str] = []
    prev = AUDIT_GENESIS
    for n, row in enumerate(rows, start=1):
        fields = _hashed(tuple(row[k] for k in AUDIT_FIELDS), row.get("requester_hpr"))
        recomputed = audit_hash(prev, fields)
        if row["seq"] != n:
            problems.append(f"rad {n} mangler (neste rad er {row['seq']})")
            break
        if row["prev_hash"] != prev or row["hash"] != recomputed:
            problems.append(f"rad {n} er endret (hashkjeden brytes)")
            break
        heads[n] = recomputed
        prev = recomputed
    return heads, problems


def log_problems(
    rows: Sequence[Mapping[str, Any]], checkpoints: Iterable[str], public_key: Key
) -> list[str]:
    """What is wrong with an access log (empty: it is intact and vouched for): its hash chain,
    and every checkpoint's signature and head against the rows as they are now."""
    heads, problems = _chain(rows)
    seen = 0
    for token in checkpoints:
        try:
            payload = json.loads(jws.deserialize_compact(token, public_key, algorithms=["ES256"]).payload)
            count, head = int(payload["count"]), str(payload["head"])
        except (JoseError, ValueError, KeyError, TypeError):
            problems.append("et kontrollpunkt har ugyldig signatur")
            continue
        seen += 1
        if count > len(rows):
            problems.append(f"loggen har {len(rows)} rader, men et signert kontrollpunkt gjaldt {count}")
        elif heads.get(count) != head:
            problems.append(f"radene til og med {count} er ikke de som ble signert (loggen er skrevet om)")
    if rows and not seen:
        problems.append("ingen signerte kontrollpunkter å kontrollere mot")
    return list(dict.fromkeys(problems))


def live_problems(db: Database, public_key: Key) -> list[str]:
    """`log_problems` of the service's own database."""
    return log_problems(db.audit_rows(), db.audit_checkpoints(), public_key)


def verify_file(db_file: Path, public_key_file: Path, extra: Iterable[str] = ()) -> list[str]:
    """`log_problems` of a copy of the database, opened read-only, against the public key
    (a JWK or PEM file) and any checkpoints kept elsewhere (`extra`, compact JWS)."""
    key = import_key(public_key_file.read_bytes())
    conn = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        rows = [dict(r) for r in conn.execute("SELECT * FROM audit ORDER BY seq")]
        stored = [r["jws"] for r in conn.execute("SELECT jws FROM audit_checkpoints ORDER BY seq")]
    finally:
        conn.close()
    return log_problems(rows, [*stored, *extra], key)
