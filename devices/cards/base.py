"""Card data and the card-reader interface that crosses into the core.

The core sees only ``CardReader`` and ``CardData``; PC/SC, serial readers and the simulated
reader live behind it. Personal data never appears in a repr, so it cannot leak into logs.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from devices.masking import mask_card_number, mask_id_number, mask_name

log = logging.getLogger(__name__)


class CardKind(StrEnum):
    """How the citizen was identified: which card, or which way without one."""

    RESIDENT_ID = "resident_id"
    SOCIAL_SECURITY = "social_security"
    # No card: an electronic card code (电子社保卡 / 医保电子凭证) shown on the citizen's phone,
    # resolved by the platform; or an ID number typed with a staff member's confirmation.
    ELECTRONIC_CODE = "electronic_code"
    TYPED_NUMBER = "typed_number"


# GB/T 3304 nation codes 01..56, 97, 98, as printed on the resident ID card (no 族 suffix).
_NATION_TEXT = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 "
    "高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 "
    "普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 "
    "珞巴 基诺 其他 外国血统中国籍人士"
)
NATION_NAMES: dict[str, str] = dict(
    zip(
        [f"{i:02d}" for i in range(1, 57)] + ["97", "98"],
        _NATION_TEXT.split(),
        strict=True,
    )
)


def nation_name(code: str) -> str:
    """Name of a two-digit nation code; an unknown code is returned as it is."""
    return NATION_NAMES.get(code.zfill(2), code)


@dataclass(frozen=True)
class MaskedIdentity:
    """What may be shown or printed about a card holder."""

    kind: CardKind
    name: str
    id_number: str
    card_number: str


@dataclass(frozen=True, repr=False)
class CardData:
    """Everything read from one card. Held by the session only; repr shows no personal data."""

    kind: CardKind
    name: str
    gender: str  # "男" / "女" / "未知"
    nation: str
    birth_date: date | None
    address: str
    id_number: str
    issuing_authority: str
    valid_from: date | None
    valid_to: date | None  # None = no expiry
    card_number: str
    region: str  # 6-digit administrative region code

    def __repr__(self) -> str:
        return f"CardData(kind={self.kind.value}, id_number={mask_id_number(self.id_number)!r})"

    __str__ = __repr__

    def masked(self) -> MaskedIdentity:
        return MaskedIdentity(
            kind=self.kind,
            name=mask_name(self.name),
            id_number=mask_id_number(self.id_number),
            card_number=mask_card_number(self.card_number),
        )


class CardReaderError(Exception):
    """A read or reader failure: ``reason`` is a short machine code, the message plain English.

    Reasons: not_ssc, removed, timeout, io, malformed, no_service, mute, not_started.
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message

    def __repr__(self) -> str:
        return f"{type(self).__name__}(reason={self.reason!r}, message={self.message!r})"


class CardReadTimeout(CardReaderError):  # noqa: N818 - name fixed by the interface
    """A card or reader did not answer within its deadline."""

    def __init__(self, message: str = "The card did not answer in time.") -> None:
        super().__init__("timeout", message)


@dataclass(frozen=True)
class PinVerdict:
    """What a card said to its holder's PIN: right, wrong with ``tries_left``, or blocked.

    It holds no PIN; ``tries_left`` is None when the card did not say.
    """

    ok: bool
    tries_left: int | None = None
    blocked: bool = False


def _ignore(_arg: object) -> None:
    return None


@dataclass
class CardReaderCallbacks:
    """Plain callbacks, called on the reader's worker thread; each defaults to a no-op."""

    reader_did_add: Callable[[str], None] = field(default=_ignore)
    reader_did_remove: Callable[[str], None] = field(default=_ignore)
    card_did_insert: Callable[[str], None] = field(default=_ignore)
    card_did_remove: Callable[[str], None] = field(default=_ignore)
    card_did_read: Callable[[CardData], None] = field(default=_ignore)
    reader_did_fail: Callable[[CardReaderError], None] = field(default=_ignore)


