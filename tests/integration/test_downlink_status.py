"""Status feed against the platform subprocess (signatures required): an operator moves
statuses, each kiosk pulls only its own changes by cursor, in order, with nothing lost and
nothing repeated across restarts, and the operator's moves follow the status order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from sync.downlink.status_feed import STATE_FILE, StatusFeed
from sync.platform.downlink_replies import StatusChange
from sync.platform.errors import PlatformProtocolError
from sync.server.catalog_admin import StatusError
from tests.support.downlink import module_platform, move, operator, upload
from tests.support.platform import EnrolledKiosk, PlatformProcess

__all__ = ["module_platform"]


@pytest.fixture(scope="module")
def kiosks(
    module_platform: PlatformProcess, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, EnrolledKiosk]:
    return {
        name: module_platform.enrol(name, tmp_path_factory.mktemp(name), code=name)
        for name in ("K0451", "K0452")
    }


class Seen:
    """The kiosk's side: what the citizen would now be shown, per transaction."""

    def __init__(self, fail_at: int | None = None) -> None:
        self.changes: list[StatusChange] = []
        self.fail_at = fail_at

    def __call__(self, change: StatusChange) -> None:
        if change.seq == self.fail_at:
            raise RuntimeError("screen busy")
        self.changes.append(change)

    def pairs(self) -> list[tuple[str, str]]:
        return [(c.txid, c.status) for c in self.changes]


def feed(kiosk: EnrolledKiosk, directory: Path, seen: Seen, **options: int) -> StatusFeed:
    return StatusFeed(kiosk.client(), directory, seen, **options)


@pytest.mark.parametrize("page_limit", [100, 2])
def test_each_kiosk_gets_its_own_changes_once_in_order_across_restarts(
    kiosks: dict[str, EnrolledKiosk],
    module_platform: PlatformProcess,
    tmp_path: Path,
    page_limit: int,
) -> None:
    a, b = kiosks["K0451"], kiosks["K0452"]
    a1, a2, a3 = upload(a, 3)
    (b1,) = upload(b, 1)
    first_a = Seen()
    feed_a = feed(a, tmp_path / "a", first_a, page_limit=page_limit)
    start = feed_a.cursor
    feed_a.pull()  # catch up on other tests' changes; only ours matter from here
    first_a.changes.clear()
    for txid, status in [(a1, "processing"), (b1, "processing"), (a2, "processing"),
                         (a1, "approved"), (a3, "rejected")]:
        move(module_platform, txid, status)
    result = feed_a.pull()
    assert result.ok and result.delivered == 4 and start == 0
    assert first_a.pairs() == [
        (a1, "processing"), (a2, "processing"), (a1, "approved"), (a3, "rejected")
    ]
    assert [c.previous for c in first_a.changes] == ["accepted", "accepted", "processing",
                                                      "accepted"]
    assert first_a.changes[0].tracking_number == "K0451-20261121-0000-0"
    seqs = [c.seq for c in first_a.changes]
    assert seqs == sorted(seqs) and len(set(seqs)) == 4
    assert json.loads((tmp_path / "a" / STATE_FILE).read_text())["cursor"] == seqs[-1]

    restarted = Seen()  # the kiosk restarts: same cursor file, a new feed object
    feed_again = feed(a, tmp_path / "a", restarted, page_limit=page_limit)
    assert feed_again.cursor == seqs[-1]
    assert feed_again.pull().delivered == 0 and restarted.changes == []
    move(module_platform, a2, "ready_for_pickup")
    assert feed_again.pull().delivered == 1
    assert restarted.pairs() == [(a2, "ready_for_pickup")]

    seen_b = Seen()
    feed(b, tmp_path / "b", seen_b).pull()
    assert (b1, "processing") in seen_b.pairs()
    assert not {a1, a2, a3} & {c.txid for c in seen_b.changes}


