"""The citizen session: the only holder of personal data, and only until it is cleared."""

from __future__ import annotations

from dataclasses import dataclass, field

from devices.cards import CardData

from .catalog import Service


@dataclass
class CitizenSession:
    service: Service | None = None
    identity: CardData | None = None
    form: dict[str, str] = field(default_factory=dict)
    txid: str | None = None
    tracking_number: str | None = None
    printed: bool = False
    rating: int | None = None
    rating_reason: str = ""

    def __repr__(self) -> str:
        code = self.service.code if self.service else None
        return f"CitizenSession(service={code!r}, identified={self.identity is not None})"

    def clear(self) -> None:
        """Drop everything, personal data first."""
        self.identity = None
        self.form = {}
        self.service = None
        self.txid = None
        self.tracking_number = None
        self.printed = False
        self.rating = None
        self.rating_reason = ""
