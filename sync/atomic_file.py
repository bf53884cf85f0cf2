"""Durable replace-by-rename for small state files the kiosk must never see half-written.

A file is written to a temporary name in the same directory, flushed and fsynced, then renamed
over the target, and the directory is fsynced so the rename itself survives a power cut.
A crash before the rename leaves the old file untouched and a stray temporary file, which
:func:`remove_stale_temporaries` deletes on the next start.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

_SUFFIX = ".tmp"


def _temporary_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}{_SUFFIX}")


def fsync_directory(directory: Path) -> None:
    """Make renames in ``directory`` durable (a no-op where directories cannot be opened)."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_temporary(path: Path, data: bytes, mode: int = 0o644) -> Path:
    """Write ``data`` durably to a new temporary file next to ``path``; return its path."""
    tmp = _temporary_name(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return tmp


def replace(src: Path, dst: Path) -> None:
    """Rename ``src`` over ``dst`` atomically (a module function so crash tests can hook it)."""
    os.replace(src, dst)


def write_atomic(
    path: Path, data: bytes, mode: int = 0o644, *, sync_directory: bool = True
) -> None:
    """Replace ``path`` with ``data``: readers see the old bytes or the new, never a mix."""
    tmp = write_temporary(path, data, mode)
    try:
        replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    if sync_directory:
        fsync_directory(path.parent)


def create_exclusive(path: Path, data: bytes, mode: int = 0o600) -> bool:
    """Create ``path`` holding ``data``, durably, only if it does not exist; False if it did.

    Written under a temporary name and linked into place, so a crash never leaves a short file
    under the real name (a key half-written would be worse than none); the directory is fsynced.
    When two processes race, the one whose link lands first wins and the other gets False.
    """
    tmp = write_temporary(path, data, mode)
    try:
        os.link(tmp, path)
    except FileExistsError:
        return False
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    fsync_directory(path.parent)
    return True


def link_or_copy(src: Path, dst: Path, mode: int = 0o644) -> None:
    """Make ``dst`` a durable copy of ``src`` (a hard link where the file system allows)."""
    tmp = _temporary_name(dst)
    try:
        os.link(src, tmp)
    except OSError:
        tmp = write_temporary(dst, src.read_bytes(), mode)
    try:
        replace(tmp, dst)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def remove_stale_temporaries(directory: Path, names: Callable[[str], bool]) -> int:
    """Delete temporary files left by a crash for targets whose name ``names`` accepts."""
    removed = 0
    if not directory.is_dir():
        return 0
    for entry in directory.iterdir():
        name = entry.name
        if not (name.startswith(".") and name.endswith(_SUFFIX)):
            continue
        parts = name[1 : -len(_SUFFIX)].rsplit(".", 2)  # <target>.<pid>.<random>
        if len(parts) != 3:
            continue
        target_name = parts[0]
        if names(target_name):
            with contextlib.suppress(OSError):
                entry.unlink()
                removed += 1
    return removed
