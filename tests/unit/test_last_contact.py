"""When the platform last answered, kept across restarts for the offline banner: written at
most every few minutes while online, at once when the platform stops answering."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from kiosk.last_contact import CONTACT_FILE, LastContact
from tests.support.clock import FakeClock


def test_the_last_answer_survives_a_restart_in_a_private_file(tmp_path: Path) -> None:
    clock = FakeClock()
    contact = LastContact(tmp_path / CONTACT_FILE, clock, every_seconds=600)
    assert contact.at is None
    contact.seen()
    first = clock.now()
    assert stat.S_IMODE((tmp_path / CONTACT_FILE).stat().st_mode) == 0o600
    clock.advance(60)
    contact.seen()  # a minute later: kept in memory, not written yet
    assert contact.at == clock.now()
    assert LastContact(tmp_path / CONTACT_FILE, clock).at == first
    contact.lost()  # the platform stops answering: written at once
    assert LastContact(tmp_path / CONTACT_FILE, clock).at == clock.now()


def test_answers_are_written_again_after_the_interval(tmp_path: Path) -> None:
    clock = FakeClock()
    contact = LastContact(tmp_path / CONTACT_FILE, clock, every_seconds=600)
    contact.seen()
    clock.advance(601)
    contact.seen()
    assert LastContact(tmp_path / CONTACT_FILE, clock).at == clock.now()


@pytest.mark.parametrize("text", ["", "{", '{"at": "yesterday"}', '{"at": "2026-11-21T08:30:00"}',
                                  "[]"])
def test_a_damaged_file_means_no_contact_known(tmp_path: Path, text: str) -> None:
    (tmp_path / CONTACT_FILE).write_text(text, "utf-8")
    contact = LastContact(tmp_path / CONTACT_FILE, FakeClock())
    assert contact.at is None
    contact.seen()  # and the next answer is kept
    assert LastContact(tmp_path / CONTACT_FILE, FakeClock()).at is not None
