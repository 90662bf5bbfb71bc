"""The catalog cached on disk by ETag, in the app's one local SQLite file.

Table `catalog_cache`, one row per service URL (so a sandbox catalog never shows for a
production service): the ETag, the catalog JSON exactly as the service sent it (one blob,
parsed in one go by pydantic's JSON parser, with equal parts shared: `parse_catalog`), when it
was fetched and when the service last confirmed it (200 or 304). The file is shared with other parts of the app (drafts, outbox,
print journal); this module only touches its own table.

The methods are synchronous and short; `IhrClient` calls them in a worker thread.
`load_body` reads the JSON without parsing it: the app's start-up builds its search list from
that before pydantic and the models are imported (this module imports them only to parse).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from client.localdb import LocalStore

if TYPE_CHECKING:
    from ihr.models import Catalog

_SCHEMA = """
CREATE TABLE IF NOT EXISTS catalog_cache (
    source       TEXT PRIMARY KEY,
    etag         TEXT,
    body         BLOB NOT NULL,
    fetched_at   TEXT NOT NULL,
    validated_at TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class CachedBody:
    """The cached catalog JSON as the service sent it, unparsed."""

    source: str
    etag: str | None
    body: bytes
    fetched_at: datetime
    validated_at: datetime


@dataclass(frozen=True)
class CachedCatalog:
    source: str
    etag: str | None
    catalog: Catalog
    fetched_at: datetime  # when this copy was downloaded
    validated_at: datetime  # when the service last confirmed it (200 or 304)


class CatalogCache(LocalStore):
    """`CatalogCache(db_path)`: load and store the catalog for a service URL."""

    SCHEMA = _SCHEMA

    def __init__(self, db_path: Path | str) -> None:
        super().__init__(db_path)
        # The parsed catalog of the last load/store, so a 304 in the same process costs nothing.
        self._memo: tuple[str, str | None, Catalog] | None = None

    def etag(self, source: str) -> str | None:
        """The ETag of the cached copy (cheap: the blob is not read), or None."""
        with self._session() as con:
            row = con.execute("SELECT etag FROM catalog_cache WHERE source = ?", (source,)).fetchone()
        return row[0] if row else None

    def load_body(self, source: str) -> CachedBody | None:
        """The cached JSON for this service URL, unparsed, or None when nothing is cached."""
        with self._session() as con:
            row = con.execute(
                "SELECT etag, body, fetched_at, validated_at FROM catalog_cache WHERE source = ?",
                (source,),
            ).fetchone()
        if row is None:
            return None
        etag, body, fetched_at, validated_at = row
        return CachedBody(
            source=source,
            etag=etag,
            body=bytes(body),
            fetched_at=datetime.fromisoformat(fetched_at),
            validated_at=datetime.fromisoformat(validated_at),
        )

    def load(self, source: str) -> CachedCatalog | None:
        """The cached catalog for this service URL, or None (none cached, or unreadable)."""
        from ihr.models.catalog import parse_catalog  # pydantic: only when parsing

        cached = self.load_body(source)
        if cached is None:
            return None
        memo = self._memo
        if memo is not None and memo[0] == source and memo[1] == cached.etag and cached.etag is not None:
            catalog = memo[2]
        else:
            try:
                catalog = parse_catalog(cached.body)  # equal parts shared: a fraction of the memory
            except ValueError:
                return None  # a copy written by an older, incompatible version: ignore it
            self._memo = (source, cached.etag, catalog)
        return CachedCatalog(
            source=source,
            etag=cached.etag,
            catalog=catalog,
            fetched_at=cached.fetched_at,
            validated_at=cached.validated_at,
        )

    def store(self, source: str, etag: str | None, body: bytes, catalog: Catalog) -> datetime:
        """Keep this catalog (its JSON as received) for the service URL; returns the time."""
        now = datetime.now(UTC)
        stamp = now.isoformat()
        with self._session() as con:
            with con:
                con.execute(
                    "INSERT INTO catalog_cache (source, etag, body, fetched_at, validated_at) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT(source) DO UPDATE SET "
                    "etag = excluded.etag, body = excluded.body, "
                    "fetched_at = excluded.fetched_at, validated_at = excluded.validated_at",
                    (source, etag, sqlite3.Binary(body), stamp, stamp),
                )
            self._memo = (source, etag, catalog)
        return now

    def touch(self, source: str) -> datetime:
        """Record that the service confirmed the cached copy (a 304)."""
        now = datetime.now(UTC)
        with self._session() as con:
            with con:
                con.execute(
                    "UPDATE catalog_cache SET validated_at = ? WHERE source = ?",
                    (now.isoformat(), source),
                )
        return now

    def clear(self, source: str | None = None) -> None:
        """Forget the cached catalog of one service URL, or of all."""
        with self._session() as con:
            with con:
                if source is None:
                    con.execute("DELETE FROM catalog_cache")
                else:
                    con.execute("DELETE FROM catalog_cache WHERE source = ?", (source,))
            self._memo = None
