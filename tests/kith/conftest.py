"""Fixtures for the KITH tests: the public XSDs and code lists from ../shared/standards/kith."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SCHEMA_DIR = REPO_ROOT.parent / "shared/standards/kith"
NEEDED = (
    "MsgHead-v1_2.xsd",
    "xmldsig-core-schema.xsd",
    "AppRec-v1.0.xsd",
    "Rekvisisjon-v1.6.xsd",
    "kith.xsd",
    "volven-kodeverk.json",
)


@pytest.fixture(scope="session")
def schema_dir() -> Path:
    """The folder with the KITH XSDs and Volven lists.

    Skips only where the folder is absent (the public standard files are not shipped with
    the project); where it is present, a missing file is an error, never a silent skip.
    """
    if not SCHEMA_DIR.is_dir():
        pytest.skip(f"KITH standards not available: no folder {SCHEMA_DIR}")
    missing = [name for name in NEEDED if not (SCHEMA_DIR / name).is_file()]
    assert not missing, f"{', '.join(missing)} missing in {SCHEMA_DIR}"
    return SCHEMA_DIR
