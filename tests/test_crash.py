"""kill -9 of a real kiosk process at random points during enqueue and during sync.

Each trial is a child process (``tests/support/crash_child.py``) killed with SIGKILL at a
seeded random moment; the outbox is then reopened, drained to the real reference platform
and checked: zero records lost, zero duplicated on the server (``tests/support/crash.py``).
``python -m tests.soak_crash --trials N`` runs many more.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.crash import run_trial
from tests.support.platform import PlatformProcess

TRIALS_PER_MODE = 11  # 22 trials in all


@pytest.fixture(scope="module")
def crash_platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PlatformProcess]:
    """One platform for every trial (each trial uploads as its own kiosk id)."""
    platform = PlatformProcess(tmp_path_factory.mktemp("crash-platform")).start()
    yield platform
    platform.stop()


@pytest.mark.parametrize("seed", range(TRIALS_PER_MODE))
def test_kill_during_enqueue_loses_nothing(
    crash_platform: PlatformProcess, tmp_path: Path, seed: int
) -> None:
    result = run_trial("enqueue", crash_platform, tmp_path, 1000 + seed)
    assert result.in_outbox == result.on_platform >= result.returned


@pytest.mark.parametrize("seed", range(TRIALS_PER_MODE))
def test_kill_during_sync_loses_nothing_and_duplicates_nothing(
    crash_platform: PlatformProcess, tmp_path: Path, seed: int
) -> None:
    result = run_trial("sync", crash_platform, tmp_path, 2000 + seed)
    assert result.in_outbox == result.on_platform >= result.returned >= 120


def test_trials_kill_at_different_points(crash_platform: PlatformProcess, tmp_path: Path) -> None:
    """The random kill moments really differ (not every trial dies at the same place)."""
    seen = {
        run_trial("enqueue", crash_platform, tmp_path / str(s), 3000 + s).returned for s in range(3)
    }
    assert len(seen) > 1
