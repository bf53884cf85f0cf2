"""The one atomic file write and the one create-once write of small state and key files."""

from __future__ import annotations

import stat
from pathlib import Path

from sync.atomic_file import create_exclusive, write_atomic


def test_create_exclusive_writes_once_and_keeps_the_first(tmp_path: Path) -> None:
    path = tmp_path / "key.pem"
    assert create_exclusive(path, b"first", 0o600) is True
    assert create_exclusive(path, b"second", 0o600) is False
    assert path.read_bytes() == b"first"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["key.pem"]  # no temporary left


def test_write_atomic_replaces_whole_and_leaves_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    write_atomic(path, b"old")
    write_atomic(path, b"new", 0o600)
    assert path.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json"]
