"""`tui/` uses Textual's public API only: no private member of Textual is read, called,
assigned or overridden (they change between releases without notice).

Textual's private names are collected per class from its source; a class of ours that
subclasses a Textual class may not use one of its bases' private names on `self`, and no
code in `tui/` may touch a Textual private name on another object (`app._screen_stacks`).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from functools import cache
from pathlib import Path

import textual

ROOT = Path(__file__).resolve().parents[2]


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


@cache
def textual_privates(cls: type) -> frozenset[str]:
    """The private names a Textual class defines: class members and `self._x` it assigns."""
    names = {k for k in vars(cls) if _private(k)}
    try:
        tree = ast.parse(inspect.getsource(cls))
    except (OSError, TypeError, SyntaxError):
        return frozenset(names)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
    return frozenset(names)


@cache
def all_textual_privates() -> frozenset[str]:
    names: set[str] = set()
    for info in pkgutil.walk_packages(textual.__path__, "textual."):
        if any(part in info.name for part in (".demo", "__main__", ".cli")):
            continue  # programs, not the library
        try:
            module = importlib.import_module(info.name)
        except Exception:  # noqa: BLE001 - optional parts (e.g. a demo needing extras)
            continue
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if obj.__module__.startswith("textual"):
                names |= textual_privates(obj)
    return frozenset(names)


def tui_modules() -> list[str]:
    import tui

    return ["tui", *(i.name for i in pkgutil.walk_packages(tui.__path__, "tui."))]


def test_no_textual_private_member_is_used_from_tui() -> None:
    everything = all_textual_privates()
    found: list[str] = []
    for name in tui_modules():
        module = importlib.import_module(name)
        path = Path(module.__file__ or "")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(ROOT)
        # another object's Textual internals, e.g. app._screen_stacks or screen._bindings
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in everything
                and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
            ):
                found.append(f"{where}:{node.lineno} {ast.unparse(node)}")
        # our subclasses of Textual classes: their bases' private names, used on self
        for cls_node in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
            cls = getattr(module, cls_node.name, None)
            if not isinstance(cls, type):
                continue
            privates: set[str] = set()
            for base in cls.__mro__[1:]:
                if base.__module__.startswith("textual"):
                    privates |= textual_privates(base)
            for node in ast.walk(cls_node):
                if isinstance(node, ast.Attribute) and node.attr in privates and isinstance(node.value, ast.Name) \
                        and node.value.id in ("self", "cls"):
                    found.append(f"{where}:{node.lineno} {cls.__name__}: {ast.unparse(node)}")
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in privates:
                    found.append(f"{where}:{node.lineno} {cls.__name__} overrides {node.name}")
    assert not found, "Textual internals used from tui/:\n" + "\n".join(sorted(set(found)))
