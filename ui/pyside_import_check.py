"""A cheaper answer to the question PySide6 asks of every imported module.

For its ``__feature__`` switches (snake_case, true_property), PySide6 records of each module
imported after it whether the module uses PySide: it reads the module's source with
``inspect.getsource`` and looks for the word ``PySide6``. ``getsource`` decodes and splits the
whole file through linecache for every module on the way to the first paint (about 260 of
them), which was a tenth of the start-up under cProfile. The same question is answered here
from the file's bytes; modules without a ``.py`` file still get PySide's own answer.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType

FEATURE_MODULE = "shibokensupport.feature"


def answer_from_file_bytes() -> bool:
    """Install the cheaper check; False (and nothing changed) if this PySide has none."""
    feature = sys.modules.get(FEATURE_MODULE)
    upstream = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or upstream is None or getattr(upstream, "from_file_bytes", False):
        return False
    feature._mod_uses_pyside = uses_pyside_checker(upstream)  # type: ignore[attr-defined]
    return True


def uses_pyside_checker(upstream: Callable[[ModuleType], bool]) -> Callable[[ModuleType], bool]:
    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return upstream(module)
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return upstream(module)

    uses_pyside.from_file_bytes = True  # type: ignore[attr-defined]
    uses_pyside.upstream = upstream  # type: ignore[attr-defined]
    return uses_pyside
