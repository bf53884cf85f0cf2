"""The kiosk's side of a release offer: ask, download, verify, stage (docs/updates.md).

:class:`ReleaseFetcher` asks the platform what it offers (``GET /v1/releases/offer``), checks
the manifest's signature against the pinned catalogue key, refuses a version that is not newer
than the running one or that this kiosk marked bad, checks the disk has room, streams the
artifact into a partial file in the staging directory, and keeps it only when its size and
SHA-256 are the ones the signed manifest names. A staged release is a directory
``<staging>/<version>/`` holding the artifact, ``manifest.json`` (the exact signed bytes) and
``manifest.sig``; the privileged updater checks all of it again before it installs anything.

Every refusal comes back as a :class:`FetchResult` with a sentence for the technician.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sync.atomic_file import write_atomic
from sync.platform.errors import PlatformError
from sync.platform.releases import (
    ReleaseError,
    ReleaseManifest,
    is_newer,
    parse_manifest,
    verify_manifest,
)

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from sync.platform.client import PlatformClient

log = logging.getLogger(__name__)

MANIFEST_FILE = "manifest.json"
SIGNATURE_FILE = "manifest.sig"
PARTIAL_PREFIX = ".partial-"
DEFAULT_MAX_BYTES = 1024 * 1024 * 1024  # a wheelhouse with PySide6 is a few hundred MB
# Room needed besides the artifact: its installed form (a venv) is about three times as big.
ROOM_FACTOR = 4


@dataclass(frozen=True)
class FetchResult:
    """``outcome``: none (nothing offered), current (offered = running), staged (downloaded
    and verified now), already_staged, refused (``message`` says why), unreachable."""

    outcome: str
    version: str | None = None
    message: str = ""

    @property
    def refused(self) -> bool:
        return self.outcome == "refused"


@dataclass(frozen=True)
class StagedRelease:
    manifest: ReleaseManifest
    directory: Path

    @property
    def artifact(self) -> Path:
        return self.directory / self.manifest.filename


def read_staged(directory: Path) -> StagedRelease | None:
    """The release staged in ``directory`` (no signature check: the caller checks it)."""
    try:
        manifest = parse_manifest((directory / MANIFEST_FILE).read_bytes())
    except (OSError, ReleaseError):
        return None
    if manifest.version != directory.name or not (directory / manifest.filename).is_file():
        return None
    return StagedRelease(manifest, directory)


def verify_staged(
    directory: Path, key: Ed25519PublicKey, *, copy_to: Path | None = None
) -> StagedRelease:
    """Check a staged release's signature, size and SHA-256; ReleaseError with the reason.

    With ``copy_to`` (the privileged updater: a directory of its own named by the version),
    the files are first copied there, never through a symbolic link, and the copy is what is
    checked and returned, so nothing can change them between the check and the install."""
    if copy_to is not None:
        shutil.rmtree(copy_to, ignore_errors=True)
        copy_to.mkdir(parents=True, mode=0o700)
        try:
            for name in (MANIFEST_FILE, SIGNATURE_FILE):
                (copy_to / name).write_bytes(_read_regular(directory / name))
            unverified = parse_manifest((copy_to / MANIFEST_FILE).read_bytes())
            _copy_regular(directory / unverified.filename, copy_to / unverified.filename)
        except OSError as exc:
            raise ReleaseError(f"staged release in {directory} cannot be read: {exc}") from exc
        directory = copy_to
    try:
        data = (directory / MANIFEST_FILE).read_bytes()
        signature = (directory / SIGNATURE_FILE).read_text("ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ReleaseError(f"staged release in {directory} is incomplete: {exc}") from exc
    manifest = verify_manifest(data, signature, key)
    if manifest.version != directory.name:
        raise ReleaseError(f"staged release {directory.name} holds the manifest of "
                           f"{manifest.version}")
    check_artifact(directory / manifest.filename, manifest)
    return StagedRelease(manifest, directory)


def _read_regular(path: Path) -> bytes:
    """The bytes of a regular file, never following a symbolic link."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as handle:
        return handle.read()


def _copy_regular(src: Path, dst: Path) -> None:
    fd = os.open(src, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as source, open(dst, "wb") as target:
        shutil.copyfileobj(source, target, 1024 * 1024)


def check_artifact(path: Path, manifest: ReleaseManifest) -> None:
    """Size and SHA-256 of ``path`` against the signed manifest; ReleaseError if they differ."""
    try:
        size = path.stat().st_size
        if size != manifest.size:
            raise ReleaseError(f"release {manifest.version}: the file is {size} bytes, the "
                               f"signed manifest says {manifest.size}")
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1024 * 1024), b""):
                digest.update(block)
    except OSError as exc:
        raise ReleaseError(f"release {manifest.version}: cannot read {path.name}: {exc}") from exc
    if digest.hexdigest() != manifest.sha256:
        raise ReleaseError(f"release {manifest.version}: the file's SHA-256 does not match the "
                           f"signed manifest (got {digest.hexdigest()[:16]}, signed "
                           f"{manifest.sha256[:16]}); it was changed or damaged on the way")


