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


# What `ihr` loads before the patient's banner and the search list are on screen (the app,
# the first screen, the cached catalog's index, the patient peek): pydantic and httpx load
# after that, in a thread. Each costs a noticeable part of a second on a thin client.
START_UP = [
    "tui.cli",
    "tui.app",
    "tui.screens.order",
    "tui.screens.patient",
    "client.cache",
    "client.peek",
    "ihr.rules.search",
    "ihr.rules.identifiers",
]


def test_the_start_up_path_loads_neither_pydantic_nor_httpx() -> None:
    probe = "import importlib, sys\nfor m in sys.argv[1:]: importlib.import_module(m)\nprint(' '.join(n for n, m in sys.modules.items() if m is not None))"
    out = subprocess.run(
        [sys.executable, "-c", probe, *START_UP], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = {m.split(".")[0] for m in out.stdout.split()}
    assert not loaded & {"pydantic", "pydantic_core", "httpx"}, sorted(loaded & {"pydantic", "pydantic_core", "httpx"})
