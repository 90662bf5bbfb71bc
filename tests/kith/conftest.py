"""Fixtures for the KITH tests: the public XSDs from ../shared/standards/kith."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SCHEMA_DIR = REPO_ROOT.parent / "shared/standards/kith"
NEEDED = ("MsgHead-v1_2.xsd", "xmldsig-core-schema.xsd", "AppRec-v1.0.xsd")


@pytest.fixture(scope="session")
def schema_dir() -> Path:
    """The folder with the KITH XSDs; skips the test when they are not there."""
    missing = [name for name in NEEDED if not (SCHEMA_DIR / name).is_file()]
    if missing:
        pytest.skip(
            f"KITH XSDs not available: {', '.join(missing)} missing in {SCHEMA_DIR} "
            "(the public standard files are not shipped with the project)"
        )
    return SCHEMA_DIR
