"""What a Qt test must not leave behind: the kiosk runs for weeks, so a thread, a running timer
or a window left by one visit is a leak that grows.

:func:`check_qt_test_leaves_nothing` is an autouse fixture in ``tests/conftest.py``: for every
test that uses ``qtbot`` or ``qapp`` it snapshots the live Python threads, the process's tasks
(``/proc/self/task``: threads started by C libraries too) and the top-level widgets before the
test, and after it (once pytest-qt has closed the test's widgets and deferred deletions ran)
fails the test if any new one is still there, or if a timer or QThread under the application
is running that was not before (a window a module-scoped fixture keeps across tests runs its
own idle and clock timers by design: those are not the test's). Qt's and GLib's own
process-lifetime worker threads (started once, on first use, and kept) are the only tasks
allowed to appear.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

# Threads Qt, GLib and fontconfig start once per process and keep (names as in /proc comm).
LIFETIME_TASKS = frozenset({
    "QDBusConnection", "gmain", "gdbus", "dconf worker", "Thread (pooled)", "QThread",
    "pool-spawner", "QXcbEventQueue", "QInotifyFileSys", "threaded-ml", "speech-dispatche",
    "pool", "fontconfig",
})
GRACE_SECONDS = 5.0  # a thread told to stop may take a moment to end


def _tasks() -> dict[str, str]:
    tasks: dict[str, str] = {}
    root = Path("/proc/self/task")
    if not root.is_dir():
        return tasks
    for entry in root.iterdir():
        try:
            tasks[entry.name] = (entry / "comm").read_text().strip()
        except OSError:
            continue  # it ended while we looked
    return tasks


def _python_threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t.is_alive()}


def _flush_qt() -> None:
    from PySide6.QtCore import QCoreApplication, QEvent

    app = QCoreApplication.instance()
    if app is None:
        return
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()


def _roots(widgets_before: set[int]) -> list:
    """The application and the top-level widgets the test made: a window a module-scoped
    fixture keeps across tests runs its own timers (idle, clock) by design."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    app = QCoreApplication.instance()
    if app is None:
        return []
    roots: list = [app]
    if isinstance(app, QApplication):
        roots += [w for w in app.topLevelWidgets() if id(w) not in widgets_before]
    return roots


def _running_qt_objects(roots: list, before: frozenset[int]) -> list[str]:
    from PySide6.QtCore import QThread, QTimer

    found: list[str] = []
    for root in roots:
        for timer in root.findChildren(QTimer):
            if timer.isActive() and id(timer) not in before:
                found.append(f"running QTimer {timer.objectName() or ''} under "
                             f"{type(timer.parent()).__name__} ({timer.interval()} ms)")
        for thread in root.findChildren(QThread):
            if thread.isRunning() and id(thread) not in before:
                found.append(f"running QThread {thread.objectName() or type(thread).__name__}")
    return found


def _running_ids(roots: list) -> frozenset[int]:
    from PySide6.QtCore import QThread, QTimer

    ids = {id(t) for r in roots for t in r.findChildren(QTimer) if t.isActive()}
    ids |= {id(t) for r in roots for t in r.findChildren(QThread) if t.isRunning()}
    return frozenset(ids)


def _top_level_widgets() -> set[int]:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return set()
    return {id(w) for w in app.topLevelWidgets()}


def _new_top_level_widgets(before: set[int]) -> list[str]:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return []
    return [f"top-level {type(w).__name__} {w.objectName()!r}"
            for w in app.topLevelWidgets() if id(w) not in before]


def leftovers(threads_before: set[threading.Thread], tasks_before: dict[str, str],
              widgets_before: set[int], running_before: frozenset[int]) -> list[str]:
    """What the test left behind, in words (empty: nothing)."""
    deadline = time.monotonic() + GRACE_SECONDS
    while True:
        _flush_qt()
        threads = [t for t in _python_threads() - threads_before if t.is_alive()]
        tasks = {tid: name for tid, name in _tasks().items()
                 if tid not in tasks_before and name not in LIFETIME_TASKS}
        # A Python thread is also a task: name it once, by its Python name.
        python_tids = {str(t.native_id) for t in threads}
        tasks = {tid: name for tid, name in tasks.items() if tid not in python_tids}
        found = [f"Python thread {t.name!r}" for t in threads]
        found += [f"process task {name!r} (tid {tid})" for tid, name in tasks.items()]
        found += _running_qt_objects(_roots(widgets_before), running_before)
        found += _new_top_level_widgets(widgets_before)
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


@pytest.fixture(autouse=True)
def check_qt_test_leaves_nothing(request: pytest.FixtureRequest) -> Iterator[None]:
    if not {"qtbot", "qapp"} & set(request.fixturenames):
        yield
        return
    threads, tasks, widgets = _python_threads(), _tasks(), _top_level_widgets()
    running = _running_ids(_roots(widgets))
    yield
    found = leftovers(threads, tasks, widgets, running)
    if found:
        pytest.fail("the test left behind: " + "; ".join(found), pytrace=False)


__all__ = ["check_qt_test_leaves_nothing", "leftovers"]
