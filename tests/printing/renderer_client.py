"""Run the independent ZPL renderer (npm zpl-renderer-js, a wasm build of zebrash)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

RENDERER_DIR = Path(__file__).parent / "renderer"


def renderer_problem() -> str | None:
    """Why the renderer cannot run here, or None."""
    if shutil.which("node") is None:
        return "node is not installed (the CI installs it with .ci/install-printing.sh)"
    if not (RENDERER_DIR / "node_modules" / "zpl-renderer-js").is_dir():
        return f"run `npm ci` in {RENDERER_DIR} (.ci/install-printing.sh does)"
    return None


def render(jobs: list[dict], timeout: float = 120) -> None:
    """Render [{zpl, width_mm, height_mm, dpmm, out}, ...] to PNG files in one node process."""
    result = subprocess.run(
        ["node", str(RENDERER_DIR / "render.mjs")], input=json.dumps(jobs).encode("utf-8"),
        capture_output=True, timeout=timeout, cwd=RENDERER_DIR,
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr.decode("utf-8", "replace"))
