"""Background work handed back to the GUI thread: a result to ``success``, an error to ``failure``.

The core runs device and outbox work on its executor and returns a ``concurrent.futures.Future``.
A future's own done-callback runs on whichever thread finished the work, where no widget may be
touched, and a future nobody asks for its result swallows its exception. ``watch`` delivers
either outcome on the GUI thread and logs every failure with its traceback first, so no error
vanishes, whether or not the caller gives a ``failure`` callback (modelled on Anki's operations).

The background function itself must never touch the UI: only the callbacks may.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import CancelledError, Future
from typing import TypeVar

from .qt import QCoreApplication, QObject, Qt, Signal, is_alive

log = logging.getLogger(__name__)
T = TypeVar("T")


class _Poster(QObject):
    """Lives on the GUI thread: a callable emitted from any thread is queued and run there."""

    call = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        # Queued even when emitted on the GUI thread: callbacks never run inside ``watch``.
        self.call.connect(self._run, Qt.ConnectionType.QueuedConnection)

    def _run(self, deliver: Callable[[], None]) -> None:
        deliver()


_lock = threading.Lock()
_poster: _Poster | None = None


def _gui_poster() -> _Poster:
    global _poster
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("no QApplication: there is no GUI thread to deliver to")
    with _lock:
        if _poster is None or not is_alive(_poster):
            _poster = _Poster()
            _poster.moveToThread(app.thread())
        return _poster


def watch(
    future: Future[T],
    what: str,
    owner: QObject,
    success: Callable[[T], None] | None = None,
    failure: Callable[[BaseException], None] | None = None,
) -> None:
    """Call ``success(result)`` or ``failure(error)`` on the GUI thread once ``future`` is done.

    ``what`` names the work in the log ("submitting an application"). Callbacks are skipped
    once ``owner`` (the widget they update) has been deleted; a failure is logged all the same.
    """
    poster = _gui_poster()

    def deliver() -> None:
        try:
            error = future.exception()
        except CancelledError as cancelled:
            error = cancelled
        if error is not None:
            log.error("%s failed (%s)", what, type(error).__name__, exc_info=error)
        if not is_alive(owner):
            return
        try:
            if error is None:
                if success is not None:
                    success(future.result())
            elif failure is not None:
                failure(error)
        except Exception:
            log.exception("the %s callback for %s failed", "success" if error is None else
                          "failure", what)

    future.add_done_callback(lambda _done: poster.call.emit(deliver))


def in_thread(work: Callable[[], T], name: str) -> Future[T]:
    """Run ``work`` on a thread of its own, for jobs too slow to queue behind the core's worker."""
    future: Future[T] = Future()

    def run() -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            future.set_result(work())
        except BaseException as exc:  # handed over whole: the future carries it to ``watch``
            future.set_exception(exc)

    threading.Thread(target=run, name=name, daemon=True).start()
    return future
