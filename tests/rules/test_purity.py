"""ihr.rules stays pure domain code: importing it pulls in neither Textual nor httpx."""

from __future__ import annotations

import subprocess
import sys


def test_rules_import_no_textual_or_httpx() -> None:
    code = (
        "import sys\n"
        "import ihr.rules.identifiers, ihr.rules.specimen_ids, ihr.rules.questions, ihr.rules.tubes\n"
        "import ihr.rules.addons, ihr.rules.ordering, ihr.rules.search\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'textual', 'httpx', 'sqlite3', 'fastapi'})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
