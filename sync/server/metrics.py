"""Prometheus metrics of the reference platform: ``GET /metrics``, behind its own token.

The figures are read from the database at each scrape, so every server process sharing it
answers the same: kiosks enrolled and revoked, seen, never seen and overdue (silent for longer
than ``overdue_after``), each kiosk's backlog, quarantined records, oldest waiting record and
the age of its last heartbeat, the transactions accepted (a counter: ``rate()`` of it is the
ingest rate) and the open staff calls.

Access: the scraper sends ``Authorization: Bearer <token>``. ``kiosk server metrics-token``
makes a token and keeps only its SHA-256 in the data directory (``metrics-token.sha256``); the
file is read at each request, so a new token takes effect at once and deleting the file
(``--disable``) turns the endpoint off (404). Kiosk signatures do not apply here: a
monitoring system is not a kiosk.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Engine

from sync.atomic_file import write_atomic
from sync.server.fleet_status import DEFAULT_OVERDUE_AFTER, fleet, transactions_received

METRICS_PATH = "/metrics"
TOKEN_FILE = "metrics-token.sha256"
NOT_ENABLED = "metrics are not enabled on this platform (kiosk server metrics-token)"
PREFIX = "kiosk_platform"


class FleetCollector(Collector):
    def __init__(self, engine: Engine, clock: Callable[[], float], overdue_after: float) -> None:
        self.engine = engine
        self.clock = clock
        self.overdue_after = overdue_after

    def collect(self) -> Iterator[Metric]:
        now = self.clock()
        rows = fleet(self.engine)
        live = [k for k in rows if not k.revoked]
        kiosks = GaugeMetricFamily(f"{PREFIX}_kiosks", "Enrolled kiosks", labels=["state"])
        kiosks.add_metric(["active"], len(live))
        kiosks.add_metric(["revoked"], len(rows) - len(live))
        yield kiosks
        yield GaugeMetricFamily(f"{PREFIX}_kiosks_seen", "Active kiosks that sent a heartbeat",
                                value=sum(1 for k in live if k.last_seen is not None))
        yield GaugeMetricFamily(
            f"{PREFIX}_kiosks_overdue",
            f"Active kiosks silent for more than {self.overdue_after:g} s or never heard",
            value=sum(1 for k in live if k.overdue(now, self.overdue_after)))
        yield GaugeMetricFamily(f"{PREFIX}_backlog_records",
                                "Records waiting on kiosks, as their last heartbeats said",
                                value=sum(k.backlog for k in live))
        yield GaugeMetricFamily(f"{PREFIX}_staff_calls_open",
                                "Staff calls raised and not yet cleared",
                                value=sum(k.open_calls for k in rows))
        yield CounterMetricFamily(f"{PREFIX}_transactions_received",
                                  "Transactions accepted by the platform",
                                  value=transactions_received(self.engine))
        yield from self._per_kiosk(live, now)

    def _per_kiosk(self, live: list, now: float) -> Iterator[Metric]:  # type: ignore[type-arg]
        backlog = GaugeMetricFamily(f"{PREFIX}_kiosk_backlog_records",
                                    "Records waiting on this kiosk", labels=["kiosk_id"])
        quarantined = GaugeMetricFamily(f"{PREFIX}_kiosk_quarantined_records",
                                        "Records this kiosk set aside", labels=["kiosk_id"])
        oldest = GaugeMetricFamily(f"{PREFIX}_kiosk_oldest_pending_seconds",
                                   "Age of this kiosk's oldest waiting record",
                                   labels=["kiosk_id"])
        seen = GaugeMetricFamily(f"{PREFIX}_kiosk_last_heartbeat_age_seconds",
                                 "Seconds since this kiosk's last heartbeat", labels=["kiosk_id"])
        for k in live:
            backlog.add_metric([k.kiosk_id], k.backlog)
            quarantined.add_metric([k.kiosk_id], k.quarantined)
            if k.oldest_pending_age is not None:
                oldest.add_metric([k.kiosk_id], k.oldest_pending_age)
            ago = k.seen_ago(now)
            if ago is not None:
                seen.add_metric([k.kiosk_id], ago)
        yield from (backlog, quarantined, oldest, seen)


def metrics_router(
    engine: Engine,
    token_file: Path | None,
    *,
    clock: Callable[[], float],
    overdue_after: float = DEFAULT_OVERDUE_AFTER,
) -> APIRouter:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(FleetCollector(engine, clock, overdue_after))
    router = APIRouter()

    @router.get(METRICS_PATH, include_in_schema=False)
    def metrics(request: Request) -> Response:
        expected = _expected_hash(token_file)
        if expected is None:
            return Response(NOT_ENABLED + "\n", status_code=404, media_type="text/plain")
        if not _token_matches(request.headers.get("authorization", ""), expected):
            return Response("a valid metrics token is required\n", status_code=401,
                            media_type="text/plain",
                            headers={"WWW-Authenticate": 'Bearer realm="metrics"'})
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return router


def new_token(data_dir: Path) -> str:
    """A new metrics token; only its SHA-256 is kept, replacing the previous token's."""
    token = secrets.token_urlsafe(32)
    digest = hashlib.sha256(token.encode("ascii")).hexdigest()
    write_atomic(data_dir / TOKEN_FILE, (digest + "\n").encode("ascii"), mode=0o600)
    return token


def disable(data_dir: Path) -> bool:
    """Turn the endpoint off; False if it was not on."""
    try:
        (data_dir / TOKEN_FILE).unlink()
    except FileNotFoundError:
        return False
    return True


def _expected_hash(token_file: Path | None) -> str | None:
    if token_file is None:
        return None
    try:
        digest = token_file.read_text("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return digest if len(digest) == 64 else None


def _token_matches(authorization: str, expected: str) -> bool:
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return False
    digest = hashlib.sha256(token.strip().encode("utf-8", "replace")).hexdigest()
    return hmac.compare_digest(digest, expected)
