"""The device-job-thread work behind 我的办件: gather the transactions, have the card check the
PIN, ask the platform for the records. Each ends in a ``RecordsDidChange`` event.

The questions go to the platform live (signed, over TLS, the ID number in the body), and the
answers only into the session's :class:`~kiosk.records.visit.RecordsVisit`: nothing here is
written to disk or logged (log lines name the stage and the kind of failure only).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from devices.cards.base import CardReader, CardReaderError
from sync.platform.errors import PlatformError, PlatformUnavailableError

from .. import events as ev
from .holder_tag import holder_tag, load_or_create_tag_key
from .local import queued_here
from .visit import RecordsStage, RecordsVisit

if TYPE_CHECKING:
    from sync.platform.client import PlatformClient

    from ..core import KioskCore

log = logging.getLogger(__name__)


def _publish(core: KioskCore, visit: RecordsVisit, message: str = "") -> None:
    core.events.publish(ev.RecordsDidChange(visit.stage.value, message))


def _client(core: KioskCore) -> PlatformClient:
    from kiosk.platform_link.enrolment import platform_client  # requests loads here

    return platform_client(core.config)


def _platform_reachable(core: KioskCore) -> bool:
    return not core.linked or core.poller.online is not False


def load_overview(core: KioskCore, visit: RecordsVisit) -> None:
    """This kiosk's queued transactions of the citizen and, online, all of the platform's."""
    card, method = visit.card, visit.method
    if card is None or method is None:
        return
    tag = holder_tag(load_or_create_tag_key(core.config.data_dir), card.id_number)
    local = queued_here(core.outbox, tag)
    remote = None
    if _platform_reachable(core):
        client = _client(core)
        try:
            remote = client.my_transactions(card.id_number, method)
        except PlatformError as exc:
            log.warning("my transactions: the platform did not answer (%s)", exc.kind)
        finally:
            client.close()
    titles = {s.code: s.text("zh_CN") for s in core.catalog.services}
    if visit.transactions_loaded(local, remote, titles):
        _publish(core, visit)


def pin_reader(core: KioskCore) -> CardReader | None:
    return next((r for r in core.readers if r.checks_pins), None)


def check_pin_and_load(core: KioskCore, visit: RecordsVisit, pin: str) -> None:
    """The card checks the PIN (VERIFY); when it says yes, the platform is asked."""
    reader = pin_reader(core)
    try:
        if reader is None:
            raise CardReaderError("no_pin", "This kiosk cannot check a card PIN.")
        verdict = reader.verify_pin(pin)
    except (CardReaderError, ValueError) as exc:
        reason = exc.reason if isinstance(exc, CardReaderError) else "pin_form"
        log.warning("card PIN check failed: %s", reason)
        visit.factor_failed(reason)
        _publish(core, visit, reason)
        return
    finally:
        del pin  # the only copy past the keypad; gone with this frame
    if not visit.pin_checked(verdict):
        _publish(core, visit, visit.closed_reason)
        return
    load_records(core, visit)


def load_records(core: KioskCore, visit: RecordsVisit) -> None:
    """Ask the platform for the records with the proven factor."""
    from sync.platform.client import RecordsRefusedError

    card, method, factor = visit.card, visit.method, visit.factor
    if card is None or method is None or factor is None or visit.stage is not \
            RecordsStage.CHECKING:
        return
    if not _platform_reachable(core):
        visit.records_failed("offline")
        _publish(core, visit, "offline")
        return
    client = _client(core)
    try:
        records = client.my_records(card.id_number, method, factor)
    except RecordsRefusedError as exc:
        log.warning("records refused by the platform: %s", exc.refusal)
        visit.records_failed("refused")
        _publish(core, visit, "refused")
        return
    except PlatformUnavailableError as exc:
        log.warning("records: the platform did not answer (%s)", exc.kind)
        visit.records_failed("offline")
        _publish(core, visit, "offline")
        return
    except PlatformError as exc:
        log.warning("records: the platform's answer was refused (%s)", exc.kind)
        visit.records_failed("error")
        _publish(core, visit, "error")
        return
    finally:
        client.close()
    visit.records_loaded(records)
    _publish(core, visit, "" if records is not None else "none")
