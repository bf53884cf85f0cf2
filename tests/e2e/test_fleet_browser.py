"""The fleet page in a real browser (issue 13, item 4): headless Chromium from Debian's
``chromium`` package driven by Playwright (no browser download: ``executable_path``), against
the reference platform over HTTP with enrolled kiosks posting signed heartbeats and calls.

Operator login (wrong password, lock-out), a kiosk that stopped sending heartbeats shown as
overdue (a 3 s overdue setting), its device problem, a staff call acknowledged by a click, and
forged CSRF tokens and session cookies refused."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from sync.downlink.heartbeat import build_heartbeat
from sync.outbox.messages_schema import canonical_body
from sync.platform.protocol import call_body
from sync.uuid7 import uuid7
from tests.support.platform import EnrolledKiosk, PlatformProcess

playwright_sync = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "correct horse battery"
OVERDUE = 3.0


def beat(kiosk: EnrolledKiosk, where: Path, devices: dict[str, str] | None = None,
         audit_head: tuple[int, str] | None = None) -> None:
    doc = build_heartbeat(
        kiosk.kiosk_id, version="1.4.0", uptime_seconds=60.0, devices=devices or {},
        outbox_counts={"pending": 2, "sending": 0, "acked": 9, "quarantined": 0},
        oldest_pending_age_seconds=600.0, clock=time.time(), disk_path=where,
        audit_head=audit_head)
    client = kiosk.client()
    try:
        client.send_heartbeat(doc)
    finally:
        client.close()


def raise_call(kiosk: EnrolledKiosk) -> str:
    now = datetime.now(UTC)
    call_id = str(uuid7())
    doc = call_body(call_id, "raised", kiosk.kiosk_id, now, now, step="guide")
    client = kiosk.client()
    try:
        results = client.upload_messages([(str(uuid7()), "call", canonical_body(doc))])
    finally:
        client.close()
    assert [r.verdict for r in results.values()] == ["accepted"]
    return call_id


@pytest.fixture
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (.ci/system-deps)")
    with playwright_sync.sync_playwright() as p:
        made = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                 args=["--no-sandbox"])
        try:
            yield made
        finally:
            made.close()


def login(page: Any, url: str, name: str, password: str) -> None:
    page.goto(url + "/fleet/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def test_operators_see_the_fleet_acknowledge_calls_and_forgeries_are_refused(
    platform_factory: Callable[..., PlatformProcess], browser: Any, tmp_path: Path,
) -> None:
    platform = platform_factory(require_signatures=True,
                                server_args=("--heartbeat-overdue-seconds", f"{OVERDUE:g}"))
    added = subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "server", "operator", "add", "wang.li",
         "--password-stdin", "--data-dir", str(platform.data_dir)],
        input=PASSWORD + "\n", cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
        capture_output=True, text=True, timeout=60)
    assert added.returncode == 0, added.stderr
    hall = platform.enrol("K0451", tmp_path / "hall", code="K0451")
    silent = platform.enrol("K0452", tmp_path / "silent", code="K0452")
    # its audit head named twice with two hashes: its log was rewritten (docs/audit.md)
    beat(silent, tmp_path, audit_head=(1, "a" * 64))
    beat(silent, tmp_path, {"printer": "paper_out", "reader:pcsc": "ok"}, (1, "b" * 64))
    stopped_at = time.monotonic()
    call_id = raise_call(hall)

    context = browser.new_context()
    page = context.new_page()
    page.goto(platform.url + "/fleet")
    assert page.url.endswith("/fleet/login")  # not logged in: the form
    login(page, platform.url, "wang.li", "wrong password!")
    assert "Wrong name or password" in page.inner_text("#message")
    login(page, platform.url, "wang.li", PASSWORD)
    assert page.url.endswith("/fleet")
    cookie = next(c for c in context.cookies() if c["name"] == "fleet_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert "终端运行状况" in page.inner_text("h1")

    # The kiosk that stopped sending heartbeats stands out once it is overdue; the one that
    # has just sent one does not.
    time.sleep(max(0.0, OVERDUE + 0.5 - (time.monotonic() - stopped_at)))
    for _ in range(3):  # the hall kiosk's beat must still be fresh when the page is made
        beat(hall, tmp_path)
        beaten = time.monotonic()
        page.reload()
        if time.monotonic() - beaten < OVERDUE:
            break
    silent_row = page.locator("tr[data-kiosk=K0452]")
    hall_row = page.locator("tr[data-kiosk=K0451]")
    assert silent_row.get_attribute("class") == "overdue"
    assert "心跳逾期 heartbeat overdue" in silent_row.inner_text()
    assert "printer: paper_out" in silent_row.inner_text()
    assert "reader" not in silent_row.inner_text()  # a fine device is no problem
    assert hall_row.get_attribute("class") == "fine"
    assert "正常 ok" in hall_row.inner_text() and "1.4.0" in hall_row.inner_text()
    assert "audit broken: rewritten" in silent_row.locator("td.audit").inner_text()
    assert hall_row.locator("td.audit").inner_text() == "—"  # no audit entries or head yet
    assert page.inner_text("#overdue-count") == "1"

    # A staff call acknowledged by a click; the kiosk that raised it is told so.
    call_row = page.locator(f"tr[data-call='{call_id}']")
    assert call_row.locator(".state").inner_text() == "raised"
    call_row.locator("button").click()
    assert page.url.endswith("/fleet")
    assert page.locator(f"tr[data-call='{call_id}'] .state").inner_text() == "acknowledged"
    client = hall.client()
    try:
        seen = client.call_state(call_id)
    finally:
        client.close()
    assert seen is not None
    assert seen["state"] == "acknowledged" and seen["acknowledged_by"] == "wang.li"

    # A forged CSRF token in a real form submission is refused, and changes nothing.
    page.evaluate("document.querySelector('form[action=\"/fleet/logout\"] input[name=csrf]')"
                  ".value = 'forged'")
    with page.expect_response(lambda r: r.url.endswith("/fleet/logout")) as answer:
        page.click("form[action='/fleet/logout'] button")
    assert answer.value.status == 403
    page.goto(platform.url + "/fleet")
    assert page.url.endswith("/fleet")  # still logged in: the forged form did nothing

    # A forged session cookie: the page sends the browser to the login form; a POST is 403.
    context.clear_cookies()
    context.add_cookies([{"name": "fleet_session", "value": "forged-" + "x" * 40,
                          "domain": "127.0.0.1", "path": "/fleet"}])
    page.goto(platform.url + "/fleet")
    assert page.url.endswith("/fleet/login")
    forged = context.request.post(platform.url + "/fleet/ack",
                                  form={"csrf": "anything", "call_id": call_id})
    assert forged.status == 403

    # Lock-out: five wrong passwords lock the account; then even the right one is refused.
    for _ in range(5):
        login(page, platform.url, "wang.li", "wrong password!")
    assert "locked" in page.inner_text("#message")
    login(page, platform.url, "wang.li", PASSWORD)
    assert "locked" in page.inner_text("#message")
    assert page.url.endswith("/fleet/login")
    context.close()
