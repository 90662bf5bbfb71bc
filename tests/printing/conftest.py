"""Fixtures for the printing tests."""

from __future__ import annotations

import pytest

from printing.journal import PrintJournal
from printing.labels import label_for
from tests.printing import factories as f


@pytest.fixture
def journal(tmp_path):
    j = PrintJournal(tmp_path / "ihr.sqlite3")
    yield j
    j.close()


@pytest.fixture
def label():
    return label_for(
        f.specimen(), f.patient("Ødegård", "Åse Marie"), f.requester(), f.lab(), f.container(),
        ["CRP", "Ferritin", "TSH"], None,
    )
