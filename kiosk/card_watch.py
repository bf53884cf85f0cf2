"""The card a citizen identified with, watched while it should stay in its slot.

A social-security card (or an ID card in a PC/SC slot reader) stays in the reader for the
whole visit; taken out on the form or the confirm screen, before submitting, it may mean the
citizen has walked away with it and left their details on the screen. The window then covers
the screen and counts down (``[kiosk] card_removed_grace_seconds``); the same card back in a
reader carries on, another card ends the visit at once, and the time running out ends it too
(the idle timeout's reset). A card read on a pad (GA/T 467) is lifted off normally: its
reader says ``card_stays_in`` False and nothing is watched. After the submission, removal is
normal. docs/identification.md.

The card is recognised again by a keyed digest (HMAC-SHA-256 under a key made at start and
never stored) of its kind, ID number and card number: nothing of the card is kept in a form
that a log line or a memory dump would give away beyond the session itself, and nothing is
logged.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from dataclasses import dataclass

from devices.cards.base import CardData, CardReader
from kiosk import events as ev
from kiosk.flow import Flow, Step

# Where the card must stay in: after identification, before the submission.
WATCHED = frozenset({Step.FORM, Step.CONFIRM})
OTHER_CARD = "other_card"  # CardDidFail reason: a different card while the warning was up


@dataclass(frozen=True)
class _Held:
    reader: CardReader  # the one it was read in (compared by identity)
    digest: bytes
    identity: CardData  # the session's identity it belongs to (compared by identity)


class CardWatch:
    """Thread-safe: the readers' threads report, the GUI thread releases."""

    def __init__(self, flow: Flow, events: ev.EventBus) -> None:
        self.flow = flow
        self.events = events
        self._key = secrets.token_bytes(32)
        self._lock = threading.Lock()
        self._held: _Held | None = None
        self._away = False
        self._swap = False  # a relation field waits for a family member's card in the slot

    def _digest(self, card: CardData) -> bytes:
        text = f"{card.kind.value}|{card.id_number.upper()}|{card.card_number}"
        return hmac.new(self._key, text.encode("utf-8"), hashlib.sha256).digest()

    def _current(self) -> _Held | None:
        """The held card, if it still belongs to this visit's identity."""
        held = self._held
        if held is None or self.flow.session.identity is not held.identity:
            self._held, self._away = None, False
            return None
        return held

    @property
    def away(self) -> bool:
        """The held card is out and the warning is up."""
        with self._lock:
            return self._current() is not None and self._away

    def identified(self, reader: CardReader, card: CardData) -> None:
        """A card identified the citizen on ``reader`` (called after Flow.identify took it)."""
        with self._lock:
            if not reader.card_stays_in or self.flow.session.identity is not card:
                self._held, self._away = None, False
                return
            self._held = _Held(reader, self._digest(card), card)
            self._away = self._swap = False

    def expect_other_card(self, expected: bool) -> None:
        """The form asks (or no longer asks) for a family member's card: the citizen's own
        taken out then is expected, and the watch ends for the visit (GUI thread)."""
        with self._lock:
            self._swap = expected

    def removed(self, reader: CardReader, name: str) -> bool:
        """A card left ``reader`` (called ``name``): True when it was the held one, mid-visit
        (the warning published)."""
        with self._lock:
            held = self._current()
            if held is None or held.reader is not reader or self._away \
                    or self.flow.step not in WATCHED:
                return False
            if self._swap:  # out on purpose, for a family member's card: no longer watched
                self._held = None
                return False
            self._away = True
        self.events.publish(ev.HeldCardDidLeave(name))
        return True

    def card_read(self, reader: CardReader, card: CardData) -> bool:
        """A card read while the held one is out: True when this decided what it means (the
        same card: the visit carries on; another: the visit ends). False when not away."""
        with self._lock:
            held = self._current()
            if held is None or not self._away:
                return False
            same = hmac.compare_digest(held.digest, self._digest(card))
            if same:
                self._away = False
                self._held = _Held(reader, held.digest, held.identity)
            else:
                self._held, self._away = None, False
        if same:
            self.events.publish(ev.HeldCardDidReturn(reader.status().name))
        else:
            self.flow.reset()  # everything dropped, as on the idle timeout
            self.events.publish(ev.CardDidFail(
                OTHER_CARD, "A different card was inserted; the visit ended."))
        return True

    def release(self) -> None:
        """Stop watching for this visit: the citizen took their card out on purpose (to put a
        family member's card in for a relation field), or the visit is over."""
        with self._lock:
            self._held, self._away = None, False
