"""Which catalog the kiosk loaded, and the last one it refused and why, kept in a small file
beside the downloaded copies so that ``kiosk diagnose`` (another process) can report them.

Written by the running kiosk (:mod:`kiosk.platform_link.downlink`); read, never written, by
diagnose.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sync import atomic_file

log = logging.getLogger(__name__)

STATUS_FILE = "catalog-status.json"


def read_status(directory: Path) -> dict[str, Any]:
    try:
        doc = json.loads((directory / STATUS_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return doc if isinstance(doc, dict) else {}


def _write(directory: Path, doc: dict[str, Any]) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
        text = json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        atomic_file.write_atomic(directory / STATUS_FILE, text.encode("utf-8"))
    except OSError:
        log.warning("could not record the catalogue status in %s", directory, exc_info=True)


def record_loaded(
    directory: Path, version: str, source: str, clock: Callable[[], float] = time.time
) -> None:
    """``source``: ``installed`` (shipped with the kiosk) or ``downloaded`` (the platform's)."""
    atomic_file.remove_stale_temporaries(directory, {STATUS_FILE}.__contains__)
    doc = read_status(directory)
    doc["loaded"] = {"version": version, "source": source, "at": clock()}
    _write(directory, doc)


def record_refusal(
    directory: Path, reason: str, version: str | None = None,
    clock: Callable[[], float] = time.time,
) -> None:
    doc = read_status(directory)
    doc["last_refusal"] = {"version": version, "reason": reason, "at": clock()}
    _write(directory, doc)


def _when(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds")


def catalog_part(directory: Path, installed_version: str | None) -> dict[str, Any]:
    """The ``catalog`` part of ``kiosk diagnose``: the version in use, where it came from, and
    the last catalogue from the platform that was refused, with the reason."""
    doc = read_status(directory)
    loaded = doc.get("loaded") if isinstance(doc.get("loaded"), dict) else None
    refusal = doc.get("last_refusal") if isinstance(doc.get("last_refusal"), dict) else None
    part: dict[str, Any] = {"installed_version": installed_version, "warnings": []}
    if installed_version is None:
        part.update(ok=False, detail="the catalogue installed with the kiosk cannot be read")
    else:
        part["ok"] = True
    if loaded is not None:
        version, source = loaded.get("version"), loaded.get("source")
        where = ("downloaded from the platform" if source == "downloaded"
                 else "installed with the kiosk")
        detail = f"version {version} in use ({where}, loaded {_when(float(loaded['at']))})"
    else:
        version, source = installed_version, "installed"
        detail = f"version {version} installed with the kiosk (none downloaded yet)"
    part.update(version=version, source=source, last_refusal=refusal)
    if part["ok"]:
        part["detail"] = detail
    if refusal is not None:
        which = f"catalogue {refusal['version']}" if refusal.get("version") else "a catalogue"
        part["warnings"].append(
            f"{which} was refused at {_when(float(refusal['at']))}: {refusal.get('reason')}; "
            "the last good copy stays in use")
    return part
