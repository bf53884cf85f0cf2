"""Kiosk side of staff credential delivery: download, check the signature, keep one copy.

The platform signs its list of people (staff numbers, names, roles, Argon2id hashes) with
the key the kiosk pinned at enrolment (see :mod:`sync.staff_credentials`). The kiosk keeps the
exact signed bytes in one file, ``platform.json`` (mode 0600), replaced atomically, and checks
the signature again whenever it reads it: a file edited on disk is worth nothing.

A document with a lower serial than the one held is refused, so a replayed older list (one
that still names a person since removed) cannot bring that person back.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from sync import atomic_file
from sync.platform.errors import PlatformError
from sync.platform.signing import load_ed25519_public_key
from sync.staff_credentials import StaffDocument, StaffDocumentError, verify_document

if TYPE_CHECKING:
    from sync.platform.client import PlatformClient

log = logging.getLogger(__name__)

PLATFORM_FILE = "platform.json"
FILE_MODE = 0o600

Outcome = Literal["updated", "unchanged", "none_issued", "refused", "failed"]


@dataclass(frozen=True)
class StaffSyncResult:
    """What one sync did; ``refused`` and ``failed`` keep the copy the kiosk has."""

    outcome: Outcome
    serial: int | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.outcome in ("updated", "unchanged", "none_issued")


class StaffSync:
    """Keeps a verified copy of the platform's staff credentials in ``directory``."""

    def __init__(
        self,
        client: PlatformClient | None,
        directory: Path,
        public_key: Ed25519PublicKey | str,
    ) -> None:
        self.client = client
        self.directory = Path(directory)
        self._key = (
            load_ed25519_public_key(public_key) if isinstance(public_key, str) else public_key
        )
        self._cache: tuple[tuple[int, int, int], StaffDocument, str | None] | None = None
        self.last_result: StaffSyncResult | None = None

    @property
    def path(self) -> Path:
        return self.directory / PLATFORM_FILE

    def __repr__(self) -> str:
        return f"StaffSync({str(self.directory)!r})"

    def _read(self) -> tuple[StaffDocument, str | None] | None:
        """The held document and its ETag, if the file is there and verifies now."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return None
        key = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
        if self._cache is not None and self._cache[0] == key:
            return self._cache[1], self._cache[2]
        try:
            held = json.loads(self.path.read_text(encoding="utf-8"))
            body = base64.b64decode(held["body"], validate=True)
            document = verify_document(body, held.get("signature"), self._key)
            etag = held.get("etag") if isinstance(held.get("etag"), str) else None
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, binascii.Error,
                StaffDocumentError) as exc:
            log.warning("the held staff credentials are unusable (%s); ignoring them", exc)
            return None
        self._cache = (key, document, etag)
        return document, etag

    def current(self) -> StaffDocument | None:
        """The platform's credentials as last delivered, or None (none yet, or not valid)."""
        held = self._read()
        return held[0] if held else None

    def sync(self) -> StaffSyncResult:
        """One round with the platform. Never raises for what the network or platform does."""
        result = self._sync()
        self.last_result = result
        if result.outcome == "refused":
            log.warning("staff credentials from the platform refused: %s", result.reason)
        elif result.outcome == "failed":
            log.info("staff credential sync failed: %s", result.reason)
        elif result.outcome == "updated":
            log.info("staff credentials updated to serial %s", result.serial)
        return result

    def _sync(self) -> StaffSyncResult:
        if self.client is None:
            return StaffSyncResult("failed", reason="no platform client")
        held = self._read()
        try:
            download = self.client.fetch_staff(held[1] if held else None)
        except PlatformError as exc:
            return StaffSyncResult("failed", reason=str(exc))
        if download is None:
            return StaffSyncResult("none_issued")
        if download.not_modified:
            if held is None:
                return StaffSyncResult("failed", reason="304 without a conditional request")
            return StaffSyncResult("unchanged", serial=held[0].serial)
        assert download.body is not None
        try:
            document = verify_document(download.body, download.signature, self._key)
        except StaffDocumentError as exc:
            return StaffSyncResult("refused", reason=str(exc))
        if held is not None and document.serial < held[0].serial:
            return StaffSyncResult(
                "refused", reason=f"serial {document.serial} is older than {held[0].serial}"
            )
        if held is not None and document.serial == held[0].serial and download.etag == held[1]:
            return StaffSyncResult("unchanged", serial=document.serial)
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        text = json.dumps({
            "body": base64.b64encode(download.body).decode("ascii"),
            "signature": download.signature,
            "etag": download.etag,
            "key_id": download.key_id,
        }, indent=1)
        atomic_file.write_atomic(self.path, text.encode("utf-8"), FILE_MODE)
        os.chmod(self.path, FILE_MODE)  # whatever the umask did
        return StaffSyncResult("updated", serial=document.serial)
