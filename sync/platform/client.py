"""HTTP client for the central platform (protocol v1, :mod:`sync.platform.protocol`).

Every call has an overall deadline and a size cap on its reply: the bounded exchange itself
(TLS policy, the request, the streamed read) is :func:`sync.platform.exchange.exchange`.
What goes wrong raises an error of :mod:`sync.platform.errors` with a kind: transient trouble
(network, 5xx, 429, TLS) is a PlatformUnavailable so the worker backs off; a reply that makes
no sense is a PlatformProtocolError; a refused signature (401/403 with a machine-readable
reason: clock_skew, revoked, unknown_kiosk, bad_signature, replayed ...) is a
PlatformAuthError. None of them ever quarantines a record.

With a ``signer`` every request but the health check carries the kiosk's signature (see
:mod:`sync.platform.signing`); TLS verification is always on, against the system store or a
CA bundle, and plain HTTP is refused except to loopback addresses (tests and the demo).
"""
from __future__ import annotations

import base64
import json
import logging
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from sync.platform.downlink_replies import (
    CatalogDownload,
    HeartbeatAck,
    StaffDownload,
    StatusPage,
    catalog_download,
    parse_heartbeat_ack,
    parse_status_page,
    staff_download,
)
from sync.platform.ecodes import (
    ECODE_RESOLVE_PATH,
    EcodeAnswer,
    parse_resolve_answer,
    resolve_request_body,
)
from sync.platform.errors import (
    PlatformError,
    PlatformProtocolError,
    error_for_reply,
)
from sync.platform.exchange import exchange
from sync.platform.payments import (
    BILLS_PATH,
    ORDERS_PATH,
    Bill,
    BillQuery,
    OrderAnswer,
    OrderRequest,
    bill_query_body,
    cancel_path,
    order_path,
    order_request_body,
    parse_bill,
    parse_order,
)
from sync.platform.proofs import (
    PROOFS_PATH,
    IssuedProof,
    ProofRequest,
    parse_issued_proof,
    proof_request_body,
)
from sync.platform.protocol import (
    BATCH_PATH,
    CALL_STATES,
    CALLS_PATH,
    CATALOG_PATH,
    ENROLL_PATH,
    HEALTH_PATH,
    HEARTBEAT_PATH,
    MESSAGES_PATH,
    STAFF_PATH,
    STATUS_PATH,
    WHOAMI_PATH,
    ItemResult,
    parse_item_results,
)
from sync.platform.queue import (
    QUEUE_TICKETS_PATH,
    QueueTicketRequest,
    TicketAnswer,
    parse_ticket_answer,
    ticket_request_body,
)
from sync.platform.records import (
    CITIZEN_RECORDS_PATH,
    CITIZEN_TRANSACTIONS_PATH,
    REFUSAL_FACTOR,
    REFUSAL_STAFF,
    CitizenRecords,
    CitizenTransaction,
    SecondFactor,
    parse_records,
    parse_transactions,
    records_request_body,
    transactions_request_body,
)
from sync.platform.releases import (
    RELEASE_ARTIFACT_PATH,
    RELEASE_OFFER_PATH,
    ReleaseOffer,
    parse_offer,
)
from sync.platform.tls import check_base_url
from sync.sealing import payload_hash

if TYPE_CHECKING:  # requests loads with the first exchange: a kiosk paints its home screen first
    import requests

    from sync.platform.signing import RequestSigner

log = logging.getLogger(__name__)


class RecordsRefusedError(PlatformProtocolError):
    """The platform would not open the records with this second factor (``refusal``:
    second_factor, staff_unknown): a refusal for this citizen, not a broken link."""

    def __init__(self, refusal: str) -> None:
        super().__init__(f"the platform refused the records ({refusal})", 403)
        self.refusal = refusal


def _refusal(content: bytes) -> str | None:
    """The ``refusal`` (or, for 404, the detail) of a citizen-question answer, if it has one."""
    try:
        doc = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(doc, dict):
        return None
    value = doc.get("refusal", doc.get("detail"))
    return value if isinstance(value, str) else None

