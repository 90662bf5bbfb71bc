"""Catalog cache: ETag round trip, offline opening, and the load time of a 10,000-service catalog."""

from __future__ import annotations

import re
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest

from client import CatalogCache, IhrClient, ServiceUnavailable
from ihr.models import Catalog, ContainerType, Lab, Question, Service, SpecimenRequirement
from ihr.models.catalog import AnswerType, CodeSystem, Discipline
from tests.client.conftest import Reply

STALE = re.compile(r"^IHR-tjenesten svarer ikke – viser katalogen fra \d\d\.\d\d\.\d{4} \d\d:\d\d$")


def make_catalog(n: int, version: str = "v1") -> Catalog:
    q = Question(key="fasting", text="Er pasienten fastende?", type=AnswerType.BOOLEAN, required=True)
    services = [
        Service(
            code=f"NPU{i:05d}",
            code_system=CodeSystem.NLK,
            name=f"P-Analyse nummer {i}",
            discipline=Discipline.LAB,
            short_name=f"An{i}",
            synonyms=[f"analyse {i}", f"test {i}"],
            labs=["99000001"],
            specimen=SpecimenRequirement(material="Serum", container="SST5", min_volume_ml=0.5),
            questions=[q] if i % 10 == 0 else [],
            preparation="Fastende fra kl. 22" if i % 7 == 0 else None,
        )
        for i in range(n)
    ]
    return Catalog(
        version=version,
        services=services,
        containers=[ContainerType(code="SST5", name="Serumrør 5 ml", cap_colour="gul", capacity_ml=5, order_of_draw=2)],
        labs=[
            Lab(
                her_id="99000001",
                name="Testsykehuset, medisinsk biokjemi",
                short_name="TS biokjemi",
                discipline=Discipline.LAB,
                health_region="Helse Sør-Øst",
            )
        ],
    )


def etag_handler(body: bytes, etag: str = '"v1"') -> Any:
    def handler(req: Any, n: int) -> Any:
        if req.headers.get("if-none-match") == etag:
            return Reply(304, None, headers={"ETag": etag})
        return Reply(200, body, headers={"ETag": etag})

    return handler


async def test_etag_304_then_offline(scripted: Any, tmp_path: Path) -> None:
    db = tmp_path / "ihr.sqlite3"
    body = make_catalog(50).model_dump_json().encode()
    server = await scripted(etag_handler(body))
    cache = CatalogCache(db)
    async with IhrClient(server.url, None, cache=cache, backoff_s=0.01) as ihr:
        first = await ihr.get_catalog()
        assert (first.from_cache, first.stale_reason, first.etag) == (False, None, '"v1"')
        second = await ihr.get_catalog()
        assert (second.from_cache, second.stale_reason) == (True, None)
        assert server.requests[1].headers["if-none-match"] == '"v1"'
        assert len(second.catalog.services) == 50
        await server.stop()
        third = await ihr.get_catalog()
    assert third.from_cache is True
    assert third.stale_reason is not None and STALE.match(third.stale_reason), third.stale_reason
    # A fresh process (new cache object, same file) opens offline too.
    async with IhrClient(server.url, None, cache=CatalogCache(db), backoff_s=0.01) as ihr:
        again = await ihr.get_catalog()
    assert again.from_cache and again.stale_reason and again.catalog.version == "v1"


async def test_no_cache_no_service(tmp_path: Path, scripted: Any) -> None:
    server = await scripted(lambda req, n: Reply(503))
    async with IhrClient(server.url, None, cache=CatalogCache(tmp_path / "x.db"), backoff_s=0.01) as ihr:
        with pytest.raises(ServiceUnavailable):
            await ihr.get_catalog()


