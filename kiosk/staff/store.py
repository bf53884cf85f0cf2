"""Where the kiosk finds the people who may sign in: the platform's list, else a local one.

Files in ``<data_dir>/staff`` (directory 0700, files 0600):

- ``platform.json``: the credential document the platform signed (see :mod:`sync.downlink.staff`),
  checked against the key pinned at enrolment every time it is read;
- ``local.json``: one technician credential set on the machine by root with
  ``kiosk technician set-pin``, for a kiosk that has never been online;
- ``lockout.json``: the sign-in lock-out (:mod:`kiosk.staff.lockout`).

Once the kiosk holds a valid platform list, that list alone decides: the local credential
is a way in for a kiosk that was never online, not a second door beside the platform's.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Literal

from kiosk.config import Config
from kiosk.platform_link.enrolment import identity_dir
from sync import atomic_file
from sync.clock import Clock
from sync.downlink.staff import StaffSync
from sync.kiosk_keys import load_platform_keys
from sync.platform.client import PlatformClient
from sync.staff_credentials import (
    Person,
    StaffDocumentError,
    check_person,
    check_person_id,
    hash_pin,
)

log = logging.getLogger(__name__)

LOCAL_FILE = "local.json"
LOCKOUT_FILE = "lockout.json"
LOCAL_FORMAT = "civic-kiosk/local-technician"

Source = Literal["platform", "local", "none"]


def staff_dir(config: Config) -> Path:
    return config.data_dir / "staff"


def staff_sync(config: Config, client: PlatformClient | None = None) -> StaffSync | None:
    """Only an enrolled kiosk can check the platform's signature on the staff list."""
    keys = load_platform_keys(identity_dir(config))
    if keys is None:
        return None
    return StaffSync(client, staff_dir(config), keys.catalogue_key)


def set_local_pin(
    config: Config, person_id: str, name: str, pin: str, clock: Clock
) -> Person:
    """Hash ``pin`` and keep it as this kiosk's local technician credential (replacing any)."""
    check_person_id(person_id)
    person = Person(person_id, name.strip() or f"technician {person_id}", "technician",
                    hash_pin(pin))
    directory = staff_dir(config)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = directory / LOCAL_FILE
    doc = {"format": LOCAL_FORMAT, "person": person.as_entry(),
           "set_at": clock.now().timestamp()}
    atomic_file.write_atomic(path, (json.dumps(doc, indent=1) + "\n").encode("utf-8"), 0o600)
    os.chmod(path, 0o600)
    _give_to_data_dir_owner(directory, path)
    return person


def _give_to_data_dir_owner(directory: Path, path: Path) -> None:
    """Root writes the file; the kiosk, running as the data directory's owner, must read it."""
    if not hasattr(os, "chown"):
        return
    owner = directory.parent.stat()
    try:
        os.chown(directory, owner.st_uid, owner.st_gid)
        os.chown(path, owner.st_uid, owner.st_gid)
    except PermissionError:
        pass  # not root: the file is already ours


def load_local(config: Config) -> Person | None:
    path = staff_dir(config) / LOCAL_FILE
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        log.error("the local technician credential is unreadable (%s); ignoring it", exc)
        return None
    try:
        if not isinstance(doc, dict) or doc.get("format") != LOCAL_FORMAT:
            raise StaffDocumentError("not a local technician credential")
        person = check_person(doc.get("person"))
    except StaffDocumentError as exc:
        log.error("the local technician credential is unusable (%s); ignoring it", exc)
        return None
    return person


class Credentials:
    """The people who may sign in at this kiosk right now."""

    def __init__(self, config: Config) -> None:
        self._config = config
        self._platform = staff_sync(config)

    def _platform_people(self) -> tuple[Person, ...] | None:
        if self._platform is None:
            self._platform = staff_sync(self._config)  # enrolled since the kiosk started
        document = self._platform.current() if self._platform is not None else None
        return document.people if document is not None else None

    def source(self) -> Source:
        if self._platform_people() is not None:
            return "platform"
        return "local" if load_local(self._config) is not None else "none"

    def people(self) -> tuple[Person, ...]:
        platform = self._platform_people()
        if platform is not None:
            return platform
        local = load_local(self._config)
        return (local,) if local is not None else ()

    def find(self, person_id: str) -> Person | None:
        for person in self.people():
            if person.person_id == person_id:
                return person
        return None
