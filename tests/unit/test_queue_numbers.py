"""取号 at the kiosk without Qt: the platform's number through a stub client, the local number
and its counter per local day (a fake clock), the ticket's lines, the reply checks and the
flow's queue step."""

from __future__ import annotations

import json
import stat
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from devices.printers.receipt import Line
from kiosk.catalog import Service, load_catalog
from kiosk.catalog.site import Window, load_site
from kiosk.flow import Flow, FlowError, Step
from kiosk.queue_numbers import (
    LOCAL_NOTE,
    LocalCounter,
    QueueDesk,
    QueueError,
    QueueNumber,
    spoken_ticket,
    ticket_lines,
    window_of,
)
from sync.platform.errors import PlatformProtocolError, PlatformUnavailable
from sync.platform.queue import QueueTicketRequest, TicketAnswer, parse_ticket_answer
from tests.support.clock import FakeClock

ZONE = ZoneInfo("Asia/Shanghai")
CATALOG = load_catalog()
SITE = load_site()


def window_service() -> Service:
    return next(s for s in CATALOG.services if s.code == "medical-reimbursement")


@dataclass
class StubClient:
    """Answers from a script: an exception to raise, or a ticket; records what it was asked."""

    script: list[BaseException | str] = field(default_factory=list)
    asked: list[QueueTicketRequest] = field(default_factory=list)
    closed: int = 0

    def take_queue_number(self, request: QueueTicketRequest) -> TicketAnswer:
        self.asked.append(request)
        step = self.script.pop(0)
        if isinstance(step, BaseException):
            raise step
        return TicketAnswer(request.request_id, step, int(step[1:]), request.window_key,
                            "2026-11-21", datetime(2026, 11, 21, 8, 30, tzinfo=UTC), 4)

    def close(self) -> None:
        self.closed += 1


def desk(tmp_path: Path, client: StubClient, clock: FakeClock | None = None) -> QueueDesk:
    ids = iter(f"0190c3c2-0000-7000-8000-{n:012d}" for n in range(100))
    return QueueDesk(SITE, "K0451", "Asia/Shanghai", clock or FakeClock(),
                     LocalCounter(tmp_path / "queue_numbers.json", ZONE), lambda: client,
                     new_request_id=lambda: next(ids))


def test_online_the_platforms_number_for_the_services_window_queue(tmp_path: Path) -> None:
    client = StubClient(["A015"])
    number = desk(tmp_path, client).take(window_service())
    assert (number.ticket, number.local, number.waiting_ahead) == ("A015", False, 4)
    asked = client.asked[0]
    assert (asked.site_code, asked.window_key, asked.prefix) == ("demo-hall", "medical", "A")
    assert (asked.service_code, asked.timezone) == ("medical-reimbursement", "Asia/Shanghai")
    assert number.issued_at.utcoffset() == timedelta(hours=8)  # the hall's time
    assert client.closed == 1
    assert not (tmp_path / "queue_numbers.json").exists()  # no local number used up


def test_a_lost_answer_is_asked_again_with_the_same_request_id(tmp_path: Path) -> None:
    client = StubClient([PlatformUnavailable("timed out"), "A016"])
    number = desk(tmp_path, client).take(window_service())
    assert number.ticket == "A016"
    assert [a.request_id for a in client.asked] == [client.asked[0].request_id] * 2


@pytest.mark.parametrize("failure", [
    [PlatformUnavailable("down"), PlatformUnavailable("still down")],
    [PlatformProtocolError("queue number reply: the ticket reply answers another request", 200)],
])
def test_a_platform_that_cannot_answer_gives_way_to_a_local_number(
    tmp_path: Path, failure: list[BaseException]
) -> None:
    number = desk(tmp_path, StubClient(list(failure))).take(window_service())
    assert (number.ticket, number.local, number.waiting_ahead) == ("K0451-001", True, None)
    assert number.window_key == "medical"


def test_known_offline_the_platform_is_not_asked(tmp_path: Path) -> None:
    client = StubClient()
    number = desk(tmp_path, client).take(window_service(), try_platform=False)
    assert number.local and client.asked == []


def test_the_local_counter_goes_on_across_restarts_and_restarts_each_local_day(
    tmp_path: Path,
) -> None:
    clock = FakeClock()  # 2026-11-21 08:30 UTC, 16:30 in Shanghai
    tickets = [desk(tmp_path, StubClient(), clock).take(window_service(), try_platform=False)
               .ticket for _ in range(3)]  # a new desk each time, as after a restart
    assert tickets == ["K0451-001", "K0451-002", "K0451-003"]
    path = tmp_path / "queue_numbers.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text()) == {"day": "2026-11-21", "last": 3}
    clock.advance(7.5 * 3600)  # 00:00 on the 22nd in Shanghai, still the 21st in UTC
    again = desk(tmp_path, StubClient(), clock).take(window_service(), try_platform=False)
    assert again.ticket == "K0451-001"
    assert json.loads(path.read_text())["day"] == "2026-11-22"


def test_a_damaged_counter_file_still_gives_a_number(tmp_path: Path) -> None:
    (tmp_path / "queue_numbers.json").write_text("{not json")
    number = desk(tmp_path, StubClient()).take(window_service(), try_platform=False)
    assert number.ticket == "K0451-001"


def test_a_counter_that_cannot_be_written_is_said_not_hidden(tmp_path: Path) -> None:
    broken = QueueDesk(SITE, "K0451", "Asia/Shanghai", FakeClock(),
                       LocalCounter(tmp_path / "gone" / "queue_numbers.json", ZONE), StubClient)
    with pytest.raises(QueueError, match="local queue counter"):
        broken.take(window_service(), try_platform=False)


