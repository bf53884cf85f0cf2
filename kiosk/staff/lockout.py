"""The staff sign-in lock-out, kept in the data directory so a power cycle does not reset it.

Every ``max_failures`` wrong sign-ins in a row (any staff number: a citizen guessing numbers
counts as much as one guessing PINs) lock sign-in for 1, 2, 4, 8, then 15 minutes, never
longer. A good sign-in or ``kiosk technician unlock`` ends the escalation; a day without a
failure forgets it.

Wall-clock time goes in the file (monotonic time does not survive a reboot). A clock moved
backwards cannot stretch a lock-out past its own length: the remaining time is clamped to the
lock's duration and re-anchored at the new time. Within one process the monotonic clock also
holds the lock, so a clock moved forwards does not end it early either.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

from sync import atomic_file
from sync.clock import Clock

log = logging.getLogger(__name__)

LOCKOUT_STEPS_SECONDS = (60.0, 120.0, 240.0, 480.0, 900.0)
MAX_LOCKOUT_SECONDS = 900.0
FAILURES_PER_LOCKOUT = 5
FORGET_AFTER_SECONDS = 24 * 3600.0
FILE_MODE = 0o600


@dataclass
class LockoutState:
    failures: int = 0  # wrong sign-ins since the last lock-out or success
    level: int = 0  # lock-outs in a row without a success in between
    locked_at: float = 0.0  # wall clock, Unix seconds
    locked_until: float = 0.0
    last_failure_at: float = 0.0


@dataclass(frozen=True)
class FailureVerdict:
    locked_for: float  # seconds: > 0 when this failure started a lock-out
    tries_left: int


class Lockout:
    """The lock-out of one kiosk, in ``path`` (a JSON file shared with ``kiosk technician``)."""

    def __init__(
        self,
        path: Path,
        kiosk_id: str,
        clock: Clock,
        *,
        max_failures: int = FAILURES_PER_LOCKOUT,
        steps: tuple[float, ...] = LOCKOUT_STEPS_SECONDS,
    ) -> None:
        self.path = Path(path)
        self.kiosk_id = kiosk_id
        self._clock = clock
        self._max = max_failures
        self._steps = tuple(min(s, MAX_LOCKOUT_SECONDS) for s in steps)
        self._lock = threading.Lock()
        self._mono: tuple[float, float] | None = None  # (locked_at of our lock, mono deadline)
        self._unsaved: LockoutState | None = None  # when the file cannot be written

    # -- file ---------------------------------------------------------------------------------

    def _wall(self) -> float:
        return self._clock.now().timestamp()

    def _read_all(self) -> dict[str, dict[str, float]]:
        doc = json.loads(self.path.read_text(encoding="utf-8"))
        kiosks = doc.get("kiosks") if isinstance(doc, dict) else None
        if not isinstance(kiosks, dict):
            raise ValueError("no kiosks")
        return kiosks

    def _load(self) -> LockoutState:
        if self._unsaved is not None:
            return self._unsaved
        try:
            entry = self._read_all().get(self.kiosk_id)
        except FileNotFoundError:
            return LockoutState()
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            # Fail closed: a damaged file must not be a way to reset the lock-out.
            log.error("staff lock-out file is unreadable (%s): sign-in locked for %d minutes; "
                      "kiosk technician unlock clears it", exc, MAX_LOCKOUT_SECONDS // 60)
            now = self._wall()
            state = LockoutState(level=len(self._steps), locked_at=now,
                                 locked_until=now + MAX_LOCKOUT_SECONDS, last_failure_at=now)
            self._save(state, replace_damaged=True)
            return state
        if entry is None:
            return LockoutState()
        try:
            return LockoutState(**{k: type(getattr(LockoutState(), k))(entry[k])
                                   for k in asdict(LockoutState()) if k in entry})
        except (TypeError, ValueError):
            return LockoutState(locked_at=self._wall(),
                                locked_until=self._wall() + MAX_LOCKOUT_SECONDS)

    def _save(self, state: LockoutState, replace_damaged: bool = False) -> None:
        try:
            try:
                kiosks = {} if replace_damaged else self._read_all()
            except FileNotFoundError:
                kiosks = {}
            except (OSError, UnicodeDecodeError, ValueError):
                kiosks = {}
            if state == LockoutState():
                kiosks.pop(self.kiosk_id, None)
            else:
                kiosks[self.kiosk_id] = asdict(state)
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            text = json.dumps({"kiosks": kiosks}, indent=1, sort_keys=True) + "\n"
            atomic_file.write_atomic(self.path, text.encode("utf-8"), FILE_MODE)
            os.chmod(self.path, FILE_MODE)
            self._unsaved = None
        except OSError as exc:
            log.error("cannot write the staff lock-out file (%s); it holds in memory only", exc)
            self._unsaved = state

    # -- policy -------------------------------------------------------------------------------

    def _remaining(self, state: LockoutState) -> float:
        if state.locked_until <= 0:
            return 0.0
        now = self._wall()
        duration = min(max(state.locked_until - state.locked_at, 0.0), MAX_LOCKOUT_SECONDS)
        if now < state.locked_at:  # the clock went back: start this lock-out again from now
            log.warning("the clock moved backwards during a staff lock-out; re-anchoring it")
            state.locked_at, state.locked_until = now, now + duration
            self._save(state)
            if self._mono is not None:
                self._mono = (now, self._mono[1])
        left = min(max(state.locked_until - now, 0.0), duration)
        if self._mono is not None and self._mono[0] == state.locked_at:
            left = max(left, min(self._mono[1] - self._clock.monotonic(), duration))
        return max(left, 0.0)

    def remaining(self) -> float:
        """Seconds of lock-out left (0: sign-in is open)."""
        with self._lock:
            return self._remaining(self._load())

    def failed(self) -> FailureVerdict:
        """Count one wrong sign-in; lock when it is the ``max_failures``-th in a row."""
        with self._lock:
            state = self._load()
            left = self._remaining(state)
            if left > 0:
                return FailureVerdict(left, 0)
            now = self._wall()
            if state.last_failure_at and not (0 <= now - state.last_failure_at
                                              < FORGET_AFTER_SECONDS):
                state = LockoutState()  # a quiet day forgets old mistakes
            state.failures += 1
            state.last_failure_at = now
            state.locked_at = state.locked_until = 0.0
            if state.failures < self._max:
                self._save(state)
                return FailureVerdict(0.0, self._max - state.failures)
            duration = self._steps[min(state.level, len(self._steps) - 1)]
            state.failures = 0
            state.level += 1
            state.locked_at, state.locked_until = now, now + duration
            self._mono = (now, self._clock.monotonic() + duration)
            self._save(state)
            return FailureVerdict(duration, 0)

    def succeeded(self) -> None:
        with self._lock:
            if self._load() != LockoutState():
                self._save(LockoutState())
            self._mono = None

    def clear(self) -> bool:
        """End any lock-out and forget the failures (``kiosk technician unlock``)."""
        with self._lock:
            self._unsaved = None
            damaged = False
            try:
                had = self._read_all().get(self.kiosk_id) is not None
            except FileNotFoundError:
                had = False
            except (OSError, UnicodeDecodeError, ValueError):
                had = damaged = True
            self._save(LockoutState(), replace_damaged=damaged)
            self._mono = None
            return had

    def state(self) -> LockoutState:
        with self._lock:
            return self._load()
