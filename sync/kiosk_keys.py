"""Kiosk identity: one Ed25519 key pair per kiosk, and enrolment with the platform.

The private key lives in ``<dir>/kiosk_key.pem`` (PKCS#8 PEM, mode 0600, created exclusively so
two starting processes cannot both write one); the public key is also written as base64 text in
``kiosk_key.pub`` for the operator. A key file that exists but cannot be read is an error, never
silently replaced: the platform knows this kiosk by that key.

Enrolment (:func:`enroll`) sends the public key with an operator's one-time token, signed with
the key itself (proof of possession), and returns the platform keys the kiosk pins from then on:
the sealing key and the catalogue-signing key (:class:`PlatformKeys`).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from sync.atomic_file import create_exclusive, write_atomic
from sync.file_modes import private_directory, private_file
from sync.platform.errors import PlatformProtocolError
from sync.platform.protocol import is_valid_kiosk_id
from sync.platform.signing import (
    RequestSigner,
    ed25519_key_id,
    ed25519_public_key_text,
    load_ed25519_public_key,
)
from sync.sealing import key_id_of, load_public_key

log = logging.getLogger(__name__)

PRIVATE_KEY_FILE = "kiosk_key.pem"
PUBLIC_KEY_FILE = "kiosk_key.pub"
PLATFORM_KEYS_FILE = "platform_keys.json"


class IdentityError(Exception):
    """The kiosk key is missing or unreadable, or pinned platform keys are invalid."""


class KioskIdentity:
    """The kiosk's key pair. Its repr shows the key id only."""

    def __init__(self, private_key: Ed25519PrivateKey, directory: Path | None = None) -> None:
        self._private_key = private_key
        self.directory = directory
        self.public_key = private_key.public_key()
        self.public_key_text = ed25519_public_key_text(self.public_key)
        self.key_id = ed25519_key_id(self.public_key)

    def __repr__(self) -> str:
        return f"KioskIdentity(key_id={self.key_id!r})"

    @classmethod
    def generate(cls) -> KioskIdentity:
        """A key pair in memory only (tests, and the first step of creating one on disk)."""
        return cls(Ed25519PrivateKey.generate())

    def sign(self, data: bytes) -> bytes:
        """An Ed25519 signature over ``data`` (files the kiosk hands over, such as a USB bundle)."""
        return self._private_key.sign(data)

    def signer(
        self,
        kiosk_id: str,
        *,
        clock: Callable[[], float] = time.time,
        random_bytes: Callable[[int], bytes] = secrets.token_bytes,
    ) -> RequestSigner:
        """A request signer for this kiosk id (what PlatformClient takes as ``signer``)."""
        return RequestSigner(kiosk_id, self._private_key, clock=clock, random_bytes=random_bytes)


def identity_exists(directory: Path) -> bool:
    return (Path(directory) / PRIVATE_KEY_FILE).exists()


