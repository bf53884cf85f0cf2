"""Which of this kiosk's queued transactions belong to the citizen at the screen.

The outbox cannot open its envelopes (it holds only the platform's public key), and its
receipt records keep masked forms only, which several people can share (``张*``,
``2301**********001X``). So each receipt record also carries a *holder tag*: HMAC-SHA256 of
the applicant's normalised ID number under a random key of this kiosk (``records_tag.key``
in the data directory, 0600, made at first use). It matches one citizen's records here, is
useless on another kiosk, and names nobody without the key; with the key (the same disk) an
attacker could test a guessed ID number, as with the masked forms. Tags go with their rows at
the outbox's retention (docs/records.md).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from sync.atomic_file import write_atomic

__all__ = ["TAG_KEY_FILE", "holder_tag", "load_or_create_tag_key"]

TAG_KEY_FILE = "records_tag.key"
_KEY_BYTES = 32


def load_or_create_tag_key(data_dir: Path) -> bytes:
    """This kiosk's tag key; made (atomically, 0600) the first time it is needed."""
    path = Path(data_dir) / TAG_KEY_FILE
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        key = b""
    if len(key) == _KEY_BYTES:
        return key
    key = secrets.token_bytes(_KEY_BYTES)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, key, 0o600)
    os.chmod(path, 0o600)
    return key


def holder_tag(key: bytes, id_number: str) -> str:
    """The tag of one ID number on this kiosk (hex)."""
    normal = id_number.strip().upper().encode("utf-8")
    return hmac.new(key, b"holder\x00" + normal, hashlib.sha256).hexdigest()
