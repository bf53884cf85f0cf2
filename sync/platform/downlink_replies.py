"""Protocol v1, the downlink's replies: what the platform serves and the kiosk checks.

The catalogue and the staff list as served (exact bytes, ETag, signature headers), the status
feed's pages and the heartbeat's answer. The ``parse_*`` functions check a reply's shape and
raise ``ValueError`` for the client to wrap in a
:class:`~sync.platform.errors.PlatformProtocolError`. Paths, headers, ids and statuses are in
:mod:`sync.platform.protocol`; like it, this module touches no network.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sync.platform.protocol import (
    HEADER_CATALOG_KEY_ID,
    HEADER_CATALOG_SIGNATURE,
    HEADER_CATALOG_VERSION,
    HEADER_STAFF_KEY_ID,
    HEADER_STAFF_SIGNATURE,
    STATUSES,
    is_uuid,
)


@dataclass(frozen=True)
class CatalogDownload:
    """A catalogue as served: exact bytes, their ETag and the platform's signature (base64).

    ``body`` is None for 304 Not Modified (the copy the kiosk has is current).
    """

    body: bytes | None
    etag: str | None
    signature: str | None
    key_id: str | None
    version: str | None

    @property
    def not_modified(self) -> bool:
        return self.body is None

    def __repr__(self) -> str:
        size = "not modified" if self.body is None else f"{len(self.body)} bytes"
        return f"CatalogDownload({size}, etag={self.etag!r}, version={self.version!r})"


@dataclass(frozen=True)
class StaffDownload:
    """The staff credential document as served: exact bytes, ETag, signature (base64).

    ``body`` is None for 304 Not Modified. Checked by :mod:`sync.downlink.staff`, not here.
    """

    body: bytes | None
    etag: str | None
    signature: str | None
    key_id: str | None

    @property
    def not_modified(self) -> bool:
        return self.body is None

    def __repr__(self) -> str:
        size = "not modified" if self.body is None else f"{len(self.body)} bytes"
        return f"StaffDownload({size}, etag={self.etag!r})"


@dataclass(frozen=True)
class StatusChange:
    """One status move of one of this kiosk's transactions (no personal data)."""

    seq: int
    txid: str
    status: str
    previous: str
    changed_at: float
    tracking_number: str | None = None


@dataclass(frozen=True)
class StatusPage:
    changes: tuple[StatusChange, ...]
    cursor: int
    more: bool
    head: int


@dataclass(frozen=True)
class HeartbeatAck:
    server_time: float
    offset_seconds: float  # platform clock minus the clock the kiosk reported


def header(headers: Mapping[str, str], name: str) -> str | None:
    """Case-insensitive header lookup over a plain dict."""
    lowered = name.lower()
    for key, value in headers.items():
        if key.lower() == lowered:
            return value
    return None


def catalog_download(headers: Mapping[str, str], body: bytes | None) -> CatalogDownload:
    return CatalogDownload(
        body=body,
        etag=header(headers, "etag"),
        signature=header(headers, HEADER_CATALOG_SIGNATURE),
        key_id=header(headers, HEADER_CATALOG_KEY_ID),
        version=header(headers, HEADER_CATALOG_VERSION),
    )


def staff_download(headers: Mapping[str, str], body: bytes | None) -> StaffDownload:
    return StaffDownload(
        body=body,
        etag=header(headers, "etag"),
        signature=header(headers, HEADER_STAFF_SIGNATURE),
        key_id=header(headers, HEADER_STAFF_KEY_ID),
    )


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{what} is not a number")
    return float(value)


def _int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{what} is not a non-negative integer")
    return value


def parse_status_page(doc: dict[str, Any], cursor: int) -> StatusPage:
    """Check a status page: changes strictly increasing and above ``cursor``, known statuses."""
    raw = doc.get("changes")
    if not isinstance(raw, list):
        raise ValueError("status reply has no changes list")
    changes: list[StatusChange] = []
    last = cursor
    for item in raw:
        if not isinstance(item, dict):
            raise ValueError("status change is not an object")
        seq = _int(item.get("seq"), "change seq")
        if seq <= last:
            raise ValueError("status changes are not strictly increasing above the cursor")
        last = seq
        txid, status, previous = item.get("id"), item.get("status"), item.get("previous")
        if not is_uuid(txid):
            raise ValueError("status change has no transaction id")
        if status not in STATUSES or previous not in STATUSES:
            raise ValueError("status change has an unknown status")
        tracking = item.get("tracking_number")
        if tracking is not None and not isinstance(tracking, str):
            raise ValueError("tracking number is not text")
        changes.append(
            StatusChange(
                seq=seq,
                txid=txid,
                status=status,
                previous=previous,
                changed_at=_number(item.get("changed_at"), "changed_at"),
                tracking_number=tracking,
            )
        )
    next_cursor = _int(doc.get("cursor"), "cursor")
    if next_cursor != last:
        raise ValueError("status reply cursor does not match its last change")
    more = doc.get("more")
    if not isinstance(more, bool):
        raise ValueError("status reply has no more flag")
    return StatusPage(tuple(changes), next_cursor, more, _int(doc.get("head"), "head"))


def parse_heartbeat_ack(doc: dict[str, Any]) -> HeartbeatAck:
    return HeartbeatAck(
        server_time=_number(doc.get("server_time"), "server_time"),
        offset_seconds=_number(doc.get("offset_seconds"), "offset_seconds"),
    )
