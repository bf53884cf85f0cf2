"""Turn a confirmed session into a durable, sealed outbox record; only then print.

A printed receipt promises the record is durable, so printing starts only after the
outbox commit returned. A refused enqueue is never shown as submitted. Each record gets a
query code (random digits) at submission: printed on the receipt and carried in its QR code,
kept in the receipt record for reprints, and sent beside the sealed envelope so the platform
can check status lookups against its keyed hash (docs/tracking-lookup.md).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC
from zoneinfo import ZoneInfo

from devices.printers.base import PrinterError, ReceiptPrinter
from kiosk.config import Config
from kiosk.platform_link.enrolment import sealing_target
from kiosk.receipts import receipt_from_record, receipt_record
from kiosk.records.holder_tag import holder_tag, load_or_create_tag_key
from kiosk.session import CitizenSession
from kiosk.tracking.numbers import make_tracking_number, new_query_code, status_link
from sync.clock import Clock
from sync.outbox.errors import OutboxError
from sync.outbox.store import Outbox
from sync.sealing import Encapsulation, load_public_key, seal
from sync.sealing import prepare as prepare_seal

log = logging.getLogger(__name__)


class SubmitError(Exception):
    """The record was not stored; ``code`` says why, for the UI's translated words."""

    def __init__(self, message: str, code: str = "incomplete") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Submitted:
    txid: str
    tracking_number: str
    receipt: dict = field(repr=False)  # holds the query code


@dataclass(frozen=True)
class PrintOutcome:
    printed: bool
    message: str = ""


class Submitter:
    def __init__(
        self,
        config: Config,
        outbox: Outbox,
        clock: Clock,
        *,
        query_codes: Callable[[], str] = new_query_code,
    ) -> None:
        self._config = config
        self._outbox = outbox
        self._clock = clock
        self._query_codes = query_codes  # randomness, injected like the clock
        self._tz = ZoneInfo(config.kiosk.timezone)
        self._prepared: tuple[str, Encapsulation] | None = None  # (platform key, its KEM half)
        self._tag_key: bytes | None = None  # kiosk/records/holder_tag.py, read at first use

    def prepare(self) -> None:
        """The confirm screen is open: do the costly half of the coming seal now.

        The KEM half of HPKE (a fresh X25519 key and one exchange) does not depend on the
        application, so it is done here, on the device job thread, while the citizen reads;
        what is left for :meth:`submit` inside the outbox transaction is the key schedule and
        one encryption. Used once; replaced at the next confirm screen.
        """
        target = sealing_target(self._config)
        if target is not None:
            self._prepared = (target.key, prepare_seal(load_public_key(target.key)))

    def submit(self, session: CitizenSession) -> Submitted:
        service, card, txid = session.service, session.identity, session.txid
        if service is None or card is None or txid is None:
            raise SubmitError("The application is incomplete.")
        target = sealing_target(self._config)
        if target is None:
            raise SubmitError("This kiosk has no platform key yet; please call staff.", "no_key")
        now = self._clock.now()
        local = now.astimezone(self._tz)
        cfg = self._config
        # Parsed before the outbox transaction opens: build() runs while it holds the writer.
        public_key = load_public_key(target.key)
        prepared, self._prepared = self._prepared, None
        ready = prepared[1] if prepared is not None and prepared[0] == target.key else None
        code = self._query_codes()
        if self._tag_key is None:
            self._tag_key = load_or_create_tag_key(cfg.data_dir)
        tag_key = self._tag_key

        def build(daily_seq: int) -> tuple[bytes, dict]:
            tracking = make_tracking_number(cfg.kiosk.code, local.date(), daily_seq)
            meta = {
                "txid": txid,
                "kiosk_id": cfg.kiosk.id,
                "service_code": service.code,
                "tracking_number": tracking,
                "created_at": now.astimezone(UTC).isoformat(),
                # How the applicant was identified (a card, an electronic code, a typed
                # number) and who confirmed a typed one: readable by the platform, bound in.
                "identified_by": card.kind.value,
                **({"assisted_by": session.assisted_by} if session.assisted_by else {}),
            }
            payload = {
                **meta,
                "applicant": {
                    "card_kind": card.kind.value,
                    "name": card.name,
                    "gender": card.gender,
                    "nation": card.nation,
                    "birth_date": card.birth_date.isoformat() if card.birth_date else None,
                    "id_number": card.id_number,
                    "card_number": card.card_number,
                    "region": card.region,
                },
                "form": session.form,
            }
            envelope = seal(
                json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8"),
                public_key,
                target.key_id,
                meta,
                prepared=ready,
            )
            qr = status_link(cfg.platform.status_url, tracking, code)
            record = receipt_record(
                service, card.name, card.id_number, session.form, tracking, qr, local,
                cfg.kiosk.id, query_code=code,
            )
            # Which citizen's it is, for 我的办件 on this kiosk (a keyed tag: kiosk/records).
            record["holder_tag"] = holder_tag(tag_key, card.id_number)
            return envelope, record

        try:
            stored = self._outbox.enqueue(
                txid=txid,
                service_code=service.code,
                daily_key=f"{local:%Y%m%d}",
                build=build,
                query_code=code,
            )
        except OutboxError as exc:
            log.error("enqueue refused (%s): %s", exc.code, exc)
            raise SubmitError(str(exc), exc.code) from exc
        receipt = stored.receipt
        return Submitted(txid=txid, tracking_number=receipt["tracking_number"], receipt=receipt)


def print_receipt(printer: ReceiptPrinter, record: dict) -> PrintOutcome:
    """Print a stored receipt record; a failure is reported in words, never raised."""
    try:
        printer.print_receipt(receipt_from_record(record))
    except PrinterError as exc:
        log.warning("receipt not printed: %s", exc.status.value)
        return PrintOutcome(False, str(exc))
    return PrintOutcome(True)


