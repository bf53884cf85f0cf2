"""The audit trail's chain: each kind of local tampering is found, in words (docs/audit.md)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from kiosk.audit.store import AuditError, AuditLog
from kiosk.cli.main import main
from kiosk.config import ConfigError, load_config
from sync.audit_chain import Anchor, entry_hash, verify
from tests.support.clock import FakeClock


def _log(tmp_path: Path, n: int = 5) -> AuditLog:
    clock = FakeClock()
    log = AuditLog(tmp_path / "audit.sqlite", clock)
    log.append("staff.sign_in", "T0042", {"role": "technician"})
    for i in range(n - 1):
        clock.advance(60)
        log.append("device.fault", "kiosk", {"device": "printer", "fault": f"paper out {i}"})
    return log


def _kinds(log: AuditLog) -> list[str]:
    return [p.kind for p in log.verify()]


def _sql(log: AuditLog, statement: str, *params: object) -> None:
    conn = sqlite3.connect(log.path)
    with conn:
        conn.execute(statement, params)
    conn.close()


def test_an_untouched_chain_verifies(tmp_path: Path) -> None:
    log = _log(tmp_path)
    assert log.verify() == []
    entries = log.entries()
    assert [e["seq"] for e in entries] == [1, 2, 3, 4, 5]
    assert entries[1]["prev_hash"] == entries[0]["hash"]
    assert entries[0]["at"] == "2026-11-21T08:30:00+00:00"  # the injected clock


def test_a_changed_entry_is_found(tmp_path: Path) -> None:
    log = _log(tmp_path)
    _sql(log, "UPDATE audit_entries SET actor = 'T9999' WHERE seq = 3")
    problems = log.verify()
    assert [p.kind for p in problems] == ["changed"]
    assert "entry #3 was changed" in problems[0].words


def test_a_deleted_entry_is_found(tmp_path: Path) -> None:
    log = _log(tmp_path)
    _sql(log, "DELETE FROM audit_entries WHERE seq = 3")
    problems = log.verify()
    assert [p.kind for p in problems] == ["deleted"]
    assert "1 entry missing between #2 and #4" in problems[0].words


def test_an_inserted_entry_is_found(tmp_path: Path) -> None:
    """A forged entry hashed correctly, slipped in with the next entries renumbered."""
    log = _log(tmp_path)
    entries = log.entries()
    forged = {"seq": 3, "at": entries[2]["at"], "kind": "config.changed", "actor": "T0042",
              "details": {}, "prev_hash": entries[1]["hash"]}
    forged["hash"] = entry_hash(forged)
    rewritten = entries[:2] + [forged] + [{**e, "seq": e["seq"] + 1} for e in entries[2:]]
    kinds = [p.kind for p in verify(rewritten)]
    assert "changed" in kinds  # the renumbered entries no longer match their hashes
    # ...and with the renumbered ones rehashed too, the old #3 no longer follows the forgery
    honest_tail = [{**e, "seq": e["seq"] + 1} for e in entries[2:]]
    for e in honest_tail:
        e["hash"] = entry_hash(e)
    problems = verify(entries[:2] + [forged] + honest_tail)
    assert {p.kind for p in problems} == {"inserted"}  # every rehashed link after it breaks
    assert "entry #4 does not follow #3" in problems[0].words


def test_an_entry_inserted_in_the_file_is_found(tmp_path: Path) -> None:
    log = _log(tmp_path)
    _sql(log, "INSERT INTO audit_entries (seq, at, kind, actor, details, prev_hash, hash) "
         "VALUES (99, '2026-11-21T09:00:00+00:00', 'config.changed', 'T1', '{}', 'x', 'y')")
    assert "changed" in _kinds(log) and "deleted" in _kinds(log)


def test_a_reordered_chain_is_found(tmp_path: Path) -> None:
    log = _log(tmp_path)
    entries = log.entries()
    swapped = [entries[0], entries[2], entries[1], *entries[3:]]
    kinds = [p.kind for p in verify(swapped)]
    assert "reordered" in kinds


def test_a_truncated_tail_is_found_from_the_head(tmp_path: Path) -> None:
    log = _log(tmp_path)
    _sql(log, "DELETE FROM audit_entries WHERE seq >= 4")
    problems = log.verify()
    assert [p.kind for p in problems] == ["truncated"]
    assert "2 entries cut off the end" in problems[0].words


def test_pruning_keeps_the_chain_verifiable_from_its_anchor(tmp_path: Path) -> None:
    clock = FakeClock()
    log = AuditLog(tmp_path / "audit.sqlite", clock)
    for _ in range(3):
        log.append("call.raised", "kiosk", {"call": "c1"})
    log.mark_uploaded(2)
    clock.advance(401 * 86400)
    log.append("call.cleared", "S0007", {"call": "c1"})
    assert log.prune(400) == 2  # #3 was never acknowledged by the platform: kept
    assert log.anchor == Anchor(2, log.entries()[0]["prev_hash"])
    assert log.verify() == []
    # without the anchor the kept chain does not start at the beginning
    assert [p.kind for p in verify(log.entries())] == ["deleted"]
    # a truncated tail after pruning is still seen
    _sql(log, "DELETE FROM audit_entries WHERE seq = 4")
    assert _kinds(log) == ["truncated"]
    # a forged anchor shows as a break at the first kept entry
    _sql(log, "UPDATE audit_meta SET value = '1' WHERE key = 'anchor_seq'")
    assert "deleted" in _kinds(log)


def test_retention_below_six_months_is_refused(tmp_path: Path) -> None:
    log = _log(tmp_path)
    with pytest.raises(AuditError, match="at least 183 days"):
        log.prune(90)
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text("[audit]\nretention_days = 90\n")
    with pytest.raises(ConfigError, match=r"\[audit\] retention_days.*at least 183"):
        load_config(cfg, environ={})
    cfg.write_text("[audit]\nretention_days = 200\n")
    assert load_config(cfg, environ={}).audit.retention_days == 200


def test_details_are_redacted_before_they_are_stored(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.sqlite", FakeClock())
    log.append("staff.action", "T0042", {"note": "called 13812345678 for 110101199003071234"})
    stored = json.dumps(log.entries()[0]["details"], ensure_ascii=False)
    assert "13812345678" not in stored and "110101199003071234" not in stored
    assert log.verify() == []
    with pytest.raises(AuditError, match="unknown audit entry kind"):
        log.append("citizen.visit", "kiosk")


def _config(tmp_path: Path) -> Path:
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'[kiosk]\ndata_dir = "{tmp_path / "data"}"\n')
    return cfg


def test_kiosk_audit_verify_says_intact_and_broken(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = _config(tmp_path)
    assert main(["--config", str(cfg), "audit", "verify"]) == 2
    assert "no audit log" in capsys.readouterr().err
    log = _log(tmp_path / "data")
    assert main(["--config", str(cfg), "audit", "verify"]) == 0
    assert "audit log intact: 5 entries, #1 to #5" in capsys.readouterr().out
    _sql(log, "UPDATE audit_entries SET details = '{}' WHERE seq = 2")
    _sql(log, "DELETE FROM audit_entries WHERE seq = 5")
    assert main(["--config", str(cfg), "audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert "audit log BROKEN: 2 problem(s)" in out
    assert "changed: entry #2 was changed" in out and "truncated:" in out
    assert main(["--config", str(cfg), "audit", "verify", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert not report["intact"] and [p["kind"] for p in report["problems"]] == [
        "changed", "truncated"]


def test_staff_sign_ins_and_actions_are_recorded_by_staff_id_and_handed_to_the_outbox(
        tmp_path: Path) -> None:
    from kiosk.audit.recorder import AuditRecorder
    from kiosk.config import Config
    from kiosk.staff.sign_in import staff_gate
    from sync.outbox.store import Outbox
    from tests.support.staff import TECHNICIAN_ID, TECHNICIAN_PIN, with_local_technician

    config = Config().replace("kiosk", data_dir=str(tmp_path))
    with_local_technician(config)
    clock = FakeClock()
    outbox = Outbox(tmp_path / "outbox.sqlite", clock=clock)
    trail = AuditRecorder(config.audit_path, clock, outbox, "kiosk-0451")
    gate = staff_gate(config, clock, trail)
    assert not gate.sign_in("9999", TECHNICIAN_PIN).ok
    good = gate.sign_in(TECHNICIAN_ID, TECHNICIAN_PIN)
    assert good.person is not None and gate.perform(good.person, "reprint")
    gate.sign_out(good.person, "closed")
    trail.close()
    log = AuditLog(config.audit_path, clock)
    entries = log.entries()
    assert [(e["kind"], e["actor"]) for e in entries] == [
        ("staff.sign_in_refused", "unknown"), ("staff.sign_in", TECHNICIAN_ID),
        ("staff.action", TECHNICIAN_ID), ("staff.sign_out", TECHNICIAN_ID)]
    assert "9999" not in json.dumps(entries) and TECHNICIAN_PIN not in json.dumps(entries)
    assert log.verify() == []
    assert outbox.messages.counts()["audit"]["pending"] == 4
    assert sum(outbox.counts().values()) == 0  # no transaction counted
    assert log.pending_upload() == []  # all handed over
    outbox.close()
    log.close()