def test_a_failing_handler_gets_the_same_change_again_and_nothing_is_skipped(
    kiosks: dict[str, EnrolledKiosk], module_platform: PlatformProcess, tmp_path: Path
) -> None:
    kiosk = kiosks["K0451"]
    feed(kiosk, tmp_path, Seen()).pull()  # start after earlier tests' changes
    t1, t2, t3 = upload(kiosk, 3)
    s1, s2, s3 = (move(module_platform, t, "processing") for t in (t1, t2, t3))
    failing = Seen(fail_at=s2)
    result = feed(kiosk, tmp_path, failing).pull()
    assert not result.ok and result.delivered == 1 and result.cursor == s1
    assert failing.pairs() == [(t1, "processing")]
    after = Seen()
    assert feed(kiosk, tmp_path, after).pull().delivered == 2  # after a restart
    assert [c.seq for c in after.changes] == [s2, s3]


def test_a_cursor_beyond_the_platform_starts_over_and_another_platforms_cursor_is_ignored(
    kiosks: dict[str, EnrolledKiosk], module_platform: PlatformProcess, tmp_path: Path
) -> None:
    kiosk = kiosks["K0452"]
    (txid,) = upload(kiosk, 1)
    move(module_platform, txid, "processing")
    owner = {"platform": module_platform.url, "kiosk_id": kiosk.kiosk_id}
    (tmp_path / STATE_FILE).write_text(json.dumps({"cursor": 10**9, **owner}))
    restored = Seen()  # as after the platform's database came back from an older backup
    assert feed(kiosk, tmp_path, restored).pull().ok
    assert (txid, "processing") in restored.pairs()
    (tmp_path / STATE_FILE).write_text(
        json.dumps({"cursor": 10**9, "platform": "http://127.0.0.1:1", "kiosk_id": "K0452"})
    )
    assert feed(kiosk, tmp_path, Seen()).cursor == 0
    (tmp_path / STATE_FILE).write_text("{half a fi")
    assert feed(kiosk, tmp_path, Seen()).cursor == 0


def test_status_moves_follow_the_order_unless_forced(
    kiosks: dict[str, EnrolledKiosk], module_platform: PlatformProcess
) -> None:
    (txid,) = upload(kiosks["K0451"], 1)
    with pytest.raises(StatusError) as caught:
        move(module_platform, txid, "ready_for_pickup")
    assert caught.value.reason == "not_allowed"
    assert move(module_platform, txid, "processing") is not None
    assert move(module_platform, txid, "processing") is None  # already there: no change
    assert move(module_platform, txid, "approved") is not None
    with pytest.raises(StatusError):
        move(module_platform, txid, "processing")
    assert move(module_platform, txid, "processing", force=True) is not None
    with pytest.raises(StatusError) as unknown:
        move(module_platform, "0190f0f0-0000-7000-8000-000000000000", "processing")
    assert unknown.value.reason == "unknown_transaction"


def test_operator_cli_moves_a_status_and_the_status_page_shows_it(
    kiosks: dict[str, EnrolledKiosk], module_platform: PlatformProcess
) -> None:
    (txid,) = upload(kiosks["K0452"], 1)
    done = operator(module_platform, "set-status", txid, "processing")
    assert done.returncode == 0 and "accepted -> processing" in done.stdout, done.stderr
    refused = operator(module_platform, "set-status", txid, "accepted")
    assert refused.returncode == 1 and "cannot move processing -> accepted" in refused.stderr
    page = requests.get(f"{module_platform.url}/v1/transactions/{txid}", timeout=5).json()
    assert page["status"] == "processing"


def test_the_feed_needs_a_signature_and_checks_its_parameters(
    kiosks: dict[str, EnrolledKiosk], module_platform: PlatformProcess
) -> None:
    unsigned = requests.get(f"{module_platform.url}/v1/status?cursor=0", timeout=5)
    assert unsigned.status_code == 401 and unsigned.json()["reason"] == "missing_signature"
    client = kiosks["K0451"].client()
    with pytest.raises(PlatformProtocolError) as caught:
        client.status_changes(0, limit=10_000)
    assert caught.value.status == 422
