"""The files the kiosk and the privileged updater exchange, all in ``<data>/updates/``.

- ``staged/<V>/`` (kiosk): a downloaded, verified release (:mod:`sync.downlink.releases`);
- ``request.json`` (kiosk): ``{"version", "phase"}``, ``prepare`` (install beside the running
  one) or ``switch`` (now, between citizens); a systemd path unit starts the updater;
- ``prepared.json`` (updater): ``{"version"}`` installed in ``<root>/releases/<V>/``;
- ``attempt.json`` (updater): ``{"version", "attempt"}``, the start the updater waits for;
- ``painted.json`` (kiosk, 0600): ``{"version", "start_id", "attempt", "painted_at"}`` at
  each first paint;
- ``outcome.json`` (updater): ``{"bad": [...], "last": {...}}``, the versions that failed to
  paint and the last result;
- ``status.json`` (kiosk): the last check of the platform's offer, its refusal in words.

The updater (root) writes with a temporary file and a rename, so a kiosk user who put a
symbolic link in place of one of these files never gets root to write through it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
import uuid
from pathlib import Path
from typing import Any

from sync.atomic_file import write_atomic

log = logging.getLogger(__name__)

REQUEST_FILE = "request.json"
PREPARED_FILE = "prepared.json"
ATTEMPT_FILE = "attempt.json"
PAINTED_FILE = "painted.json"
OUTCOME_FILE = "outcome.json"
STATUS_FILE = "status.json"
PHASES = ("prepare", "switch")


def updates_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "updates"


def staging_dir(data_dir: Path) -> Path:
    return updates_dir(data_dir) / "staged"


def read_json(path: Path) -> dict[str, Any] | None:
    """The JSON object in ``path``, or None when it is missing or unreadable."""
    try:
        doc = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return doc if isinstance(doc, dict) else None


def write_json(path: Path, doc: dict[str, Any], mode: int = 0o600) -> None:
    """Write atomically; a missing directory is made owner-only, and owned like the data
    directory above it (so one the root updater makes stays the kiosk user's)."""
    if not path.parent.is_dir():
        path.parent.mkdir(parents=True, mode=0o700)
        with contextlib.suppress(OSError):
            owner = path.parent.parent.stat()
            if (owner.st_uid, owner.st_gid) != (os.geteuid(), os.getegid()):
                os.chown(path.parent, owner.st_uid, owner.st_gid)
    write_atomic(path, (json.dumps(doc, indent=1, sort_keys=True) + "\n").encode("utf-8"), mode)


def write_painted(data_dir: Path, version: str, clock: float | None = None) -> dict[str, Any]:
    """The first-paint marker: this version painted its home screen, at this start.

    ``attempt`` echoes the updater's ``attempt.json`` when it names this version, so the
    updater knows the paint is the start it caused and not an older one."""
    directory = updates_dir(data_dir)
    attempt = read_json(directory / ATTEMPT_FILE) or {}
    doc = {
        "version": version,
        "start_id": uuid.uuid4().hex,
        "attempt": attempt.get("attempt") if attempt.get("version") == version else None,
        "painted_at": time.time() if clock is None else clock,
        "pid": os.getpid(),
    }
    try:
        write_json(directory / PAINTED_FILE, doc, 0o600)
    except OSError as exc:  # never stops the kiosk; the updater would roll back, and says so
        log.error("cannot write the first-paint marker: %s", exc)
    return doc


def bad_versions(data_dir: Path) -> set[str]:
    outcome = read_json(updates_dir(data_dir) / OUTCOME_FILE) or {}
    bad = outcome.get("bad")
    return {str(v) for v in bad} if isinstance(bad, list) else set()
