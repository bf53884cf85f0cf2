"""Queue numbers (取号) on the reference platform, over HTTP, on SQLite and PostgreSQL: signed
only, counters per hall and window queue, idempotent by request id, atomic under kiosks asking
together, waiting-ahead moved by the operator's call, and a new count each local day.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests

from sync.kiosk_keys import KioskIdentity
from sync.platform.client import PlatformClient
from sync.platform.errors import PlatformAuthError, PlatformProtocolError
from sync.platform.queue import QUEUE_TICKETS_PATH, QueueTicketRequest, ticket_request_body
from sync.server.cli import ServerHandle, start_server_thread
from sync.server.queue import set_hall_zone
from sync.uuid7 import uuid7
from tests.support.platform import EnrolledKiosk, PlatformProcess
from tests.support.postgres import (  # noqa: F401 - fixtures
    DatabasePlatform,
    platform_on_each_database,
    postgres_server,
    postgres_url,
)

HALL = "demo-hall"
ZONE = "Asia/Shanghai"
PER_CLIENT = 12


def ask(window: str = "social", prefix: str = "B", service: str = "pension-transfer",
        request_id: str | None = None, site: str = HALL) -> QueueTicketRequest:
    return QueueTicketRequest(request_id or str(uuid7()), site, window, prefix, service, ZONE)


@pytest.fixture
def kiosks(platform: PlatformProcess, tmp_path: Path) -> tuple[EnrolledKiosk, EnrolledKiosk]:
    return (platform.enrol("K0451", tmp_path / "k1", code="K0451"),
            platform.enrol("K0452", tmp_path / "k2", code="K0452"))


def test_numbers_count_per_window_queue_and_say_who_waits_ahead(
    kiosks: tuple[EnrolledKiosk, EnrolledKiosk],
) -> None:
    one, two = (k.client() for k in kiosks)
    first = one.take_queue_number(ask())
    second = two.take_queue_number(ask())  # another kiosk of the same hall: the same queue
    other_window = one.take_queue_number(ask("medical", "A"))
    other_hall = two.take_queue_number(ask(site="east-hall"))
    assert (first.ticket, first.waiting_ahead) == ("B001", 0)
    assert (second.ticket, second.waiting_ahead) == ("B002", 1)
    assert (other_window.ticket, other_window.waiting_ahead) == ("A001", 0)
    assert other_hall.ticket == "B001"
    today = datetime.now(UTC).astimezone(ZoneInfo(ZONE)).date()
    assert first.day == today.isoformat()
    assert abs((datetime.now(UTC) - first.issued_at).total_seconds()) < 600


def test_the_same_request_id_again_is_the_same_ticket_not_a_second_number(
    kiosks: tuple[EnrolledKiosk, EnrolledKiosk],
) -> None:
    client = kiosks[0].client()
    request = ask()
    first = client.take_queue_number(request)
    again = kiosks[0].client().take_queue_number(request)  # a retry, on a new connection
    assert again == first
    assert client.take_queue_number(ask()).ticket == "B002"  # the retry took no number
    with pytest.raises(PlatformProtocolError) as refused:  # another kiosk cannot claim it
        kiosks[1].client().take_queue_number(request)
    assert refused.value.status == 409


def test_kiosks_asking_together_never_share_a_number(
    kiosks: tuple[EnrolledKiosk, EnrolledKiosk],
) -> None:
    got: list[str] = []
    failures: list[BaseException] = []
    start = threading.Barrier(4)
    shared = ask()  # and one request id sent by two connections of one kiosk at once
    repeats: list[str] = []

    def run(client: PlatformClient, with_shared: bool) -> None:
        try:
            start.wait()
            if with_shared:
                repeats.append(client.take_queue_number(shared).ticket)
            for _ in range(PER_CLIENT):
                got.append(client.take_queue_number(ask()).ticket)
        except BaseException as exc:  # reported below, in the test's thread
            failures.append(exc)

    clients = [kiosks[0].client(), kiosks[0].client(), kiosks[1].client(), kiosks[1].client()]
    threads = [threading.Thread(target=run, args=(c, i < 2)) for i, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not failures, failures
    assert len(repeats) == 2 and repeats[0] == repeats[1]
    numbers = sorted(int(t[1:]) for t in [*got, repeats[0]])
    assert numbers == list(range(1, 4 * PER_CLIENT + 2))


def test_calling_a_number_moves_everyone_behind_it_up(
    platform: PlatformProcess, kiosks: tuple[EnrolledKiosk, EnrolledKiosk],
) -> None:
    client = kiosks[0].client()
    tickets = [client.take_queue_number(ask()) for _ in range(3)]
    called = platform.operator("queue", "call", "--site", HALL, "--window", "social",
                               "--to", "A05")
    assert called.returncode == 0, called.stderr
    assert "B001 called to window A05" in called.stdout and "2 still waiting" in called.stdout
    retry = client.take_queue_number(QueueTicketRequest(
        tickets[2].request_id, HALL, "social", "B", "pension-transfer", ZONE))
    assert (retry.ticket, retry.waiting_ahead) == ("B003", 1)
    assert client.take_queue_number(ask()).waiting_ahead == 2
    listed = platform.operator("queue", "list", "--site", HALL, "--window", "social")
    assert listed.returncode == 0, listed.stderr
    assert "waiting 3" in listed.stdout and "B001" not in listed.stdout
    every = platform.operator("queue", "list", "--site", HALL, "--all")
    assert "B001\tsocial\tpension-transfer\tcalled to A05" in every.stdout
    empty = platform.operator("queue", "call", "--site", HALL, "--window", "medical")
    assert empty.returncode == 1 and "nobody is waiting" in empty.stdout
    unknown = platform.operator("queue", "list", "--site", "no-such-hall")
    assert unknown.returncode == 1 and "has taken a queue number yet" in unknown.stderr


def test_a_ticket_needs_a_signed_request_from_the_kiosk_it_names(
    platform: PlatformProcess, kiosks: tuple[EnrolledKiosk, EnrolledKiosk],
) -> None:
    body = ticket_request_body("K0451", ask())
    unsigned = requests.post(platform.url + QUEUE_TICKETS_PATH, data=body, timeout=5,
                             headers={"Content-Type": "application/json"})
    assert unsigned.status_code == 401
    signer = kiosks[1].identity.signer("K0452")
    headers = {"Content-Type": "application/json",
               **signer.headers("POST", QUEUE_TICKETS_PATH, body)}
    mismatch = requests.post(platform.url + QUEUE_TICKETS_PATH, data=body, headers=headers,
                             timeout=5)
    assert mismatch.status_code == 403 and mismatch.json()["reason"] == "kiosk_mismatch"
    bad_zone = QueueTicketRequest(str(uuid7()), HALL, "social", "B", "x", "Mars/Olympus")
    with pytest.raises(PlatformProtocolError) as refused:
        kiosks[0].client().take_queue_number(bad_zone)
    assert refused.value.status == 422


@pytest.fixture(params=["sqlite", "postgresql"])
def farm(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[list[PlatformProcess]]:
    """Two signed-only platform processes on one database, as behind a load balancer."""
    data_dir = tmp_path_factory.mktemp("farm")
    url = (f"sqlite:///{data_dir / 'platform.db'}" if request.param == "sqlite"
           else str(request.getfixturevalue("postgres_url")))
    servers = [DatabasePlatform(data_dir, url, require_signatures=True) for _ in range(2)]
    try:
        for server in servers:
            server.start()
        yield servers
    finally:
        for server in servers:
            server.stop()


def test_two_server_processes_on_one_database_never_give_a_number_twice(
    farm: list[PlatformProcess], tmp_path: Path
) -> None:
    kiosks = [farm[0].enrol(f"K045{n}", tmp_path / f"k{n}", code=f"K045{n}") for n in (1, 2)]
    shared = ask()
    tickets: list[str] = []
    repeats: list[str] = []
    failures: list[BaseException] = []
    start = threading.Barrier(2)

    def run(n: int) -> None:  # kiosk n asks server n; the first kiosk sends one id to both
        def client_of(kiosk: EnrolledKiosk) -> PlatformClient:
            return PlatformClient(farm[n].url, kiosk.kiosk_id, timeout=30.0,
                                  signer=kiosk.identity.signer(kiosk.kiosk_id))

        own, twin = client_of(kiosks[n]), client_of(kiosks[0])
        try:
            start.wait(60)
            repeats.append(twin.take_queue_number(shared).ticket)
            for _ in range(PER_CLIENT):
                tickets.append(own.take_queue_number(ask()).ticket)
        except BaseException as exc:  # reported below, in the test's thread
            failures.append(exc)
        finally:
            own.close()
            twin.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not failures, failures
    assert repeats[0] == repeats[1]
    assert sorted(int(t[1:]) for t in [*tickets, repeats[0]]) == list(range(1, 2 * PER_CLIENT + 2))


# -- the day rollover: an in-process platform whose clock the test moves -----------------------


class MovedClock:
    """Unix seconds that move only when the test says so (the server's and the signer's)."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["sqlite", "postgresql"])
