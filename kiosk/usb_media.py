"""USB sticks for the technician's transfers: listed, mounted for one action, unmounted after.

The kiosk never mounts media by itself (docs/usb-transfer.md): a technician picks a stick on
the panel, and only then is it mounted, written or read, synced and unmounted again, in
:func:`mounted`. Two ways to mount, chosen by who the kiosk runs as:

- the kiosk's own user (the appliance, ``deploy/``): ``udisksctl mount -b DEV`` with
  ``nosuid,nodev,noexec``, allowed for the ``kiosk`` user by the polkit rule
  ``deploy/polkit/50-kiosk-usb.rules`` (mounting and unmounting removable filesystems, no other
  udisks action), and ``udisksctl unmount -b DEV`` after;
- root (a technician's laptop, the tests): ``mount(8)`` itself with the same options, on a
  fresh private directory, ``umount`` after.

Only removable USB block devices are offered (``lsblk``: ``RM`` set and transport ``usb``,
the partition's or its disk's); each carries a filesystem of its own. Faults come back as
:class:`MediaError` with a short reason (``gone``, ``no_filesystem``, ``mount``, ``unmount``,
``tools``) and plain English words.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LSBLK_COLUMNS = "NAME,PATH,RM,TRAN,FSTYPE,LABEL,SIZE,MOUNTPOINT"
MOUNT_OPTIONS = "nosuid,nodev,noexec"
TOOL_SECONDS = 30.0
_MOUNTED_AT = re.compile(r"Mounted \S+ at (.+?)\.?\s*$", re.MULTILINE)

Run = Callable[..., subprocess.CompletedProcess[str]]


class MediaError(Exception):
    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class Stick:
    path: str  # /dev/sdb1
    label: str
    size: str  # as lsblk says it: "7.5G"
    fstype: str
    mountpoint: str  # "" when not mounted

    def describe(self) -> str:
        return " ".join(part for part in (self.label or self.path, f"({self.size})") if part)


def _flag(value: Any) -> bool:
    return value is True or value in ("1", 1, "true")


def is_usb_stick(device: dict[str, Any], disk: dict[str, Any] | None) -> bool:
    """A removable device on the USB bus (a partition inherits its disk's transport)."""
    tran = device.get("tran") or (disk or {}).get("tran")
    removable = _flag(device.get("rm")) or _flag((disk or {}).get("rm"))
    return removable and tran == "usb"


def parse_lsblk(text: str, accept: Callable[[dict[str, Any], dict[str, Any] | None], bool]
                = is_usb_stick) -> list[Stick]:
    """The sticks in ``lsblk --json`` output that ``accept`` lets through and that hold a
    filesystem (a partition, or a stick formatted without a partition table)."""
    try:
        doc = json.loads(text)
    except ValueError:
        return []
    found: list[Stick] = []

    def walk(device: dict[str, Any], disk: dict[str, Any] | None) -> None:
        children = device.get("children") or []
        if (device.get("fstype") or not children) and accept(device, disk):
            found.append(Stick(str(device.get("path") or f"/dev/{device.get('name')}"),
                               str(device.get("label") or ""), str(device.get("size") or ""),
                               str(device.get("fstype") or ""),
                               str(device.get("mountpoint") or "")))
        for child in children:
            walk(child, disk or device)

    for device in doc.get("blockdevices") or [] if isinstance(doc, dict) else []:
        if isinstance(device, dict):
            walk(device, None)
    return found


def list_sticks(devices: tuple[str, ...] = (), run: Run = subprocess.run,
                accept: Callable[[dict[str, Any], dict[str, Any] | None], bool]
                = is_usb_stick) -> list[Stick]:
    """Removable USB sticks now plugged in (``devices``: ask lsblk about those only)."""
    try:
        done = run(["lsblk", "--json", "-o", LSBLK_COLUMNS, *devices], capture_output=True,
                   text=True, timeout=TOOL_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise MediaError("tools", f"lsblk could not list the USB devices: {exc}") from exc
    return parse_lsblk(done.stdout, accept)


def still_plugged(stick: Stick) -> bool:
    return Path(stick.path).exists()


@contextlib.contextmanager
def mounted(stick: Stick, run: Run = subprocess.run) -> Iterator[Path]:
    """The stick's filesystem mounted for the time of the block; synced and unmounted after
    (also when the block fails). A stick already mounted elsewhere is refused: the kiosk
    does not write under someone else's mount."""
    if not still_plugged(stick):
        raise MediaError("gone", f"{stick.path} is not plugged in any more")
    if stick.mountpoint:
        raise MediaError("mount", f"{stick.path} is already mounted at {stick.mountpoint}")
    as_root = os.geteuid() == 0
    where = _mount_as_root(stick, run) if as_root else _mount_with_udisks(stick, run)
    try:
        yield where
    finally:
        os.sync()
        if as_root:
            _tool(run, ["umount", str(where)], "unmount")
            with contextlib.suppress(OSError):
                where.rmdir()
        else:
            _tool(run, ["udisksctl", "unmount", "--no-user-interaction", "-b", stick.path],
                  "unmount")


def _mount_as_root(stick: Stick, run: Run) -> Path:
    where = Path(tempfile.mkdtemp(prefix="kiosk-usb-"))
    try:
        _tool(run, ["mount", "-o", MOUNT_OPTIONS, stick.path, str(where)], "mount")
    except MediaError:
        where.rmdir()
        raise
    return where


def _mount_with_udisks(stick: Stick, run: Run) -> Path:
    if shutil.which("udisksctl") is None:
        raise MediaError("tools", "udisksctl is missing (Debian: udisks2)")
    done = _tool(run, ["udisksctl", "mount", "--no-user-interaction", "-b", stick.path,
                       "-o", MOUNT_OPTIONS], "mount")
    found = _MOUNTED_AT.search(done.stdout)
    if found is None:
        raise MediaError("mount", f"udisksctl did not say where it mounted {stick.path}: "
                         f"{done.stdout.strip()}")
    return Path(found.group(1))


def _tool(run: Run, argv: list[str], reason: str) -> subprocess.CompletedProcess[str]:
    try:
        done = run(argv, capture_output=True, text=True, timeout=TOOL_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise MediaError(reason, f"{argv[0]}: {exc}") from exc
    if done.returncode != 0:
        words = (done.stderr or done.stdout).strip() or f"exit status {done.returncode}"
        if reason == "mount" and ("wrong fs type" in words or "bad superblock" in words
                                  or "NotSupported" in words or "unknown filesystem" in words):
            raise MediaError("no_filesystem", f"no filesystem the kiosk can read: {words}")
        raise MediaError(reason, f"{' '.join(argv[:2])} failed: {words}")
    return done
