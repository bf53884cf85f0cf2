"""USB sticks for the tests: a FAT (or ext4) image on a loop device, which the kiosk then
lists with the real ``lsblk``, mounts with the real ``mount`` and unmounts (as root, as the
tests run).

A loop device is no USB device (``lsblk`` says RM 0, no transport), so a test points the
technician desk at its loop device only (``desk.devices``, ``desk.accept``); everything after
the listing is the kiosk's own path. Skipped where loop devices or ``mkfs.vfat`` are missing.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.core import KioskCore


def stick_filesystem() -> str:
    """FAT, as on a real stick, where this kernel has it; ext4 otherwise (a container's kernel
    may lack the vfat module, and a test cannot load one): the kiosk's path is the same."""
    known = Path("/proc/filesystems").read_text()
    return "vfat" if "\tvfat\n" in known else "ext4"


def loop_devices_work() -> str:
    """"" when this machine can make loop sticks, else why not."""
    if os.geteuid() != 0:
        return "loop devices need root"
    for tool in ("losetup", f"mkfs.{stick_filesystem()}", "mount", "umount", "lsblk"):
        if shutil.which(tool) is None:
            return f"{tool} is missing (Debian: util-linux, dosfstools)"
    if not Path("/dev/loop-control").exists():
        return "no /dev/loop-control"
    return ""


needs_loop = pytest.mark.skipif(bool(loop_devices_work()), reason=loop_devices_work() or "-")


class LoopSticks:
    """Images attached as loop devices; all detached at the end."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.attached: list[str] = []

    def make(self, name: str, size_mib: int = 16, filesystem: bool = True,
             read_only: bool = False) -> str:
        image = self.folder / f"{name}.img"
        with open(image, "wb") as out:
            out.truncate(size_mib * 1024 * 1024)
        if filesystem:
            kind = stick_filesystem()
            label = ["-n", name.upper()[:11]] if kind == "vfat" else ["-q", "-L", name[:16]]
            subprocess.run([f"mkfs.{kind}", *label, str(image)], check=True,
                           capture_output=True)
        argv = ["losetup", "-f", "--show", *(["-r"] if read_only else []), str(image)]
        done = subprocess.run(argv, capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"losetup failed here: {done.stderr.strip()}")
        device = done.stdout.strip()
        self.attached.append(device)
        return device

    def detach(self) -> None:
        for device in self.attached:
            subprocess.run(["losetup", "-d", device], capture_output=True)
        self.attached.clear()


@pytest.fixture
def loop_sticks(tmp_path: Path) -> Iterator[LoopSticks]:
    sticks = LoopSticks(tmp_path)
    try:
        yield sticks
    finally:
        sticks.detach()


def offer_only(core: KioskCore, device: str) -> None:
    """The technician desk lists this loop device as if it were the one USB stick plugged in."""
    def accept(found: dict[str, Any], _disk: dict[str, Any] | None) -> bool:
        return found.get("path") == device

    core.technician.devices = (device,)
    core.technician.accept = accept


def is_mounted(device: str) -> bool:
    return any(line.split()[0] == device for line in
               Path("/proc/mounts").read_text().splitlines() if line.strip())


@contextlib.contextmanager
def mounted_by_hand(device: str) -> Iterator[Path]:
    """The stick mounted by the platform's operator (or a check), unmounted after."""
    where = Path(tempfile.mkdtemp(prefix="test-stick-"))
    subprocess.run(["mount", device, str(where)], check=True, capture_output=True)
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=True, capture_output=True)
        where.rmdir()