MAX_RESPONSE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class WhoAmI:
    """The platform's view of this kiosk after a signed round trip."""

    kiosk_id: str
    server_time: float
    offset_seconds: float  # platform clock minus kiosk clock, at the reply


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
        check_base_url(base_url, allow_plain_http)
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
        self._session = session  # made at the first exchange (see _http)
        self._warned_unsigned = False

    def __repr__(self) -> str:
        return f"PlatformClient({self.base_url!r}, kiosk_id={self.kiosk_id!r})"

    def close(self) -> None:
        if self._session is not None:
            self._session.close()

    def _http(self) -> requests.Session:
        if self._session is None:
            import requests

            self._session = requests.Session()
        return self._session

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
        sink: Callable[[bytes], object] | None = None,
        max_bytes: int | None = None,
    ) -> tuple[int, Mapping[str, str], bytes]:
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
        return exchange(
            self._http(), method, self.base_url + path, body, headers,
            deadline=deadline, deadline_s=deadline_s, ca_bundle=self.ca_bundle,
            max_response_bytes=max_bytes or self.max_response_bytes, monotonic=self._monotonic,
            sink=sink,
        )

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

    def take_queue_number(self, request: QueueTicketRequest) -> TicketAnswer:
        """POST /v1/queue/tickets (signed): the hall's next number for a window queue, or the
        ticket ``request.request_id`` already has (:mod:`sync.platform.queue`)."""
        body = ticket_request_body(self.kiosk_id, request)
        doc = self._json_reply("POST", QUEUE_TICKETS_PATH, body, "the queue number")
        try:
            return parse_ticket_answer(doc, request)
        except ValueError as exc:
            raise PlatformProtocolError(f"queue number reply: {exc}", 200) from exc

    def my_transactions(
        self, id_number: str, identified_by: str
    ) -> tuple[CitizenTransaction, ...]:
        """POST /v1/citizen/transactions (signed): every application of this citizen the
        platform holds, with status. The ID number goes in the body only."""
        body = transactions_request_body(self.kiosk_id, id_number, identified_by)
        doc = self._json_reply("POST", CITIZEN_TRANSACTIONS_PATH, body, "my transactions")
        try:
            return parse_transactions(doc)
        except ValueError as exc:
            raise PlatformProtocolError(f"transactions reply: {exc}", 200) from exc

    def my_records(
        self, id_number: str, identified_by: str, factor: SecondFactor
    ) -> CitizenRecords | None:
        """POST /v1/citizen/records (signed, with the second factor): None when the platform
        holds no records for this citizen; RecordsRefusedError when it does not take the
        factor."""
        body = records_request_body(self.kiosk_id, id_number, identified_by, factor)
        status, headers, content = self._request(
            "POST", CITIZEN_RECORDS_PATH, self.timeout, body)
        if status in (403, 404):
            refusal = _refusal(content)
            if status == 404 and refusal is not None:
                return None
            if status == 403 and refusal in (REFUSAL_FACTOR, REFUSAL_STAFF):
                raise RecordsRefusedError(refusal)
        self._check_status(status, headers, content, "my records")
        try:
            return parse_records(json.loads(content.decode("utf-8")), id_number)
        except (UnicodeDecodeError, ValueError) as exc:
            raise PlatformProtocolError(f"records reply: {exc}", 200) from exc

    def resolve_ecode(self, code: str) -> EcodeAnswer:
        """POST /v1/ecodes/resolve (signed): whom an electronic card code belongs to, or why
        it is refused (:mod:`sync.platform.ecodes`)."""
        body = resolve_request_body(self.kiosk_id, code)
        doc = self._json_reply("POST", ECODE_RESOLVE_PATH, body, "the electronic card code")
        try:
            return parse_resolve_answer(doc)
        except ValueError as exc:
            raise PlatformProtocolError(f"electronic card code reply: {exc}", 200) from exc

    def issue_proof(self, request: ProofRequest) -> IssuedProof:
        """POST /v1/proofs (signed): an official proof for an identified citizen, or the one
        ``request.request_id`` already issued (:mod:`sync.platform.proofs`)."""
        body = proof_request_body(self.kiosk_id, request)
        doc = self._json_reply("POST", PROOFS_PATH, body, "the proof")
        try:
            return parse_issued_proof(doc, request)
        except ValueError as exc:
            raise PlatformProtocolError(f"proof reply: {exc}", 200) from exc

    def _check_status(
        self, status: int, headers: Mapping[str, str], content: bytes, what: str
    ) -> None:
        """Raise the error that fits a non-200 reply; return quietly on 200."""
        error = error_for_reply(status, headers.get("Retry-After"), content, what,
                                self._wall_clock)
        if error is not None:
            raise error

    @staticmethod
    def _parse_results(content: bytes, sent: set[str]) -> dict[str, ItemResult]:
        try:
            doc: Any = json.loads(content.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise PlatformProtocolError("batch reply is not JSON", 200) from exc
        try:
            return parse_item_results(doc, sent)
        except ValueError as exc:
            raise PlatformProtocolError(str(exc), 200) from exc

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

    def audit_status(self) -> dict[str, Any]:
        """GET /v1/audit/status (signed): the platform's view of this kiosk's audit chain —
        entries held, the head its heartbeats named, and every break (docs/audit.md)."""
        return self._json_reply("GET", "/v1/audit/status", None, "the audit status")

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

        Use :func:`sync.kiosk_keys.enroll`, which checks the reply and returns PlatformKeys.
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

        The signature is not checked here: :class:`sync.downlink.catalog.CatalogSync` does that
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

        Signature and contents are checked by :class:`sync.downlink.staff.StaffSync`.
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

    def release_offer(self) -> ReleaseOffer | None:
        """GET /v1/releases/offer (signed): the release the platform offers, or None.

        The manifest's signature is checked by :class:`sync.downlink.releases.ReleaseFetcher`.
        """
        status, headers, content = self._request("GET", RELEASE_OFFER_PATH, self.timeout)
        if status == 404:
            return None
        self._check_status(status, headers, content, "the release offer")
        try:
            return parse_offer(json.loads(content.decode("utf-8")))
        except (UnicodeDecodeError, ValueError) as exc:
            raise PlatformProtocolError(f"release offer: {exc}", 200) from exc

    def download_release(
        self, version: str, write: Callable[[bytes], object], *, max_bytes: int,
        deadline_s: float,
    ) -> None:
        """GET /v1/releases/{version}/artifact (signed), streamed to ``write``; at most
        ``max_bytes`` and ``deadline_s`` seconds in all."""
        path = RELEASE_ARTIFACT_PATH.format(version=version)
        status, headers, content = self._request("GET", path, deadline_s, sink=write,
                                                 max_bytes=max_bytes)
        self._check_status(status, headers, content, "the release download")

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

    # -- 缴费: bill payment and top-up (sync.platform.payments) ------------------------------

    def look_up_bill(self, query: BillQuery) -> Bill:
        """POST /v1/payments/bills (signed): what the account owes or the card holds.
        An unknown account is a PlatformProtocolError with status 404."""
        body = bill_query_body(self.kiosk_id, query)
        doc = self._json_reply("POST", BILLS_PATH, body, "the bill lookup")
        try:
            return parse_bill(doc, query)
        except ValueError as exc:
            raise PlatformProtocolError(f"bill reply: {exc}", 200) from exc

    def create_payment_order(self, request: OrderRequest) -> OrderAnswer:
        """POST /v1/payments/orders (signed): the order of ``request.order_id``, made once;
        the same id again answers the same order (a 409 when it was used otherwise)."""
        body = order_request_body(self.kiosk_id, request)
        return self._order_reply("POST", ORDERS_PATH, body, request.order_id)

    def payment_order(self, order_id: str) -> OrderAnswer:
        """GET /v1/payments/orders/{id} (signed): where the order stands now."""
        return self._order_reply("GET", order_path(order_id), None, order_id)

    def cancel_payment_order(self, order_id: str) -> OrderAnswer:
        """POST /v1/payments/orders/{id}/cancel (signed): the order as it then stands."""
        return self._order_reply("POST", cancel_path(order_id), b"{}", order_id)

    def _order_reply(self, method: str, path: str, body: bytes | None,
                     order_id: str) -> OrderAnswer:
        doc = self._json_reply(method, path, body, "the payment order")
        try:
            return parse_order(doc, order_id)
        except ValueError as exc:
            raise PlatformProtocolError(f"payment order reply: {exc}", 200) from exc
