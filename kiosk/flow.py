"""The citizen flow as a plain state machine; screens only render its current step.

home → guide → privacy → identify → form → confirm → submitting → receipt → rating → farewell;
home → guide → queue (取号, for a service that needs a window) → home;
home → guide → payment (缴费: its own states in kiosk.payments.machine) → home;
guide → questions (问, about that service) → guide;
services (a department's) → questions → services;
home → records (我的办件: identify, transactions, second factor, records) → home

From home a citizen may first open a list of services (a department's, a life event's) or the
search, and choose a service there; Back from the guide returns to that list.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from devices.cards.base import CardData, CardKind
from sync.platform.protocol import POOR_LEVELS, RATING_LEVELS, RATING_REASONS

from .catalog import Catalog, FormError, Service
from .id_numbers import IdCheck, age_on, validate_id_number
from .ratings import RatingChoice
from .session import CitizenSession

if TYPE_CHECKING:
    from .queue_numbers import QueueNumber


class Step(StrEnum):
    HOME = "home"
    GUIDE = "guide"
    PRIVACY = "privacy"
    IDENTIFY = "identify"
    FORM = "form"
    CONFIRM = "confirm"
    SUBMITTING = "submitting"
    RECEIPT = "receipt"
    RATING = "rating"
    FAREWELL = "farewell"
    TRACK = "track"  # a citizen looks up an earlier application by its tracking number
    QUEUE = "queue"  # 取号: a queue number for a service that needs a window
    PAYMENT = "payment"  # 缴费: a bill paid or a card topped up (kiosk.payments)
    SERVICES = "services"  # the services of one department or life event
    SEARCH = "search"  # services found by what the citizen types
    RECORDS = "records"  # 我的办件: the citizen's own transactions and records
    QUESTIONS = "questions"  # 问: frequently asked questions about a service or department


@dataclass(frozen=True, eq=False)
class Listing:
    """What the citizen opened from home: a department's or a life event's services, or the
    search. A new one each time (compared by identity: the screen starts afresh)."""

    kind: str  # "department", "life_event" or "search"
    code: str = ""


LISTING_KINDS = ("department", "life_event", "search")


@dataclass(frozen=True, eq=False)
class QuestionTopic:
    """What the questions are about: a department (from its list of services) or a service
    (from its guide); ``back_to`` is the step they were opened from. A new one each time."""

    kind: str  # "department" or "service"
    code: str
    back_to: Step


class FlowError(RuntimeError):
    """A transition that the current step does not allow."""


_BACK = {
    Step.TRACK: Step.HOME,
    Step.RECORDS: Step.HOME,
    Step.SERVICES: Step.HOME,
    Step.SEARCH: Step.HOME,
    Step.GUIDE: Step.HOME,  # or the list the service was chosen from
    Step.PRIVACY: Step.GUIDE,
    Step.IDENTIFY: Step.PRIVACY,
    Step.FORM: Step.IDENTIFY,
    Step.CONFIRM: Step.FORM,
    Step.QUESTIONS: Step.GUIDE,  # or the department's list they were opened from
}

RATINGS = RATING_LEVELS  # 5 非常满意 … 1 非常不满意


def _age_refusal(service: Service, id_number: str, today: date) -> IdCheck | None:
    """The service's age limits (``min_age``, ``max_age``, in whole years on ``today``)."""
    if service.min_age is None and service.max_age is None:
        return None
    age = age_on(id_number, today)
    if service.min_age is not None and (age is None or age < service.min_age):
        return IdCheck(False, "age", f"This service is for people aged {service.min_age} or over.")
    if service.max_age is not None and (age is None or age > service.max_age):
        return IdCheck(False, "over_age",
                       f"This service is for people aged {service.max_age} or under.")
    return None


