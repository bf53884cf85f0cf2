"""Judging an uploaded batch: cheap per-item envelope checks, then one store transaction.

Every item is checked on its own and a bad one is ``rejected`` without touching the others:
base64, size, the payload hash over the exact bytes, the envelope header (structure, suite,
version) and, when the platform has a sealing key, that the envelope is sealed to it.
Decrypting (HPKE open, which also proves the metadata was not altered after sealing) costs
about a tenth of a millisecond per item and is done only when the deployment asks for it
(``open_envelopes``): the request signature already proves which kiosk sent the bytes.
The items that pass go to :meth:`TransactionStore.ingest_many` together, in one transaction.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from sync.sealing import EnvelopeError, key_id_of, open_envelope, parse_envelope, payload_hash
from sync.server.store import IngestItem, TransactionStore

__all__ = ["MAX_ENVELOPE_BYTES", "BatchJudge", "UploadedItem", "Verdict"]

MAX_ENVELOPE_BYTES = 256 * 1024
CONFLICT_REASON = "same id, different payload"

VerdictName = Literal["accepted", "duplicate", "conflict", "rejected"]


class UploadedItem(Protocol):
    """What the batch route received for one item (the app's pydantic model fits)."""

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
        open_envelopes: bool = False,
        max_envelope_bytes: int = MAX_ENVELOPE_BYTES,
    ) -> None:
        self.store = store
        self.private_key = private_key
        self.kid = key_id_of(private_key.public_key()) if private_key is not None else None
        self.open_envelopes = open_envelopes and private_key is not None
        self.max_envelope_bytes = max_envelope_bytes

    def judge(self, kiosk_id: str, items: Sequence[UploadedItem]) -> list[Verdict]:
        """One verdict per item, in request order."""
        verdicts: list[Verdict | None] = []
        good: list[tuple[int, IngestItem]] = []
        for index, item in enumerate(items):
            checked = self._check(item)
            if isinstance(checked, Verdict):
                verdicts.append(checked)
            else:
                verdicts.append(None)
                good.append((index, checked))
        stored = self.store.ingest_many(kiosk_id, [ingest for _, ingest in good])
        for (index, ingest), name in zip(good, stored, strict=True):
            reason = CONFLICT_REASON if name == "conflict" else None
            verdicts[index] = Verdict(ingest.txid, name, reason)
        done = [v for v in verdicts if v is not None]
        if len(done) != len(items):  # pragma: no cover - the store answers every item
            raise RuntimeError("an item was left without a verdict")
        return done

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
            if self.open_envelopes:
                assert self.private_key is not None
                open_envelope(envelope, self.private_key)
        except EnvelopeError as exc:
            return rejected(str(exc))
        return IngestItem(item.id, digest, envelope, header.meta.get("tracking_number"))
