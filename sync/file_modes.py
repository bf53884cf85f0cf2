"""Owner-only modes for data directories, databases and keys, checked and corrected at start.

A kiosk's outbox, the platform's database and every private key are for the service account
alone: directories 0700, files 0600, whatever the umask. SQLite gives its ``-wal`` and ``-shm``
files the mode of the database file, so a database is created 0600 before SQLite first opens
it; files left looser by older versions are tightened, and each correction is logged.

Existing files are only ever ``chmod``-ed, never opened here: closing any descriptor of a
database file drops the POSIX locks SQLite holds on it in this process.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger(__name__)

PRIVATE_DIRECTORY = 0o700
PRIVATE_FILE = 0o600
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")

__all__ = [
    "PRIVATE_DIRECTORY",
    "PRIVATE_FILE",
    "loose_modes",
    "private_database",
    "private_directory",
    "private_file",
    "sqlite_files",
]


def _tighten(path: Path, wanted: int) -> bool:
    """Clear group and other bits; True if the mode changed (and say so in the log)."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return False
    if not mode & 0o077:
        return False
    os.chmod(path, wanted)
    log.warning("%s was mode %04o, open to other accounts; set to %04o", path, mode, wanted)
    return True


def private_directory(path: Path) -> bool:
    """Create ``path`` (and missing parents) 0700, or tighten it; True if corrected."""
    path = Path(path)
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIRECTORY)
        return False
    return _tighten(path, PRIVATE_DIRECTORY)


def private_file(path: Path) -> bool:
    """Tighten an existing file to 0600; True if corrected."""
    return _tighten(Path(path), PRIVATE_FILE)


def sqlite_files(path: Path) -> list[Path]:
    """A database file and the companions SQLite keeps beside it."""
    path = Path(path)
    return [path] + [path.with_name(path.name + suffix) for suffix in SQLITE_COMPANIONS]


def private_database(path: Path) -> list[Path]:
    """Create the database file 0600 if absent; tighten it and its companions. Returns the
    files corrected."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        pass
    else:
        os.close(fd)  # a brand-new empty file: no SQLite connection holds locks on it yet
    return [p for p in sqlite_files(path) if _tighten(p, PRIVATE_FILE)]


def loose_modes(paths: Iterable[Path]) -> list[str]:
    """Words for each existing path that other accounts may read or enter (no changes made)."""
    found = []
    for path in paths:
        try:
            mode = stat.S_IMODE(Path(path).stat().st_mode)
        except OSError:
            continue
        if mode & 0o077:
            wanted = PRIVATE_DIRECTORY if Path(path).is_dir() else PRIVATE_FILE
            found.append(f"{path} is mode {mode:04o}, open to other accounts "
                         f"(should be {wanted:04o})")
    return found
