"""The data directory's disk part of the health report: its limits come from the config and are
checked when it is read; a kiosk that has not run yet is measured at the nearest parent."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kiosk.config import Config, ConfigError
from kiosk.diagnostics.disk import MIB, disk_part, size_words


def config(data_dir: Path, **limits: int) -> Config:
    return Config().replace("kiosk", data_dir=str(data_dir), **limits)


def test_limits_the_wrong_way_round_or_negative_are_refused_in_words(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"disk_min_free_mb \(2048\) and disk_warn_free_mb"):
        config(tmp_path, disk_min_free_mb=2048, disk_warn_free_mb=1024)
    with pytest.raises(ConfigError, match="0 <= minimum <= warning"):
        config(tmp_path, disk_min_free_mb=-1)
    assert Config().kiosk.disk_min_free_mb == 256 and Config().kiosk.disk_warn_free_mb == 1024


def test_a_data_directory_not_made_yet_is_measured_where_it_will_be(tmp_path: Path) -> None:
    part = disk_part(config(tmp_path / "not" / "yet", disk_min_free_mb=0, disk_warn_free_mb=0))
    assert part["ok"] is True and part["warnings"] == []
    assert part["total_bytes"] == shutil.disk_usage(tmp_path).total
    assert part["detail"].endswith(f"(data directory {tmp_path / 'not' / 'yet'})")


def test_sizes_read_in_mib_under_a_gib_and_in_gib_above() -> None:
    assert size_words(3 * MIB) == "3 MiB"
    assert size_words(1023 * MIB) == "1023 MiB"
    assert size_words(3 * 1024 * MIB + 400 * MIB) == "3.4 GiB"
