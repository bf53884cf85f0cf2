"""The kiosk's own counts of completed services, which the home screen learns its most-used
tiles from: per day in the kiosk's time zone, a window of days, a private file written
atomically, and a damaged file that costs the counts, never the kiosk."""

from __future__ import annotations

import json
import stat
from collections import Counter
from pathlib import Path

import pytest

from kiosk.service_counts import COUNTS_FILE, ServiceCounts, featured_services
from tests.support.clock import FakeClock


def counts(tmp_path: Path, clock: FakeClock, days: int = 90) -> ServiceCounts:
    return ServiceCounts(tmp_path / COUNTS_FILE, clock, "Asia/Shanghai", window_days=days)


def test_counts_survive_a_restart_in_a_private_file(tmp_path: Path) -> None:
    clock = FakeClock()
    usage = counts(tmp_path, clock)
    usage.record("elderly-card-apply")
    usage.record("elderly-card-apply")
    usage.record("ssc-replace")
    path = tmp_path / COUNTS_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert counts(tmp_path, clock).totals() == Counter({"elderly-card-apply": 2,
                                                         "ssc-replace": 1})
    assert not [p for p in tmp_path.iterdir() if p.name != COUNTS_FILE]  # no temporary left


def test_days_are_the_kiosks_own_not_utc(tmp_path: Path) -> None:
    clock = FakeClock()
    clock.wall = clock.wall.replace(hour=17)  # 17:00 UTC is 01:00 the next day in Shanghai
    counts(tmp_path, clock).record("ssc-replace")
    doc = json.loads((tmp_path / COUNTS_FILE).read_text("utf-8"))
    assert list(doc["days"]) == ["2026-11-22"]


def test_only_the_window_of_recent_days_counts(tmp_path: Path) -> None:
    clock = FakeClock()
    usage = counts(tmp_path, clock, days=30)
    usage.record("heating-suspension")  # a seasonal service
    clock.advance(29 * 86400)
    usage.record("ssc-replace")
    assert usage.totals() == Counter({"heating-suspension": 1, "ssc-replace": 1})
    clock.advance(2 * 86400)
    assert usage.totals() == Counter({"ssc-replace": 1})
    usage.record("ssc-replace")  # the next write drops the days out of the window
    doc = json.loads((tmp_path / COUNTS_FILE).read_text("utf-8"))
    assert all("heating-suspension" not in day for day in doc["days"].values())


@pytest.mark.parametrize("text", ["{", "[]", '{"format": 9, "days": {}}',
                                  '{"format": 1, "days": {"2026-11-21": {"x": "many"}}}'])
def test_a_damaged_file_starts_the_counts_afresh(tmp_path: Path, text: str,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / COUNTS_FILE).write_text(text, "utf-8")
    usage = counts(tmp_path, FakeClock())
    assert usage.totals() == Counter()
    assert "afresh" in caplog.text
    usage.record("ssc-replace")  # and counting goes on
    assert usage.totals() == Counter({"ssc-replace": 1})


def test_an_unwritable_file_is_logged_and_the_count_kept_in_memory(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    usage = ServiceCounts(tmp_path / "missing-dir" / COUNTS_FILE, FakeClock())
    usage.record("ssc-replace")
    assert usage.totals() == Counter({"ssc-replace": 1})
    assert "not saved" in caplog.text


def test_learnt_services_come_first_then_the_configured_ones() -> None:
    known = ["a", "b", "c", "d", "e"]
    configured = ["a", "b", "c"]
    assert featured_services(configured, Counter(), known, 3, learn_after=3) == ["a", "b", "c"]
    totals = Counter({"d": 5, "e": 2, "c": 4})
    # d and c are learnt (>= 3 completions), most used first; e is not yet
    assert featured_services(configured, totals, known, 4, learn_after=3) == ["d", "c", "a", "b"]
    assert featured_services(configured, totals, known, 2, learn_after=3) == ["d", "c"]


def test_withdrawn_services_are_never_featured() -> None:
    assert featured_services(["gone", "a"], Counter({"old": 9}), ["a"], 3, 1) == ["a"]
