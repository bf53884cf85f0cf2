"""HTTP client for the central platform (protocol v1).

Every call has an overall deadline: requests' ``timeout`` only bounds each socket wait, so
responses are read streamed, in whatever pieces arrive, against a deadline and a size cap.
Transient trouble (network, 5xx, 429, TLS) raises PlatformUnavailable so the worker backs off;
a reply that makes no sense raises PlatformProtocolError; a refused signature (401/403 with a
machine-readable reason: clock_skew, revoked, unknown_kiosk, bad_signature, replayed ...)
raises PlatformAuthError. None of them ever quarantines a record.

With a ``signer`` every request but the health check carries the kiosk's signature (see
:mod:`sync.signing`); TLS verification is always on, against the system store or a CA bundle,
and plain HTTP is refused except to loopback addresses (tests and the demo).
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.structures import CaseInsensitiveDict

from sync.downlink_protocol import (
    CATALOG_PATH,
    HEARTBEAT_PATH,
    STAFF_PATH,
    STATUS_PATH,
    CatalogDownload,
    HeartbeatAck,
    StaffDownload,
    StatusPage,
    catalog_download,
    parse_heartbeat_ack,
    parse_status_page,
    staff_download,
)
from sync.sealing import payload_hash
from sync.signing import RequestSigner
from sync.tls import TLSConfigError, describe_tls_failure, is_loopback_host, verify_option

log = logging.getLogger(__name__)

MAX_RESPONSE_BYTES = 1024 * 1024
VERDICTS = frozenset({"accepted", "duplicate", "conflict", "rejected"})
BATCH_PATH = "/v1/transactions/batch"
MESSAGES_PATH = "/v1/messages/batch"  # ratings and staff calls: signed, plain JSON
CALLS_PATH = "/v1/calls"
CALL_STATES = frozenset({"raised", "acknowledged", "cleared", "cancelled"})
HEALTH_PATH = "/v1/health"
WHOAMI_PATH = "/v1/whoami"
ENROLL_PATH = "/v1/enroll"


class PlatformError(Exception):
    """Base class: the upload did not produce per-item verdicts."""


class PlatformUnavailableError(PlatformError):
    """The platform cannot be reached or asked us to wait (network error, 5xx, 429)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


PlatformUnavailable = PlatformUnavailableError  # the name the rest of the kiosk uses


class PlatformTLSError(PlatformUnavailableError):
    """The TLS connection failed: untrusted or mismatched certificate, or a bad CA bundle."""


