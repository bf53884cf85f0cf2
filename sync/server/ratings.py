"""好差评 ratings on the platform: taken once per transaction, reported, followed up.

A rating names the transaction it rates. When the platform already holds that transaction,
it must come from the same kiosk (a kiosk cannot rate another's work); when it does not yet
(the transaction is held back on its kiosk, or quarantined), the rating is taken anyway and
the reports say the transaction has not arrived: a rating is never lost for the order in
which two records travel. The kiosk sends its submissions before its messages in every
round, so normally the transaction is there first.

Poor ratings (levels 1 and 2) need a reply within 15 working days; :func:`reply_due` counts
Monday to Friday only (public holidays are the operator's to allow for).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, func, select, update

from sync.platform.protocol import POOR_LEVELS, RATING_LEVELS, parse_utc
from sync.server.schema import transactions
from sync.server.schema_messages import ratings
from sync.server.schema_staff import staff_people

FOLLOW_UP_WORKING_DAYS = 15
OTHER_KIOSK = "rating: the transaction belongs to another kiosk"


def store_rating(conn: Connection, kiosk_id: str, doc: Mapping[str, Any], now: float) -> str | None:
    """Insert one checked rating inside the caller's transaction; a refusal reason or None."""
    owner = conn.execute(
        select(transactions.c.kiosk_id).where(transactions.c.id == doc["txid"])
    ).scalar_one_or_none()
    if owner is not None and owner != kiosk_id:
        return OTHER_KIOSK
    conn.execute(
        ratings.insert().values(
            txid=doc["txid"],
            kiosk_id=kiosk_id,
            service_code=doc["service_code"],
            level=int(doc["level"]),
            reason=doc.get("reason"),
            rated_at=doc["rated_at"],
            received_at=now,
        )
    )
    return None


@dataclass(frozen=True)
class RatingSummary:
    """Ratings of one service at one kiosk."""

    service_code: str
    kiosk_id: str
    count: int
    by_level: dict[int, int]

    @property
    def average(self) -> float:
        return sum(level * n for level, n in self.by_level.items()) / self.count

    @property
    def satisfied_share(self) -> float:
        """Share rated 3 (基本满意) or better: the 满意率 the 好差评 reports quote."""
        return sum(n for level, n in self.by_level.items() if level >= 3) / self.count


def summary(engine: Engine) -> list[RatingSummary]:
    """Counts per service and kiosk, every level present, sorted by service then kiosk."""
    query = (
        select(ratings.c.service_code, ratings.c.kiosk_id, ratings.c.level, func.count())
        .group_by(ratings.c.service_code, ratings.c.kiosk_id, ratings.c.level)
    )
    cells: dict[tuple[str, str], dict[int, int]] = {}
    with engine.connect() as conn:
        for service, kiosk, level, n in conn.execute(query):
            levels = cells.setdefault((service, kiosk), dict.fromkeys(RATING_LEVELS, 0))
            levels[int(level)] = int(n)
    return [
        RatingSummary(service, kiosk, sum(levels.values()), levels)
        for (service, kiosk), levels in sorted(cells.items())
    ]


def reply_due(rated: date, working_days: int = FOLLOW_UP_WORKING_DAYS) -> date:
    """The last day of the reply window: ``working_days`` weekdays after ``rated``."""
    day, left = rated, working_days
    while left > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


@dataclass(frozen=True)
class PoorRating:
    """A rating of level 1 or 2, with what follow-up needs: the transaction and its number."""

    txid: str
    tracking_number: str | None  # None: the transaction has not reached the platform yet
    kiosk_id: str
    service_code: str
    level: int
    reason: str | None
    rated_at: str
    reply_due: date
    followed_up_at: float | None
    followed_up_by: str | None


def poor_ratings(engine: Engine, *, include_done: bool = False) -> list[PoorRating]:
    """Levels 1 and 2, oldest first; without ``include_done`` only those not yet replied to."""
    query = (
        select(ratings, transactions.c.tracking_number)
        .select_from(ratings.outerjoin(transactions, transactions.c.id == ratings.c.txid))
        .where(ratings.c.level.in_(POOR_LEVELS))
        .order_by(ratings.c.rated_at, ratings.c.txid)
    )
    if not include_done:
        query = query.where(ratings.c.followed_up_at.is_(None))
    with engine.connect() as conn:
        rows = conn.execute(query).fetchall()
    found = []
    for row in rows:
        rated = parse_utc(row.rated_at)
        found.append(PoorRating(
            row.txid, row.tracking_number, row.kiosk_id, row.service_code, row.level,
            row.reason, row.rated_at, reply_due(rated.date() if rated else date.min),
            row.followed_up_at, row.followed_up_by,
        ))
    return found


class FollowUpError(Exception):
    """The follow-up could not be recorded; the message says why."""


def record_follow_up(engine: Engine, txid: str, person_id: str, now: float) -> None:
    """A member of staff replied to a poor rating: who, and when (once)."""
    with engine.begin() as conn:
        person = conn.execute(
            select(staff_people.c.role).where(staff_people.c.person_id == person_id)
        ).scalar_one_or_none()
        if person is None:
            raise FollowUpError(f"no staff member {person_id} on this platform")
        level = conn.execute(
            select(ratings.c.level).where(ratings.c.txid == txid)
        ).scalar_one_or_none()
        if level is None:
            raise FollowUpError(f"no rating for transaction {txid}")
        if level not in POOR_LEVELS:
            raise FollowUpError(f"the rating of {txid} is {level}: only levels 1 and 2 need one")
        done = conn.execute(
            update(ratings)
            .where(ratings.c.txid == txid, ratings.c.followed_up_at.is_(None))
            .values(followed_up_at=now, followed_up_by=person_id)
        )
        if done.rowcount != 1:
            raise FollowUpError(f"the rating of {txid} was already followed up")
