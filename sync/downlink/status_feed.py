"""Kiosk side of the status feed: pull this kiosk's status changes by cursor, in order.

The cursor (the last change number handed over) lives in a small JSON file in the kiosk's
data directory, replaced atomically after each page and whenever the callback stops a page
part-way. So a restart neither loses a change nor repeats a page that was finished; the
only repeat possible is the part of one page that was handed over just before a crash, and
the kiosk's handling (setting a transaction's status) is idempotent, with ``seq`` to tell.

The file also names the platform and kiosk it belongs to: pointed at another platform, the
kiosk starts again from zero. If the platform's newest number is below our cursor (its
database was restored from a backup), the feed starts again from zero too, and says so.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sync import atomic_file
from sync.platform.downlink_replies import StatusChange
from sync.platform.errors import PlatformError

if TYPE_CHECKING:
    from sync.platform.client import PlatformClient

log = logging.getLogger(__name__)

STATE_FILE = "status_cursor.json"
DEFAULT_PAGE_LIMIT = 100
DEFAULT_MAX_PAGES = 20


@dataclass(frozen=True)
class StatusPullResult:
    delivered: int
    cursor: int
    more: bool  # stopped at max_pages with more waiting
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class StatusFeed:
    """Pulls status changes and hands each to ``on_change`` (on the calling thread).

    The cursor is kept in ``<directory>/status_cursor.json`` (the kiosk's data directory).
    ``on_change`` raising stops the pull at that change; it is offered again next time.
    """

    def __init__(
        self,
        client: PlatformClient,
        directory: Path,
        on_change: Callable[[StatusChange], None],
        *,
        page_limit: int = DEFAULT_PAGE_LIMIT,
        max_pages: int = DEFAULT_MAX_PAGES,
    ) -> None:
        if page_limit < 1 or max_pages < 1:
            raise ValueError("page_limit and max_pages must be positive")
        self.path = Path(directory) / STATE_FILE
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.client = client
        self.on_change = on_change
        self.page_limit = page_limit
        self.max_pages = max_pages
        self._owner = {"platform": client.base_url, "kiosk_id": client.kiosk_id}
        removed = atomic_file.remove_stale_temporaries(self.path.parent, self.path.name.__eq__)
        if removed:
            log.info("removed an unfinished status cursor file left by an interruption")
        self._cursor = self._load()
        self.last_result: StatusPullResult | None = None

    def __repr__(self) -> str:
        return f"StatusFeed(cursor={self._cursor})"

    @property
    def cursor(self) -> int:
        return self._cursor

    def _load(self) -> int:
        try:
            doc = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return 0
        except (OSError, UnicodeDecodeError, ValueError):
            log.warning("status cursor file is unreadable; starting the feed from the beginning")
            return 0
        if not isinstance(doc, dict):
            return 0
        if any(doc.get(k) != v for k, v in self._owner.items()):
            log.info("status cursor belongs to another platform or kiosk; starting from zero")
            return 0
        cursor = doc.get("cursor")
        if isinstance(cursor, bool) or not isinstance(cursor, int) or cursor < 0:
            return 0
        return cursor

    def _save(self, cursor: int) -> None:
        text = json.dumps({"cursor": cursor, **self._owner}, sort_keys=True) + "\n"
        atomic_file.write_atomic(self.path, text.encode("utf-8"))
        self._cursor = cursor

    def pull(self) -> StatusPullResult:
        """Fetch and hand over what is new, up to ``max_pages`` pages. Never raises for what
        the platform does; the callback's own exception is logged and stops the pull."""
        delivered = 0
        restarted = False
        more = False
        for _page in range(self.max_pages):
            cursor = self._cursor
            try:
                page = self.client.status_changes(cursor, self.page_limit)
            except PlatformError as exc:
                return self._done(delivered, False, str(exc))
            if page.head < cursor and not restarted:
                log.warning(
                    "platform change numbers end at %d, below our cursor %d: starting over",
                    page.head,
                    cursor,
                )
                restarted = True
                self._save(0)
                continue
            handed = cursor
            for change in page.changes:
                try:
                    self.on_change(change)
                except Exception as exc:  # the kiosk's handler; offered again next pull
                    log.exception("status change %d not taken: %s", change.seq, type(exc).__name__)
                    if handed != cursor:
                        self._save(handed)
                    return self._done(delivered, True, f"handler failed at change {change.seq}")
                handed = change.seq
                delivered += 1
            if page.cursor != cursor:
                self._save(page.cursor)
            more = page.more
            if not page.more:
                break
        return self._done(delivered, more)

    def _done(self, delivered: int, more: bool, error: str | None = None) -> StatusPullResult:
        self.last_result = StatusPullResult(delivered, self._cursor, more, error)
        return self.last_result
