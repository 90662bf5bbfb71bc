"""The arrows only point downwards: tui -> client, printing -> ihr; sandbox -> ihr.

Each package is imported, module by module, in a fresh interpreter, and the test looks at
what ended up in sys.modules.
"""

from __future__ import annotations

import ast
import json
import re
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
    "tui.context",
]


def test_the_start_up_path_loads_neither_pydantic_nor_httpx() -> None:
    probe = "import importlib, sys\nfor m in sys.argv[1:]: importlib.import_module(m)\nprint(' '.join(n for n, m in sys.modules.items() if m is not None))"
    out = subprocess.run(
        [sys.executable, "-c", probe, *START_UP], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = {m.split(".")[0] for m in out.stdout.split()}
    # fhir.resources (an EPJ launch bundle, `ihr.epj`) loads only when a bundle is given
    late = {"pydantic", "pydantic_core", "httpx", "fhir", "fhir_core"}
    assert not loaded & late, sorted(loaded & late)


# ---- tui/: the rooms that say they have no Textual, and no import circle ----------------------

NO_TEXTUAL = re.compile(r"\bno textual\b|nothing from textual", re.IGNORECASE)


def textual_free_tui_modules() -> list[str]:
    """The modules of `tui/` whose docstring says they hold no Textual."""
    out = []
    for path in sorted((ROOT / "tui").rglob("*.py")):
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        if NO_TEXTUAL.search(doc):
            out.append(".".join(path.relative_to(ROOT).with_suffix("").parts))
    return out


def test_tui_modules_that_say_they_have_no_textual_import_none() -> None:
    modules = textual_free_tui_modules()
    assert {"tui.session", "tui.draft", "tui.autosave", "tui.scanner"} <= set(modules)
    probe = "import importlib, sys\nfor m in sys.argv[1:]: importlib.import_module(m)\nprint(' '.join(sys.modules))"
    for module in modules:  # one interpreter each: what one module pulls in is its own
        out = subprocess.run([sys.executable, "-c", probe, module], cwd=ROOT, capture_output=True, text=True, check=True)
        assert "textual" not in {m.split(".")[0] for m in out.stdout.split()}, f"{module} imports Textual"


def import_graph() -> dict[str, set[str]]:
    """Every import between the project's modules, at module level or inside a function
    (both make a circle), except those only for type checkers (`if TYPE_CHECKING:`)."""
    modules = {
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p
        for package in FORBIDDEN.keys() | {"tui"}
        for p in (ROOT / package).rglob("*.py")
    }
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {
            id(n)
            for block in ast.walk(tree)
            if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
            for stmt in block.body
            for n in ast.walk(stmt)
        }
        edges = graph.setdefault(name, set())
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                # `from pkg import mod` depends on the module; `from mod import name` on mod
                targets = [f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module
                           for a in node.names]
            else:
                continue
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    edges.add(target)
    return graph


def test_no_import_circle() -> None:
    graph = import_graph()
    circles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                circles.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert not circles, "import circles:\n" + "\n".join(" -> ".join(c) for c in circles)


def test_choosing_a_service_before_the_client_has_loaded_loads_no_pydantic() -> None:
    """Enter on the start-up search list puts the service in the basket at once: importing
    pydantic there would stall the screen for a third of a second (it did)."""
    probe = """
import json, sys
from ihr.rules.search import CatalogIndex, search_entries
from tui.context import LaunchContext
from tui.session import OrderSession
body = json.dumps({"services": [{"code": "NPU19748", "name": "P-CRP", "short_name": "CRP",
                                 "discipline": "klinisk_kjemi", "synonyms": [], "abbreviations": ["crp"]}]})
session = OrderSession(context=LaunchContext("15880099903", "9144900"))
session.set_preview_index(CatalogIndex(search_entries(body.encode())), "v1")
notice = session.add_service("NPU19748")
assert [e.code for e in session.pending] == ["NPU19748"], notice
print(" ".join(sys.modules))
"""
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    loaded = {m.split(".")[0] for m in out.stdout.split()}
    assert not loaded & {"pydantic", "pydantic_core", "httpx"}, sorted(loaded & {"pydantic", "pydantic_core", "httpx"})
