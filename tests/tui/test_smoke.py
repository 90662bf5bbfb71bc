from __future__ import annotations

from typing import Any


async def test_opens_with_context(app_factory: Any) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        for _ in range(50):
            if app.patient is not None and app.catalog is not None:
                break
            await pilot.pause(0.05)
        assert app.current_mode == "order"
        await pilot.press(*"crp")
        await pilot.pause(0.1)
        await pilot.press("enter")
        await pilot.pause(0.1)
        print(app.draft.codes)
        app.save_screenshot("/tmp/smoke.svg")
