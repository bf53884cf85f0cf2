"""Which block devices the technician panel offers as USB sticks (from ``lsblk --json``), and
what udisksctl's answer says of where it mounted one."""

from __future__ import annotations

import json

from kiosk.usb_media import _MOUNTED_AT, Stick, parse_lsblk


def lsblk(*devices: dict[str, object]) -> str:
    return json.dumps({"blockdevices": list(devices)})


def test_only_removable_usb_filesystems_are_offered() -> None:
    text = lsblk(
        {"name": "sda", "path": "/dev/sda", "rm": False, "tran": "sata", "fstype": None,
         "children": [{"name": "sda1", "path": "/dev/sda1", "rm": False, "tran": None,
                       "fstype": "ext4", "label": "root", "size": "100G",
                       "mountpoint": "/"}]},
        {"name": "sdb", "path": "/dev/sdb", "rm": True, "tran": "usb", "fstype": None,
         "children": [{"name": "sdb1", "path": "/dev/sdb1", "rm": True, "tran": None,
                       "fstype": "vfat", "label": "STICK", "size": "7.5G",
                       "mountpoint": None}]},
        {"name": "sdc", "path": "/dev/sdc", "rm": "1", "tran": "usb", "fstype": "exfat",
         "label": None, "size": "30G", "mountpoint": None},  # no partition table
        {"name": "sdd", "path": "/dev/sdd", "rm": False, "tran": "usb", "fstype": "ext4",
         "label": "disk", "size": "1T", "mountpoint": None},  # a USB hard disk: not removable
        {"name": "mmcblk0", "path": "/dev/mmcblk0", "rm": True, "tran": None,
         "fstype": "vfat", "label": "SD", "size": "32G", "mountpoint": None},
    )
    assert parse_lsblk(text) == [
        Stick("/dev/sdb1", "STICK", "7.5G", "vfat", ""),
        Stick("/dev/sdc", "", "30G", "exfat", ""),
    ]
    assert Stick("/dev/sdc", "", "30G", "exfat", "").describe() == "/dev/sdc (30G)"


def test_nothing_offered_from_no_answer_or_a_broken_one() -> None:
    assert parse_lsblk("") == [] and parse_lsblk("[1, 2]") == []
    assert parse_lsblk(lsblk()) == [] and parse_lsblk('{"blockdevices": null}') == []


def test_where_udisksctl_mounted_the_stick() -> None:
    for said in ("Mounted /dev/sdb1 at /media/kiosk/STICK\n",
                 "Mounted /dev/sdb1 at /media/kiosk/STICK.\n"):
        found = _MOUNTED_AT.search(said)
        assert found is not None and found.group(1) == "/media/kiosk/STICK"
