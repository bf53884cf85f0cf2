"""The citizen's jobs that run on the kiosk's device job thread: submit and print, store a
rating. Each reports through the core's events; none raises into the GUI."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from kiosk import events as ev
from kiosk.flow import Step

if TYPE_CHECKING:
    from kiosk.core import KioskCore
    from kiosk.ratings import RatingChoice
    from kiosk.submission import Submitted

log = logging.getLogger(__name__)


def submit_and_print(core: KioskCore) -> None:
    """Seal and enqueue the confirmed session; only once the record is durable, print."""
    from kiosk.submission import SubmitError, print_receipt

    flow, events = core.flow, core.events
    try:
        done = core.submitter.submit(flow.session)
    except SubmitError as exc:
        flow.submit_failed()
        events.publish(ev.SubmitDidFail(str(exc), exc.code))
        return
    except Exception:
        # Back to confirm, where the citizen can retry or call staff: the txid is kept, so a
        # retry cannot store a second record. The future carries the error to the UI's log.
        if flow.step is Step.SUBMITTING:
            flow.submit_failed()
        raise
    flow.submitted(done.tracking_number)
    events.publish(ev.OutboxDidEnqueue(done.txid, done.tracking_number))
    core.worker.wake()
    try:
        outcome = print_receipt(core.printer, done.receipt)
    except Exception as exc:
        # Stored, but not printed: the receipt screen shows the number, as for a dead printer.
        events.publish(unprinted(done, type(exc).__name__))
        raise
    if outcome.printed:
        flow.session.printed = True
        events.publish(ev.ReceiptDidPrint(done.tracking_number))
    else:
        events.publish(unprinted(done, outcome.message))


def unprinted(done: Submitted, message: str) -> ev.ReceiptDidFail:
    """The event for a stored record whose receipt did not print: the screen shows its number."""
    receipt = done.receipt
    return ev.ReceiptDidFail(
        done.tracking_number,
        message,
        qr_payload=str(receipt.get("qr_payload", "")),
        query_code=str(receipt.get("query_code", "")),
    )


def store_rating(core: KioskCore, choice: RatingChoice) -> None:
    """Keep the rating in the outbox (it leaves with the next sync round); a refusal is an
    event, the citizen's farewell is not held up by it."""
    from kiosk.ratings import record_rating
    from sync.outbox.errors import OutboxError

    try:
        record_rating(core.outbox, core.config.kiosk.id, choice, core.clock.now())
    except (OutboxError, ValueError) as exc:
        log.error("rating of %s not stored: %s", choice.txid, exc)
        core.events.publish(ev.RatingDidFail(choice.txid, str(exc)))
        return
    core.events.publish(ev.RatingDidStore(choice.txid, choice.level))
    core.worker.wake()