async def test_cache_is_per_service_url(tmp_path: Path, scripted: Any) -> None:
    db = tmp_path / "ihr.sqlite3"
    server = await scripted(etag_handler(make_catalog(3).model_dump_json().encode()))
    async with IhrClient(server.url, None, cache=CatalogCache(db)) as ihr:
        await ihr.get_catalog()
    down = await scripted(lambda req, n: Reply(503))
    async with IhrClient(down.url, None, cache=CatalogCache(db), backoff_s=0.01) as ihr:
        with pytest.raises(ServiceUnavailable):
            await ihr.get_catalog()


async def test_new_etag_replaces_copy_and_other_tables_untouched(tmp_path: Path, scripted: Any) -> None:
    db = tmp_path / "ihr.sqlite3"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE drafts (id TEXT)")
    con.execute("INSERT INTO drafts VALUES ('d1')")
    con.commit()
    con.close()
    bodies = {"v1": make_catalog(2, "v1").model_dump_json(), "v2": make_catalog(4, "v2").model_dump_json()}
    current = {"v": "v1"}

    def handler(req: Any, n: int) -> Any:
        tag = f'"{current["v"]}"'
        if req.headers.get("if-none-match") == tag:
            return Reply(304, None, headers={"ETag": tag})
        return Reply(200, bodies[current["v"]], headers={"ETag": tag})

    server = await scripted(handler)
    async with IhrClient(server.url, None, cache=CatalogCache(db)) as ihr:
        assert (await ihr.get_catalog()).catalog.version == "v1"
        current["v"] = "v2"
        res = await ihr.get_catalog()
    assert (res.from_cache, res.catalog.version, len(res.catalog.services)) == (False, "v2", 4)
    assert server.requests[1].headers["if-none-match"] == '"v1"'
    con = sqlite3.connect(db)
    assert con.execute("SELECT id FROM drafts").fetchall() == [("d1",)]
    con.close()


def test_load_10000_services_from_cache(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Not a timed test: prints the figure (`pytest -s`); the bound only catches disasters."""
    catalog = make_catalog(10_000)
    body = catalog.model_dump_json().encode()
    cache = CatalogCache(tmp_path / "ihr.sqlite3")
    cache.store("http://x/api/v1", '"v1"', body, catalog)
    cold = CatalogCache(tmp_path / "ihr.sqlite3")  # a new process: nothing in memory
    t0 = time.perf_counter()
    loaded = cold.load("http://x/api/v1")
    elapsed = time.perf_counter() - t0
    assert loaded is not None and len(loaded.catalog.services) == 10_000
    with capsys.disabled():
        print(f"\n[catalog cache] 10,000 services, {len(body) / 1e6:.1f} MB JSON: cold load {elapsed * 1000:.0f} ms")
    assert elapsed < 10


async def test_without_etag_still_cached_for_offline(scripted: Any, tmp_path: Path) -> None:
    body = make_catalog(5).model_dump_json()
    server = await scripted(lambda req, n: Reply(200, body))
    async with IhrClient(server.url, None, cache=CatalogCache(tmp_path / "c.db"), backoff_s=0.01) as ihr:
        assert (await ihr.get_catalog()).from_cache is False
        assert "if-none-match" not in server.requests[0].headers
        assert (await ihr.get_catalog()).from_cache is False  # nothing to validate against
        await server.stop()
        res = await ihr.get_catalog()
        assert res.from_cache and res.stale_reason
        cached = await ihr.cached_catalog()
    assert cached is not None and len(cached.catalog.services) == 5


async def test_unreadable_cached_copy_is_fetched_again(scripted: Any, tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    server = await scripted(etag_handler(make_catalog(3).model_dump_json().encode()))
    cache = CatalogCache(db)
    cache.store(server.url, '"v1"', b'{"not": "a catalog"}', make_catalog(1))  # written by a broken version
    async with IhrClient(server.url, None, cache=CatalogCache(db)) as ihr:
        res = await ihr.get_catalog()
    assert res.from_cache is False and len(res.catalog.services) == 3
    assert [r.headers.get("if-none-match") for r in server.requests] == ['"v1"', None]
