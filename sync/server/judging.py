"""The one way the platform judges uploaded records, for HTTP batches and USB imports alike."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from sync.server.citizen_index import CitizenIndex, citizen_index_key
from sync.server.ingest import BatchJudge
from sync.server.registry import KioskRegistry
from sync.server.store import TransactionStore
from sync.server.tracking_lookup import StatusLookup

MAX_ENVELOPE_BYTES = 256 * 1024


def platform_judge(
    store: TransactionStore,
    private_key: X25519PrivateKey | None,
    registry: KioskRegistry,
    lookup: StatusLookup,
    lookup_key: bytes,
    *,
    open_envelopes: bool = True,
) -> BatchJudge:
    """Checks each item, opens it, indexes the citizen and hashes the query code at ingest."""
    citizens = CitizenIndex(store.engine, citizen_index_key(lookup_key))
    return BatchJudge(
        store,
        private_key,
        open_envelopes=open_envelopes,
        max_envelope_bytes=MAX_ENVELOPE_BYTES,
        kiosk_codes=registry.codes,
        hash_query_code=lookup.hash_code,
        hash_citizen=citizens.hash_id,
    )

