"""The data directory's disk: room for the outbox, the audit trail and the logs.

The space counted is what an unprivileged account may still use (``statvfs``'s ``f_bavail``,
what :func:`shutil.disk_usage` calls free): the kiosk runs as its own user, so the blocks a
filesystem reserves for root are not the kiosk's. Under ``[kiosk] disk_warn_free_mb`` the part
needs attention; under ``[kiosk] disk_min_free_mb`` it is failing, since SQLite then soon
cannot write a new submission, an audit entry or a log line. Read-only: nothing is freed here.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from kiosk.config import Config

MIB = 1024 * 1024


def size_words(count: int) -> str:
    """``812 MiB`` under a GiB, ``3.4 GiB`` above."""
    if count < 1024 * MIB:
        return f"{count / MIB:.0f} MiB"
    return f"{count / (1024 * MIB):.1f} GiB"


def _existing(path: Path) -> Path:
    """The data directory, or its nearest existing parent on a kiosk that has not run yet."""
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return path


def disk_part(config: Config) -> dict[str, Any]:
    """The data directory's free space against the configured warning and minimum."""
    where = config.data_dir
    warn = config.kiosk.disk_warn_free_mb * MIB
    minimum = config.kiosk.disk_min_free_mb * MIB
    out: dict[str, Any] = {"path": str(where), "warn_free_bytes": warn,
                           "min_free_bytes": minimum, "warnings": []}
    try:
        usage = shutil.disk_usage(_existing(where))
    except OSError as exc:
        return {**out, "ok": False,
                "detail": f"the data directory's disk cannot be read ({exc.strerror or exc})"}
    free = usage.free
    out.update(free_bytes=free, total_bytes=usage.total)
    figures = f"{size_words(free)} free of {size_words(usage.total)} (data directory {where})"
    if free < minimum:
        out.update(ok=False, detail=(
            f"nearly full: {figures}, under the minimum of {size_words(minimum)} "
            "([kiosk] disk_min_free_mb): new submissions, audit entries and log lines may "
            "fail to be written; make room on this disk now"))
        return out
    out.update(ok=True, detail=figures)
    if free < warn:
        out["warnings"].append(
            f"only {size_words(free)} free on the data directory's disk, under the warning "
            f"of {size_words(warn)} ([kiosk] disk_warn_free_mb): make room before it fills")
    return out
