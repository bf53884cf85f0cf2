"""Fault modes of the virtual social-security card: tests and technicians break it on purpose.

Transport faults act on the vpcd socket: ``slow`` (every APDU answered after a delay),
``mute`` (from APDU number ``fault_after`` on the card says nothing; after ``mute_seconds`` it
is pulled out, because vpcd waits for a reply without a deadline and only the socket closing
frees the reader), ``remove_mid_read`` (APDU number ``fault_after`` is received, then the card
is pulled out without answering). Answer faults act on the card's replies: ``wrong_sw``
(APDU number ``fault_after`` and every later one answered with ``wrong_sw`` alone),
``bad_tlv_length`` (record length bytes that disagree with the data), ``bad_bcd`` (non-digit
nibbles in the numeric fields: dates, nation, birthplace), ``truncated`` (records cut short).
APDUs are counted from the card's insertion (or from construction for in-process use).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

FAULTS = (
    "slow",
    "mute",
    "remove_mid_read",
    "wrong_sw",
    "bad_tlv_length",
    "bad_bcd",
    "truncated",
)
TRANSPORT_FAULTS = frozenset({"slow", "mute", "remove_mid_read"})
BCD_TAGS = frozenset({0x05, 0x06, 0x0B, 0x0C, 0x0D})


def check_fault(name: str) -> str:
    if name not in FAULTS:
        raise ValueError(f"unknown fault mode {name!r}; known: {', '.join(FAULTS)}")
    return name


@dataclass
class FaultSettings:
    """Which faults are on and their parameters; read by the card's thread on every APDU."""

    active: set[str] = field(default_factory=set)
    slow_delay: float = 3.0  # seconds before each APDU answer ("slow")
    mute_seconds: float = 3.0  # silence before the pull-out ("mute")
    fault_after: int = 2  # APDUs answered normally before mute / remove_mid_read / wrong_sw
    wrong_sw: bytes = b"\x6f\x00"  # "no precise diagnosis"

    def __post_init__(self) -> None:
        self.active = {check_fault(name) for name in self.active}
        self.validate()

    def validate(self) -> None:
        if not 0 <= self.slow_delay < 3600 or not 0 < self.mute_seconds < 3600:
            raise ValueError("slow_delay and mute_seconds must be finite (mute_seconds > 0)")
        if self.fault_after < 0:
            raise ValueError("fault_after must be 0 or more")
        if len(self.wrong_sw) != 2 or self.wrong_sw in (b"\x90\x00",) or self.wrong_sw[0] == 0x61:
            raise ValueError("wrong_sw must be two bytes other than 9000 and 61xx")

    def set(self, names: Iterable[str], on: bool = True) -> None:
        for name in names:
            (self.active.add if on else self.active.discard)(check_fault(name))

    def strikes(self, name: str, answered: int) -> bool:
        """Whether counted fault ``name`` hits the APDU after ``answered`` normal answers."""
        return name in self.active and answered >= self.fault_after


def corrupt_record(record: bytes, active: set[str]) -> bytes:
    """Apply the record faults to one ``tag len value`` record (no status word)."""
    tag, value = record[0], record[2:]
    if "bad_bcd" in active and tag in BCD_TAGS and value:
        value = bytes([(value[0] & 0xF0) | 0x0A]) + value[1:]
    length = len(value)
    if "bad_tlv_length" in active:
        length = (length + 3) & 0xFF
    if "truncated" in active:
        value = value[: len(value) // 2]
    return bytes([tag, length]) + value


def parse_sw(text: str) -> bytes:
    """``6F00`` / ``6f 00`` -> two bytes; for the command line."""
    raw = bytes.fromhex(text.replace(" ", ""))
    if len(raw) != 2:
        raise ValueError(f"a status word is two bytes, not {text!r}")
    return raw
