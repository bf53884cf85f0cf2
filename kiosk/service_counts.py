"""How often each service was completed at this kiosk, so that its home screen learns which
services its citizens come for (docs/home-screen.md).

Counts are kept per day in the kiosk's time zone, in ``service_counts.json`` in the data
directory (mode 0600, replaced atomically); only the last ``window_days`` days count, so a
seasonal service (the yearly tax return, the heating subsidy) rises and falls again. Nothing
personal is kept: a service code and a number per day. A damaged file is logged and counting
starts afresh — the home screen then shows the configured services.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sync import atomic_file
from sync.clock import Clock
from sync.file_modes import PRIVATE_FILE

log = logging.getLogger(__name__)

COUNTS_FILE = "service_counts.json"
FORMAT = 1


class ServiceCounts:
    """Completed services per day. ``record`` may run on any thread (the submit worker's)."""

    def __init__(self, path: Path, clock: Clock, timezone: str = "Asia/Shanghai",
                 window_days: int = 90) -> None:
        self.path = path
        self._clock = clock
        self._tz = ZoneInfo(timezone)
        self.window_days = window_days
        self._lock = threading.Lock()
        self._days: dict[str, Counter[str]] = self._read()

    def _today(self) -> date:
        return self._clock.now().astimezone(self._tz).date()

    def _read(self) -> dict[str, Counter[str]]:
        try:
            doc = json.loads(self.path.read_text("utf-8"))
            if doc.get("format") != FORMAT:
                raise ValueError(f"format {doc.get('format')!r}")
            return {str(day): Counter({str(k): int(v) for k, v in counts.items() if int(v) > 0})
                    for day, counts in doc["days"].items()}
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            log.warning("%s unreadable (%s): the home screen counts services afresh",
                        self.path, exc)
            return {}

    def record(self, code: str) -> None:
        """One more completion of ``code`` today; written at once (a restart keeps it)."""
        with self._lock:
            today = self._today()
            self._days.setdefault(today.isoformat(), Counter())[code] += 1
            cut = (today - timedelta(days=self.window_days)).isoformat()
            self._days = {d: c for d, c in self._days.items() if d > cut}
            doc = {"format": FORMAT, "days": {d: dict(sorted(c.items()))
                                              for d, c in sorted(self._days.items())}}
            text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
            try:
                atomic_file.write_atomic(self.path, text.encode("utf-8"), PRIVATE_FILE)
            except OSError as exc:  # a full disk must not break a submission already stored
                log.error("service counts not saved to %s: %s", self.path, exc)

    def totals(self) -> Counter[str]:
        """Completions per service over the last ``window_days`` days."""
        cut = (self._today() - timedelta(days=self.window_days)).isoformat()
        total: Counter[str] = Counter()
        with self._lock:
            for day, counts in self._days.items():
                if day > cut:
                    total.update(counts)
        return total


def featured_services(configured: Sequence[str], totals: Counter[str], known: Iterable[str],
                      places: int, learn_after: int) -> list[str]:
    """The services the home screen shows large: those completed at least ``learn_after``
    times lately, most used first, then the configured ones, in their order, in the places
    left. Codes the catalogue does not hold are left out (a service withdrawn)."""
    known_codes = set(known)
    learnt = [code for code, n in sorted(totals.items(), key=lambda item: (-item[1], item[0]))
              if n >= learn_after and code in known_codes]
    chosen: list[str] = []
    for code in [*learnt, *configured]:
        if code in known_codes and code not in chosen:
            chosen.append(code)
    return chosen[:places]
