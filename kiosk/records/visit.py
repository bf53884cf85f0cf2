"""我的办件 / my records as a plain state machine (no Qt, no I/O): what the screen renders.

identify → overview (this kiosk's queued transactions; online, all of the platform's) →
second factor (the card's PIN, or staff confirmation, by the identification method) →
records (contributions, medical account, housing fund, tax).

Rules it keeps (docs/records.md):
- the citizen is identified by a card whose ID number passes the kiosk's check; a blocked PIN
  or a refused factor keeps the records closed for the rest of the visit;
- offline, only what this kiosk holds is shown, marked as such (``online`` False);
- a card alone never opens the records: they open only after :meth:`factor_proven`, and only
  with a factor the rule of ``sync.platform.records.SECOND_FACTORS`` takes for the way the
  citizen identified;
- everything lives in this object, which lives in the session: :meth:`clear` drops it all,
  and nothing here is ever written anywhere.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from devices.cards.base import CardData, CardKind, PinVerdict
from sync.platform.records import (
    SECOND_FACTORS,
    CitizenRecords,
    CitizenTransaction,
    SecondFactor,
    factor_accepted,
)

from ..id_numbers import IdCheck, validate_id_number
from .local import LocalTransaction

__all__ = ["METHOD_OF_CARD", "RecordsStage", "RecordsVisit", "TransactionRow", "merge"]

#: identification method of a card kind (an electronic code or a typed number add theirs)
METHOD_OF_CARD = {
    CardKind.SOCIAL_SECURITY: "social_security_card",
    CardKind.RESIDENT_ID: "resident_id_card",
    CardKind.ELECTRONIC_CODE: "electronic_code",
    CardKind.TYPED_NUMBER: "typed_number",
}


class RecordsStage(StrEnum):
    IDENTIFY = "identify"
    LOADING = "loading"  # the transactions are being gathered
    OVERVIEW = "overview"
    PIN = "pin"  # the card's PIN on the large keypad
    STAFF = "staff"  # a member of staff confirms the citizen
    CHECKING = "checking"  # the card checks the PIN, or the platform is asked for the records
    RECORDS = "records"


@dataclass(frozen=True)
class TransactionRow:
    """One line of 我的办件: the platform's word where it has one, else this kiosk's."""

    txid: str
    tracking_number: str
    title: str  # service name (the receipt's) or its code
    status: str  # pending_upload | sent | needs_staff | a platform status
    reason: str | None
    day: str  # YYYY-MM-DD it was submitted
    source: str  # "kiosk" (only this kiosk knows it) or "platform"


def merge(local: tuple[LocalTransaction, ...],
          remote: tuple[CitizenTransaction, ...] | None,
          titles: dict[str, str]) -> tuple[TransactionRow, ...]:
    """The platform's list, with this kiosk's records it has not got yet, newest first."""
    rows: dict[str, TransactionRow] = {}
    for t in local:
        status = t.platform_status if t.state == "sent" and t.platform_status else t.state
        rows[t.txid] = TransactionRow(t.txid, t.tracking_number, t.title, status, None,
                                      t.created_at.date().isoformat(), "kiosk")
    for r in remote or ():
        known = rows.get(r.txid)
        title = known.title if known else titles.get(r.service_code or "", r.service_code or "")
        day = known.day if known else r.received_at[:10]
        rows[r.txid] = TransactionRow(r.txid, r.tracking_number or "", title, r.status,
                                      r.reason, day, "platform")
    return tuple(sorted(rows.values(), key=lambda row: (row.day, row.txid), reverse=True))


class RecordsVisit:
    """One citizen's 我的办件. Thread-safe: reader, job and GUI threads may race."""

    def __init__(self, today: date) -> None:
        self._lock = threading.RLock()
        self._today = today
        self.stage = RecordsStage.IDENTIFY
        self.card: CardData | None = None
        self.method: str | None = None
        self.online: bool | None = None  # None until the platform was asked
        self.rows: tuple[TransactionRow, ...] = ()
        self.records: CitizenRecords | None = None
        self.factor: SecondFactor | None = None
        self.pin_tries_left: int | None = None
        self.pin_blocked = False
        self.closed_reason = ""  # why the records stay closed (blocked, refused, offline…)
        self.staff_id: str | None = None
        self.assisted_by: str | None = None  # who confirmed a typed ID number
        self._load_claimed = False

    def __repr__(self) -> str:
        return f"RecordsVisit(stage={self.stage.value}, identified={self.card is not None})"

    # identify ----------------------------------------------------------------------------------
    def identify(self, card: CardData, method: str | None = None,
                 assisted_by: str | None = None) -> IdCheck:
        """A card read (or another identification): refuse a doubtful identity with a reason.

        ``assisted_by``: the staff member who confirmed a typed ID number with their own
        credential; that confirmation is the visit's staff factor (the records open without a
        second sign-in, and the platform is told the staff id)."""
        with self._lock:
            if self.stage is not RecordsStage.IDENTIFY:
                return IdCheck(False, "busy", "The citizen is already identified.")
            verdict = validate_id_number(card.id_number, today=self._today)
            if not verdict.ok:
                return verdict
            if card.valid_to is not None and card.valid_to < self._today:
                return IdCheck(False, "expired", "This card has expired.")
            chosen = method or METHOD_OF_CARD.get(card.kind)
            if chosen not in SECOND_FACTORS:
                return IdCheck(False, "method", "This way of identifying is not supported here.")
            self.card, self.method = card, chosen
            self.assisted_by = assisted_by if chosen == "typed_number" else None
            self.stage = RecordsStage.LOADING
            return verdict

    def claim_loading(self) -> bool:
        """True once, for whoever starts gathering the transactions after identification."""
        with self._lock:
            if self.stage is not RecordsStage.LOADING or self._load_claimed:
                return False
            self._load_claimed = True
            return True

    def transactions_loaded(self, local: tuple[LocalTransaction, ...],
                            remote: tuple[CitizenTransaction, ...] | None,
                            titles: dict[str, str]) -> bool:
        """``remote`` None: the platform could not be asked (offline: this kiosk's only)."""
        with self._lock:
            if self.stage is not RecordsStage.LOADING:
                return False
            self.online = remote is not None
            self.rows = merge(local, remote, titles)
            self.stage = RecordsStage.OVERVIEW
            return True

    # second factor -------------------------------------------------------------------------
    @property
    def factor_kind(self) -> str | None:
        """The factor this citizen proves: the card's PIN where the method takes it."""
        if self.method is None:
            return None
        kinds = SECOND_FACTORS[self.method]
        return "card_pin" if "card_pin" in kinds else "staff" if "staff" in kinds else None

    @property
    def records_closed(self) -> bool:
        return self.pin_blocked

    def ask_records(self) -> RecordsStage | None:
        """The citizen asks for their records: the factor's stage, or None (closed/offline)."""
        with self._lock:
            if self.stage is not RecordsStage.OVERVIEW:
                return None
            if self.pin_blocked:
                self.closed_reason = "blocked"
                return None
            if self.online is False:
                self.closed_reason = "offline"
                return None
            if self.records is not None and self.factor is not None:
                self.stage = RecordsStage.RECORDS
                return self.stage
            self.closed_reason = ""
            if self.assisted_by is not None and factor_accepted(self.method or "", "staff"):
                # the staff member who confirmed the typed number vouches for this visit
                self.staff_id = self.assisted_by
                self.factor = SecondFactor("staff", self.assisted_by)
                self.stage = RecordsStage.CHECKING
                return self.stage
            self.stage = RecordsStage.PIN if self.factor_kind == "card_pin" else RecordsStage.STAFF
            return self.stage

    def begin_check(self) -> bool:
        """The PIN was typed (or staff signed in): True once; the next answer decides."""
        with self._lock:
            if self.stage not in (RecordsStage.PIN, RecordsStage.STAFF):
                return False
            self.stage = RecordsStage.CHECKING
            return True

    def pin_checked(self, verdict: PinVerdict) -> bool:
        """What the card said. True when the factor is proven (then the records are asked)."""
        with self._lock:
            if self.stage is not RecordsStage.CHECKING or self.factor_kind != "card_pin":
                return False
            self.pin_tries_left = verdict.tries_left
            if verdict.ok:
                self.factor = SecondFactor("card_pin")
                return True
            if verdict.blocked:
                self.pin_blocked = True
                self.closed_reason = "blocked"
                self.stage = RecordsStage.OVERVIEW
            else:
                self.closed_reason = "wrong_pin"
                self.stage = RecordsStage.PIN
            return False

    def staff_confirmed(self, staff_id: str) -> bool:
        """A member of staff, signed in with their own credential, vouched for the citizen."""
        with self._lock:
            if self.stage is not RecordsStage.CHECKING or self.method is None \
                    or not factor_accepted(self.method, "staff"):
                return False
            self.staff_id = staff_id
            self.factor = SecondFactor("staff", staff_id)
            return True

    def factor_failed(self, reason: str) -> None:
        """The check could not be made (card pulled out, reader error, staff cancelled)."""
        with self._lock:
            if self.stage in (RecordsStage.CHECKING, RecordsStage.PIN, RecordsStage.STAFF):
                self.closed_reason = reason
                self.stage = RecordsStage.OVERVIEW

    # records -------------------------------------------------------------------------------
    def records_loaded(self, records: CitizenRecords | None) -> bool:
        """The platform's answer (None: it holds no records for this citizen)."""
        with self._lock:
            if self.stage is not RecordsStage.CHECKING or self.factor is None:
                return False
            if records is None:
                self.closed_reason = "none"
                self.stage = RecordsStage.OVERVIEW
                return False
            self.records = records
            self.stage = RecordsStage.RECORDS
            return True

    def records_failed(self, reason: str) -> None:
        """Offline or refused by the platform: back to the overview, with the reason."""
        with self._lock:
            if self.stage is RecordsStage.CHECKING:
                self.closed_reason = reason
                if reason == "offline":
                    self.online = False
                self.stage = RecordsStage.OVERVIEW

    def back_to_overview(self) -> bool:
        with self._lock:
            if self.stage not in (RecordsStage.RECORDS, RecordsStage.PIN, RecordsStage.STAFF):
                return False
            self.stage = RecordsStage.OVERVIEW
            return True

    def clear(self) -> None:
        """Drop everything personal (the session ends or the citizen leaves)."""
        with self._lock:
            self.card = None
            self.method = None
            self.assisted_by = None
            self.rows = ()
            self.records = None
            self.factor = None
            self.staff_id = None
            self.pin_tries_left = None
            self.closed_reason = ""
            self.stage = RecordsStage.IDENTIFY
