"""The platform's X25519 sealing key pair, kept in a data directory.

The private key is PKCS#8 PEM in ``sealing_key.pem`` (mode 0600, created exclusively so
two starting servers cannot both write one); the public key is also written as base64 raw
text in ``sealing_key.pub`` for operators to hand to kiosks.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from sync.sealing import public_key_text

log = logging.getLogger(__name__)

PRIVATE_KEY_FILE = "sealing_key.pem"
PUBLIC_KEY_FILE = "sealing_key.pub"


def load_private_key(path: Path) -> X25519PrivateKey:
    """Read a PEM X25519 private key; tighten its mode to 0600 if it was looser."""
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        log.warning("private key file was readable by others; setting mode 0600")
        os.chmod(path, 0o600)
    key = load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, X25519PrivateKey):
        raise ValueError(f"{path.name} is not an X25519 private key")
    return key


def load_or_create_keys(data_dir: Path) -> X25519PrivateKey:
    """Return the platform sealing key in ``data_dir``, creating it on first use."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    private_path = data_dir / PRIVATE_KEY_FILE
    if not private_path.exists():
        key = X25519PrivateKey.generate()
        pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
        try:
            fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process won the race; use its key
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(pem)
                handle.flush()
                os.fsync(handle.fileno())
    key = load_private_key(private_path)
    public_path = data_dir / PUBLIC_KEY_FILE
    text = public_key_text(key.public_key())
    if not public_path.exists() or public_path.read_text().strip() != text:
        public_path.write_text(text + "\n")
    return key
