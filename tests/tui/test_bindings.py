"""Every key of every screen, dialog and widget names an action that exists (Ctrl+N on the
review once named `app.new_order`, which did not, so the key did nothing)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import pytest
from textual.binding import Binding
from textual.dom import DOMNode

import tui
from tui.app import IhrApp


def bound_classes() -> list[type[DOMNode]]:
    found: dict[str, type[DOMNode]] = {"IhrApp": IhrApp}
    for info in pkgutil.walk_packages(tui.__path__, "tui."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and issubclass(cls, DOMNode) and "BINDINGS" in vars(cls):
                found[f"{cls.__module__}.{cls.__name__}"] = cls
    return list(found.values())


ACTION = re.compile(r"^(?:(?P<ns>app|screen|focused)\.)?(?P<name>\w+)(?:\((?P<args>.*)\))?$")


@pytest.mark.parametrize("cls", bound_classes(), ids=lambda c: c.__name__)
def test_every_binding_names_an_action_that_exists(cls: type[DOMNode]) -> None:
    assert cls.BINDINGS
    for binding in Binding.make_bindings(cls.BINDINGS):
        match = ACTION.match(binding.action)
        assert match, f"{cls.__name__}: {binding.key} -> {binding.action!r} is not an action"
        namespace = match["ns"]
        assert namespace not in ("focused", "screen"), f"{cls.__name__}: {binding.key} depends on what is on top"
        target = IhrApp if namespace == "app" else cls
        assert callable(getattr(target, f"action_{match['name']}", None)), (
            f"{cls.__name__}: {binding.key} -> {binding.action!r}: no action_{match['name']} on {target.__name__}"
        )
