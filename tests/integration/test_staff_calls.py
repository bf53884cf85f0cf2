"""呼叫工作人员 calls somebody (issue 8, item 5): a call in the kiosk core that outlives the
citizen's session and a restart, carried to the platform as its own message once the network
is back, listed by ``kiosk server calls`` where staff acknowledge and clear it, and the
platform's word back on the kiosk. The kiosk as it is wired (``KioskCore``), enrolled with
the real reference platform over HTTP, signatures required."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests

from kiosk import events as ev
from kiosk.diagnostics.diagnose import diagnose, render_text
from kiosk.diagnostics.health import live_report
from sync.outbox.messages_schema import canonical_body
from sync.platform.protocol import call_body
from sync.staff_credentials import Person
from sync.uuid7 import uuid7
from tests.e2e.test_staff_delivery import staff_cli
from tests.integration.test_ratings import kiosk_config, operator, wait_for
from tests.support.headless_kiosk import build_kiosk
from tests.support.platform import PlatformProcess

HELPER, HELPER_PIN = "1001", "730196"
TECH, TECH_PIN = "4711", "482913"


def platform_with_staff(platform_factory: Callable[..., PlatformProcess]) -> PlatformProcess:
    """A platform, signatures required, with a hall helper and a technician issued."""
    platform = platform_factory(require_signatures=True)
    for person, name, role, pin in ((HELPER, "Zhao Min", "staff", HELPER_PIN),
                                    (TECH, "Wang Fang", "technician", TECH_PIN)):
        added = staff_cli(platform, "add", "--id", person, "--name", name, "--role", role,
                          stdin=f"{pin}\n{pin}\n")
        assert added.returncode == 0, added.stderr
    return platform


@pytest.fixture
def platform(platform_factory: Callable[..., PlatformProcess]) -> PlatformProcess:
    return platform_with_staff(platform_factory)


def message_states(core) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {m.document["event"]: m.state for m in core.outbox.messages.select(kind="call")}


def test_staff_see_the_call_on_the_platform_and_their_answer_reaches_the_kiosk(
    tmp_path: Path, platform: PlatformProcess
) -> None:
    config = kiosk_config(tmp_path, platform, "kiosk-0451", "K0451").replace(
        "sync", connectivity_seconds=0.2)
    core = build_kiosk(config)
    seen: list[ev.CallDidChange] = []
    core.events.subscribe(lambda e: seen.append(e) if isinstance(e, ev.CallDidChange) else None)
    core.start()
    try:
        core.flow.choose_service("social-security-card-loss")
        call = core.call_staff()
        assert core.call_staff() == call  # a second tap: the same call
        wait_for(lambda: message_states(core) == {"raised": "acked"})
        listed = operator(platform, "calls")
        assert "open calls: 1" in listed
        (line,) = [row for row in listed.splitlines() if row.startswith(call.call_id)]
        assert "kiosk-0451\traised" in line and "at guide (social-security-card-loss)" in line

        core.flow.reset()  # the citizen's session ends; the call is the kiosk's
        assert core.calls.current() == call and not core.calls.citizen_may_cancel()
        assert core.calls.cancel() is None  # the next citizen cannot take it back

        refused = platform.operator("calls", "--ack", call.call_id, "--by", TECH)
        assert refused.returncode == 1 and "hall staff" in refused.stderr
        operator(platform, "calls", "--ack", call.call_id, "--by", HELPER)
        wait_for(lambda: getattr(core.calls.current(), "state", "") == "acknowledged")
        assert core.calls.current().acknowledged_by == HELPER  # type: ignore[union-attr]

        operator(platform, "calls", "--clear", call.call_id, "--by", HELPER)
        wait_for(lambda: core.calls.current() is None)
        closed = core.calls.get(call.call_id)
        assert closed is not None and closed.state == "cleared"
        assert (closed.closed_by, closed.closed_where) == (HELPER, "platform")
        assert [e.state for e in seen] == ["raised", "acknowledged", "cleared"]
        assert message_states(core) == {"raised": "acked"}  # nothing sent back: it knew
    finally:
        core.stop()
    assert "open calls: 0" in operator(platform, "calls")
    everything = operator(platform, "calls", "--all")
    assert f"acknowledged by {HELPER}" in everything
    assert f"cleared by {HELPER} on the platform" in everything
    again = platform.operator("calls", "--clear", call.call_id, "--by", HELPER)
    assert again.returncode == 1 and "already cleared" in again.stderr


def test_a_call_raised_offline_outlives_the_visit_and_a_restart_and_reaches_staff_later(
    tmp_path: Path, platform: PlatformProcess
) -> None:
    config = kiosk_config(tmp_path, platform, "kiosk-0451", "K0451").replace(
        "sync", connectivity_seconds=0.2)
    platform.stop()  # the hall's network is down
    core = build_kiosk(config)
    core.start()
    try:
        wait_for(lambda: core.poller.online is False)
        first = core.call_staff()  # at the home screen, before choosing anything
        assert core.calls.citizen_may_cancel()
        cancelled = core.calls.cancel()
        assert cancelled is not None and cancelled.closed_by == "citizen"
        assert core.calls.current() is None

        core.flow.choose_service("elderly-card-apply")
        second = core.call_staff()
        assert second.call_id != first.call_id and second.step == "guide"
        core.flow.reset()
        assert not core.calls.citizen_may_cancel()
        time.sleep(3 * config.sync.interval_seconds)
        assert set(message_states(core).values()) == {"pending"}  # offline: waiting, not lost
    finally:
        core.stop()

    core = build_kiosk(config)  # a restart: the call is still there, only staff end it
    core.start()
    try:
        assert core.calls.current() == second and not core.calls.citizen_may_cancel()
        part = live_report(core, None)["calls"]
        assert part["ok"] and part["open"] == 1 and part["calls"][0]["state"] == "raised"
        core.health.publish_once()
        report = diagnose(config)  # beside the running kiosk: read-only
        assert report["calls"]["open"] == 1
        assert "1 open staff call(s)" in render_text(report)
        assert "waiting for staff" in report["calls"]["detail"]

        with pytest.raises(PermissionError):
            core.calls.clear(Person(TECH, "Wang Fang", "technician", ""))
        helper = Person(HELPER, "Zhao Min", "staff", "")
        cleared = core.calls.clear(helper)
        assert cleared is not None and cleared.closed_by == HELPER
        assert core.calls.current() is None and core.calls.clear(helper) is None

        platform.start()
        wait_for(lambda: set(message_states(core).values()) == {"acked"})
    finally:
        core.stop()
    assert "open calls: 0" in operator(platform, "calls")
    everything = operator(platform, "calls", "--all")
    lines = {row.split("\t")[0]: row for row in everything.splitlines() if "\t" in row}
    assert "cancelled by citizen on the kiosk" in lines[first.call_id]
    assert f"cleared by {HELPER} on the kiosk" in lines[second.call_id]
    assert "no open staff call" in diagnose(config)["calls"]["detail"]


def test_a_call_event_of_another_kiosks_call_is_rejected(
    tmp_path: Path, platform: PlatformProcess
) -> None:
    own = platform.enrol("kiosk-0451", tmp_path / "own", code="K0451").client()
    other = platform.enrol("kiosk-0452", tmp_path / "other", code="K0452").client()
    moment = datetime(2026, 11, 21, 8, 30, tzinfo=UTC)
    call_id = str(uuid7())
    try:
        raised = call_body(call_id, "raised", "kiosk-0451", moment, moment, step="home")
        first = str(uuid7())
        assert own.upload_messages([(first, "call", canonical_body(raised))])[first].verdict \
            == "accepted"
        theirs = call_body(call_id, "cleared", "kiosk-0452", moment, moment, by=HELPER)
        stray = str(uuid7())
        verdict = other.upload_messages([(stray, "call", canonical_body(theirs))])[stray]
        assert verdict.verdict == "rejected" and "another kiosk" in (verdict.reason or "")
        assert other.call_state(call_id) is None  # another kiosk's call is not its to read
        assert own.call_state(call_id)["state"] == "raised"  # type: ignore[index]
        unsigned = requests.get(f"{platform.url}/v1/calls/{call_id}", timeout=5)
        assert unsigned.status_code == 401
    finally:
        own.close()
        other.close()
