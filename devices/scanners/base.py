"""The code-scanner interface that crosses into the core.

A scanner reads a QR code (or barcode) held under it and hands the decoded text to its
callbacks. What a citizen scans may be a credential (an electronic social-security card code,
a receipt's query code), so :class:`ScannedCode` never shows its text in a repr.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


@dataclass(frozen=True, repr=False)
class ScannedCode:
    """One decoded code, as the scanner sent it (terminator and prefix removed)."""

    text: str
    scanner: str  # the port it came from

    def __repr__(self) -> str:
        digest = hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:8]
        return f"ScannedCode({len(self.text)} chars, sha256 {digest}…, from {self.scanner!r})"

    __str__ = __repr__


class ScannerError(Exception):
    """A scanner failure: ``reason`` is a short machine code, the message plain English.

    Reasons: no_service (port missing or gone; retried), too_long (a code longer than the
    limit was dropped), incomplete (a code stopped arriving before its terminator), undecodable
    (bytes that are no text in the configured encoding).
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message

    def __repr__(self) -> str:
        return f"{type(self).__name__}(reason={self.reason!r}, message={self.message!r})"


def _ignore(_arg: object) -> None:
    return None


@dataclass
class ScannerCallbacks:
    """Plain callbacks, called on the scanner's worker thread; each defaults to a no-op."""

    scanner_did_add: Callable[[str], None] = field(default=_ignore)
    scanner_did_remove: Callable[[str], None] = field(default=_ignore)
    code_did_scan: Callable[[ScannedCode], None] = field(default=_ignore)
    scanner_did_fail: Callable[[ScannerError], None] = field(default=_ignore)


@dataclass(frozen=True)
class ScannerStatus:
    """A snapshot for diagnostics; ``detail`` is plain words for a technician."""

    backend: str  # "serial"
    name: str
    present: bool
    detail: str
    codes_read: int = 0


class CodeScanner(ABC):
    """A scanner with one worker thread that reports through callbacks."""

    def __init__(self) -> None:
        self._subscribers: list[ScannerCallbacks] = []
        self._subscribers_lock = threading.Lock()

    def subscribe(self, callbacks: ScannerCallbacks) -> None:
        with self._subscribers_lock:
            self._subscribers.append(callbacks)

    def unsubscribe(self, callbacks: ScannerCallbacks) -> None:
        with self._subscribers_lock, contextlib.suppress(ValueError):
            self._subscribers.remove(callbacks)

    @abstractmethod
    def start(self) -> None:
        """Start the worker thread."""

    @abstractmethod
    def stop(self) -> None:
        """Stop the worker thread and join it (bounded)."""

    @abstractmethod
    def status(self) -> ScannerStatus:
        """Current state; safe from any thread."""

    @abstractmethod
    def is_running(self) -> bool:
        """Whether the worker thread is alive."""

    def scan(self, timeout: float) -> ScannedCode:
        """Block until a code is scanned within ``timeout`` (command line and diagnostics)."""
        if not self.is_running():
            raise ScannerError("not_started", "The scanner has not been started.")
        done = threading.Event()
        got: list[ScannedCode] = []

        def scanned(code: ScannedCode) -> None:
            if not done.is_set():
                got.append(code)
                done.set()

        waiter = ScannerCallbacks(code_did_scan=scanned)
        self.subscribe(waiter)
        try:
            if not done.wait(timeout):
                raise ScannerError("timeout", f"No code was scanned within {timeout:g} s "
                                   f"({self.status().detail})")
        finally:
            self.unsubscribe(waiter)
        return got[0]

    def _emit(self, event: str, arg: object) -> None:
        """Call one callback on every subscriber; a failing subscriber never stops the worker."""
        with self._subscribers_lock:
            subscribers = list(self._subscribers)
        for callbacks in subscribers:
            try:
                getattr(callbacks, event)(arg)
            except Exception:
                log.exception("scanner subscriber failed in %s", event)
