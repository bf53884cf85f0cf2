"""The files a USB transfer leaves on the stick: a kiosk's bundle and the platform's ack.

A **bundle** (``kiosk-transfer/<kiosk id>/<bundle id>.bundle.json``) carries a kiosk's waiting
records. Everything about them — ids, sealed envelopes, payload hashes, receipt query codes —
is sealed once more, as a whole, to the platform's sealing key, so the stick shows no
tracking number or service code of any record. What stays readable is what the platform needs
before it opens anything, and a technician needs to see what they carry: the format, the kiosk
id, the bundle id, when it was made and how many records it holds. The kiosk signs the file
(Ed25519, its enrolled key) over the canonical JSON of those fields and the sealed part.

An **ack** (``<bundle id>.ack.json``, beside it) is the platform's verdict per record, signed
with the platform's signing key that the kiosk pinned at enrolment (the catalogue key), so a
kiosk marks records acked only on the platform's word. It names record ids and verdicts, no
personal data.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from sync.sealing import EnvelopeError, canonical_json, open_envelope, payload_hash, seal

BUNDLE_FORMAT = "kiosk-transfer-bundle/1"
ACK_FORMAT = "kiosk-transfer-ack/1"
TRANSFER_DIR = "kiosk-transfer"
BUNDLE_SUFFIX = ".bundle.json"
ACK_SUFFIX = ".ack.json"
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
MAX_BUNDLE_BYTES = 512 * 1024 * 1024


class TransferError(ValueError):
    """A bundle or ack that cannot be used; the message says why, in words."""


@dataclass(frozen=True)
class TransferItem:
    id: str
    envelope: bytes
    query_code: str | None = None


@dataclass(frozen=True)
class Bundle:
    kiosk_id: str
    bundle_id: str
    created_at: str
    count: int
    sealed: bytes
    signed_part: bytes
    signature: bytes


@dataclass(frozen=True)
class Ack:
    kiosk_id: str
    bundle_id: str
    verdicts: dict[str, tuple[str, str | None]]  # record id -> (verdict, reason)


def bundle_path(root: Path, kiosk_id: str, bundle_id: str) -> Path:
    return Path(root) / TRANSFER_DIR / kiosk_id / (bundle_id + BUNDLE_SUFFIX)


def ack_path(bundle: Path) -> Path:
    return bundle.with_name(bundle.name[: -len(BUNDLE_SUFFIX)] + ACK_SUFFIX)


def bundles_under(root: Path) -> list[Path]:
    """Every bundle file on the stick, in a stable order."""
    return sorted((Path(root) / TRANSFER_DIR).glob("*/*" + BUNDLE_SUFFIX))


def make_bundle(
    kiosk_id: str,
    bundle_id: str,
    created_at: str,
    items: Iterable[TransferItem],
    sealing_key: X25519PublicKey,
    sealing_key_id: str,
    sign: Callable[[bytes], bytes],
) -> bytes:
    """The bundle file's bytes."""
    _check_id(kiosk_id, "kiosk id")
    _check_id(bundle_id, "bundle id")
    records = [
        {"id": i.id, "envelope": _b64(i.envelope), "payload_hash": payload_hash(i.envelope),
         **({"query_code": i.query_code} if i.query_code else {})}
        for i in items
    ]
    meta = {"kind": "usb-transfer", "kiosk_id": kiosk_id, "bundle_id": bundle_id}
    sealed = seal(canonical_json({"items": records}), sealing_key, sealing_key_id, meta)
    head = {"format": BUNDLE_FORMAT, "kiosk_id": kiosk_id, "bundle_id": bundle_id,
            "created_at": created_at, "count": len(records), "sealed": _b64(sealed)}
    return _signed_file(head, sign)


def read_bundle(data: bytes) -> Bundle:
    """Parse a bundle file (nothing verified yet); TransferError if it is not one."""
    head, signature, signed = _parse_signed(data, BUNDLE_FORMAT, "bundle")
    count = head.get("count")
    if not isinstance(count, int) or count < 0:
        raise TransferError("the bundle's record count is missing")
    if not isinstance(head.get("created_at"), str):
        raise TransferError("the bundle has no creation time")
    return Bundle(head["kiosk_id"], head["bundle_id"], head["created_at"], count,
                  _unb64(head.get("sealed"), "sealed part"), signed, signature)


