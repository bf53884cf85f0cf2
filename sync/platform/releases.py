"""Protocol v1, continued: the release offer (updates without a visit, docs/updates.md).

The platform offers one kiosk software release at a time: a **manifest** (JSON, these exact
bytes signed with the platform's catalogue key, the key every kiosk pinned at enrolment) and
an **artifact** (the project's wheel, or a wheelhouse tarball) whose SHA-256 and size the
manifest names. The manifest carries its own ``format`` word, so a catalogue (signed by the
same key) can never pass for a manifest, nor a manifest for a catalogue.

- ``GET /v1/releases/offer`` (signed): ``{"manifest": base64, "signature": base64,
  "key_id": ...}``, or 404 when nothing is offered;
- ``GET /v1/releases/{version}/artifact`` (signed): the artifact's bytes.

Versions are dotted numbers (``0.1.2``, at most four parts); they are compared as tuples of
integers, so ``0.1.10`` is newer than ``0.1.9``. No import of an HTTP stack here: the kiosk's
privileged updater checks manifests with this module alone.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # cryptography loads when a signature is made or checked
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

RELEASE_OFFER_PATH = "/v1/releases/offer"
RELEASE_ARTIFACT_PATH = "/v1/releases/{version}/artifact"
MANIFEST_FORMAT = "civic-kiosk-release-v1"
PACKAGE_NAME = "civic-kiosk"
KINDS = ("wheel", "wheelhouse")  # a .whl; a .tar.gz of wheels (the package and its deps)
MAX_MANIFEST_BYTES = 4096
VERSION_PATTERN = r"^[0-9]{1,6}(\.[0-9]{1,6}){0,3}$"
_VERSION = re.compile(VERSION_PATTERN)
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_FILENAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,199}$")


class ReleaseError(ValueError):
    """A manifest or offer that cannot be used; the message is for a technician."""


def parse_version(text: str) -> tuple[int, ...]:
    """``"0.1.10"`` -> ``(0, 1, 10)``; ValueError for anything but dotted numbers."""
    if not isinstance(text, str) or not _VERSION.match(text):
        raise ValueError(f"not a release version (dotted numbers, e.g. 0.1.2): {text!r}")
    return tuple(int(part) for part in text.split("."))


def is_newer(candidate: str, than: str) -> bool:
    """True if ``candidate`` is a later version than ``than`` (trailing zeros do not count)."""

    def key(text: str) -> tuple[int, ...]:
        parts = list(parse_version(text))
        while len(parts) > 1 and parts[-1] == 0:
            parts.pop()
        return tuple(parts)

    return key(candidate) > key(than)


@dataclass(frozen=True)
class ReleaseManifest:
    version: str
    sha256: str
    size: int
    filename: str
    kind: str
    created_at: float

    def to_bytes(self) -> bytes:
        """The canonical bytes that are signed (sorted keys, no spaces)."""
        doc = {
            "format": MANIFEST_FORMAT,
            "package": PACKAGE_NAME,
            "version": self.version,
            "sha256": self.sha256,
            "size": self.size,
            "filename": self.filename,
            "kind": self.kind,
            "created_at": self.created_at,
        }
        return json.dumps(doc, sort_keys=True, separators=(",", ":")).encode("utf-8")


def kind_of(filename: str) -> str:
    """``wheel`` for a ``.whl``, ``wheelhouse`` for a ``.tar.gz``/``.tgz``/``.tar``."""
    if filename.endswith(".whl"):
        return "wheel"
    if filename.endswith((".tar.gz", ".tgz", ".tar")):
        return "wheelhouse"
    raise ReleaseError(f"{filename}: a release is a wheel (.whl) or a wheelhouse (.tar.gz)")


def parse_manifest(data: bytes) -> ReleaseManifest:
    """The manifest in ``data``; ReleaseError with the reason when it is not one."""
    if len(data) > MAX_MANIFEST_BYTES:
        raise ReleaseError("release manifest too large")
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ReleaseError("release manifest is not JSON") from exc
    if not isinstance(doc, dict) or doc.get("format") != MANIFEST_FORMAT:
        raise ReleaseError("not a release manifest (format field missing or unknown)")
    if doc.get("package") != PACKAGE_NAME:
        raise ReleaseError(f"release manifest is for another package: {doc.get('package')!r}")
    return _manifest_fields(doc)


def _manifest_fields(doc: dict[str, Any]) -> ReleaseManifest:
    version, sha, size = doc.get("version"), doc.get("sha256"), doc.get("size")
    filename, kind, created = doc.get("filename"), doc.get("kind"), doc.get("created_at")
    try:
        parse_version(str(version))
    except ValueError as exc:
        raise ReleaseError(str(exc)) from exc
    if not isinstance(sha, str) or not _SHA256.match(sha):
        raise ReleaseError("release manifest: sha256 is not 64 hex digits")
    if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
        raise ReleaseError("release manifest: size is not a positive number of bytes")
    if not isinstance(filename, str) or not _FILENAME.match(filename) or ".." in filename:
        raise ReleaseError("release manifest: the file name is not a plain name")
    if kind not in KINDS or kind_of(filename) != kind:
        raise ReleaseError(f"release manifest: unknown kind {kind!r}")
    if not isinstance(created, int | float) or isinstance(created, bool):
        raise ReleaseError("release manifest: created_at is not a time")
    return ReleaseManifest(str(version), sha, size, filename, str(kind), float(created))


def sign_manifest(manifest: ReleaseManifest, key: Ed25519PrivateKey) -> tuple[bytes, str]:
    """The manifest's bytes and their base64 Ed25519 signature."""
    data = manifest.to_bytes()
    return data, base64.b64encode(key.sign(data)).decode("ascii")


def verify_manifest(data: bytes, signature: str | None, key: Ed25519PublicKey) -> ReleaseManifest:
    """Check the signature over the exact ``data`` with the pinned ``key``, then parse it."""
    from cryptography.exceptions import InvalidSignature

    if not signature:
        raise ReleaseError("release manifest carries no signature")
    try:
        raw = base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ReleaseError("release manifest signature is not base64") from exc
    try:
        key.verify(raw, data)
    except InvalidSignature as exc:
        raise ReleaseError("release manifest signature does not verify against the pinned "
                           "platform key") from exc
    return parse_manifest(data)


@dataclass(frozen=True)
class ReleaseOffer:
    """What ``GET /v1/releases/offer`` answered: the manifest's exact bytes and signature."""

    manifest_bytes: bytes
    signature: str
    key_id: str

    def document(self) -> dict[str, str]:
        return {"manifest": base64.b64encode(self.manifest_bytes).decode("ascii"),
                "signature": self.signature, "key_id": self.key_id}


def parse_offer(doc: Any) -> ReleaseOffer:
    if not isinstance(doc, dict):
        raise ReleaseError("release offer is not a JSON object")
    manifest, signature, key_id = doc.get("manifest"), doc.get("signature"), doc.get("key_id")
    if not isinstance(manifest, str) or not isinstance(signature, str):
        raise ReleaseError("release offer lacks its manifest or signature")
    try:
        data = base64.b64decode(manifest, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ReleaseError("release offer: the manifest is not base64") from exc
    return ReleaseOffer(data, signature, str(key_id or ""))
