from __future__ import annotations

from pathlib import Path
from typing import Any

from client import IhrClient
from ihr.settings import Settings
from tests.client.conftest import Reply, make_patient


async def test_from_settings(scripted: Any, tmp_path: Path) -> None:
    server = await scripted(lambda req, n: Reply(200, make_patient().model_dump(mode="json")))
    settings = Settings(api_url=server.url, api_token="tok", data_dir=tmp_path, office_her_id="99200101",
                        request_timeout_s=3.0)
    async with IhrClient.from_settings(settings, user_hpr="990100217") as ihr:
        assert ihr.cache is not None and ihr.cache.db_path == tmp_path / "ihr.sqlite3"
        assert ihr.office_her_id == "99200101" and ihr.user_hpr == "990100217"
        assert ihr.http.timeout.read == 3.0
        await ihr.get_patient("1")
    assert server.requests[0].headers["authorization"] == "Bearer tok"
