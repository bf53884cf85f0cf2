"""Configuration changes as audit entries (docs/audit.md, *Configuration changes*).

At each start the kiosk flattens its effective configuration to ``section.key`` names and
keeps, beside the chain (``audit_meta``, not in it), a salted SHA-256 of every value and the
values that are safe to show. When the digest differs from the one kept, one ``config.changed``
entry names the keys that changed (added or removed ones too). Only **numbers and booleans**
are recorded as values (``from`` / ``to``): intervals, limits, switches. A text value never is
— it may be a path, an address, an id, a key or a token — nor a list, nor anything under
:data:`kiosk.config.SECRET_KEYS`: for those the entry says only that the key changed. The
digests are salted with a random value of this kiosk, so a short secret cannot be looked up
from its digest.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from typing import Any

from kiosk.config import SECRET_KEYS, Config

SALT_KEY = "config_salt"
FINGERPRINT_KEY = "config_fingerprint"
DERIVED = frozenset({"kiosk.effective_data_dir"})  # follows from other keys and the machine


def flatten(config: Config) -> dict[str, Any]:
    """``{"section.key": value}`` of the effective configuration, secrets included (digested
    only, never stored)."""
    out: dict[str, Any] = {}
    for section, values in config.as_dict(mask_secrets=False).items():
        for key, value in values.items():
            name = f"{section}.{key}"
            if name not in DERIVED:
                out[name] = value
    return out


def safe_value(name: str, value: Any) -> bool:
    """May this value appear in the audit trail? Numbers and booleans of non-secret keys."""
    return (name.rpartition(".")[2] not in SECRET_KEYS
            and isinstance(value, bool | int | float))


def new_salt() -> str:
    return secrets.token_hex(16)


def fingerprint(values: dict[str, Any], salt: str) -> dict[str, Any]:
    """The digest of everything, a digest per key and the safe values."""
    keys = {name: hmac.new(bytes.fromhex(salt), json.dumps(
        value, sort_keys=True, ensure_ascii=False, default=str).encode(), hashlib.sha256
    ).hexdigest()[:32] for name, value in sorted(values.items())}
    digest = hashlib.sha256(json.dumps(keys, sort_keys=True).encode()).hexdigest()
    return {"digest": digest, "keys": keys,
            "values": {n: v for n, v in values.items() if safe_value(n, v)}}


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any] | None:
    """The ``config.changed`` details between two fingerprints, or None when equal."""
    if before.get("digest") == after["digest"]:
        return None
    old, new = dict(before.get("keys") or {}), after["keys"]
    changed = sorted(n for n in set(old) | set(new) if old.get(n) != new.get(n))
    old_values, new_values = dict(before.get("values") or {}), after["values"]
    shown = {n: {"from": old_values.get(n), "to": new_values.get(n)} for n in changed
             if (n in old_values or n not in old) and (n in new_values or n not in new)}
    return {"changed": changed, "values": shown}


def setting_changes(before: Config, after: Config) -> dict[str, Any] | None:
    """The details of a change made at run time (no salt needed: nothing is kept)."""
    salt = new_salt()
    return changes(fingerprint(flatten(before), salt), fingerprint(flatten(after), salt))


def parse_fingerprint(text: str | None) -> dict[str, Any] | None:
    if not text:
        return None
    try:
        doc = json.loads(text)
    except ValueError:
        return None
    return doc if isinstance(doc, dict) and isinstance(doc.get("keys"), dict) else None