def verify_bundle(bundle: Bundle, kiosk_key: Ed25519PublicKey) -> None:
    try:
        kiosk_key.verify(bundle.signature, bundle.signed_part)
    except InvalidSignature as exc:
        raise TransferError(
            f"the bundle is not signed by kiosk {bundle.kiosk_id}'s enrolled key "
            "(changed, or made by another machine)") from exc


def open_bundle(bundle: Bundle, private_key: X25519PrivateKey) -> list[dict[str, Any]]:
    """The records inside (as the batch upload carries them), after the signature is checked."""
    try:
        meta, plaintext = open_envelope(bundle.sealed, private_key)
    except EnvelopeError as exc:
        raise TransferError(f"the bundle's sealed part does not open: {exc}") from exc
    if meta.get("kiosk_id") != bundle.kiosk_id or meta.get("bundle_id") != bundle.bundle_id:
        raise TransferError("the bundle's sealed part belongs to another bundle")
    try:
        items = json.loads(plaintext)["items"]
    except (ValueError, KeyError, TypeError) as exc:
        raise TransferError("the bundle's records cannot be read") from exc
    if not isinstance(items, list) or len(items) != bundle.count:
        raise TransferError("the bundle holds another number of records than it says")
    return items


def make_ack(bundle: Bundle, verdicts: dict[str, tuple[str, str | None]],
             sign: Callable[[bytes], bytes]) -> bytes:
    head = {"format": ACK_FORMAT, "kiosk_id": bundle.kiosk_id, "bundle_id": bundle.bundle_id,
            "verdicts": {k: {"verdict": v, "reason": r} for k, (v, r) in sorted(verdicts.items())}}
    return _signed_file(head, sign)


def read_ack(data: bytes, platform_key: Ed25519PublicKey, kiosk_id: str) -> Ack:
    """A verified ack for this kiosk; TransferError otherwise."""
    head, signature, signed = _parse_signed(data, ACK_FORMAT, "acknowledgement")
    try:
        platform_key.verify(signature, signed)
    except InvalidSignature as exc:
        raise TransferError("the acknowledgement is not signed by this kiosk's platform") from exc
    if head["kiosk_id"] != kiosk_id:
        raise TransferError(f"the acknowledgement is for kiosk {head['kiosk_id']}")
    raw = head.get("verdicts")
    if not isinstance(raw, dict):
        raise TransferError("the acknowledgement lists no verdicts")
    verdicts: dict[str, tuple[str, str | None]] = {}
    for txid, entry in raw.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("verdict"), str):
            raise TransferError("the acknowledgement has a malformed verdict")
        reason = entry.get("reason")
        verdicts[txid] = (entry["verdict"], reason if isinstance(reason, str) else None)
    return Ack(head["kiosk_id"], head["bundle_id"], verdicts)


def _signed_file(head: dict[str, Any], sign: Callable[[bytes], bytes]) -> bytes:
    signed = canonical_json(head)
    doc = {**head, "signature": _b64(sign(signed))}
    return json.dumps(doc, indent=1, sort_keys=True).encode("utf-8") + b"\n"


def _parse_signed(data: bytes, fmt: str, what: str) -> tuple[dict[str, Any], bytes, bytes]:
    if len(data) > MAX_BUNDLE_BYTES:
        raise TransferError(f"the {what} file is too large")
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise TransferError(f"the {what} file is damaged (not JSON)") from exc
    if not isinstance(doc, dict) or doc.get("format") != fmt:
        raise TransferError(f"not a {what} file of this version ({fmt})")
    signature = _unb64(doc.pop("signature", None), "signature")
    for key in ("kiosk_id", "bundle_id"):
        _check_id(doc.get(key), key.replace("_", " "))
    return doc, signature, canonical_json(doc)


def _check_id(value: Any, what: str) -> None:
    if not isinstance(value, str) or not _ID.match(value):
        raise TransferError(f"the {what} is missing or malformed")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(value: Any, what: str) -> bytes:
    if not isinstance(value, str):
        raise TransferError(f"the {what} is missing")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise TransferError(f"the {what} is damaged") from exc
