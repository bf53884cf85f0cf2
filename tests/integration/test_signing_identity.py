"""The kiosk's identity on disk: its Ed25519 key pair created once in private files, loose
modes tightened, an unreadable key an error and never replaced, no key material in a repr;
the platform's keys pinned at enrolment, refused under a wrong key id."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from sync.kiosk_keys import (
    PRIVATE_KEY_FILE,
    PUBLIC_KEY_FILE,
    IdentityError,
    PlatformKeys,
    load_identity,
    load_or_create_identity,
    load_platform_keys,
    save_platform_keys,
)
from sync.server.cli import ServerHandle
from tests.support.signing import (  # noqa: F401 (clock_fixture, server_fixture: fixtures)
    NOW,
    clock_fixture,
    server_fixture,
)


def test_identity_is_created_once_with_a_private_file(tmp_path: Path) -> None:
    first = load_or_create_identity(tmp_path / "id")
    assert stat.S_IMODE((tmp_path / "id" / PRIVATE_KEY_FILE).stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "id").stat().st_mode) == 0o700
    second = load_or_create_identity(tmp_path / "id")
    assert second.public_key_text == first.public_key_text
    assert (tmp_path / "id" / PUBLIC_KEY_FILE).read_text().strip() == first.public_key_text


def test_loose_key_file_mode_is_tightened(tmp_path: Path) -> None:
    load_or_create_identity(tmp_path)
    (tmp_path / PRIVATE_KEY_FILE).chmod(0o644)
    load_identity(tmp_path)
    assert stat.S_IMODE((tmp_path / PRIVATE_KEY_FILE).stat().st_mode) == 0o600


def test_unreadable_key_is_an_error_and_never_replaced(tmp_path: Path) -> None:
    with pytest.raises(IdentityError, match="keys init"):
        load_identity(tmp_path)
    (tmp_path / PRIVATE_KEY_FILE).write_bytes(b"garbage")
    with pytest.raises(IdentityError, match="unreadable"):
        load_or_create_identity(tmp_path)
    assert (tmp_path / PRIVATE_KEY_FILE).read_bytes() == b"garbage"


def test_identity_repr_shows_no_key_material(tmp_path: Path) -> None:
    identity = load_or_create_identity(tmp_path)
    pem = (tmp_path / PRIVATE_KEY_FILE).read_text()
    text = repr(identity) + repr(identity.signer("K0451"))
    assert identity.key_id in text
    assert identity.public_key_text not in text
    assert all(line not in text for line in pem.splitlines()[1:-1])


def test_pinned_platform_keys_round_trip_and_refuse_a_wrong_key_id(
    tmp_path: Path, server: ServerHandle
) -> None:
    keys = PlatformKeys(
        kiosk_id="K0451",
        sealing_key=server.public_key_text,
        sealing_key_id=server.kid,
        catalogue_key=server.catalogue_key_text,
        catalogue_key_id=server.catalogue_kid,
        server_time=NOW,
    )
    assert load_platform_keys(tmp_path) is None
    save_platform_keys(tmp_path, keys)
    assert load_platform_keys(tmp_path) == keys
    doc = json.loads(keys.to_json())
    doc["sealing_key_id"] = "0" * 16
    with pytest.raises(IdentityError, match="sealing key id"):
        PlatformKeys.from_json(json.dumps(doc))