class ReleaseFetcher:
    """Fetches the offered release into ``staging`` when it is newer than ``running`` and not
    ``is_bad``. Use from one thread (the platform poller's)."""

    def __init__(
        self,
        client: PlatformClient,
        staging: Path,
        key: Ed25519PublicKey | str,
        running: str,
        is_bad: Callable[[str], bool],
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        deadline_s: float = 900.0,
        free_bytes: Callable[[Path], int] | None = None,
    ) -> None:
        if isinstance(key, str):
            from sync.platform.signing import load_ed25519_public_key

            key = load_ed25519_public_key(key)
        self.client = client
        self.staging = Path(staging)
        self.key = key
        self.running = running
        self.is_bad = is_bad
        self.max_bytes = max_bytes
        self.deadline_s = deadline_s
        self._free = free_bytes or (lambda p: shutil.disk_usage(p).free)

    def staged(self) -> StagedRelease | None:
        """The newest release staged and still newer than the running one."""
        best: StagedRelease | None = None
        if not self.staging.is_dir():
            return None
        for entry in self.staging.iterdir():
            if entry.name.startswith("."):
                continue
            found = read_staged(entry)
            if found is None or not _newer(found.manifest.version, self.running):
                continue
            if best is None or is_newer(found.manifest.version, best.manifest.version):
                best = found
        return best

    def discard_old(self) -> list[str]:
        """Remove staged releases that are not newer than the running one (installed now, or
        overtaken), and partial downloads an interruption left."""
        removed: list[str] = []
        if not self.staging.is_dir():
            return removed
        for entry in self.staging.iterdir():
            name = entry.name.removeprefix(PARTIAL_PREFIX)
            if entry.name.startswith(PARTIAL_PREFIX) or not _newer(name, self.running):
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(entry.name)
        return removed

    def check(self) -> FetchResult:
        try:
            offer = self.client.release_offer()
        except PlatformError as exc:
            return FetchResult("unreachable", None, f"release offer not fetched: {exc}")
        if offer is None:
            return FetchResult("none")
        try:
            manifest = verify_manifest(offer.manifest_bytes, offer.signature, self.key)
        except ReleaseError as exc:
            return self._refused(None, f"release offer refused: {exc}")
        version = manifest.version
        if version == self.running or not _newer(version, self.running):
            if version == self.running:
                return FetchResult("current", version)
            return self._refused(version, f"release {version} refused: it is not newer than "
                                 f"the running {self.running}")
        if self.is_bad(version):
            return self._refused(version, f"release {version} refused: it failed to paint its "
                                 "home screen here before and was marked bad; it is never "
                                 "tried again (publish a newer version)")
        if manifest.size > self.max_bytes:
            return self._refused(version, f"release {version} refused: {manifest.size} bytes "
                                 f"is over this kiosk's limit of {self.max_bytes}")
        target = self.staging / version
        existing = read_staged(target)
        if existing is not None and existing.manifest == manifest:
            return FetchResult("already_staged", version)
        self.staging.mkdir(parents=True, exist_ok=True, mode=0o700)
        free = self._free(self.staging)
        need = manifest.size * ROOM_FACTOR
        if free < need:
            return self._refused(version, f"release {version} not downloaded: the disk is too "
                                 f"full ({free // 2**20} MiB free, {need // 2**20} MiB needed "
                                 "for the download and its installation)")
        return self._download(manifest, offer.manifest_bytes, offer.signature, target)

    def _download(
        self, manifest: ReleaseManifest, data: bytes, signature: str, target: Path
    ) -> FetchResult:
        version = manifest.version
        partial = self.staging / f"{PARTIAL_PREFIX}{version}"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(mode=0o700)
        artifact = partial / manifest.filename
        received = 0
        try:
            with artifact.open("wb") as handle:
                def write(chunk: bytes) -> None:
                    nonlocal received
                    received += len(chunk)
                    handle.write(chunk)

                self.client.download_release(version, write, max_bytes=manifest.size,
                                             deadline_s=self.deadline_s)
                handle.flush()
                os.fsync(handle.fileno())
            check_artifact(artifact, manifest)
            write_atomic(partial / MANIFEST_FILE, data, 0o600)
            write_atomic(partial / SIGNATURE_FILE, signature.encode("ascii") + b"\n", 0o600)
        except PlatformError as exc:
            shutil.rmtree(partial, ignore_errors=True)
            return self._refused(version, f"download of release {version} cut off after "
                                 f"{received} of {manifest.size} bytes ({exc}); it is tried "
                                 "again at the next check")
        except ReleaseError as exc:
            shutil.rmtree(partial, ignore_errors=True)
            return self._refused(version, f"release {version} refused: {exc}")
        except OSError as exc:
            shutil.rmtree(partial, ignore_errors=True)
            if exc.errno == errno.ENOSPC:
                return self._refused(version, f"release {version} not downloaded: the disk "
                                     "filled up during the download")
            return self._refused(version, f"release {version} not downloaded: {exc}")
        shutil.rmtree(target, ignore_errors=True)
        os.replace(partial, target)
        for other in self.staging.iterdir():  # one staged release at a time
            if other != target:
                with contextlib.suppress(OSError):
                    shutil.rmtree(other) if other.is_dir() else other.unlink()
        log.info("release %s downloaded and verified (%d bytes, sha256 %s)", version,
                 manifest.size, manifest.sha256[:16])
        return FetchResult("staged", version)

    def _refused(self, version: str | None, message: str) -> FetchResult:
        log.warning("%s", message)
        return FetchResult("refused", version, message)


def _newer(candidate: str, than: str) -> bool:
    try:
        return is_newer(candidate, than)
    except ValueError:  # a running version that is not dotted numbers (a development build)
        return True
