"""Identification without a card: an electronic card code, or a typed ID number with staff help.

Both end where a card read ends, in :meth:`kiosk.flow.Flow.identify`, with a ``CardData``
whose ``kind`` says how the citizen was identified (``ELECTRONIC_CODE``, ``TYPED_NUMBER``), so
every later rule can tell the methods apart (a PIN-protected record needs the card itself; a
service may not accept an electronic code). A typed number also carries the staff member who
confirmed it (``assisted_by``), which reaches the platform in the envelope's metadata and the
``kiosk.audit`` log, never their PIN. See docs/identification.md.

An electronic code is resolved by the platform (a live question, signed, over TLS; never
written to the kiosk's disk): a refusal comes back as ``ecode_<reason>``, an unreachable
platform as ``ecode_offline``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import Protocol

from devices.cards.base import CardData, CardKind
from kiosk import events as ev
from kiosk.flow import Flow, FlowError, Step
from kiosk.id_numbers import IdCheck, validate_id_number
from sync.platform.ecodes import EcodeAnswer, ResolvedIdentity

log = logging.getLogger(__name__)
audit = logging.getLogger("kiosk.audit")

ECODE_OFFLINE = "ecode_offline"


class EcodeClient(Protocol):
    """What resolving needs of a platform client (sync.platform.client.PlatformClient)."""

    def resolve_ecode(self, code: str) -> EcodeAnswer: ...

    def close(self) -> None: ...


def _birth_date(id_number: str) -> date | None:
    try:
        return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None


def _gender(id_number: str) -> str:
    digit = id_number[16:17]
    return ("男" if int(digit) % 2 else "女") if digit.isdigit() else "未知"


def ecode_identity(who: ResolvedIdentity) -> CardData:
    """The identity an electronic code stands for, as the session holds a card's."""
    born = date.fromisoformat(who.birth_date) if who.birth_date else _birth_date(who.id_number)
    return CardData(
        kind=CardKind.ELECTRONIC_CODE, name=who.name, gender=who.gender or "未知",
        nation=who.nation, birth_date=born, address="", id_number=who.id_number.upper(),
        issuing_authority="", valid_from=None, valid_to=None, card_number=who.card_number,
        region=who.region or who.id_number[:6],
    )


def typed_identity(id_number: str) -> CardData:
    """An ID number typed at the kiosk: the number and what it says (birth date, gender)."""
    number = id_number.strip().upper()
    return CardData(
        kind=CardKind.TYPED_NUMBER, name="", gender=_gender(number), nation="",
        birth_date=_birth_date(number), address="", id_number=number, issuing_authority="",
        valid_from=None, valid_to=None, card_number="", region=number[:6],
    )


def report(flow: Flow, events: ev.EventBus, card: CardData, assisted_by: str | None = None
           ) -> IdCheck:
    """Identify with ``card`` and publish the outcome as a card read's would be."""
    try:
        verdict = flow.identify(card, assisted_by=assisted_by)
    except FlowError:  # the citizen left the identify step meanwhile: nothing is kept
        return IdCheck(False, "not_expected", "The identify step is over.")
    if verdict.ok:
        masked = card.masked()
        events.publish(ev.CardDidRead(masked.name, masked.id_number))
    else:
        events.publish(ev.CardDidFail(verdict.reason, verdict.message))
    return verdict


def resolve_ecode(flow: Flow, events: ev.EventBus, code: str,
                  client_factory: Callable[[], EcodeClient]) -> IdCheck:
    """Ask the platform whom ``code`` belongs to (on the device job thread), then identify."""
    from sync.platform.errors import PlatformError

    if flow.step not in (Step.IDENTIFY, Step.RECORDS):  # 我的办件 identifies by code too
        return IdCheck(False, "not_expected", "The identify step is over.")
    try:
        client = client_factory()
    except Exception as exc:  # e.g. a platform URL the client refuses
        log.warning("electronic card code: no platform client (%s)", exc)
        return _failed(events, ECODE_OFFLINE, "The platform cannot be asked now.")
    try:
        answer = client.resolve_ecode(code)
    except PlatformError as exc:
        log.warning("electronic card code not resolved: %s (%s)", exc.kind.value, exc)
        return _failed(events, ECODE_OFFLINE, "The platform did not answer.")
    finally:
        client.close()
    if answer.identity is None:
        log.info("electronic card code refused by the platform: %s", answer.reason)
        return _failed(events, f"ecode_{answer.reason}",
                       f"The electronic card code was refused ({answer.reason}).")
    return report(flow, events, ecode_identity(answer.identity))


def _failed(events: ev.EventBus, reason: str, message: str) -> IdCheck:
    events.publish(ev.CardDidFail(reason, message))
    return IdCheck(False, reason, message)


def check_typed_number(id_number: str, today: date) -> IdCheck:
    """The typed number's own check (length, region, birth date, check character)."""
    return validate_id_number(id_number.strip().upper(), today=today)


def confirm_typed_number(flow: Flow, events: ev.EventBus, id_number: str, staff_id: str,
                         kiosk_id: str) -> IdCheck:
    """A staff member (signed in, allowed ``confirm_identification``) vouches for a typed
    ID number: identify with it, marked as staff-assisted, and say so in the audit log."""
    verdict = report(flow, events, typed_identity(id_number), assisted_by=staff_id)
    if verdict.ok:
        audit.info("identification confirmed by staff %s at %s (typed ID number)", staff_id,
                   kiosk_id)
    return verdict
