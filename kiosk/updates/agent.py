"""The kiosk's update agent: fetch and stage the offered release, ask the updater for it.

Runs on the platform poller's thread (:meth:`UpdateAgent.tick`, each time the platform
answers). Every ``[update] check_seconds`` it asks for the platform's offer
(:class:`sync.downlink.releases.ReleaseFetcher`: signature, newer, not bad, disk room, size and
SHA-256); a staged release is handed to the privileged updater in two requests
(``<data>/updates/request.json``, docs/updates.md): ``prepare`` at once (the new venv is built
beside the running kiosk, nobody notices), then ``switch`` only when the core says it is quiet
(the home screen idle ``quiet_seconds``, no card, no staff call open, no payment), since the
switch restarts the kiosk.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kiosk import __version__
from kiosk.updates.files import (
    OUTCOME_FILE,
    PREPARED_FILE,
    REQUEST_FILE,
    STATUS_FILE,
    bad_versions,
    read_json,
    staging_dir,
    updates_dir,
    write_json,
)

if TYPE_CHECKING:
    from kiosk.config import Config
    from sync.downlink.releases import FetchResult, ReleaseFetcher
    from sync.platform.client import PlatformClient

log = logging.getLogger(__name__)

MAX_MESSAGE = 200


class UpdateAgent:
    def __init__(
        self,
        config: Config,
        client: PlatformClient,
        quiet: Callable[[], bool],
        *,
        running: str = __version__,
        monotonic: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.config = config
        self.client = client
        self.quiet = quiet
        self.running = running
        self._monotonic = monotonic
        self._now = wall_clock
        self._next_check: float | None = None
        self._fetcher: ReleaseFetcher | None = None
        self.last_check: FetchResult | None = None
        self.dir = updates_dir(config.data_dir)

    def fetcher(self) -> ReleaseFetcher | None:
        if self._fetcher is None:
            from kiosk.platform_link.enrolment import identity_dir
            from sync.downlink.releases import ReleaseFetcher
            from sync.kiosk_keys import load_platform_keys

            keys = load_platform_keys(identity_dir(self.config))
            if keys is None:
                return None
            self._fetcher = ReleaseFetcher(
                self.client, staging_dir(self.config.data_dir), keys.catalogue_key,
                self.running, lambda v: v in bad_versions(self.config.data_dir),
                max_bytes=self.config.update.max_download_mb * 1024 * 1024,
            )
        return self._fetcher

    # -- the poller's round ------------------------------------------------------------------

    def tick(self) -> None:
        if not self.config.update.enabled:
            return
        now = self._monotonic()
        if self._next_check is None or now >= self._next_check:
            self._next_check = now + self.config.update.check_seconds
            fetcher = self.fetcher()
            if fetcher is not None:
                fetcher.discard_old()  # the release running now, or one overtaken
            self.check()
        self.request_if_ready()

    def check(self) -> FetchResult | None:
        fetcher = self.fetcher()
        if fetcher is None:
            return None
        result = self.last_check = fetcher.check()
        status = read_json(self.dir / STATUS_FILE) or {}
        status.update({"checked_at": self._now(), "outcome": result.outcome,
                       "version": result.version, "message": result.message})
        write_json(self.dir / STATUS_FILE, status)
        return result

    def request_if_ready(self) -> str | None:
        """Write the next request for the staged release; the phase written, or None."""
        fetcher = self.fetcher()
        staged = fetcher.staged() if fetcher is not None else None
        if staged is None or (self.dir / REQUEST_FILE).exists():
            return None
        version = staged.manifest.version
        last = (read_json(self.dir / OUTCOME_FILE) or {}).get("last") or {}
        if last.get("version") == version:
            if last.get("result") == "rolled_back":
                return None  # marked bad: never again (the fetcher refuses it too)
            at = last.get("at")
            if last.get("result") == "refused" and isinstance(at, int | float) and (
                    self._now() - at < self.config.update.check_seconds):
                return None  # the updater said why (outcome.json); asked again next round
        prepared = (read_json(self.dir / PREPARED_FILE) or {}).get("version")
        if prepared != version:
            phase = "prepare"
        elif self.quiet():
            phase = "switch"
        else:
            return None
        write_json(self.dir / REQUEST_FILE, {"version": version, "phase": phase,
                                             "asked_at": self._now()}, 0o644)
        log.info("asked the updater to %s release %s", phase, version)
        return phase

    # -- what others see ---------------------------------------------------------------------

    def report(self) -> dict[str, Any]:
        """The heartbeat's ``update`` field: version, bad versions, the last result, the last
        refusal of an offer (no personal data)."""
        outcome = read_json(self.dir / OUTCOME_FILE) or {}
        last = outcome.get("last") or {}
        status = read_json(self.dir / STATUS_FILE) or {}
        fetcher = self._fetcher
        staged = fetcher.staged() if fetcher is not None else None
        return {
            "current": self.running,
            "staged": staged.manifest.version if staged is not None else None,
            "bad": sorted(bad_versions(self.config.data_dir))[:16],
            "last_result": str(last.get("result") or "")[:32] or None,
            "last_version": str(last.get("version") or "")[:32] or None,
            "last_message": str(last.get("message") or "")[:MAX_MESSAGE] or None,
            "refusal": (str(status.get("message") or "")[:MAX_MESSAGE] or None)
            if status.get("outcome") == "refused" else None,
        }

    def unrecorded_outcome(self) -> dict[str, Any] | None:
        """The updater's last result if the audit trail does not have it yet (then marked)."""
        last = (read_json(self.dir / OUTCOME_FILE) or {}).get("last")
        if not isinstance(last, dict) or last.get("result") not in ("updated", "rolled_back"):
            return None
        status = read_json(self.dir / STATUS_FILE) or {}
        if status.get("audited") == last.get("at"):
            return None
        status["audited"] = last.get("at")
        write_json(self.dir / STATUS_FILE, status)
        return last