def test_only_a_window_service_with_a_window_in_this_hall_has_a_queue() -> None:
    elsewhere = next(s for s in CATALOG.services if s.channel == "window"
                     and not any(r.startswith("window:") for r in s.where))
    completable = next(s for s in CATALOG.services if s.completable)
    assert window_of(window_service(), SITE) is not None
    assert window_of(elsewhere, SITE) is None
    assert window_of(completable, SITE) is None
    with pytest.raises(QueueError):
        QueueDesk(SITE, "K0451", "Asia/Shanghai", FakeClock(),
                  LocalCounter(Path("/nonexistent/q.json"), ZONE), StubClient).take(elsewhere)


def test_the_window_queue_prefix_comes_from_the_site_file_or_the_window_numbers() -> None:
    assert SITE.windows["social"].ticket_prefix() == "B"  # the demo hall names it
    assert Window("x", "C01–C04", "1", {"zh_CN": "x"}).ticket_prefix() == "C"
    assert Window("x", "12", "1", {"zh_CN": "x"}).ticket_prefix() == "Q"


def test_the_number_is_spoken_one_character_at_a_time() -> None:
    assert spoken_ticket("B015", "zh_CN") == "B 零 一 五"
    assert spoken_ticket("K0451-007", "zh_CN") == "K 零 四 五 一 零 零 七"
    assert spoken_ticket("B015", "en") == "B 0 1 5"


def texts(lines: list[Line]) -> str:
    return "\n".join(line.text for line in lines)


def number(local: bool) -> QueueNumber:
    when = datetime(2026, 11, 21, 16, 30, tzinfo=ZONE)
    if local:
        return QueueNumber("K0451-007", True, "medical-reimbursement", "medical", when, None)
    return QueueNumber("A015", False, "medical-reimbursement", "medical", when, 4)


def test_an_online_ticket_says_who_waits_ahead_and_where_to_go() -> None:
    text = texts(ticket_lines(number(False), window_service(), SITE, "kiosk-1", 80))
    assert "A015" in text and "您前面还有 4 人等候" in text
    assert "医保服务区，A01–A04号窗口（1楼）" in text
    assert "医疗费用手工（零星）报销" in text and "2026-11-21 16:30:00" in text
    assert LOCAL_NOTE[:10] not in text


def test_a_local_ticket_says_it_is_local_and_claims_no_queue_position() -> None:
    text = texts(ticket_lines(number(True), window_service(), SITE, "kiosk-1", 58))
    assert "K0451-007" in text and "本机临时号" in text.replace("\n", "")
    assert "等候叫号" in text.replace("\n", "") and "您前面还有" not in text


# -- the platform's reply, checked -------------------------------------------------------------

REQUEST = QueueTicketRequest("0190c3c2-0000-7000-8000-000000000001", "demo-hall", "medical",
                             "A", "medical-reimbursement", "Asia/Shanghai")
GOOD = {"request_id": REQUEST.request_id, "site_code": "demo-hall", "window_key": "medical",
        "ticket": "A015", "prefix": "A", "number": 15, "day": "2026-11-21",
        "issued_at": "2026-11-21T08:30:00+00:00", "waiting_ahead": 2, "state": "waiting"}


def test_a_good_reply_is_taken() -> None:
    answer = parse_ticket_answer(GOOD, REQUEST)
    assert (answer.ticket, answer.number, answer.waiting_ahead) == ("A015", 15, 2)


@pytest.mark.parametrize("change", [
    {"request_id": "0190c3c2-0000-7000-8000-000000000002"},
    {"window_key": "social"},
    {"ticket": "A016"},
    {"prefix": "a", "ticket": "a015"},
    {"number": True},
    {"number": 0, "ticket": "A000"},
    {"waiting_ahead": -1},
    {"day": "21.11.2026"},
    {"issued_at": "2026-11-21T08:30:00"},
    {"issued_at": "soon"},
])
def test_a_reply_that_does_not_fit_the_request_is_refused(change: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        parse_ticket_answer({**GOOD, **change}, REQUEST)
    with pytest.raises(ValueError):
        parse_ticket_answer(["not", "an", "object"], REQUEST)


# -- the flow's queue step ---------------------------------------------------------------------


def make_flow() -> tuple[Flow, list[Step]]:
    seen: list[Step] = []
    flow = Flow(CATALOG, new_txid=lambda: "tx", today=lambda: datetime(2026, 11, 21).date(),
                on_change=seen.append)
    return flow, seen


def test_a_window_service_takes_a_number_once_from_its_guide() -> None:
    flow, seen = make_flow()
    assert not flow.begin_queue_number()  # not from home
    flow.choose_service(window_service().code)
    assert flow.begin_queue_number()
    assert not flow.begin_queue_number()  # a double tap takes nothing
    assert flow.queue_number_taken(number(False))
    assert flow.session.queue_number == number(False)
    with pytest.raises(FlowError):
        flow.back()  # back to the guide would offer a second number
    flow.reset()
    assert flow.session.queue_number is None
    assert seen == [Step.GUIDE, Step.QUEUE, Step.HOME]
    assert not flow.queue_number_taken(number(True))  # the citizen has gone


def test_a_service_finished_here_offers_no_queue_number() -> None:
    flow, _ = make_flow()
    flow.choose_service("elderly-card-apply")
    assert not flow.begin_queue_number()
    assert flow.step is Step.GUIDE
