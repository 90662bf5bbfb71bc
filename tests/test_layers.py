"""The arrows only point downwards: tui -> client, printing -> ihr; sandbox -> ihr.

Each package is imported, module by module, in a fresh interpreter, and the test looks at
what ended up in sys.modules.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

FORBIDDEN = {
    "ihr": {"textual", "httpx", "client", "printing", "sandbox", "tui", "fastapi"},
    "client": {"textual", "printing", "sandbox", "tui"},
    "printing": {"textual", "httpx", "client", "sandbox", "tui"},
    "sandbox": {"textual", "client", "printing", "tui"},
}

PROBE = """
import importlib, json, pkgutil, sys
package = importlib.import_module(sys.argv[1])
names = [package.__name__]
for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
    names.append(info.name)
for name in names:
    importlib.import_module(name)
print(json.dumps({"modules": names, "loaded": sorted({m.split(".")[0] for m in sys.modules})}))
"""


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_nothing_above_it(package: str) -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, package],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["modules"], f"{package} has no modules"
    leaked = FORBIDDEN[package] & set(result["loaded"])
    assert not leaked, f"{package} imports {sorted(leaked)}"
