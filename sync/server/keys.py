"""The platform's key pairs, kept in a data directory.

- sealing: X25519, kiosks seal payloads to it (``sealing_key.pem`` / ``sealing_key.pub``);
- catalogue signing: Ed25519, signs the service catalogues kiosks download
  (``catalogue_key.pem`` / ``catalogue_key.pub``);
- lookup: a 32-byte secret, the HMAC key of the receipts' query codes (``lookup_key.secret``,
  hex); it never leaves the platform, and every server process of one database shares it.

Private keys are PKCS#8 PEM, mode 0600, created exclusively so two starting servers cannot
both write one; each public key is also written as base64 raw text for operators. Both public
keys reach a kiosk at enrolment, and it pins them.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from sync.atomic_file import create_exclusive, write_atomic
from sync.file_modes import private_directory, private_file
from sync.platform.signing import ed25519_public_key_text
from sync.sealing import public_key_text

PRIVATE_KEY_FILE = "sealing_key.pem"
PUBLIC_KEY_FILE = "sealing_key.pub"
CATALOGUE_PRIVATE_KEY_FILE = "catalogue_key.pem"
CATALOGUE_PUBLIC_KEY_FILE = "catalogue_key.pub"
LOOKUP_KEY_FILE = "lookup_key.secret"
ECODE_PRIVATE_KEY_FILE = "ecode_key.pem"
ECODE_PUBLIC_KEY_FILE = "ecode_key.pub"
LOOKUP_KEY_BYTES = 32

_Key = TypeVar("_Key", X25519PrivateKey, Ed25519PrivateKey)


def _load(path: Path, kind: type[_Key]) -> _Key:
    private_file(path)  # 0600, corrected (and logged) if an older version left it looser
    key = load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, kind):
        raise ValueError(f"{path.name} is not an {kind.__name__.removesuffix('PrivateKey')} key")
    return key


def _load_or_create(
    data_dir: Path,
    private_name: str,
    public_name: str,
    kind: type[_Key],
    public_text: Callable[[Any], str],
) -> _Key:
    data_dir = Path(data_dir)
    private_directory(data_dir)  # keys and the default database: 0700, corrected if looser
    private_path = data_dir / private_name
    if not private_path.exists():
        pem = kind.generate().private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
        create_exclusive(private_path, pem, 0o600)  # False: another process won; use its key
    key = _load(private_path, kind)
    public_path = data_dir / public_name
    text = public_text(key.public_key())
    if not public_path.exists() or public_path.read_text().strip() != text:
        write_atomic(public_path, (text + "\n").encode("ascii"))
    return key


def load_or_create_keys(data_dir: Path) -> X25519PrivateKey:
    """Return the platform sealing key in ``data_dir``, creating it on first use."""
    return _load_or_create(
        # cryptography's key classes are abstract; mypy's type-abstract check (python/mypy#4717)
        # refuses them as type[...] arguments though only isinstance() and generate() are used.
        data_dir, PRIVATE_KEY_FILE, PUBLIC_KEY_FILE,
        X25519PrivateKey,  # type: ignore[type-abstract]
        public_key_text,
    )


def load_or_create_catalogue_key(data_dir: Path) -> Ed25519PrivateKey:
    """Return the platform catalogue-signing key in ``data_dir``, creating it on first use."""
    return _load_or_create(
        data_dir,
        CATALOGUE_PRIVATE_KEY_FILE,
        CATALOGUE_PUBLIC_KEY_FILE,
        Ed25519PrivateKey,  # type: ignore[type-abstract]
        ed25519_public_key_text,
    )


def load_or_create_ecode_key(data_dir: Path) -> Ed25519PrivateKey:
    """Return the key that signs electronic card codes in ``data_dir``, creating it on first use."""
    return _load_or_create(
        data_dir,
        ECODE_PRIVATE_KEY_FILE,
        ECODE_PUBLIC_KEY_FILE,
        Ed25519PrivateKey,  # type: ignore[type-abstract]
        ed25519_public_key_text,
    )


def load_or_create_lookup_key(data_dir: Path) -> bytes:
    """Return the query-code HMAC secret in ``data_dir``, creating it on first use.

    The new secret is written whole and linked into place (:func:`create_exclusive`), so a
    second server starting at the same moment reads the winner's key, never a half-written one.
    """
    data_dir = Path(data_dir)
    private_directory(data_dir)
    path = data_dir / LOOKUP_KEY_FILE
    if not path.exists():
        secret = (secrets.token_hex(LOOKUP_KEY_BYTES) + "\n").encode("ascii")
        create_exclusive(path, secret, 0o600)  # False: another process won; use its key
    private_file(path)
    try:
        key = bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (UnicodeDecodeError, ValueError):
        key = b""
    if len(key) != LOOKUP_KEY_BYTES:
        raise ValueError(f"{path.name} is not a {LOOKUP_KEY_BYTES}-byte hex secret")
    return key
