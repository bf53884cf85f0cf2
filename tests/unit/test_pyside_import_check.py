"""The cheaper "does this module use PySide6?" gives PySide's own answer for every module."""

from __future__ import annotations

import sys
import types

import ui.qt  # noqa: F401  (installs the check)
from ui.pyside_import_check import FEATURE_MODULE, answer_from_file_bytes


def installed():  # type: ignore[no-untyped-def]
    return sys.modules[FEATURE_MODULE]._mod_uses_pyside


def test_installed_once_by_the_qt_door() -> None:
    check = installed()
    assert getattr(check, "from_file_bytes", False)
    assert answer_from_file_bytes() is False  # a second call changes nothing
    assert installed() is check


def test_same_answer_as_pyside_for_every_loaded_module() -> None:
    check = installed()
    modules = [m for m in list(sys.modules.values()) if isinstance(m, types.ModuleType)]
    answers = {m.__name__: check(m) for m in modules}
    assert answers == {m.__name__: check.upstream(m) for m in modules}
    assert answers["ui.qt"]  # the one module that names PySide6; the others import from it
    assert not answers["json"] and not answers["sys"]


def test_a_module_without_a_source_file_gets_pyside_s_answer(tmp_path) -> None:  # type: ignore[no-untyped-def]
    sourceless = types.ModuleType("sourceless")
    sourceless.__file__ = str(tmp_path / "sourceless.cpython-311.pyc")
    missing = types.ModuleType("missing")
    missing.__file__ = str(tmp_path / "gone.py")
    for module in (sourceless, missing, sys):
        assert installed()(module) is installed().upstream(module) is False
