"""kill -9 of a real kiosk process at random points during enqueue and during sync.

Each trial is a child process (``tests/support/crash_child.py``): the kiosk's own wiring
(``KioskCore``), enrolled with a platform that requires signatures, which is stopped and
restarted under it. The child is killed with SIGKILL at a seeded random moment; the kiosk is
then restarted over the same outbox and checked (``tests/support/crash.py``): zero records
lost, zero duplicated on the server, and the backlog sent within ``DRAIN_BOUND`` (ten sync
intervals, real clock) of the platform answering again, by the running kiosk and by the
restarted one. ``python -m tests.soak_crash --trials N`` runs many more.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.crash import DRAIN_BOUND, PREFILL, run_trial
from tests.support.platform import PlatformProcess

TRIALS_PER_MODE = 11  # 22 trials in all


@pytest.fixture(scope="module")
def crash_platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PlatformProcess]:
    """One platform for every trial (each trial enrols and uploads as its own kiosk id)."""
    platform = PlatformProcess(
        tmp_path_factory.mktemp("crash-platform"), require_signatures=True
    ).start()
    yield platform
    platform.stop()


@pytest.mark.parametrize("seed", range(TRIALS_PER_MODE))
def test_kill_during_enqueue_loses_nothing(
    crash_platform: PlatformProcess, tmp_path: Path, seed: int
) -> None:
    result = run_trial("enqueue", crash_platform, tmp_path, 1000 + seed)
    assert result.in_outbox == result.on_platform >= result.returned
    assert result.drain_seconds <= DRAIN_BOUND


@pytest.mark.parametrize("seed", range(TRIALS_PER_MODE))
def test_kill_during_sync_loses_nothing_and_duplicates_nothing(
    crash_platform: PlatformProcess, tmp_path: Path, seed: int
) -> None:
    result = run_trial("sync", crash_platform, tmp_path, 2000 + seed)
    assert result.in_outbox == result.on_platform >= result.returned >= PREFILL
    assert result.running_drain_seconds is not None
    assert result.running_drain_seconds <= DRAIN_BOUND and result.drain_seconds <= DRAIN_BOUND


def test_trials_kill_at_different_points(crash_platform: PlatformProcess, tmp_path: Path) -> None:
    """The random kill moments really differ (not every trial dies at the same place)."""
    seen = {
        run_trial("enqueue", crash_platform, tmp_path / str(s), 3001 + 2 * s).returned
        for s in range(3)
    }
    assert len(seen) > 1