class Flow:
    """Transitions are thread-safe: card callbacks and the GUI may race."""

    def __init__(
        self,
        catalog: Catalog,
        new_txid: Callable[[], str],
        today: Callable[[], date],
        on_change: Callable[[Step], None] | None = None,
        on_rate: Callable[[RatingChoice], None] | None = None,
        on_complete: Callable[[str], None] | None = None,
    ) -> None:
        self.catalog = catalog
        self.session = CitizenSession()
        self.step = Step.HOME
        self._new_txid = new_txid
        self._today = today
        self._on_change = on_change or (lambda step: None)
        self._on_rate = on_rate or (lambda choice: None)
        self._on_complete = on_complete or (lambda code: None)
        self.listing: Listing | None = None  # the list the current service was chosen from
        self.questions: QuestionTopic | None = None  # what the questions step is about
        self._lock = threading.RLock()

    def _go(self, step: Step) -> None:
        self.step = step
        self._on_change(step)

    def _expect(self, *steps: Step) -> None:
        if self.step not in steps:
            raise FlowError(f"not allowed at step {self.step.value}")

    def choose_service(self, code: str) -> None:
        with self._lock:
            self._expect(Step.HOME, Step.SERVICES, Step.SEARCH)
            if self.step is Step.HOME:
                self.listing = None
            self.session.service = self.catalog.get(code)
            self._go(Step.GUIDE)

    def open_listing(self, kind: str, code: str = "") -> None:
        """Home → the services of a department or life event (``code``), or the search."""
        with self._lock:
            self._expect(Step.HOME)
            if kind not in LISTING_KINDS:
                raise FlowError(f"unknown listing kind {kind!r}")
            groups: dict[str, Mapping[str, object]] = {
                "department": self.catalog.departments, "life_event": self.catalog.life_events}
            if kind != "search" and code not in groups[kind]:
                raise FlowError(f"no {kind} {code!r} in the catalog")
            self.listing = Listing(kind, code)
            self._go(Step.SEARCH if kind == "search" else Step.SERVICES)

    def open_questions(self) -> None:
        """问: the questions about the service whose guide is shown, or about the department
        whose services are listed; Back returns there with the guide or list kept."""
        with self._lock:
            self._expect(Step.GUIDE, Step.SERVICES)
            if self.step is Step.GUIDE:
                service = self.session.service
                if service is None:
                    raise FlowError("no service chosen")
                topic = QuestionTopic("service", service.code, Step.GUIDE)
            else:
                listing = self.listing
                if listing is None or listing.kind != "department":
                    raise FlowError("questions are asked about a department or a service")
                topic = QuestionTopic("department", listing.code, Step.SERVICES)
            self.questions = topic
            self._go(Step.QUESTIONS)

    def open_tracking(self) -> None:
        with self._lock:
            self._expect(Step.HOME)
            self._go(Step.TRACK)

    def open_records(self) -> None:
        """Home → 我的办件: identify first (kiosk/records/visit.py runs the rest)."""
        from .records.visit import RecordsVisit

        with self._lock:
            self._expect(Step.HOME)
            self.session.records = RecordsVisit(self._today())
            self._go(Step.RECORDS)

    def identify_for_records(self, card: CardData, assisted_by: str | None = None) -> IdCheck:
        """A card read on 我的办件: the session holds the identity, the visit the rest.

        ``assisted_by``: the staff member who confirmed a typed ID number (required for one).
        """
        with self._lock:
            visit = self.session.records
            if self.step is not Step.RECORDS or visit is None:
                return IdCheck(False, "busy", "Not identifying now.")
            if (card.kind is CardKind.TYPED_NUMBER) != (assisted_by is not None):
                raise FlowError("a typed ID number needs a staff member's confirmation")
            verdict = visit.identify(card, assisted_by=assisted_by)
            if verdict.ok:
                self.session.identity = card  # held for log redaction, dropped with the rest
            return verdict

    def accept_guide(self) -> None:
        """Start applying; only a service the kiosk can complete has a way past its guide
        (information-only and window services end there)."""
        with self._lock:
            self._expect(Step.GUIDE)
            service = self.session.service
            if service is not None and not service.completable:
                raise FlowError(f"{service.code} cannot be completed at the kiosk")
            self._go(Step.PRIVACY)

    def begin_queue_number(self) -> bool:
        """取号 from the guide of a window service: True once; a second tap takes nothing.

        There is no way back from the number (a new tap on the guide would take another):
        the citizen leaves with Done or Home.
        """
        with self._lock:
            service = self.session.service
            if self.step is not Step.GUIDE or service is None or service.channel != "window":
                return False
            self.session.queue_number = None
            self._go(Step.QUEUE)
            return True

    def begin_payment(self) -> bool:
        """缴费 from the guide of a payment service: True once; a second tap starts nothing.
        The payment screen's own states are kiosk.payments.machine's; it ends with Home."""
        with self._lock:
            service = self.session.service
            if self.step is not Step.GUIDE or service is None or service.payment is None:
                return False
            self._go(Step.PAYMENT)
            return True

    def queue_number_taken(self, number: QueueNumber) -> bool:
        """Keep the number for the screen; False when the citizen has already left."""
        with self._lock:
            if self.step is not Step.QUEUE:
                return False
            self.session.queue_number = number
            return True

    def accept_privacy(self) -> None:
        with self._lock:
            self._expect(Step.PRIVACY)
            self._go(Step.IDENTIFY)

    def identify(self, card: CardData, *, assisted_by: str | None = None) -> IdCheck:
        """Take a card read (or an identity found without a card: ``card.kind`` says how);
        refuse it with a reason rather than keep a doubtful identity.

        ``assisted_by``: the staff member who confirmed a typed ID number (required for one).
        """
        with self._lock:
            if self.step is Step.RECORDS and card.kind in (CardKind.ELECTRONIC_CODE,
                                                           CardKind.TYPED_NUMBER):
                # 我的办件 by an electronic code, or a typed number a staff member confirmed
                return self.identify_for_records(card, assisted_by)
            self._expect(Step.IDENTIFY)
            if (card.kind is CardKind.TYPED_NUMBER) != (assisted_by is not None):
                raise FlowError("a typed ID number needs a staff member's confirmation")
            verdict = validate_id_number(card.id_number, today=self._today())
            if not verdict.ok:
                return verdict
            if card.valid_to is not None and card.valid_to < self._today():
                return IdCheck(False, "expired", "This card has expired.")
            service = self.session.service
            if card.kind is CardKind.ELECTRONIC_CODE and service is not None \
                    and "e_code" not in service.identification:
                return IdCheck(False, "ecode_not_accepted",
                               "This service does not accept an electronic card code.")
            refusal = _age_refusal(service, card.id_number, self._today()) if service else None
            if refusal is not None:
                return refusal
            self.session.identity = card
            self.session.assisted_by = assisted_by
            self._go(Step.FORM if service and service.form else Step.CONFIRM)
            if self.step is Step.CONFIRM:
                self._open_confirm()
            return verdict

    def today(self) -> date:
        """The kiosk's date (its clock, its time zone): form date bounds count from it."""
        return self._today()

    def keep_draft(self, values: dict[str, str], page: int = 0) -> None:
        """The answers so far and the page shown, kept while the citizen pages through the
        form and when they come Back from confirm; dropped with the rest of the session."""
        with self._lock:
            self._expect(Step.FORM)
            self.session.draft = dict(values)
            self.session.form_page = page

    def take_member_card(self, card: CardData) -> IdCheck:
        """A family member's card, read on the form for a relation field; never the applicant's
        own card, and only a valid ID number."""
        with self._lock:
            self._expect(Step.FORM)
            verdict = validate_id_number(card.id_number, today=self._today())
            if not verdict.ok:
                return verdict
            own = self.session.identity
            if own is not None and own.id_number.upper() == card.id_number.upper():
                return IdCheck(False, "own_card", "This is your own card.")
            self.session.member = card
            return verdict

    def submit_form(self, values: dict[str, str]) -> None:
        """Validate and move to confirm; raises FormError naming the bad field."""
        with self._lock:
            self._expect(Step.FORM)
            assert self.session.service is not None
            self.session.draft = dict(values)
            self.session.form = self.session.service.validate(values, self._today())
            self._open_confirm()
            self._go(Step.CONFIRM)

    def _open_confirm(self) -> None:
        # The transaction id is fixed when confirm opens: a double tap re-uses it.
        if self.session.txid is None:
            self.session.txid = self._new_txid()

    def begin_submit(self) -> bool:
        """True once per transaction; a second tap while submitting or after is ignored."""
        with self._lock:
            if self.step is not Step.CONFIRM:
                return False
            self._go(Step.SUBMITTING)
            return True

    def submit_failed(self) -> None:
        with self._lock:
            self._expect(Step.SUBMITTING)
            self._go(Step.CONFIRM)

    def submitted(self, tracking_number: str) -> None:
        with self._lock:
            self._expect(Step.SUBMITTING)
            self.session.tracking_number = tracking_number
            if self.session.service is not None:
                self._on_complete(self.session.service.code)  # counted for the home screen
            self._go(Step.RECEIPT)

    def finish_receipt(self) -> None:
        with self._lock:
            self._expect(Step.RECEIPT)
            self._go(Step.RATING)

    def rate(self, level: int | None, reason: str = "") -> None:
        """Take the citizen's rating (None: skipped) and hand it on before the session ends.

        Levels 1 and 2 need a reason from the fixed list; the others carry none.
        """
        with self._lock:
            self._expect(Step.RATING)
            if level is not None and level not in RATINGS:
                raise FormError("rating", "Unknown rating.")
            if level in POOR_LEVELS and reason not in RATING_REASONS:
                raise FormError("rating", "Please choose a reason.")
            if level not in POOR_LEVELS:
                reason = ""
            self.session.rating = level
            self.session.rating_reason = reason
            service, txid = self.session.service, self.session.txid
            if level is not None and service is not None and txid is not None:
                self._on_rate(RatingChoice(txid, service.code, level, reason or None))
            self._go(Step.FAREWELL)

    def back(self) -> None:
        with self._lock:
            if self.step not in _BACK:
                raise FlowError(f"no way back from {self.step.value}")
            if self.step is Step.QUESTIONS:  # back where they were asked from, nothing dropped
                assert self.questions is not None
                self._go(self.questions.back_to)
                return
            target = _BACK[self.step]
            if self.step is Step.GUIDE and self.listing is not None:
                target = Step.SEARCH if self.listing.kind == "search" else Step.SERVICES
            if target in (Step.IDENTIFY, Step.PRIVACY, Step.GUIDE, Step.HOME, Step.SERVICES,
                          Step.SEARCH):
                self.session.identity = None
                self.session.assisted_by = None
                self.session.member = None
                self.session.form = {}
                self.session.draft = {}
                self.session.form_page = 0
                self.session.txid = None
            if target in (Step.HOME, Step.SERVICES, Step.SEARCH):
                self.session.clear()
            if target is Step.HOME:
                self.listing = None
                self.questions = None
            self._go(target)

    def replace_catalog(self, catalog: Catalog) -> bool:
        """Take a newer catalog, but only between citizens (at home); False if not now."""
        with self._lock:
            if self.step is not Step.HOME:
                return False
            self.catalog = catalog
            return True

    def reset(self) -> None:
        """Idle timeout, finish or a card pulled out during a read: drop everything, go home."""
        with self._lock:
            self.session.clear()
            self.listing = None
            self.questions = None
            self._go(Step.HOME)
