"""ui.operation: a future's result or error reaches its callbacks on the GUI thread, never lost."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from PySide6.QtCore import QThread
from pytestqt.qtbot import QtBot

from ui.operation import in_thread, watch
from ui.qt import QApplication, QObject, is_alive


def on_gui_thread() -> bool:
    return QThread.currentThread() is QApplication.instance().thread()


@pytest.fixture
def pool() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="op-test") as executor:
        yield executor


def job(outcome: object, gate: threading.Event | None = None) -> object:
    """Return or raise ``outcome``; with a gate, only once the test has attached its callbacks,
    so the future's done-callback surely runs on the worker thread."""
    if gate is not None:
        gate.wait(10)
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome


def failures(caplog: pytest.LogCaptureFixture, error: BaseException) -> list[logging.LogRecord]:
    return [r for r in caplog.records
            if r.levelno == logging.ERROR and r.exc_info and r.exc_info[1] is error]


def test_success_is_delivered_on_the_gui_thread(qtbot: QtBot, pool: ThreadPoolExecutor) -> None:
    owner, gate, seen = QObject(), threading.Event(), []
    future = pool.submit(lambda: job(threading.current_thread().name, gate))
    watch(future, "a test job", owner,
          success=lambda name: seen.append((name, on_gui_thread())),
          failure=lambda error: seen.append(("failed", error)))
    gate.set()
    qtbot.waitUntil(lambda: seen != [], timeout=5000)
    name, gui = seen[0]
    assert name.startswith("op-test") and gui  # worked on the pool, delivered on the GUI thread


def test_failure_is_delivered_on_the_gui_thread_and_logged_with_its_traceback(
    qtbot: QtBot, pool: ThreadPoolExecutor, caplog: pytest.LogCaptureFixture
) -> None:
    owner, gate, seen = QObject(), threading.Event(), []
    error = LookupError("no receipt kept")
    watch(pool.submit(job, error, gate), "a test job", owner,
          success=lambda result: seen.append(("succeeded", result)),
          failure=lambda e: seen.append((e, on_gui_thread())))
    gate.set()
    qtbot.waitUntil(lambda: seen != [], timeout=5000)
    assert seen == [(error, True)]
    [record] = failures(caplog, error)
    assert "a test job failed" in record.getMessage()
    assert "in job" in caplog.text  # the traceback down to the function that raised


def test_a_failure_without_a_failure_callback_is_logged(
    qtbot: QtBot, pool: ThreadPoolExecutor, caplog: pytest.LogCaptureFixture
) -> None:
    error = OSError("device gone")
    watch(pool.submit(job, error), "an unwatched job", QObject())
    qtbot.waitUntil(lambda: failures(caplog, error) != [], timeout=5000)
    assert "an unwatched job failed (OSError)" in caplog.text


def test_callbacks_of_a_deleted_owner_are_skipped_but_the_failure_is_logged(
    qtbot: QtBot, pool: ThreadPoolExecutor, caplog: pytest.LogCaptureFixture
) -> None:
    owner, gate, seen = QObject(), threading.Event(), []
    error = RuntimeError("late")
    watch(pool.submit(job, error, gate), "a late job", owner, failure=seen.append)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not is_alive(owner), timeout=5000)
    gate.set()
    qtbot.waitUntil(lambda: failures(caplog, error) != [], timeout=5000)
    assert seen == []


def test_a_callback_that_raises_is_logged_not_lost(
    qtbot: QtBot, pool: ThreadPoolExecutor, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(result: object) -> None:
        raise ValueError(f"cannot show {result}")

    watch(pool.submit(job, 7), "a shown job", QObject(), success=broken)
    qtbot.waitUntil(lambda: "cannot show 7" in caplog.text, timeout=5000)
    assert "the success callback for a shown job failed" in caplog.text


def test_in_thread_runs_the_work_off_the_gui_thread(qtbot: QtBot) -> None:
    seen = []
    watch(in_thread(lambda: on_gui_thread(), "op-test-thread"), "a thread job", QObject(),
          success=lambda ran_on_gui: seen.append((ran_on_gui, on_gui_thread())))
    qtbot.waitUntil(lambda: seen != [], timeout=5000)
    assert seen == [(False, True)]
