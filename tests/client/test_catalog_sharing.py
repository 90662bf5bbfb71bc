"""`parse_catalog`: equal parts of a parsed catalog are one shared object, and nothing else changes.

The client parses every catalog it holds (from the service and from the disk cache) this
way, so a 10,000-service catalog does not keep thousands of copies of the same tube,
handling and questions.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from client import CatalogCache, IhrClient
from ihr.models import Catalog, EnableWhen, Handling, Question, Service, SpecimenRequirement
from ihr.models.catalog import parse_catalog
from sandbox.seed.generate import big_catalog
from tests.client.conftest import Reply


@pytest.fixture(scope="module")
def body() -> bytes:
    return big_catalog(2_000).model_dump_json().encode()


def _distinct(objects: list[Any]) -> int:
    return len({id(o) for o in objects})


def test_parse_catalog_equals_plain_parse(body: bytes) -> None:
    plain = Catalog.model_validate_json(body)
    shared = parse_catalog(body)
    assert shared == plain
    assert shared.model_dump() == plain.model_dump()
    assert shared.model_dump(exclude_unset=True) == plain.model_dump(exclude_unset=True)
    assert shared.model_dump_json() == plain.model_dump_json() == body.decode()
    assert [s.model_fields_set for s in shared.services] == [s.model_fields_set for s in plain.services]


def test_equal_parts_are_one_object(body: bytes) -> None:
    plain = Catalog.model_validate_json(body)
    shared = parse_catalog(body)
    services = shared.services
    specimens = [s.specimen for s in services if s.specimen is not None]
    handlings = [sp.handling for sp in specimens]
    questions = [q for s in services for q in s.questions]
    # As many objects as distinct values: every equal copy is the same object.
    for objects in (specimens, handlings, questions):
        distinct_values = {o.model_dump_json() for o in objects}
        assert _distinct(objects) == len(distinct_values) < len(objects) // 10
    for field in ("questions", "labs", "synonyms", "abbreviations"):
        lists = [getattr(s, field) for s in services]
        assert _distinct(lists) == len({json.dumps(getattr(s, field), default=str) for s in plain.services})
    # A plain parse keeps a copy per service (what the sharing saves).
    assert _distinct([s.specimen for s in plain.services if s.specimen is not None]) == len(specimens)
    # Services keep their own identity and are found by code as before.
    assert _distinct(services) == len(services)
    assert all(shared.service(s.code) is s for s in services)


def test_values_equal_in_python_but_not_in_json_are_not_merged() -> None:
    def service(code: str, **extra: Any) -> dict[str, Any]:
        return {"code": code, "code_system": "NLK", "name": f"P-{code}", "discipline": "klinisk_kjemi",
                "short_name": code, **extra}

    def question(answer: Any) -> dict[str, Any]:
        return {"key": "b", "text": "B?", "type": "text",
                "enable_when": [{"question": "a", "operator": "=", "answer": answer}]}

    def specimen(volume: float, handling: dict[str, Any] | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"material": "Serum", "container": "SST5", "min_volume_ml": volume}
        if handling is not None:
            out["handling"] = handling
        return out

    data = {
        "version": "v",
        "containers": [],
        "labs": [],
        "services": [
            service("A", questions=[question(True)], specimen=specimen(0.0)),
            service("B", questions=[question(1)], specimen=specimen(-0.0)),
            service("C", questions=[question(1.0)], specimen=specimen(0.0, {})),
            service("D", questions=[question("1")], specimen=specimen(0.0, {"temperature": "romtemperatur"})),
            service("E", questions=[question(True)], specimen=specimen(0.0)),
        ],
    }
    raw = json.dumps(data)
    plain = Catalog.model_validate_json(raw)
    shared = parse_catalog(raw)
    assert shared == plain
    assert shared.model_dump_json() == plain.model_dump_json()
    assert shared.model_dump_json(exclude_unset=True) == plain.model_dump_json(exclude_unset=True)
    a, b, c, d, e = shared.services
    answers = [s.questions[0].enable_when[0].answer for s in (a, b, c, d)]
    assert [type(x) for x in answers] == [bool, int, float, str]
    assert _distinct([s.questions[0] for s in (a, b, c, d)]) == 4
    assert e.questions[0] is a.questions[0] and e.questions is a.questions
    assert a.specimen is not None and b.specimen is not None and c.specimen is not None
    assert d.specimen is not None and e.specimen is not None
    assert str(b.specimen.min_volume_ml) == "-0.0" and b.specimen is not a.specimen
    # The handling given as {} or left out: the same handling (nothing set), but the
    # specimens differ in what is set (exclude_unset dumps "handling" for C only).
    assert c.specimen.handling is a.specimen.handling
    assert c.specimen is not a.specimen and "handling" in c.specimen.model_fields_set
    # A default set explicitly is set: not the same as the default left out.
    assert d.specimen.handling == c.specimen.handling and d.specimen.handling is not c.specimen.handling
    assert d.specimen.handling.model_fields_set == {"temperature"}
    # The default handling (made by default_factory, not parsed) is shared too.
    assert e.specimen is a.specimen


def test_shared_fields_sets_stay_per_object(body: bytes) -> None:
    shared = parse_catalog(body)
    first, second = shared.services[0], shared.services[1]
    copy = first.model_copy(update={"notes": "endret"})
    assert copy.notes == "endret" and first.notes != "endret"
    assert copy.model_fields_set == set(Service.model_fields)
    spec = next(s.specimen for s in shared.services if s.specimen is not None)
    changed = spec.model_copy(update={"handling": Handling(notes="x")})
    assert changed.handling.notes == "x" and spec.handling.notes != "x"
    assert second.model_fields_set == set(Service.model_fields)
    with pytest.raises(ValueError):
        first.name = "x"  # type: ignore[misc]


def test_models_built_in_python_or_parsed_plainly_are_untouched() -> None:
    one = SpecimenRequirement(material="Serum", container="SST5", min_volume_ml=0.5)
    two = SpecimenRequirement(material="Serum", container="SST5", min_volume_ml=0.5)
    assert one == two and one is not two
    q = Question(key="k", text="T?", type="boolean", enable_when=[EnableWhen(question="a", operator="exists", answer=True)])
    assert Question.model_validate_json(q.model_dump_json()) == q
    raw = json.dumps({"version": "v", "containers": [], "labs": [], "services": [
        {"code": c, "code_system": "NLK", "name": c, "discipline": "klinisk_kjemi", "short_name": c,
         "specimen": one.model_dump(mode="json")} for c in ("A", "B")]})
    a, b = Catalog.model_validate_json(raw).services
    assert a.specimen == b.specimen and a.specimen is not b.specimen


def test_cache_load_shares(tmp_path: Path, body: bytes) -> None:
    catalog = Catalog.model_validate_json(body)
    cache = CatalogCache(tmp_path / "ihr.sqlite3")
    cache.store("http://x/api/v1", '"v1"', body, catalog)
    loaded = CatalogCache(tmp_path / "ihr.sqlite3").load("http://x/api/v1")
    assert loaded is not None and loaded.catalog == catalog
    specimens = [s.specimen for s in loaded.catalog.services if s.specimen is not None]
    assert _distinct(specimens) < len(specimens) // 10


async def test_fetched_catalog_shares(scripted: Any, tmp_path: Path, body: bytes) -> None:
    server = await scripted(lambda req, n: Reply(200, body, headers={"ETag": '"v1"'}))
    async with IhrClient(server.url, None, cache=CatalogCache(tmp_path / "ihr.sqlite3"), backoff_s=0.01) as client:
        result = await client.get_catalog()
    assert not result.from_cache
    assert result.catalog == Catalog.model_validate_json(body)
    specimens = [s.specimen for s in result.catalog.services if s.specimen is not None]
    assert _distinct(specimens) < len(specimens) // 10