def load_identity(directory: Path) -> KioskIdentity:
    """Read the kiosk key from ``directory``; IdentityError if absent or unreadable."""
    directory = Path(directory)
    path = directory / PRIVATE_KEY_FILE
    try:
        if directory.is_dir():
            private_directory(directory)  # 0700, corrected if an older version left it open
        private_file(path)
        key = load_pem_private_key(path.read_bytes(), password=None)
    except FileNotFoundError as exc:
        raise IdentityError(f"no kiosk key in {directory} (run: kiosk keys init)") from exc
    except (OSError, ValueError, TypeError) as exc:
        raise IdentityError(f"kiosk key {path} is unreadable: {type(exc).__name__}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise IdentityError(f"{path} is not an Ed25519 private key")
    identity = KioskIdentity(key, directory)
    public_path = directory / PUBLIC_KEY_FILE
    try:
        current = public_path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        current = ""
    if current != identity.public_key_text:
        write_atomic(public_path, (identity.public_key_text + "\n").encode("ascii"))
    return identity


def load_or_create_identity(directory: Path) -> KioskIdentity:
    """Return the kiosk identity in ``directory``, creating the key pair on first use."""
    directory = Path(directory)
    private_directory(directory)
    if not (directory / PRIVATE_KEY_FILE).exists():
        pem = Ed25519PrivateKey.generate().private_bytes(
            Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()
        )
        if create_exclusive(directory / PRIVATE_KEY_FILE, pem, 0o600):
            log.info("created a new kiosk key in %s", directory)
    return load_identity(directory)


@dataclass(frozen=True)
class PlatformKeys:
    """What enrolment delivers and the kiosk pins: keys as base64 text, with their key ids."""

    kiosk_id: str
    sealing_key: str
    sealing_key_id: str
    catalogue_key: str
    catalogue_key_id: str
    server_time: float

    def __post_init__(self) -> None:
        try:
            sealing = load_public_key(self.sealing_key)
            catalogue = load_ed25519_public_key(self.catalogue_key)
        except ValueError as exc:
            raise IdentityError(f"platform key is invalid: {exc}") from exc
        if key_id_of(sealing) != self.sealing_key_id:
            raise IdentityError("sealing key id does not match the sealing key")
        if ed25519_key_id(catalogue) != self.catalogue_key_id:
            raise IdentityError("catalogue key id does not match the catalogue key")

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> PlatformKeys:
        try:
            doc = json.loads(text)
            return cls(
                kiosk_id=str(doc["kiosk_id"]),
                sealing_key=str(doc["sealing_key"]),
                sealing_key_id=str(doc["sealing_key_id"]),
                catalogue_key=str(doc["catalogue_key"]),
                catalogue_key_id=str(doc["catalogue_key_id"]),
                server_time=float(doc["server_time"]),
            )
        except (ValueError, TypeError, KeyError) as exc:
            raise IdentityError(f"pinned platform keys are unreadable: {exc!r}") from exc


def save_platform_keys(directory: Path, keys: PlatformKeys) -> Path:
    """Pin the platform keys in ``directory`` (atomic replace); returns the file written."""
    path = Path(directory) / PLATFORM_KEYS_FILE
    write_atomic(path, keys.to_json().encode("utf-8"))
    return path


def load_platform_keys(directory: Path) -> PlatformKeys | None:
    """The pinned platform keys, or None if this kiosk has not enrolled yet."""
    path = Path(directory) / PLATFORM_KEYS_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return PlatformKeys.from_json(text)


def _platform_keys(doc: Any, kiosk_id: str) -> PlatformKeys:
    try:
        sealing, catalogue = doc["sealing_key"], doc["catalogue_key"]
        keys = PlatformKeys(
            kiosk_id=str(doc["kiosk_id"]),
            sealing_key=str(sealing["public_key"]),
            sealing_key_id=str(sealing["kid"]),
            catalogue_key=str(catalogue["public_key"]),
            catalogue_key_id=str(catalogue["kid"]),
            server_time=float(doc["server_time"]),
        )
    except (TypeError, KeyError, ValueError, IdentityError) as exc:
        raise PlatformProtocolError(f"enrolment reply is malformed: {exc}", 200) from exc
    if keys.kiosk_id != kiosk_id:
        raise PlatformProtocolError("enrolment reply names another kiosk", 200)
    return keys


def enroll(
    base_url: str,
    token: str,
    identity: KioskIdentity,
    kiosk_id: str,
    *,
    ca_bundle: str | os.PathLike[str] | None = None,
    timeout: float = 10.0,
    clock: Callable[[], float] = time.time,
    random_bytes: Callable[[int], bytes] = secrets.token_bytes,
) -> PlatformKeys:
    """Register ``identity`` as ``kiosk_id`` with a one-time token; return the keys to pin.

    Raises EnrolmentError (token unknown, used or expired), PlatformAuthError (for example
    clock_skew, with the platform's time), PlatformUnavailable or PlatformProtocolError.
    """
    if not is_valid_kiosk_id(kiosk_id):
        raise ValueError("kiosk id must be 1-64 characters of A-Z a-z 0-9 . _ -")
    from sync.platform.client import PlatformClient  # requests: only when enrolling

    client = PlatformClient(
        base_url,
        kiosk_id,
        timeout=timeout,
        signer=identity.signer(kiosk_id, clock=clock, random_bytes=random_bytes),
        ca_bundle=ca_bundle,
    )
    try:
        doc = client.post_enrolment(token, identity.public_key_text)
    finally:
        client.close()
    return _platform_keys(doc, kiosk_id)
