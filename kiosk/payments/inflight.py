"""An order that a crash left open: kept by id only, and closed when the kiosk is back.

Before the kiosk asks the platform to make an order it writes the order's id (nothing
personal: no account, no amount) to ``<data_dir>/payment_inflight.json`` (replaced whole,
mode 0600), and removes it once the platform's word has ended the payment on screen. A kiosk
that crashed or lost power mid-payment finds the file at its next contact with the platform
and cancels the order if it is still pending: the citizen has gone, and a phone that pays it
afterwards is refunded by the platform; a bill is never paid twice (docs/payments.md).
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import Protocol

from sync.atomic_file import write_atomic
from sync.platform.errors import PlatformError
from sync.platform.payments import OrderAnswer

log = logging.getLogger(__name__)

INFLIGHT_FILE = "payment_inflight.json"


class CancellingClient(Protocol):
    def payment_order(self, order_id: str) -> OrderAnswer: ...

    def cancel_payment_order(self, order_id: str) -> OrderAnswer: ...


class InflightOrders:
    """The one order this kiosk may have open, on disk while the platform has not ended it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def hold(self, order_id: str) -> None:
        with self._lock:
            write_atomic(self.path, json.dumps({"order_id": order_id}).encode("utf-8"), 0o600)

    def release(self, order_id: str) -> None:
        with self._lock:
            if self._read() == order_id:
                self.path.unlink(missing_ok=True)

    def leftover(self) -> str | None:
        with self._lock:
            return self._read()

    def _read(self) -> str | None:
        try:
            doc = json.loads(self.path.read_text("utf-8"))
        except FileNotFoundError:
            return None
        except (ValueError, OSError) as exc:
            log.warning("the open payment order file is unreadable (%s): dropped", exc)
            self.path.unlink(missing_ok=True)
            return None
        order_id = doc.get("order_id") if isinstance(doc, dict) else None
        return order_id if isinstance(order_id, str) else None

    def close_leftover(self, client: CancellingClient) -> OrderAnswer | None:
        """Cancel the order a crash left open (if the platform still has it pending); the
        platform's word on it, or None when there was none or the platform did not answer
        (the file stays for the next try)."""
        order_id = self.leftover()
        if order_id is None:
            return None
        try:
            order = client.payment_order(order_id)
            if order.status == "pending":
                order = client.cancel_payment_order(order_id)
        except PlatformError as exc:
            if getattr(exc, "status", None) != 404:
                log.info("the order left open by a restart is not closed yet: %s", exc)
                return None
            log.warning("the order left open by a restart is unknown to the platform")
            self.release(order_id)
            return None
        log.warning("payment order %s, left open by a restart, is now %s", order.order_no,
                    order.status)
        self.release(order_id)
        return order
