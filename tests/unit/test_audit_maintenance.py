"""The audit trail keeps itself (docs/audit.md): configuration changes at start and at run time
(changed keys; numbers and booleans only as values), device faults as transitions, and the
daily pruning of entries the platform acknowledged, all on an injected clock."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from kiosk.audit.config_digest import flatten, safe_value
from kiosk.audit.device_faults import DeviceFaults, faults_in_report, observe_report
from kiosk.audit.recorder import AuditRecorder
from kiosk.audit.store import AuditLog
from kiosk.cli.main import main
from kiosk.config import Config
from sync.audit_chain import message_id
from sync.outbox.store import Outbox
from tests.support.clock import FakeClock

KIOSK = "kiosk-0451"
TOKEN = "enrol-9f3c1d77e2b04a55"


def _entries(path: Path) -> list[dict[str, Any]]:
    log = AuditLog(path, FakeClock())
    try:
        return log.entries()
    finally:
        log.close()


# -- configuration changes ---------------------------------------------------------------------

def test_a_changed_configuration_is_recorded_at_start_by_key_never_by_secret_value(
        tmp_path: Path) -> None:
    clock = FakeClock()
    config = Config().replace("kiosk", data_dir=str(tmp_path))
    path = config.audit_path

    def start(cfg: Config) -> dict[str, Any] | None:
        trail = AuditRecorder(path, clock, None, KIOSK)
        try:
            return trail.check_configuration(cfg)
        finally:
            trail.close()

    first = start(config)
    assert first is not None and first["baseline"] is True and first["keys"] == len(
        flatten(config))
    assert start(config) is None  # unchanged: no entry
    changed = (config.replace("sync", interval_seconds=5.0, backlog_warn_count=500)
               .replace("kiosk", voice_enabled=False, timezone="Asia/Urumqi")
               .replace("platform", enrolment_token=TOKEN, url="https://platform.example"))
    details = start(changed)
    assert details is not None
    assert details["changed"] == ["kiosk.timezone", "kiosk.voice_enabled",
                                  "platform.enrolment_token", "platform.url",
                                  "sync.backlog_warn_count", "sync.interval_seconds"]
    assert details["values"] == {
        "kiosk.voice_enabled": {"from": True, "to": False},
        "sync.backlog_warn_count": {"from": 1000, "to": 500},
        "sync.interval_seconds": {"from": 2.0, "to": 5.0},
    }
    assert start(changed) is None
    entries = _entries(path)
    assert [(e["kind"], e["actor"]) for e in entries] == [("config.changed", "kiosk")] * 2
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("audit.sqlite*"))
    for secret in (TOKEN, "platform.example", "Urumqi"):
        assert secret.encode() not in stored  # neither in the entries nor beside them
    assert not safe_value("platform.enrolment_token", 5)  # a secret's name, whatever its type


def test_a_setting_changed_at_run_time_is_recorded_under_the_technician(tmp_path: Path) -> None:
    config = Config().replace("kiosk", data_dir=str(tmp_path))
    trail = AuditRecorder(config.audit_path, FakeClock(), None, KIOSK)
    trail.setting_changed("T0042", config, config.replace("kiosk", volume="high"))
    trail.setting_changed("T0042", config, config)  # nothing changed: nothing recorded
    trail.close()
    (entry,) = _entries(config.audit_path)
    assert entry["kind"] == "config.changed" and entry["actor"] == "T0042"
    assert entry["details"] == {"changed": ["kiosk.volume"], "values": {}}


# -- device faults -----------------------------------------------------------------------------

def _report(reader: bool, scanner: bool, a4: str | None) -> dict[str, Any]:
    # a PC/SC reader missing is named by its configured prefix, found by its full name
    report: dict[str, Any] = {
        "reader": {"readers": [{"backend": "pcsc",
                                "name": "ACS ACR39U ICC Reader 00 00" if reader else "ACS",
                                "present": reader, "detail": "polled 3 times"}]},
        "scanner": {"scanners": [{"name": "/dev/ttyQR0", "present": scanner,
                                  "detail": "ready" if scanner else "cannot be opened"}]},
    }
    if a4 is not None:
        report["a4_printer"] = {"ok": a4 == "ready", "status": a4, "queue": "proofs",
                                "detail": a4}
    return report


def test_device_faults_are_transitions_not_one_entry_per_poll() -> None:
    seen: list[tuple[str, str, dict[str, Any]]] = []
    faults = DeviceFaults(lambda kind, actor, details: seen.append((kind, actor, dict(details))))
    assert observe_report(faults, _report(True, True, "ready")) == []  # first look, all fine
    assert observe_report(faults, _report(True, True, "ready")) == []
    assert observe_report(faults, _report(False, True, "jammed")) == [
        "device.fault", "device.fault"]
    for _ in range(3):  # the same faults, poll after poll: nothing more
        assert observe_report(faults, _report(False, True, "jammed")) == []
    assert observe_report(faults, _report(False, True, "offline")) == ["device.fault"]
    assert observe_report(faults, _report(True, False, "ready")) == [
        "device.recovered", "device.fault", "device.recovered"]
    assert [(k, d["device"], d["status"]) for k, _, d in seen] == [
        ("device.fault", "card reader pcsc", "absent"),
        ("device.fault", "A4 printer proofs", "jammed"),
        ("device.fault", "A4 printer proofs", "offline"),
        ("device.recovered", "card reader pcsc", "ok"),
        ("device.fault", "QR code scanner /dev/ttyQR0", "absent"),
        ("device.recovered", "A4 printer proofs", "ok"),
    ]
    assert seen[2][2]["was"] == "jammed" and seen[3][2]["was"] == "absent"
    assert {actor for _, actor, _ in seen} == {"kiosk"}
    # a device already in a fault at its first look is recorded; a GA/T 467 reader too
    fresh = DeviceFaults(lambda kind, actor, details: seen.append((kind, actor, dict(details))))
    gat = {"reader": {"readers": [{"backend": "gat467", "name": "/dev/ttyID0",
                                   "present": False, "detail": "no answer"}]}}
    assert list(faults_in_report(gat)) == ["card reader gat467"]
    assert observe_report(fresh, gat) == ["device.fault"]
    assert observe_report(fresh, {}) == []  # a report without devices changes nothing


# -- scheduled pruning ---------------------------------------------------------------------------

def test_the_kiosk_prunes_acknowledged_entries_once_a_day(tmp_path: Path) -> None:
    clock = FakeClock()
    outbox = Outbox(tmp_path / "outbox.sqlite", clock=clock)
    trail = AuditRecorder(tmp_path / "audit.sqlite", clock, outbox, KIOSK)
    assert trail.maintain_if_due(400) == 0  # no log yet: nothing to do, nothing created
    assert not (tmp_path / "audit.sqlite").exists()
    for n in range(4):
        trail.record("staff.action", "T0042", {"n": n})
    outbox.messages.mark_acked([message_id(KIOSK, s) for s in (1, 2, 3)])
    clock.advance(10 * 86400)
    trail.record("staff.action", "T0042", {"n": 4})  # #5, recent
    outbox.messages.mark_acked([message_id(KIOSK, 5)])
    clock.advance(395 * 86400)  # #1..#4 are 405 days old, #5 395
    assert trail.maintain_if_due(400) == 3  # #4 never acknowledged: kept, and all after it
    assert trail.maintain_if_due(400) is None  # once a day
    clock.advance(86400 - 1)
    assert trail.maintain_if_due(400) is None
    clock.advance(1)
    assert trail.maintain_if_due(400) == 0
    trail.close()
    log = AuditLog(tmp_path / "audit.sqlite", clock)
    assert log.anchor.seq == 3 and log.verify() == []
    assert [e["seq"] for e in log.entries()] == [4, 5, 6]
    pruned = log.entries()[-1]
    assert pruned["kind"] == "audit.pruned" and pruned["details"]["entries"] == 3
    # the pruning entry went to the outbox too, carrying the anchor for the platform
    assert outbox.messages.get(message_id(KIOSK, 6)) is not None
    log.close()
    outbox.close()


def test_kiosk_audit_prune_takes_only_what_the_platform_acknowledged(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'[kiosk]\ndata_dir = "{data}"\nid = "{KIOSK}"\n')
    old = FakeClock()
    old.wall = datetime(2001, 1, 1, tzinfo=UTC)  # the command runs on the system clock
    outbox = Outbox(data / "outbox.sqlite", clock=old)
    trail = AuditRecorder(data / "audit.sqlite", old, outbox, KIOSK)
    for n in range(3):
        trail.record("call.raised", "kiosk", {"call": f"c{n}"})
    trail.close()
    outbox.messages.mark_acked([message_id(KIOSK, 1)])
    outbox.close()
    assert main(["--config", str(cfg), "audit", "prune"]) == 0
    assert "pruned 1 entries; the chain now starts after #1" in capsys.readouterr().out
    assert main(["--config", str(cfg), "audit", "verify", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["anchor_seq"] == 1 and report["entries"] == 3  # #2, #3 and audit.pruned