def moved(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Any, ...]]:
    # 23:59:50 in Shanghai on 21 November 2026 (UTC+8, no daylight saving)
    clock = MovedClock(datetime(2026, 11, 21, 15, 59, 50, tzinfo=UTC).timestamp())
    url = None if request.param == "sqlite" else str(request.getfixturevalue("postgres_url"))
    handle: ServerHandle = start_server_thread("127.0.0.1", 0, tmp_path / "p", url,
                                               require_signatures=True, clock=clock)
    identity = KioskIdentity.generate()
    handle.registry.register("K0451", identity.public_key)
    client = PlatformClient(handle.url, "K0451", signer=identity.signer("K0451", clock=clock))
    try:
        yield clock, client, handle
    finally:
        client.close()
        handle.stop()


def test_each_local_day_starts_again_from_one_at_the_halls_midnight(
    moved: tuple[MovedClock, PlatformClient, ServerHandle],
) -> None:
    clock, client, _handle = moved
    late = [client.take_queue_number(ask()) for _ in range(2)]
    assert [t.ticket for t in late] == ["B001", "B002"] and late[0].day == "2026-11-21"
    clock.now += 20  # 00:00:10 on the 22nd in Shanghai; still the 21st in UTC
    morning = client.take_queue_number(ask())
    assert (morning.ticket, morning.day, morning.waiting_ahead) == ("B001", "2026-11-22", 0)
    # yesterday's unanswered numbers wait in yesterday's queue, not ahead of today's
    assert client.take_queue_number(ask(request_id=late[1].request_id)) == late[1]


