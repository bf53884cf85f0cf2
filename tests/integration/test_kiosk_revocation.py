"""Revocation holds until the operator lifts it (issue 8, item 11): revoking cancels the
kiosk's unused enrolment tokens, ``kiosk server tokens`` lists and cancels tokens, and a
revoked kiosk enrols again only after ``kiosk server token --reinstate``. Against the
platform running as ``kiosk server`` with signatures required, and its operator CLI."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import update

from sync.kiosk_keys import KioskIdentity, enroll, load_or_create_identity
from sync.platform.client import PlatformClient
from sync.platform.errors import EnrolmentError, PlatformAuthError
from sync.server.schema import enrolment_tokens
from sync.server.store import make_engine
from tests.support.platform import PlatformProcess

KIOSK = "kiosk-0451"


@pytest.fixture
def platform(platform_factory: Callable[..., PlatformProcess]) -> PlatformProcess:
    return platform_factory(require_signatures=True)


def refusal(platform: PlatformProcess, token: str, identity: KioskIdentity) -> str:
    with pytest.raises(EnrolmentError) as caught:
        enroll(platform.url, token, identity, KIOSK)
    assert caught.value.status == 403
    return caught.value.reason


def whoami_refusal(platform: PlatformProcess, identity: KioskIdentity) -> str:
    with pytest.raises(PlatformAuthError) as caught:
        PlatformClient(platform.url, KIOSK, signer=identity.signer(KIOSK)).whoami()
    return caught.value.reason


def test_revoking_cancels_unused_tokens_so_a_stolen_one_cannot_take_the_kiosk_over(
    platform: PlatformProcess, tmp_path: Path
) -> None:
    kiosk = platform.enrol(KIOSK, tmp_path / "identity", code="K0451")
    spare = platform.issue_token(KIOSK)  # e.g. issued for a key rotation, then stolen too

    revoked = platform.operator("revoke", "--kiosk-id", KIOSK)
    assert revoked.returncode == 0, revoked.stderr

    thief = KioskIdentity.generate()
    assert refusal(platform, spare, thief) == "token_cancelled"
    assert whoami_refusal(platform, kiosk.identity) == "revoked"  # still revoked
    assert "key revoked; 1 unused enrolment token(s) cancelled" in revoked.stdout
    assert whoami_refusal(platform, thief) == "bad_signature"  # the thief's key is nobody's
    listed = platform.operator("kiosks")
    assert f"{KIOSK}\tkey {kiosk.identity.key_id}" in listed.stdout and "revoked" in listed.stdout


def test_a_revoked_kiosk_enrols_again_only_after_the_operator_reinstates_it(
    platform: PlatformProcess, tmp_path: Path
) -> None:
    old = platform.enrol(KIOSK, tmp_path / "old", code="K0451")
    assert platform.operator("revoke", "--kiosk-id", KIOSK).returncode == 0

    plain = platform.operator("token", "--kiosk-id", KIOSK)
    assert plain.returncode == 1 and plain.stdout == ""
    assert "revoked" in plain.stderr and "--reinstate" in plain.stderr

    issued = platform.operator("token", "--kiosk-id", KIOSK, "--reinstate")
    assert issued.returncode == 0, issued.stderr
    replacement = load_or_create_identity(tmp_path / "new")
    enroll(platform.url, issued.stdout.strip(), replacement, KIOSK)
    me = PlatformClient(platform.url, KIOSK, signer=replacement.signer(KIOSK)).whoami()
    assert me.kiosk_id == KIOSK
    assert whoami_refusal(platform, old.identity) == "bad_signature"  # its key was replaced
    listed = platform.operator("kiosks").stdout
    assert f"{KIOSK}\tkey {replacement.key_id}" in listed and "active" in listed


def test_a_token_issued_before_the_revocation_never_enrols(
    platform: PlatformProcess, tmp_path: Path
) -> None:
    """Even one the revocation did not cancel (written by an older platform on the same
    database, or committed while the revocation ran)."""
    platform.enrol(KIOSK, tmp_path / "identity")
    early = platform.issue_token(KIOSK)
    assert platform.revoke(KIOSK)
    engine = make_engine(platform.database_url)
    try:
        with engine.begin() as conn:
            conn.execute(update(enrolment_tokens).values(cancelled_at=None))
    finally:
        engine.dispose()
    assert refusal(platform, early, KioskIdentity.generate()) == "token_cancelled"


def test_tokens_are_listed_by_id_and_cancelled_one_by_one_or_per_kiosk(
    platform: PlatformProcess, tmp_path: Path
) -> None:
    issued = [platform.operator("token", "--kiosk-id", k) for k in (KIOSK, KIOSK, "kiosk-0452")]
    assert all(i.returncode == 0 for i in issued)
    tokens = [i.stdout.strip() for i in issued]
    ids = [re.search(r"token ([0-9a-f]{12}) for kiosk", i.stderr) for i in issued]
    assert all(ids)
    first, second, third = (m.group(1) for m in ids if m is not None)

    listed = platform.operator("tokens").stdout.splitlines()
    assert sorted(line.split("\t")[0] for line in listed) == sorted([first, second, third])
    assert all(line.endswith("\tunused") for line in listed)
    assert [line.split("\t")[1] for line in platform.operator("tokens", "--kiosk-id", KIOSK)
            .stdout.splitlines()] == [KIOSK, KIOSK]

    enroll(platform.url, tokens[0], load_or_create_identity(tmp_path / "identity"), KIOSK)
    cancelled = platform.operator("tokens", "--cancel", second)
    assert cancelled.returncode == 0 and "1 enrolment token(s) cancelled" in cancelled.stdout
    assert refusal(platform, tokens[1], KioskIdentity.generate()) == "token_cancelled"
    again = platform.operator("tokens", "--cancel", tokens[0])  # given as the token: used
    assert again.returncode == 1 and "0 enrolment token(s) cancelled" in again.stdout

    per_kiosk = platform.operator("tokens", "--kiosk-id", "kiosk-0452", "--cancel-unused")
    assert per_kiosk.returncode == 0 and "1 enrolment token(s)" in per_kiosk.stdout
    states = {
        line.split("\t")[0]: line.split("\t")[-1]
        for line in platform.operator("tokens").stdout.splitlines()
    }
    assert states[first].startswith("used ") and states[second].startswith("cancelled ")
    assert states[third].startswith("cancelled ")
    bad = platform.operator("tokens", "--cancel", "not-a-token")
    assert bad.returncode == 2 and "not a token" in bad.stderr