@dataclass
class ReaderStatus:
    """A snapshot for diagnostics; ``detail`` is plain words for a technician."""

    backend: str  # "pcsc" / "simulated"
    name: str
    present: bool
    card_present: bool
    detail: str


class CardReader(ABC):
    """A card reader with one worker thread that reports through callbacks.

    Every inserted card is read once on insertion: ``card_did_insert`` then ``card_did_read``
    or ``reader_did_fail``. Removal fires ``card_did_remove``.
    """

    def __init__(self) -> None:
        self._subscribers: list[CardReaderCallbacks] = []
        self._subscribers_lock = threading.Lock()

    def subscribe(self, callbacks: CardReaderCallbacks) -> None:
        with self._subscribers_lock:
            self._subscribers.append(callbacks)

    def unsubscribe(self, callbacks: CardReaderCallbacks) -> None:
        with self._subscribers_lock, contextlib.suppress(ValueError):
            self._subscribers.remove(callbacks)

    @abstractmethod
    def start(self) -> None:
        """Start the worker thread."""

    @abstractmethod
    def stop(self) -> None:
        """Stop the worker thread and join it (bounded)."""

    @abstractmethod
    def request_read(self) -> None:
        """Non-blocking: if a card is present, read it now on the worker."""

    @abstractmethod
    def status(self) -> ReaderStatus:
        """Current state; safe from any thread."""

    @abstractmethod
    def is_running(self) -> bool:
        """Whether the worker thread is alive."""

    @property
    def checks_pins(self) -> bool:
        """Whether :meth:`verify_pin` can ask this reader's cards (PC/SC cards can; a GA/T 467
        ID card has no PIN)."""
        return False

    @property
    def card_stays_in(self) -> bool:
        """Whether a card read here stays in the reader for the rest of the visit: a card
        inserted in a slot (PC/SC) does, so taking it out mid-visit means the citizen may have
        left; a card laid on a pad (GA/T 467) is lifted off after the read, normally. Readers
        whose cards are lifted say False (the default), docs/identification.md."""
        return False

    def verify_pin(self, pin: str) -> PinVerdict:
        """Blocking: the card in the reader checks its holder's PIN (VERIFY) and counts a
        wrong one itself. Never on the GUI thread. Raises CardReaderError (``no_pin`` for a
        reader whose cards have none, ``removed``, ``timeout`` ...); the PIN is never logged."""
        raise CardReaderError("no_pin", "This card has no PIN to check.")

    def read(self, timeout: float) -> CardData:
        """Block until a card is read (present now or inserted within ``timeout``).

        A convenience for the command line and diagnostics; the reader must be started.
        """
        if not self.is_running():
            raise CardReaderError("not_started", "The card reader has not been started.")
        done = threading.Event()
        outcome: list[CardData | CardReaderError] = []

        def finish(result: CardData | CardReaderError) -> None:
            if not done.is_set():
                outcome.append(result)
                done.set()

        def failed(error: CardReaderError) -> None:
            if error.reason != "no_service":  # the reader keeps retrying; wait on
                finish(error)

        waiter = CardReaderCallbacks(card_did_read=finish, reader_did_fail=failed)
        self.subscribe(waiter)
        try:
            self.request_read()
            if not done.wait(timeout):
                raise CardReadTimeout(
                    f"No card was read within {timeout:g} s ({self.status().detail})"
                )
        finally:
            self.unsubscribe(waiter)
        result = outcome[0]
        if isinstance(result, CardReaderError):
            raise result
        return result

    def _emit(self, event: str, arg: object) -> None:
        """Call one callback on every subscriber; a failing subscriber never stops the worker."""
        with self._subscribers_lock:
            subscribers = list(self._subscribers)
        for callbacks in subscribers:
            try:
                getattr(callbacks, event)(arg)
            except Exception:
                log.exception("card reader subscriber failed in %s", event)
