"""The citizen session: the only holder of personal data, and only until it is cleared."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from devices.cards.base import CardData
from kiosk.catalog import Service
from kiosk.form_display import personal_parts
from kiosk.logs.redaction import card_masks, session_values

if TYPE_CHECKING:
    from .payments.machine import PaymentMachine
    from .queue_numbers import QueueNumber
    from .records.visit import RecordsVisit


@dataclass
class CitizenSession:
    service: Service | None = None
    identity: CardData | None = None
    assisted_by: str | None = None  # the staff member who confirmed a typed ID number
    form: dict[str, str] = field(default_factory=dict)
    draft: dict[str, str] = field(default_factory=dict)  # answers so far, page by page
    form_page: int = 0
    member: CardData | None = None  # a family member's card, read for a relation field
    txid: str | None = None
    tracking_number: str | None = None
    printed: bool = False
    rating: int | None = None
    rating_reason: str = ""
    queue_number: QueueNumber | None = None  # 取号: nothing personal
    records: RecordsVisit | None = None  # 我的办件: live answers, only ever here
    payment: PaymentMachine | None = None  # 缴费: the account number, the bill, the order

    def __repr__(self) -> str:
        code = self.service.code if self.service else None
        return f"CitizenSession(service={code!r}, identified={self.identity is not None})"

    def __setattr__(self, name: str, value: Any) -> None:
        super().__setattr__(name, value)
        if name in ("identity", "form", "draft", "member"):
            self._register_for_redaction()

    def _register_for_redaction(self) -> None:
        """Log lines redact this session's personal values while it holds them, and no longer."""
        values: dict[str, str] = {}
        for card in (getattr(self, "identity", None), getattr(self, "member", None)):
            if card is not None:
                values.update(card_masks(card.name, card.address, card.id_number,
                                         card.card_number))
        service: Service | None = getattr(self, "service", None)
        fields = {f.key: f for f in service.form} if service else {}
        # The answers checked, and those still being typed (a draft part shorter than a phone
        # number's end is no value a log line could give away, and would mask every such run).
        answers = [(v, 0) for v in getattr(self, "form", {}).items()]
        answers += [(v, 4) for v in getattr(self, "draft", {}).items()]
        for (key, value), shortest in answers:
            if key in fields:
                for part, mask in personal_parts(fields[key], value).items():
                    if len(part) >= shortest:
                        values.setdefault(part, mask)
        if values:
            session_values.hold(self, values)
        else:
            session_values.release(self)

    def clear(self) -> None:
        """Drop everything, personal data first."""
        self.identity = None
        self.assisted_by = None
        self.member = None
        self.form = {}
        self.draft = {}
        self.form_page = 0
        self.service = None
        self.txid = None
        self.tracking_number = None
        self.printed = False
        self.rating = None
        self.rating_reason = ""
        self.queue_number = None
        visit, self.records = getattr(self, "records", None), None
        if visit is not None:
            visit.clear()
        self.payment = None
