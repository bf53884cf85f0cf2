"""Judging an uploaded batch: cheap per-item envelope checks, then one store transaction.

Every item is checked on its own and a bad one is ``rejected`` without touching the others:
base64, size, the payload hash over the exact bytes, the envelope header (structure, suite,
version) and, when the platform has a sealing key, that the envelope is sealed to it and
opens with it (HPKE open, which also proves the metadata was not altered after sealing; about
a tenth of a millisecond per item, the plaintext is dropped at once). An ``accepted`` verdict
lets the kiosk purge its copy, so the platform only says it for an envelope it can read;
``open_envelopes=False`` skips the opening, for a deployment that accepts that risk.
With ``kiosk_codes``, a tracking number in the envelope metadata must belong to the sending
kiosk (:mod:`sync.server.kiosk_codes`). An item's ``query_code`` (the receipt's, beside the
envelope in the signed upload) must be 6 to 16 digits; only its keyed hash, bound to the
tracking number, is stored (:mod:`sync.server.tracking_lookup`). From the opened payload the
applicant's ID number is hashed under the citizen-index key (``hash_citizen``) and indexed with
the transaction (:mod:`sync.server.citizen_index`): the plaintext itself is never stored.
The items that pass go to :meth:`TransactionStore.ingest_many` together, in one transaction.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from sync.platform.protocol import VerdictName
from sync.sealing import EnvelopeError, key_id_of, open_envelope, parse_envelope, payload_hash
from sync.server.kiosk_codes import KioskCodes
from sync.server.store import IngestItem, TransactionStore
from sync.server.tracking_lookup import is_query_code

__all__ = ["MAX_ENVELOPE_BYTES", "BatchJudge", "UploadedItem", "Verdict"]

MAX_ENVELOPE_BYTES = 256 * 1024
CONFLICT_REASON = "same id, different payload"
QUERY_CODE_REASON = "query code is not 6 to 16 digits"

class UploadedItem(Protocol):
    """What the batch route received for one item (the app's pydantic model fits).

    It may also carry ``query_code`` (None or absent for records made before query codes).
    """

    @property
    def id(self) -> str: ...

    @property
    def envelope(self) -> str: ...

    @property
    def payload_hash(self) -> str: ...


@dataclass(frozen=True)
class Verdict:
    id: str
    verdict: VerdictName
    reason: str | None = None


class BatchJudge:
    """Checks items and stores the good ones of a batch at once. Thread-safe."""

    def __init__(
        self,
        store: TransactionStore,
        private_key: X25519PrivateKey | None,
        *,
        open_envelopes: bool = True,
        max_envelope_bytes: int = MAX_ENVELOPE_BYTES,
        kiosk_codes: KioskCodes | None = None,
        hash_query_code: Callable[[str, str], str] | None = None,
        hash_citizen: Callable[[str], str] | None = None,
    ) -> None:
        self.store = store
        self.hash_citizen = hash_citizen
        self.hash_query_code = hash_query_code
        self.kiosk_codes = kiosk_codes
        self.private_key = private_key
        self.kid = key_id_of(private_key.public_key()) if private_key is not None else None
        self.open_envelopes = open_envelopes and private_key is not None
        self.max_envelope_bytes = max_envelope_bytes

    def judge(
        self, kiosk_id: str, items: Sequence[UploadedItem], *, authenticated: bool = True
    ) -> list[Verdict]:
        """One verdict per item, in request order.

        ``authenticated``: the request signature proved ``kiosk_id``. Raises
        KioskCodeMissingError (nothing stored) when tracked items come from a signed kiosk
        whose code the platform does not know.
        """
        verdicts: list[Verdict | None] = []
        good: list[tuple[int, IngestItem]] = []
        for index, item in enumerate(items):
            checked = self._check(item)
            if isinstance(checked, Verdict):
                verdicts.append(checked)
            else:
                verdicts.append(None)
                good.append((index, checked))
        good = self._check_tracking(kiosk_id, good, verdicts, authenticated)
        stored = self.store.ingest_many(kiosk_id, [ingest for _, ingest in good])
        for (index, ingest), name in zip(good, stored, strict=True):
            reason = CONFLICT_REASON if name == "conflict" else None
            verdicts[index] = Verdict(ingest.txid, name, reason)
        done = [v for v in verdicts if v is not None]
        if len(done) != len(items):  # pragma: no cover - the store answers every item
            raise RuntimeError("an item was left without a verdict")
        return done

    def _check_tracking(
        self,
        kiosk_id: str,
        good: list[tuple[int, IngestItem]],
        verdicts: list[Verdict | None],
        authenticated: bool,
    ) -> list[tuple[int, IngestItem]]:
        if self.kiosk_codes is None:
            return good
        numbers = [ingest.tracking_number for _, ingest in good]
        refused = self.kiosk_codes.refusals(
            kiosk_id, [n for n in numbers if n is not None], authenticated=authenticated
        )
        if not refused:
            return good
        kept: list[tuple[int, IngestItem]] = []
        for index, ingest in good:
            number = ingest.tracking_number
            reason = None if number is None else refused.get(number)
            if reason is None:
                kept.append((index, ingest))
            else:
                verdicts[index] = Verdict(ingest.txid, "rejected", reason)
        return kept

    def _check(self, item: UploadedItem) -> IngestItem | Verdict:
        def rejected(reason: str) -> Verdict:
            return Verdict(item.id, "rejected", reason)

        # Longer base64 cannot decode to an envelope within the limit: refuse before decoding.
        if len(item.envelope) > (self.max_envelope_bytes + 2) // 3 * 4:
            return rejected("envelope too large")
        try:
            envelope = base64.b64decode(item.envelope, validate=True)
        except (binascii.Error, ValueError):
            return rejected("envelope is not base64")
        if len(envelope) > self.max_envelope_bytes:
            return rejected("envelope too large")
        digest = payload_hash(envelope)
        if not hmac.compare_digest(digest, item.payload_hash):
            return rejected("payload hash mismatch")
        try:
            header = parse_envelope(envelope)
            if self.kid is not None and header.kid != self.kid:
                return rejected("sealed to an unknown key")
            citizen_hash = None
            if self.open_envelopes:
                assert self.private_key is not None
                _meta, plaintext = open_envelope(envelope, self.private_key)
                citizen_hash = self._citizen_hash(plaintext)
        except EnvelopeError as exc:
            return rejected(str(exc))
        tracking = header.meta.get("tracking_number")
        code = getattr(item, "query_code", None)
        if code is not None and not is_query_code(code):
            return rejected(QUERY_CODE_REASON)
        code_hash = None
        if code is not None and isinstance(tracking, str) and self.hash_query_code is not None:
            code_hash = self.hash_query_code(tracking, code)
        service = header.meta.get("service_code")
        identified, assisted = header.meta.get("identified_by"), header.meta.get("assisted_by")
        return IngestItem(item.id, digest, envelope, tracking, code_hash,
                          citizen_hash=citizen_hash,
                          service_code=service if isinstance(service, str) else None,
                          identified_by=identified[:32] if identified else None,
                          assisted_by=assisted[:64] if assisted else None)

    def _citizen_hash(self, plaintext: bytes) -> str | None:
        """The citizen index entry of an opened payload; the plaintext is dropped after this.
        A payload without a readable ID number is stored all the same, just not indexed."""
        if self.hash_citizen is None:
            return None
        try:
            applicant = json.loads(plaintext.decode("utf-8")).get("applicant") or {}
            id_number = applicant.get("id_number")
        except (UnicodeDecodeError, ValueError, AttributeError):
            return None
        return self.hash_citizen(id_number) if isinstance(id_number, str) and id_number else None
