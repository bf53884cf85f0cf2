"""Logging where every handler redacts: personal data never reaches a log line.

Redaction sits in the formatter, not in a filter: a logger's filters never see records that
propagate from its children, and a handler's output is only final once the formatter has
added the arguments, the traceback and the stack. :class:`RedactingFormatter` formats first
(or lets the formatter it wraps do so) and redacts the whole text.
"""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
import sys
import threading
from pathlib import Path
from types import TracebackType
from typing import IO

from kiosk.logs.redaction import redact
from sync.file_modes import PRIVATE_FILE, private_directory

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_FILE = Path("logs") / "kiosk.log"  # in the data directory, for technicians
LOG_FILE_BYTES = 5 * 1024 * 1024
LOG_FILE_BACKUPS = 5

__all__ = [
    "RedactingFormatter",
    "add_log_file",
    "log_uncaught_exceptions",
    "redact",
    "redact_every_handler",
    "setup_logging",
]


class RedactingFormatter(logging.Formatter):
    """Format as usual, or as ``inner`` would, then redact message, traceback and stack alike."""

    def __init__(
        self, fmt: str | None = FORMAT, datefmt: str | None = None, *,
        inner: logging.Formatter | None = None,
    ) -> None:
        super().__init__(fmt, datefmt)
        self.inner = inner

    def format(self, record: logging.LogRecord) -> str:
        try:
            text = self.inner.format(record) if self.inner else super().format(record)
        except Exception as exc:
            # Never let logging's handleError print the raw message and arguments to stderr.
            text = _unformattable(record, exc)
        return redact(text)


def _unformattable(record: logging.LogRecord, exc: Exception) -> str:
    head = (f"{record.levelname} {record.name}: a log call could not be formatted "
            f"({type(exc).__name__}) at {record.pathname}:{record.lineno}")
    try:
        return f"{head}: {record.msg!r} % {record.args!r}"
    except Exception:
        return head


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose every file, the rotated ones included, is created mode 0600."""

    def _open(self) -> io.TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE)
        os.chmod(self.baseFilename, PRIVATE_FILE)  # an older file may have been looser
        return open(fd, "a", encoding=self.encoding, errors=self.errors)  # noqa: SIM115


def redacting(handler: logging.Handler) -> logging.Handler:
    """Make ``handler`` redact, keeping the format it had; idempotent."""
    current = handler.formatter
    if not isinstance(current, RedactingFormatter):
        handler.setFormatter(RedactingFormatter(inner=current) if current else RedactingFormatter())
    return handler


def redact_every_handler() -> int:
    """Put redaction on every handler of every logger now known (libraries add their own)."""
    loggers: list[logging.Logger] = [logging.getLogger()]
    loggers += [
        logger for logger in list(logging.Logger.manager.loggerDict.values())
        if isinstance(logger, logging.Logger)
    ]
    changed = 0
    for logger in loggers:
        for handler in list(logger.handlers):
            if not isinstance(handler.formatter, RedactingFormatter):
                redacting(handler)
                changed += 1
    return changed


def setup_logging(level: int = logging.INFO, stream: IO[str] | None = None) -> None:
    """The console handler on the root logger, redacting; loggers' own handlers redact too;
    uncaught exceptions are logged rather than printed raw."""
    handler = redacting(logging.StreamHandler(stream))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    redact_every_handler()
    log_uncaught_exceptions()


def log_uncaught_exceptions() -> None:
    """Tracebacks of uncaught exceptions (main thread, workers, Qt slots) go through logging,
    so they are redacted like every other line, instead of straight to stderr."""
    crash = logging.getLogger("kiosk.uncaught")

    def main_hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        crash.critical("uncaught exception", exc_info=(kind, exc, tb))

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit or args.exc_value is None:
            return
        name = args.thread.name if args.thread is not None else "?"
        crash.error("uncaught exception in thread %s", name,
                    exc_info=(args.exc_type, args.exc_value, args.exc_traceback))

    sys.excepthook = main_hook
    threading.excepthook = thread_hook


def add_log_file(path: Path) -> logging.Handler:
    """Also log to ``path`` (rotated; the directory 0700, the files 0600), redacting."""
    private_directory(path.parent)
    handler = PrivateRotatingFileHandler(
        path, maxBytes=LOG_FILE_BYTES, backupCount=LOG_FILE_BACKUPS, encoding="utf-8"
    )
    logging.getLogger().addHandler(redacting(handler))
    return handler
