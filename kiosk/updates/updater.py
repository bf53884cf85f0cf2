"""The privileged updater: install a staged release, switch to it, roll back by itself.

Runs as root (``kiosk-update.service``, started by ``kiosk-update.path`` when the kiosk writes
``<data>/updates/request.json``), so the kiosk user never writes the installation. Layout
(shared with ``make deb``): each version in its own venv ``<root>/releases/<V>/``, and
``<root>/current -> releases/<V>`` the one ``kiosk.service`` runs
(``/opt/kiosk/current/bin/kiosk``).

- **prepare V**: copy the staged release out of the kiosk's data directory into
  ``<root>/incoming/<V>/`` (never through a symbolic link), check the manifest's signature with
  the platform key and the artifact's size and SHA-256 again, build ``<root>/releases/<V>/``
  (``python -m venv``, then pip offline: ``--no-index`` with the artifact's wheels and
  ``[update] find_links``; with ``[update] deps_path`` a ``.pth`` reuses installed packages and
  the release goes in with ``--no-deps``), check that its ``kiosk`` imports and says V, and
  write ``prepared.json``. The running kiosk is not disturbed.
- **switch V** (the kiosk asks when it is quiet, between citizens): write ``attempt.json``,
  point ``current`` at V atomically (a new symbolic link renamed over the old), restart the
  kiosk (``[update] restart_command``) and wait up to ``[update] paint_deadline_seconds`` for
  ``painted.json`` naming V and this attempt. If it is not there: point ``current`` back,
  restart the previous version, wait for its paint, and mark V bad for ever (``outcome.json``
  and ``<root>/update-state.json``); the kiosk never fetches a bad version again.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tarfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.updates.files import (
    ATTEMPT_FILE,
    OUTCOME_FILE,
    PAINTED_FILE,
    PHASES,
    PREPARED_FILE,
    REQUEST_FILE,
    read_json,
    staging_dir,
    updates_dir,
    write_json,
)
from sync.atomic_file import write_atomic
from sync.platform.releases import PACKAGE_NAME, ReleaseError, is_newer, parse_version

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from kiosk.config import Config

log = logging.getLogger(__name__)

RELEASES = "releases"
CURRENT = "current"
INCOMING = "incoming"
STATE_FILE = "update-state.json"
PINNED_KEY = "platform-signing-key.pub"  # root's copy of the key (see _platform_key)
RELEASE_STAMP = "kiosk-release.json"  # written last: a release directory without it is unfinished
POLL_SECONDS = 0.2


class UpdateError(Exception):
    """An update step refused or failed; the message is for a technician."""


@dataclass(frozen=True)
class UpdaterSettings:
    root: Path
    data_dir: Path
    key: Ed25519PublicKey | None
    paint_deadline: float = 120.0
    restart_command: tuple[str, ...] = ("systemctl", "restart", "kiosk.service")
    find_links: tuple[str, ...] = ()
    deps_path: str = ""
    keep_releases: int = 3
    python: str = field(default_factory=lambda: sys.executable)  # creates venvs, runs pip

    @classmethod
    def from_config(cls, config: Config) -> UpdaterSettings:
        update = config.update
        return cls(
            root=Path(update.root), data_dir=config.data_dir, key=_platform_key(config),
            paint_deadline=update.paint_deadline_seconds,
            restart_command=tuple(update.restart_command), find_links=tuple(update.find_links),
            deps_path=update.deps_path, keep_releases=update.keep_releases,
        )


def _platform_key(config: Config) -> Ed25519PublicKey | None:
    """The key releases are checked with, never one the kiosk user could swap unnoticed.

    ``[update] signing_key`` (root's configuration) first. Else the key root pinned in
    ``<root>/platform-signing-key.pub`` the first time it needed one, copied then from the
    kiosk's enrolment (its data directory, which the kiosk user can write): a key planted there
    later changes nothing (docs/updates.md, "Which key")."""
    from sync.platform.signing import load_ed25519_public_key

    if config.update.signing_key:
        return load_ed25519_public_key(config.update.signing_key)
    pinned = Path(config.update.root) / PINNED_KEY
    if pinned.is_file() and not pinned.is_symlink():
        return load_ed25519_public_key(pinned.read_text("ascii"))
    from kiosk.platform_link.enrolment import identity_dir
    from sync.kiosk_keys import load_platform_keys

    keys = load_platform_keys(identity_dir(config))
    if keys is None:
        return None
    key = load_ed25519_public_key(keys.catalogue_key)
    pinned.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(pinned, keys.catalogue_key.strip().encode("ascii") + b"\n", 0o644)
    log.warning("updates: pinned the platform's signing key %s from this kiosk's enrolment in "
                "%s; set [update] signing_key in root's configuration not to depend on it",
                keys.catalogue_key_id, pinned)
    return key


@dataclass(frozen=True)
class UpdateResult:
    """``result``: prepared, updated, rolled_back, refused, nothing (no request)."""

    result: str
    version: str | None
    message: str
    previous: str | None = None

    def document(self, now: float) -> dict[str, Any]:
        return {"result": self.result, "version": self.version, "previous": self.previous,
                "message": self.message, "at": now}


class Updater:
    def __init__(
        self,
        settings: UpdaterSettings,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.s = settings
        self._monotonic = monotonic
        self._sleep = sleep
        self._now = wall_clock
        self.last_failure = ""

    # -- layout ------------------------------------------------------------------------------

    @property
    def releases(self) -> Path:
        return self.s.root / RELEASES

    @property
    def current_link(self) -> Path:
        return self.s.root / CURRENT

    @property
    def updates(self) -> Path:
        return updates_dir(self.s.data_dir)

    def release_dir(self, version: str) -> Path:
        parse_version(version)  # a plain dotted number: never a path of its own
        return self.releases / version

    def current_version(self) -> str | None:
        try:
            target = os.readlink(self.current_link)
        except OSError:
            return None
        name = Path(target).name
        return name if (self.releases / name).is_dir() else None

    def installed(self, version: str) -> bool:
        stamp = read_json(self.release_dir(version) / RELEASE_STAMP)
        return stamp is not None and stamp.get("version") == version

    def installed_dir(self, path: Path) -> bool:
        stamp = read_json(path / RELEASE_STAMP)
        return stamp is not None and stamp.get("version") == path.name

    def bad_versions(self) -> set[str]:
        state = read_json(self.s.root / STATE_FILE) or {}
        bad = state.get("bad")
        return {str(v) for v in bad} if isinstance(bad, list) else set()

    # -- the request -------------------------------------------------------------------------

    def handle_request(self) -> UpdateResult:
        """Do what ``request.json`` asks (and remove it first, so a path unit does not loop)."""
        if self.updates.is_symlink():
            log.error("%s is a symbolic link: update requests there are not read", self.updates)
            return UpdateResult("refused", None, f"{self.updates} is a symbolic link, not the "
                                "kiosk's directory: nothing done")
        path = self.updates / REQUEST_FILE
        request = read_json(path)
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        if request is None:
            return UpdateResult("nothing", None, "no update request")
        version, phase = str(request.get("version", "")), request.get("phase")
        try:
            parse_version(version)
            if phase not in PHASES:
                raise UpdateError(f"unknown phase {phase!r}")
        except (ValueError, UpdateError) as exc:
            return self._record(UpdateResult("refused", None, f"update request refused: {exc}"))
        try:
            if phase == "prepare":
                return self.prepare(version)
            return self.switch(version)
        except (OSError, UpdateError) as exc:  # a full disk, a link: in words, no traceback
            log.exception("update %s of %s failed", phase, version)
            return self._record(UpdateResult("refused", version, f"{phase} of release "
                                             f"{version} failed: {exc}", self.current_version()))

    def prepare(self, version: str) -> UpdateResult:
        """Check the staged release again and install it beside the running one."""
        running = self.current_version()
        try:
            self._refuse_unwanted(version, running)
            if self.s.key is None:
                raise UpdateError("no platform key to check the release with (the kiosk is "
                                  "not enrolled and [update] signing_key is empty)")
            from sync.downlink.releases import verify_staged

            incoming = self.s.root / INCOMING / version
            try:
                staged = verify_staged(staging_dir(self.s.data_dir) / version, self.s.key,
                                       copy_to=incoming)
            except ReleaseError as exc:
                raise UpdateError(str(exc)) from exc
            if not self.installed(version):
                self.install(staged.artifact, version, staged.manifest.sha256)
            shutil.rmtree(incoming, ignore_errors=True)
        except UpdateError as exc:
            return self._record(UpdateResult("refused", version, str(exc), running))
        self._write(PREPARED_FILE, {"version": version})
        log.info("release %s installed in %s, ready to switch", version,
                 self.release_dir(version))
        return self._record(UpdateResult("prepared", version, f"release {version} installed, "
                                         "waiting for a quiet moment", running))

    def _refuse_unwanted(self, version: str, running: str | None) -> None:
        if version in self.bad_versions():
            raise UpdateError(f"release {version} was marked bad (it did not paint its home "
                              "screen) and is never installed again")
        if running is not None and not is_newer(version, running):
            raise UpdateError(f"release {version} is not newer than the running {running}")

    # -- installing --------------------------------------------------------------------------

    def install(self, artifact: Path, version: str, sha256: str = "") -> Path:
        """Build ``releases/<version>/`` from a wheel or wheelhouse, offline. The directory is
        usable only once its stamp is written; an unfinished one is built again."""
        target = self.release_dir(version)
        if not artifact.is_file():
            raise UpdateError(f"{artifact} is not a file")
        if self.current_version() == version:
            raise UpdateError(f"release {version} is the one running")
        shutil.rmtree(target, ignore_errors=True)
        self.releases.mkdir(parents=True, exist_ok=True)
        links = [str(artifact.parent)]
        unpacked: Path | None = None
        if not artifact.name.endswith(".whl"):
            unpacked = artifact.parent / "wheels"
            _unpack_wheelhouse(artifact, unpacked)
            links = [str(unpacked)]
        links += list(self.s.find_links)
        try:
            self._run([self.s.python, "-m", "venv", "--without-pip", str(target)],
                      "create the venv")
            python = target / "bin" / "python"
            command = [self.s.python, "-m", "pip", "--python", str(python), "install",
                       "--no-index", "--no-cache-dir", "--disable-pip-version-check", "-q"]
            if self.s.deps_path:
                site = _site_packages(python)
                (site / "_kiosk_deps.pth").write_text(self.s.deps_path + "\n", "utf-8")
                # the package itself into this venv even where deps_path has a copy of it
                command += ["--no-deps", "--ignore-installed"]
            for link in links:
                command += ["--find-links", link]
            self._run([*command, f"{PACKAGE_NAME}=={version}"], "install the release offline")
            said = self._run([str(python), "-I", "-c",
                              "import kiosk; print(kiosk.__version__, kiosk.__file__)"],
                             "import the new release").split()
            if said[:1] != [version]:
                raise UpdateError(f"release {version} says it is version {said[:1]}")
            if not Path(said[-1]).resolve().is_relative_to(target.resolve()):
                raise UpdateError(f"release {version} imports its code from {said[-1]}, "
                                  f"not from {target}")
            if not (target / "bin" / "kiosk").exists():
                raise UpdateError(f"release {version} has no bin/kiosk")
        except UpdateError:
            shutil.rmtree(target, ignore_errors=True)
            raise
        finally:
            if unpacked is not None:
                shutil.rmtree(unpacked, ignore_errors=True)
        write_json(target / RELEASE_STAMP, {"version": version, "sha256": sha256,
                                            "installed_at": self._now()}, 0o644)
        return target

    def _run(self, command: Sequence[str], what: str) -> str:
        try:
            done = subprocess.run(list(command), capture_output=True, text=True, timeout=900,
                                  check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise UpdateError(f"cannot {what}: {exc}") from exc
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            raise UpdateError(f"cannot {what}: {' / '.join(tail) or f'exit {done.returncode}'}")
        return done.stdout

    # -- switching ---------------------------------------------------------------------------

    def point_current_at(self, version: str) -> None:
        """``current -> releases/<version>``, replaced in one rename."""
        if not self.installed(version):
            raise UpdateError(f"release {version} is not installed")
        tmp = self.s.root / f".{CURRENT}.{os.getpid()}.tmp"
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        os.symlink(f"{RELEASES}/{version}", tmp)
        os.replace(tmp, self.current_link)
        fd = os.open(self.s.root, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def switch(self, version: str) -> UpdateResult:
        previous = self.current_version()
        try:
            self._refuse_unwanted(version, previous)
            if not self.installed(version):
                raise UpdateError(f"release {version} is not installed yet (prepare it first)")
        except UpdateError as exc:
            return self._record(UpdateResult("refused", version, str(exc), previous))
        with contextlib.suppress(FileNotFoundError):
            (self.updates / PREPARED_FILE).unlink()
        log.info("switching the kiosk from %s to %s", previous, version)
        self.point_current_at(version)
        if self.start_and_wait(version):
            self.prune()
            return self._record(UpdateResult(
                "updated", version, f"release {version} painted its home screen", previous))
        message = f"release {version} {self.last_failure}"
        log.error("%s: rolling back to %s", message, previous)
        self._mark_bad(version)
        if previous is None:
            return self._record(UpdateResult("rolled_back", version, message + "; there is no "
                                             "previous release to go back to", previous))
        self.point_current_at(previous)
        shutil.rmtree(self.release_dir(version), ignore_errors=True)  # never used again
        if self.start_and_wait(previous):
            message += f"; rolled back to {previous}, which painted again"
        else:
            message += f"; rolled back to {previous}, which did not paint either"
            log.error("the previous release %s did not paint after the rollback", previous)
        return self._record(UpdateResult("rolled_back", version, message, previous))

    def start_and_wait(self, version: str) -> bool:
        """Restart the kiosk and wait for ``painted.json`` naming ``version`` and this start.

        The restart command is bounded by the paint deadline too. ``systemctl restart`` of the
        kiosk's ``Type=notify`` unit returns once the kiosk said READY=1 (sent after the first
        paint) or its start failed; a failed start (non-zero exit) is not waited for."""
        attempt = uuid.uuid4().hex
        self._write(ATTEMPT_FILE, {"version": version, "attempt": attempt})
        deadline = self._monotonic() + self.s.paint_deadline
        self.last_failure = f"did not paint its home screen within {self.s.paint_deadline:g} s"
        try:
            done = subprocess.run(list(self.s.restart_command), capture_output=True, text=True,
                                  timeout=self.s.paint_deadline, check=False)
        except subprocess.TimeoutExpired:
            return self._painted(version, attempt)
        except OSError as exc:
            log.error("restart command failed: %s", exc)
            done = None
        if done is not None and done.returncode != 0 and not self._painted(version, attempt):
            tail = (done.stderr or done.stdout).strip()[-300:]
            log.error("release %s did not start (restart exit %d): %s", version,
                      done.returncode, tail)
            self.last_failure = (f"did not start (the restart ended with exit status "
                                 f"{done.returncode}) and did not paint its home screen")
            return False
        while True:
            if self._painted(version, attempt):
                return True
            if self._monotonic() >= deadline:
                return False
            self._sleep(POLL_SECONDS)

    def _painted(self, version: str, attempt: str) -> bool:
        painted = read_json(self.updates / PAINTED_FILE) or {}
        if painted.get("version") == version and painted.get("attempt") == attempt:
            log.info("release %s painted its home screen (start %s)", version,
                     painted.get("start_id"))
            return True
        return False

    def _mark_bad(self, version: str) -> None:
        bad = sorted(self.bad_versions() | {version}, key=parse_version)
        write_atomic(self.s.root / STATE_FILE,
                     (json.dumps({"bad": bad}, indent=1) + "\n").encode("utf-8"), 0o644)

    def prune(self) -> list[str]:
        """Remove releases beyond ``keep_releases`` (never the current one nor the newest)."""
        current = self.current_version()
        versions = []
        for entry in self.releases.iterdir() if self.releases.is_dir() else []:
            try:
                versions.append((parse_version(entry.name), entry.name))
            except ValueError:
                continue
        versions.sort(reverse=True)
        removed = []
        for _, name in versions[self.s.keep_releases:]:
            if name != current:
                shutil.rmtree(self.releases / name, ignore_errors=True)
                removed.append(name)
        return removed

    def _record(self, result: UpdateResult) -> UpdateResult:
        """The outcome for the kiosk (heartbeat, technician panel, audit) and the journal."""
        outcome = read_json(self.updates / OUTCOME_FILE) or {}
        outcome["bad"] = sorted(self.bad_versions(), key=parse_version)
        outcome["last"] = result.document(self._now())
        outcome["current"] = self.current_version()
        try:
            self._write(OUTCOME_FILE, outcome)
        except (OSError, UpdateError) as exc:  # the journal still has it
            log.error("cannot record the update's outcome for the kiosk: %s", exc)
        level = logging.INFO if result.result in ("prepared", "updated", "nothing") else (
            logging.ERROR)
        log.log(level, "update %s: %s", result.result, result.message)
        return result

    def _write(self, name: str, doc: dict[str, Any]) -> None:
        """Write ``<data>/updates/<name>`` as root into a directory the kiosk user owns: the
        directory opened without following a link, the file made there (``O_EXCL``,
        ``O_NOFOLLOW``) and renamed within it, so a link planted by the kiosk user in place of
        the directory or the file never makes root write elsewhere."""
        if not os.path.lexists(self.updates):
            write_json(self.updates / name, doc, 0o644)  # makes the directory, owned like data
            return
        data = (json.dumps(doc, indent=1, sort_keys=True) + "\n").encode("utf-8")
        try:
            fd = os.open(self.updates, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        except OSError as exc:
            raise UpdateError(f"{self.updates} is not a plain directory: {exc}") from exc
        tmp = f".{name}.{os.getpid()}.tmp"
        try:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp, dir_fd=fd)
            out = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644,
                          dir_fd=fd)
            with os.fdopen(out, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, name, src_dir_fd=fd, dst_dir_fd=fd)
            os.fsync(fd)
        finally:
            os.close(fd)

    def status(self) -> dict[str, Any]:
        return {
            "root": str(self.s.root),
            "current": self.current_version(),
            "installed": sorted((p.name for p in (self.releases.iterdir()
                                                  if self.releases.is_dir() else ())
                                 if self.installed_dir(p)), key=_version_key),
            "bad": sorted(self.bad_versions(), key=parse_version),
            "prepared": (read_json(self.updates / PREPARED_FILE) or {}).get("version"),
            "painted": read_json(self.updates / PAINTED_FILE),
            "last": (read_json(self.updates / OUTCOME_FILE) or {}).get("last"),
        }


def _version_key(name: str) -> tuple[int, ...]:
    try:
        return parse_version(name)
    except ValueError:
        return ()


def _site_packages(python: Path) -> Path:
    lib = python.parent.parent / "lib"
    found = sorted(lib.glob("python3*/site-packages"))
    if not found:
        raise UpdateError(f"the new venv has no site-packages under {lib}")
    return found[-1]


def _unpack_wheelhouse(archive: Path, into: Path) -> None:
    """Unpack the wheels of a wheelhouse tarball (the data filter: no links, no paths out)."""
    shutil.rmtree(into, ignore_errors=True)
    into.mkdir(parents=True)
    try:
        with tarfile.open(archive) as tar:
            members = [m for m in tar.getmembers() if m.isfile() and m.name.endswith(".whl")]
            for member in members:
                member.name = Path(member.name).name
            tar.extractall(into, members=members, filter="data")
    except (tarfile.TarError, OSError) as exc:
        raise UpdateError(f"the wheelhouse {archive.name} cannot be unpacked: {exc}") from exc
    if not any(into.iterdir()):
        raise UpdateError(f"the wheelhouse {archive.name} holds no wheel")


def painted_marker_path(data_dir: Path) -> Path:
    return updates_dir(data_dir) / PAINTED_FILE