class PlatformAuthError(PlatformError):
    """The platform refused this kiosk's signature (HTTP 401/403). Never a record's fault.

    ``reason`` is the platform's machine-readable reason (``clock_skew``, ``revoked``,
    ``unknown_kiosk`` (older platforms; the reference platform says ``bad_signature`` for
    an id it has no key for), ``bad_signature``, ``replayed``, ``missing_signature``,
    ``kiosk_mismatch``, ``kiosk_code_missing`` (the platform has no kiosk code on record for
    this kiosk, so it takes none of its tracking numbers yet); ``unauthorized``/``forbidden``
    if it gave none). With ``clock_skew``
    the platform sends its time: ``server_time`` (Unix seconds) and ``offset_seconds``
    (platform minus kiosk clock) say how far off the kiosk is.
    """

    def __init__(
        self,
        message: str,
        reason: str,
        status: int,
        server_time: float | None = None,
        offset_seconds: float | None = None,
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.status = status
        self.server_time = server_time
        self.offset_seconds = offset_seconds


class EnrolmentError(PlatformAuthError):
    """Enrolment refused the token: ``token_invalid``, ``token_used``, ``token_expired`` or
    ``token_cancelled``."""


class PlatformProtocolError(PlatformError):
    """The platform answered something this client does not understand."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class ItemResult:
    """The platform's verdict on one uploaded record."""

    verdict: str
    reason: str | None = None

    @property
    def is_success(self) -> bool:
        return self.verdict in ("accepted", "duplicate")


@dataclass(frozen=True)
class WhoAmI:
    """The platform's view of this kiosk after a signed round trip."""

    kiosk_id: str
    server_time: float
    offset_seconds: float  # platform clock minus kiosk clock, at the reply


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # HTTP-date form: ignore, the backoff policy still applies


class PlatformClient:
    """Talks to one platform as one kiosk. Use from one thread at a time.

    ``signer`` (from ``KioskIdentity.signer(kiosk_id)``) signs every request except the health
    check; without one, requests go unsigned, which only a platform started with
    ``--allow-unsigned`` accepts (the transition until every kiosk is enrolled).
    ``ca_bundle`` is a PEM file of CAs to trust instead of the system store.
    """

    def __init__(
        self,
        base_url: str,
        kiosk_id: str,
        timeout: float = 5.0,
        session: requests.Session | None = None,
        *,
        signer: RequestSigner | None = None,
        ca_bundle: str | os.PathLike[str] | None = None,
        allow_plain_http: bool = False,
        ping_timeout: float = 2.0,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("base_url must be an http(s) URL")
        plain = parts.scheme == "http" and not allow_plain_http
        if plain and not is_loopback_host(parts.hostname or ""):
            raise ValueError("plain HTTP is only allowed to loopback; use an https:// URL")
        if not kiosk_id:
            raise ValueError("kiosk_id must not be empty")
        if signer is not None and signer.kiosk_id != kiosk_id:
            raise ValueError("the signer belongs to another kiosk id")
        self.base_url = base_url.rstrip("/")
        self._path_prefix = urlsplit(self.base_url).path
        self.kiosk_id = kiosk_id
        self.signer = signer
        self.ca_bundle = ca_bundle
        self.timeout = timeout
        self.ping_timeout = ping_timeout
        self.max_response_bytes = max_response_bytes
        self._monotonic = monotonic
        self._session = session or requests.Session()
        self._warned_unsigned = False

    def __repr__(self) -> str:
        return f"PlatformClient({self.base_url!r}, kiosk_id={self.kiosk_id!r})"

    def close(self) -> None:
        self._session.close()

    # -- transport -----------------------------------------------------------------------------

    def _wall_clock(self) -> float:
        return self.signer.clock() if self.signer is not None else time.time()

    def _request(
        self,
        method: str,
        path: str,
        deadline_s: float,
        body: bytes | None = None,
        *,
        sign: bool = True,
        extra_headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        """One exchange, bounded as a whole by ``deadline_s`` and ``max_response_bytes``.

        Signed just before sending, so every attempt has its own timestamp and nonce.
        """
        deadline = self._monotonic() + deadline_s
        headers = {"Accept": "application/json", **(extra_headers or {})}
        if body is not None:
            headers["Content-Type"] = "application/json"
        if sign and self.signer is not None:
            headers.update(self.signer.headers(method, self._path_prefix + path, body))
        elif sign and not self._warned_unsigned:
            self._warned_unsigned = True
            log.warning("platform requests are unsigned: this kiosk has no identity configured")
        try:
            verify = verify_option(self.ca_bundle)
        except TLSConfigError as exc:
            raise PlatformTLSError(str(exc)) from exc
        try:
            response = self._session.request(
                method,
                self.base_url + path,
                data=body,
                headers=headers,
                timeout=(deadline_s, deadline_s),
                stream=True,
                allow_redirects=False,
                verify=verify,
            )
        except requests.exceptions.SSLError as exc:
            raise PlatformTLSError(describe_tls_failure(exc)) from exc
        except requests.RequestException as exc:
            raise PlatformUnavailable(f"platform unreachable: {type(exc).__name__}") from exc
        try:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > self.max_response_bytes:
                raise PlatformProtocolError("response too large", response.status_code)
            chunks: list[bytes] = []
            size = 0
            raw = response.raw
            while True:
                remaining = deadline - self._monotonic()
                if remaining <= 0:
                    raise PlatformUnavailable("platform response exceeded the deadline")
                self._set_read_timeout(response, remaining)
                chunk = raw.read1(64 * 1024)
                if not chunk:
                    break
                size += len(chunk)
                if size > self.max_response_bytes:
                    raise PlatformProtocolError("response too large", response.status_code)
                chunks.append(chunk)
        except PlatformError:
            raise
        except Exception as exc:  # requests, urllib3 and socket errors alike
            if self._monotonic() >= deadline:
                raise PlatformUnavailable("platform response exceeded the deadline") from exc
            raise PlatformUnavailable(f"platform connection failed: {type(exc).__name__}") from exc
        finally:
            response.close()
        # Header names are case-insensitive (uvicorn sends them in lower case).
        return response.status_code, CaseInsensitiveDict(response.headers), b"".join(chunks)

    @staticmethod
    def _set_read_timeout(response: requests.Response, remaining: float) -> None:
        """Shrink the socket timeout to what is left of the deadline (best effort)."""
        sock = getattr(getattr(response.raw, "_fp", None), "fp", None)
        raw_sock = getattr(sock, "raw", None)
        inner = getattr(raw_sock, "_sock", None)
        if inner is not None:
            inner.settimeout(max(0.001, remaining))

    # -- protocol ------------------------------------------------------------------------------

    def upload(
        self, records: list[tuple[str, bytes]], query_codes: Mapping[str, str] | None = None
    ) -> dict[str, ItemResult]:
        """Send ``(txid, envelope)`` pairs; return the platform's verdict for each id it judged.

        ``query_codes`` gives a record's receipt query code, sent beside its envelope in the
        signed body (the platform keeps only a keyed hash of it). Ids missing from the answer
        are simply absent (the caller retries them later).
        """
        if not records:
            return {}
        codes = query_codes or {}
        items: list[dict[str, str]] = []
        for txid, envelope in records:
            item = {
                "id": txid,
                "envelope": base64.b64encode(envelope).decode("ascii"),
                "payload_hash": payload_hash(envelope),
            }
            if codes.get(txid):
                item["query_code"] = codes[txid]
            items.append(item)
        body = json.dumps(
            {"kiosk_id": self.kiosk_id, "items": items}, separators=(",", ":")
        ).encode("utf-8")
        status, headers, content = self._request("POST", BATCH_PATH, self.timeout, body)
        self._check_status(status, headers, content, "the batch")
        return self._parse_results(content, {txid for txid, _ in records})

    def upload_messages(self, messages: list[tuple[str, str, bytes]]) -> dict[str, ItemResult]:
        """Send ``(id, kind, body)`` messages (ratings, staff calls): plain JSON bodies, no
        sealing, in a signed request; the platform's verdict per id, as for :meth:`upload`.

        Each body travels as the exact text stored in the outbox, with its SHA-256, so a
        retry is byte for byte the same message and the platform can tell a duplicate.
        """
        if not messages:
            return {}
        items = [
            {"id": message_id, "kind": kind, "body": body.decode("utf-8"),
             "body_hash": payload_hash(body)}
            for message_id, kind, body in messages
        ]
        doc = {"kiosk_id": self.kiosk_id, "items": items}
        body = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        status, headers, content = self._request("POST", MESSAGES_PATH, self.timeout, body)
        self._check_status(status, headers, content, "the messages")
        return self._parse_results(content, {message_id for message_id, _, _ in messages})

    def call_state(self, call_id: str) -> dict[str, Any] | None:
        """GET /v1/calls/{id} (signed): where one of this kiosk's staff calls stands on the
        platform (acknowledged, cleared ...); None if the platform does not know it."""
        if not call_id or "/" in call_id or "?" in call_id:
            raise ValueError("not a call id")
        path = f"{CALLS_PATH}/{call_id}"
        status, headers, content = self._request("GET", path, self.timeout)
        if status == 404:
            return None
        self._check_status(status, headers, content, "the call request")
        try:
            doc = json.loads(content.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise PlatformProtocolError("call reply is not JSON", status) from exc
        if not isinstance(doc, dict) or doc.get("call_id") != call_id \
                or doc.get("state") not in CALL_STATES:
            raise PlatformProtocolError("call reply lacks the call or a known state", status)
        return doc

    def _check_status(
        self, status: int, headers: dict[str, str], content: bytes, what: str
    ) -> None:
        """Raise the error that fits a non-200 reply; return quietly on 200."""
        if status == 200:
            return
        if status == 429 or status == 408 or status >= 500:
            raise PlatformUnavailable(
                f"platform busy or failing (HTTP {status})",
                retry_after=_retry_after(headers.get("Retry-After")),
            )
        if status in (401, 403):
            raise self._auth_error(status, content, what)
        raise PlatformProtocolError(f"platform refused {what} (HTTP {status})", status)

    def _auth_error(self, status: int, content: bytes, what: str) -> PlatformAuthError:
        doc: Any = None
        with contextlib.suppress(UnicodeDecodeError, ValueError):
            doc = json.loads(content.decode("utf-8"))
        doc = doc if isinstance(doc, dict) else {}
        reason = doc.get("reason")
        if not isinstance(reason, str) or not reason or len(reason) > 64:
            reason = "unauthorized" if status == 401 else "forbidden"
        server_time = doc.get("server_time")
        offset = None
        if isinstance(server_time, int | float) and not isinstance(server_time, bool):
            server_time = float(server_time)
            offset = server_time - self._wall_clock()
        else:
            server_time = None
        message = f"platform refused {what}: {reason} (HTTP {status})"
        if offset is not None and reason == "clock_skew":
            side = "behind" if offset > 0 else "ahead of"
            message += f"; the kiosk clock is {abs(offset):.0f} s {side} the platform's"
        kind = EnrolmentError if reason.startswith("token_") else PlatformAuthError
        return kind(message, reason, status, server_time, offset)

    @staticmethod
    def _parse_results(content: bytes, sent: set[str]) -> dict[str, ItemResult]:
        try:
            doc: Any = json.loads(content.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise PlatformProtocolError("batch reply is not JSON", 200) from exc
        results = doc.get("results") if isinstance(doc, dict) else None
        if not isinstance(results, list):
            raise PlatformProtocolError("batch reply has no results list", 200)
        verdicts: dict[str, ItemResult] = {}
        for item in results:
            if not isinstance(item, dict):
                raise PlatformProtocolError("batch result is not an object", 200)
            txid, verdict, reason = item.get("id"), item.get("verdict"), item.get("reason")
            if not isinstance(txid, str) or verdict not in VERDICTS:
                raise PlatformProtocolError("batch result lacks id or a known verdict", 200)
            if reason is not None and not isinstance(reason, str):
                raise PlatformProtocolError("batch result reason is not text", 200)
            if txid in sent:
                verdicts[txid] = ItemResult(verdict, reason)
        return verdicts

    def _json_reply(self, method: str, path: str, body: bytes | None, what: str) -> dict[str, Any]:
        status, headers, content = self._request(method, path, self.timeout, body)
        self._check_status(status, headers, content, what)
        try:
            doc = json.loads(content.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise PlatformProtocolError(f"reply to {what} is not JSON", status) from exc
        if not isinstance(doc, dict):
            raise PlatformProtocolError(f"reply to {what} is not an object", status)
        return doc

    def whoami(self) -> WhoAmI:
        """A signed round trip: proves the key is enrolled, not revoked and the clock in range.

        Raises PlatformAuthError with the reason when not (what ``kiosk diagnose`` shows).
        """
        doc = self._json_reply("GET", WHOAMI_PATH, None, "the identity check")
        kiosk_id, server_time = doc.get("kiosk_id"), doc.get("server_time")
        if not isinstance(kiosk_id, str) or not isinstance(server_time, int | float):
            raise PlatformProtocolError("identity reply lacks kiosk_id or server_time", 200)
        return WhoAmI(kiosk_id, float(server_time), float(server_time) - self._wall_clock())

    def post_enrolment(self, token: str, public_key_text: str) -> dict[str, Any]:
        """POST /v1/enroll (signed with the key being enrolled); the raw reply document.

        Use :func:`sync.identity.enroll`, which checks the reply and returns PlatformKeys.
        """
        if self.signer is None:
            raise ValueError("enrolment needs a signer: the platform checks key possession")
        body = json.dumps(
            {"kiosk_id": self.kiosk_id, "token": token, "public_key": public_key_text},
            separators=(",", ":"),
        ).encode("utf-8")
        return self._json_reply("POST", ENROLL_PATH, body, "the enrolment")

    def ping(self) -> bool:
        """True if the platform answers its health check in time; never raises."""
        try:
            status, _, content = self._request("GET", HEALTH_PATH, self.ping_timeout, sign=False)
            doc = json.loads(content.decode("utf-8"))
        except (PlatformError, UnicodeDecodeError, ValueError):
            return False
        return status == 200 and isinstance(doc, dict) and doc.get("status") == "ok"

    # -- downlink (sync.downlink) --------------------------------------------------------------

    def fetch_catalog(self, etag: str | None = None) -> CatalogDownload | None:
        """GET /v1/catalog (signed), conditional on ``etag``; None if none is published.

        The signature is not checked here: :class:`sync.downlink.CatalogSync` does that
        against the pinned catalogue key before anything is written.
        """
        extra = {"If-None-Match": etag} if etag else None
        status, headers, content = self._request(
            "GET", CATALOG_PATH, self.timeout, extra_headers=extra
        )
        if status == 304:
            return catalog_download(headers, None)
        if status == 404:
            return None
        self._check_status(status, headers, content, "the catalogue request")
        return catalog_download(headers, content)

    def fetch_staff(self, etag: str | None = None) -> StaffDownload | None:
        """GET /v1/staff (signed), conditional on ``etag``; None if none was ever issued.

        Signature and contents are checked by :class:`sync.staff_sync.StaffSync`.
        """
        extra = {"If-None-Match": etag} if etag else None
        status, headers, content = self._request(
            "GET", STAFF_PATH, self.timeout, extra_headers=extra
        )
        if status == 304:
            return staff_download(headers, None)
        if status == 404:
            return None
        self._check_status(status, headers, content, "the staff credential request")
        return staff_download(headers, content)

    def status_changes(self, cursor: int, limit: int = 100) -> StatusPage:
        """GET /v1/status (signed): this kiosk's status changes after ``cursor``."""
        if cursor < 0 or limit < 1:
            raise ValueError("cursor must be >= 0 and limit >= 1")
        path = f"{STATUS_PATH}?cursor={int(cursor)}&limit={int(limit)}"
        doc = self._json_reply("GET", path, None, "the status request")
        try:
            return parse_status_page(doc, cursor)
        except ValueError as exc:
            raise PlatformProtocolError(f"status reply: {exc}", 200) from exc

    def send_heartbeat(self, doc: dict[str, Any]) -> HeartbeatAck:
        """POST /v1/heartbeat (signed); the platform's clock comes back with the ack."""
        body = json.dumps(doc, separators=(",", ":"), sort_keys=True).encode("utf-8")
        reply = self._json_reply("POST", HEARTBEAT_PATH, body, "the heartbeat")
        try:
            return parse_heartbeat_ack(reply)
        except ValueError as exc:
            raise PlatformProtocolError(f"heartbeat reply: {exc}", 200) from exc
