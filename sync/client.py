"""HTTP client for the central platform (protocol v1).

Every call has an overall deadline: requests' ``timeout`` only bounds each socket wait, so
responses are read streamed, in whatever pieces arrive, against a deadline and a size cap.
Transient trouble (network, 5xx, 429) raises PlatformUnavailable so the worker backs off;
a reply that makes no sense raises PlatformProtocolError. Neither ever quarantines a record.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests

from sync.sealing import payload_hash

MAX_RESPONSE_BYTES = 1024 * 1024
VERDICTS = frozenset({"accepted", "duplicate", "conflict", "rejected"})
BATCH_PATH = "/v1/transactions/batch"
HEALTH_PATH = "/v1/health"


class PlatformError(Exception):
    """Base class: the upload did not produce per-item verdicts."""


class PlatformUnavailableError(PlatformError):
    """The platform cannot be reached or asked us to wait (network error, 5xx, 429)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


PlatformUnavailable = PlatformUnavailableError  # the name the rest of the kiosk uses


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


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # HTTP-date form: ignore, the backoff policy still applies


class PlatformClient:
    """Talks to one platform as one kiosk. Use from one thread at a time."""

    def __init__(
        self,
        base_url: str,
        kiosk_id: str,
        timeout: float = 5.0,
        session: requests.Session | None = None,
        *,
        ping_timeout: float = 2.0,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("base_url must be an http(s) URL")
        if not kiosk_id:
            raise ValueError("kiosk_id must not be empty")
        self.base_url = base_url.rstrip("/")
        self.kiosk_id = kiosk_id
        self.timeout = timeout
        self.ping_timeout = ping_timeout
        self.max_response_bytes = max_response_bytes
        self._monotonic = monotonic
        self._session = session or requests.Session()

    def __repr__(self) -> str:
        return f"PlatformClient({self.base_url!r}, kiosk_id={self.kiosk_id!r})"

    def close(self) -> None:
        self._session.close()

    # -- transport -----------------------------------------------------------------------------

    def _request(
        self, method: str, path: str, deadline_s: float, body: bytes | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        """One exchange, bounded as a whole by ``deadline_s`` and ``max_response_bytes``."""
        deadline = self._monotonic() + deadline_s
        headers = {"Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        try:
            response = self._session.request(
                method,
                self.base_url + path,
                data=body,
                headers=headers,
                timeout=(deadline_s, deadline_s),
                stream=True,
                allow_redirects=False,
            )
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
        return response.status_code, dict(response.headers), b"".join(chunks)

    @staticmethod
    def _set_read_timeout(response: requests.Response, remaining: float) -> None:
        """Shrink the socket timeout to what is left of the deadline (best effort)."""
        sock = getattr(getattr(response.raw, "_fp", None), "fp", None)
        raw_sock = getattr(sock, "raw", None)
        inner = getattr(raw_sock, "_sock", None)
        if inner is not None:
            inner.settimeout(max(0.001, remaining))

    # -- protocol ------------------------------------------------------------------------------

    def upload(self, records: list[tuple[str, bytes]]) -> dict[str, ItemResult]:
        """Send ``(txid, envelope)`` pairs; return the platform's verdict for each id it judged.

        Ids missing from the answer are simply absent (the caller retries them later).
        """
        if not records:
            return {}
        body = json.dumps(
            {
                "kiosk_id": self.kiosk_id,
                "items": [
                    {
                        "id": txid,
                        "envelope": base64.b64encode(envelope).decode("ascii"),
                        "payload_hash": payload_hash(envelope),
                    }
                    for txid, envelope in records
                ],
            },
            separators=(",", ":"),
        ).encode("utf-8")
        status, headers, content = self._request("POST", BATCH_PATH, self.timeout, body)
        if status == 429 or status == 408 or status >= 500:
            raise PlatformUnavailable(
                f"platform busy or failing (HTTP {status})",
                retry_after=_retry_after(headers.get("Retry-After")),
            )
        if status != 200:
            raise PlatformProtocolError(f"platform refused the batch (HTTP {status})", status)
        return self._parse_results(content, {txid for txid, _ in records})

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

    def ping(self) -> bool:
        """True if the platform answers its health check in time; never raises."""
        try:
            status, _, content = self._request("GET", HEALTH_PATH, self.ping_timeout)
            doc = json.loads(content.decode("utf-8"))
        except (PlatformError, UnicodeDecodeError, ValueError):
            return False
        return status == 200 and isinstance(doc, dict) and doc.get("status") == "ok"
