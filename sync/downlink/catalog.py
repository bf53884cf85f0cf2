"""Kiosk side of catalogue sync: download, check the platform's signature, swap in atomically.

Files in the catalogue directory:

- ``catalog.json``: the current catalogue, exactly the bytes the platform signed;
- ``catalog.prev.json``: the previous good one (kept for a roll-back and as a fallback);
- ``catalog.state.json``: for each of those (by SHA-256) its signature, ETag and version.

Nothing is written before the signature verifies against the catalogue key pinned at
enrolment and the document has the catalogue's shape (plus the kiosk's own ``validator``).
A swap writes the new bytes to a temporary file (fsynced), records them in the state file,
hard-links the current file to ``catalog.prev.json``, renames the new file over
``catalog.json`` and fsyncs the directory: a crash at any point leaves a complete file under
each name, each described in the state file. :meth:`CatalogSync.current_path` only ever names
a file whose signature verifies now (the current one, else the previous one).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from sync import atomic_file
from sync.platform.downlink_replies import CatalogDownload
from sync.platform.errors import PlatformError
from sync.platform.signing import ed25519_key_id, load_ed25519_public_key

if TYPE_CHECKING:
    from sync.platform.client import PlatformClient

log = logging.getLogger(__name__)

CATALOG_FILE = "catalog.json"
PREVIOUS_FILE = "catalog.prev.json"
STATE_FILE = "catalog.state.json"
_OWN_FILES = frozenset({CATALOG_FILE, PREVIOUS_FILE, STATE_FILE})

Outcome = Literal["updated", "unchanged", "none_published", "refused", "failed"]


@dataclass(frozen=True)
class CatalogSyncResult:
    """What one sync did. ``refused``: the platform sent something we will not use (bad
    signature, not a catalogue); ``failed``: we could not get an answer. Both keep the copy."""

    outcome: Outcome
    version: str | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.outcome in ("updated", "unchanged", "none_published")


class CatalogRefusedError(ValueError):
    """A downloaded catalogue that must not be used."""


def check_catalog_shape(data: bytes) -> str:
    """The same shape the platform publishes: a JSON object with ``version`` and ``services``."""
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise CatalogRefusedError("catalogue is not UTF-8 JSON") from exc
    if not isinstance(doc, dict):
        raise CatalogRefusedError("catalogue is not a JSON object")
    version = doc.get("version")
    if not isinstance(version, str) or not version:
        raise CatalogRefusedError("catalogue has no version")
    if not isinstance(doc.get("services"), list):
        raise CatalogRefusedError("catalogue has no services list")
    return version


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class CatalogSync:
    """Keeps a verified copy of the platform's catalogue in ``directory``.

    ``catalogue_public_key`` is the pinned key (``PlatformKeys.catalogue_key``, base64 text,
    or a key object). ``validator(bytes)`` may raise to refuse a catalogue the kiosk cannot
    use (the kiosk passes its own catalogue parser). ``on_refused(reason)`` is called when a
    download is refused, so the technician panel can show it. Use from one thread.
    """

    def __init__(
        self,
        client: PlatformClient,
        directory: Path,
        catalogue_public_key: Ed25519PublicKey | str,
        *,
        validator: Callable[[bytes], object] | None = None,
        on_refused: Callable[[str], None] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if isinstance(catalogue_public_key, str):
            catalogue_public_key = load_ed25519_public_key(catalogue_public_key)
        self.client = client
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self._key = catalogue_public_key
        self.key_id = ed25519_key_id(catalogue_public_key)
        self._validator = validator
        self._on_refused = on_refused
        self._clock = clock
        self._digests: dict[Path, tuple[tuple[int, int, int], str]] = {}
        self._good: set[tuple[str, object]] = set()  # (sha256, signature) pairs that verified
        self.last_result: CatalogSyncResult | None = None
        removed = atomic_file.remove_stale_temporaries(self.directory, _OWN_FILES.__contains__)
        if removed:
            log.info("removed %d unfinished catalogue file(s) left by an interruption", removed)

    def __repr__(self) -> str:
        return f"CatalogSync({str(self.directory)!r}, key={self.key_id})"

    @property
    def path(self) -> Path:
        return self.directory / CATALOG_FILE

    @property
    def previous_path(self) -> Path:
        return self.directory / PREVIOUS_FILE

    # -- state -------------------------------------------------------------------------------

    def _load_state(self) -> dict[str, dict[str, Any]]:
        try:
            doc = json.loads((self.directory / STATE_FILE).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, UnicodeDecodeError, ValueError):
            log.warning("catalogue state file is unreadable; the next sync downloads again")
            return {}
        entries = doc.get("entries") if isinstance(doc, dict) else None
        if not isinstance(entries, dict):
            return {}
        return {k: v for k, v in entries.items() if isinstance(v, dict)}

    def _save_state(self, entries: dict[str, dict[str, Any]]) -> None:
        text = json.dumps({"entries": entries}, indent=2, sort_keys=True) + "\n"
        atomic_file.write_atomic(self.directory / STATE_FILE, text.encode("utf-8"))

    def _verify(self, data: bytes, signature: str | None) -> None:
        if not signature:
            raise CatalogRefusedError("catalogue carries no signature")
        try:
            raw = base64.b64decode(signature, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise CatalogRefusedError("catalogue signature is not base64") from exc
        try:
            self._key.verify(raw, data)
        except InvalidSignature as exc:
            raise CatalogRefusedError("catalogue signature does not verify") from exc

    def _file_entry(self, path: Path, entries: dict[str, dict[str, Any]]) -> str | None:
        """The SHA-256 of ``path`` if it holds a catalogue whose signature verifies now."""
        try:
            stat = path.stat()
            key = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
            cached = self._digests.get(path)
            if cached is None or cached[0] != key:
                cached = (key, _digest(path.read_bytes()))
                self._digests[path] = cached
        except OSError:
            return None
        digest = cached[1]
        entry = entries.get(digest)
        if entry is None:
            return None
        signature = entry.get("signature")
        if (digest, signature) in self._good:
            return digest
        try:
            self._verify(path.read_bytes(), signature if isinstance(signature, str) else None)
        except (OSError, CatalogRefusedError):
            log.warning("%s does not verify against the pinned catalogue key", path.name)
            return None
        self._good.add((digest, signature))
        return digest

    def current_path(self) -> Path | None:
        """The catalogue to use: the current copy, else the previous good one, else None."""
        entries = self._load_state()
        for path in (self.path, self.previous_path):
            if self._file_entry(path, entries) is not None:
                return path
        return None

    def current_version(self) -> str | None:
        entries = self._load_state()
        for path in (self.path, self.previous_path):
            digest = self._file_entry(path, entries)
            if digest is not None:
                version = entries[digest].get("version")
                return version if isinstance(version, str) else None
        return None

    # -- sync --------------------------------------------------------------------------------

    def sync(self) -> CatalogSyncResult:
        """One round with the platform. Never raises for what the network or platform does."""
        result = self._sync()
        self.last_result = result
        if result.outcome == "refused":
            log.warning("catalogue from the platform refused: %s", result.reason)
            if self._on_refused is not None:
                self._on_refused(result.reason or "refused")
        elif result.outcome == "failed":
            log.info("catalogue sync failed: %s", result.reason)
        elif result.outcome == "updated":
            log.info("catalogue updated to version %s", result.version)
        return result

    def _sync(self) -> CatalogSyncResult:
        entries = self._load_state()
        current = self._file_entry(self.path, entries)
        etag = entries[current].get("etag") if current else None
        try:
            download = self.client.fetch_catalog(etag if isinstance(etag, str) else None)
        except PlatformError as exc:
            return CatalogSyncResult("failed", reason=str(exc))
        if download is None:
            return CatalogSyncResult("none_published")
        version = entries[current].get("version") if current else None
        if download.not_modified:
            if current is None:
                return CatalogSyncResult("failed", reason="304 without a conditional request")
            return CatalogSyncResult("unchanged", version=version)
        try:
            new_version = self._check(download)
        except CatalogRefusedError as exc:
            return CatalogSyncResult("refused", reason=str(exc))
        assert download.body is not None
        digest = _digest(download.body)
        entry = {
            "signature": download.signature,
            "etag": download.etag,
            "version": new_version,
            "fetched_at": self._clock(),
        }
        if digest == current:  # same bytes under a new ETag or signature: refresh the record
            entries[digest] = entry
            self._save_state(entries)
            return CatalogSyncResult("unchanged", version=new_version)
        self._swap(download.body, digest, entry, entries, current)
        return CatalogSyncResult("updated", version=new_version)

    def _check(self, download: CatalogDownload) -> str:
        assert download.body is not None
        self._verify(download.body, download.signature)
        version = check_catalog_shape(download.body)
        if self._validator is not None:
            try:
                self._validator(download.body)
            except Exception as exc:  # the kiosk's parser: any refusal is a refusal
                raise CatalogRefusedError(f"catalogue not usable: {type(exc).__name__}") from exc
        return version

    def _swap(
        self,
        data: bytes,
        digest: str,
        entry: dict[str, Any],
        entries: dict[str, dict[str, Any]],
        current: str | None,
    ) -> None:
        tmp = atomic_file.write_temporary(self.path, data)
        try:
            # Record the new bytes first: whatever happens next, each file is described.
            self._save_state({**entries, digest: entry})
            if current is not None:
                atomic_file.link_or_copy(self.path, self.previous_path)
            atomic_file.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        atomic_file.fsync_directory(self.directory)
        kept = {digest: entry}
        if current is not None:
            kept[current] = entries[current]
        else:
            previous = self._file_entry(self.previous_path, entries)
            if previous is not None:
                kept[previous] = entries[previous]
        self._save_state(kept)