def test_a_revoked_kiosk_takes_no_number(
    platform: PlatformProcess, kiosks: tuple[EnrolledKiosk, EnrolledKiosk],
) -> None:
    platform.revoke("K0452")
    with pytest.raises(PlatformAuthError) as refused:
        kiosks[1].client().take_queue_number(ask())
    assert refused.value.reason == "revoked"


def test_the_first_kiosk_of_a_hall_sets_its_time_zone_and_an_operator_may_change_it(
    moved: tuple[MovedClock, PlatformClient, ServerHandle],
) -> None:
    clock, client, handle = moved

    def ask_in(zone: str) -> str:  # as a kiosk of the hall configured with that zone
        request = QueueTicketRequest(str(uuid7()), HALL, "social", "B", "x", zone)
        return client.take_queue_number(request).day

    assert ask_in(ZONE) == "2026-11-21"  # 23:59:50 in Shanghai: the hall's zone from now on
    clock.now += 20  # 00:00:10 in Shanghai, 22:00:10 in Urumqi
    assert ask_in("Asia/Urumqi") == "2026-11-22"  # counted in the hall's zone, not the kiosk's
    set_hall_zone(handle.registry.engine, HALL, "Asia/Urumqi", clock.now)
    assert ask_in(ZONE) == "2026-11-21"  # the operator's word
    with pytest.raises(ValueError):
        set_hall_zone(handle.registry.engine, HALL, "Mars/Olympus", clock.now)
