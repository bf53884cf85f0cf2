"""`make deb`: the Debian package carries the appliance, installs, runs and removes cleanly
(issue 13, item 6; docs/deployment.md, "The Debian package").

The package is built once per session (or taken from ``KIOSK_TEST_DEB``, a .deb that `make
deb` built). It is installed into an isolated root, never into this machine's: an overlay
whose lower layer is this machine's root and whose upper layer is a fresh directory, in a
private mount and PID namespace (``unshare``), entered with ``chroot``. dpkg, the maintainer
scripts and the kiosk run there against this machine's own packages (the package's Depends
must be installed, as `.ci/system-deps` does); every change they make lands in the upper
layer, so what the package leaves behind after ``dpkg -r`` and ``dpkg -P`` is exactly what is
left in it. Select with ``-m deb``.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
RELEASE = f"/opt/kiosk/releases/{VERSION}"

pytestmark = [
    pytest.mark.deb,
    pytest.mark.skipif(shutil.which("dpkg-deb") is None,
                       reason="dpkg-deb missing: the Debian package cannot be built here"),
]


@pytest.fixture(scope="session")
def deb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The .deb: KIOSK_TEST_DEB if given, else built once for the session (uncompressed, the
    fastest; the wheelhouse in ~/.cache/civic-kiosk is reused between sessions)."""
    given = os.environ.get("KIOSK_TEST_DEB")
    if given:
        yield Path(given)
        return
    work = tmp_path_factory.mktemp("deb")
    env = {**os.environ, "KIOSK_DEB_WORK": str(work / "build"), "KIOSK_DEB_OUT": str(work),
           "KIOSK_DEB_COMPRESS": "none"}
    done = subprocess.run(["bash", str(ROOT / "deploy" / "deb" / "build.sh")], env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-4000:]
    shutil.rmtree(work / "build", ignore_errors=True)  # the staging tree: 700 MB
    yield Path(done.stdout.strip().splitlines()[-1])
    shutil.rmtree(work, ignore_errors=True)  # and the package, 300 MB


def dpkg_deb(*args: str) -> str:
    return subprocess.run(["dpkg-deb", *args], capture_output=True, text=True, check=True,
                          timeout=300).stdout


def members(deb: Path, into: Path, *paths: str) -> dict[str, str]:
    """Some files' text out of the package's data archive (one pass over it)."""
    into.mkdir()
    tar = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", str(deb)], stdout=subprocess.PIPE)
    subprocess.run(["tar", "-xf", "-", "-C", str(into), *(f".{p}" for p in paths)],
                   stdin=tar.stdout, check=True, timeout=300)
    assert tar.wait(timeout=60) == 0
    return {p: (into / p.lstrip("/")).read_text("utf-8") for p in paths}


def test_the_package_carries_the_appliance_and_no_demo_stack(deb: Path, tmp_path: Path) -> None:
    info = dpkg_deb("--info", str(deb))
    assert "Package: civic-kiosk" in info and f"Version: {VERSION}" in info
    depends = next(ln for ln in info.splitlines() if ln.strip().startswith("Depends:"))
    for needed in ("python3 (>= 3.11)", "pcscd", "libpcsclite1", "cage", "fonts-noto-cjk",
                   "libxkbcommon0", "systemd"):
        assert needed in depends, depends
    assert "vpcd" not in info
    listing = dpkg_deb("--contents", str(deb))
    paths = {line.split()[5].removeprefix(".").rstrip("/") for line in listing.splitlines()}
    for path in ("/lib/systemd/system/kiosk.service",
                 "/lib/systemd/system/kiosk-out-of-order.service",
                 "/lib/systemd/system/kiosk-retry.timer",
                 "/lib/systemd/system/kiosk-retry.service",
                 "/lib/systemd/system/kiosk-update.path",
                 "/lib/systemd/system/kiosk-update.service",
                 "/lib/udev/rules.d/70-kiosk-devices.rules", "/usr/lib/sysusers.d/kiosk.conf",
                 "/usr/share/polkit-1/rules.d/50-kiosk.rules", "/etc/pam.d/kiosk",
                 "/etc/kiosk/kiosk.toml", "/usr/lib/sysctl.d/90-kiosk.conf",
                 "/usr/lib/systemd/logind.conf.d/90-kiosk.conf",
                 f"{RELEASE}/bin/kiosk", f"{RELEASE}/pyvenv.cfg",
                 f"{RELEASE}/bin/kiosk-updater", f"{RELEASE}/bin/pip"):  # pip: docs/updates.md
        assert path in paths, path
    site = f"{RELEASE}/lib/python3.11/site-packages/"
    packages = {p[len(site):].split("/")[0].lower() for p in paths if p.startswith(site)}
    assert {"kiosk", "ui", "devices", "sync", "pyside6", "smartcard"} <= packages
    for unwanted in ("uvicorn", "fastapi", "sqlalchemy", "psycopg", "pytest", "playwright"):
        assert unwanted not in packages, unwanted
    assert not any("vpcd" in p for p in paths)
    assert not any(p.startswith("/opt/kiosk/current") for p in paths)  # postinst's symlink
    # The venv names its final path, never the staging root it was built in.
    unit_path = "/lib/systemd/system/kiosk.service"
    text = members(deb, tmp_path / "x", f"{RELEASE}/bin/kiosk", f"{RELEASE}/pyvenv.cfg",
                   unit_path)
    assert text[f"{RELEASE}/bin/kiosk"].splitlines()[0] == f"#!{RELEASE}/bin/python"
    cfg = text[f"{RELEASE}/pyvenv.cfg"]
    assert "home = /usr/bin" in cfg and all(
        RELEASE in ln for ln in cfg.splitlines() if ln.startswith("command"))
    control = subprocess.run(["dpkg-deb", "--ctrl-tarfile", str(deb)], capture_output=True,
                             check=True, timeout=60).stdout
    conffiles = subprocess.run(["tar", "-xOf", "-", "./conffiles"], input=control,
                               capture_output=True, check=True).stdout.decode().split()
    assert conffiles == ["/etc/kiosk/kiosk.toml", "/etc/pam.d/kiosk"]
    assert ("ExecStart=/usr/bin/cage -d -- /opt/kiosk/current/bin/kiosk run --fullscreen"
            in text[unit_path].splitlines())


@dataclass
class IsolatedRoot:
    """This machine's root under an overlay; changes land in ``upper``."""

    base: Path

    @property
    def upper(self) -> Path:
        return self.base / "upper"

    def run(self, *cmd: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        b = self.base
        script = (
            "set -e\n"
            f"mount -t overlay overlay -o lowerdir=/,upperdir={b}/upper,workdir={b}/work "
            f"{b}/merged\n"
            f"mount --rbind /dev {b}/merged/dev\n"
            f"mount -t proc proc {b}/merged/proc\n"
            f"mount -t tmpfs tmpfs {b}/merged/run\n"  # no /run/systemd/system: not booted
            f"mount -t tmpfs tmpfs {b}/merged/tmp\n"
            f"mkdir {b}/merged/tmp/deb && mount --bind {b}/deb {b}/merged/tmp/deb\n"
            f'exec chroot {b}/merged "$@"\n')
        # A private mount and PID namespace: nothing is mounted on this machine, and whatever
        # the kiosk starts (speech-dispatcher, say) ends with the namespace.
        return subprocess.run(["unshare", "--mount", "--pid", "--fork", "sh", "-c", script,
                               "sh", *cmd], capture_output=True, text=True, timeout=timeout)

    def changes(self) -> set[str]:
        """Everything the upper layer adds or changes: files, links and whiteouts (deletions),
        directories this machine does not have, and files whose content differs."""
        found: set[str] = set()
        for path in self.upper.rglob("*"):
            rel = "/" + str(path.relative_to(self.upper))
            mode = path.lstat().st_mode
            if stat.S_ISCHR(mode):
                found.add(f"{rel} (deleted)")
            elif stat.S_ISDIR(mode):
                if not os.path.isdir(rel) or os.path.islink(rel):
                    found.add(rel + "/")
            elif (stat.S_ISREG(mode) and os.path.isfile(rel) and not os.path.islink(rel)
                  and Path(rel).read_bytes() == path.read_bytes()):
                continue  # rewritten with the same content (the user database after userdel)
            else:
                found.add(rel)
        return found


DPKG_BOOKKEEPING = ("/var/lib/dpkg/", "/var/log/dpkg.log", "/var/cache/debconf/",
                    "/etc/.pwd.lock")
USER_DATABASE = {f"/etc/{f}{s}" for f in ("passwd", "group", "shadow", "gshadow")
                 for s in ("", "-")}


def beyond(changes: set[str], allowed: set[str], prefixes: tuple[str, ...] = ()) -> set[str]:
    return {c for c in changes if c not in allowed and c.rstrip("/") not in allowed
            and not c.startswith(DPKG_BOOKKEEPING + prefixes)}


@pytest.fixture
def isolated_root() -> Iterator[IsolatedRoot]:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("installing into an isolated root needs root and unshare (overlayfs)")
    base = Path(os.environ.get("KIOSK_TEST_ROOT_BASE", "/var/tmp")) / f"kiosk-deb-{os.getpid()}"
    shutil.rmtree(base, ignore_errors=True)
    for d in ("upper", "work", "merged", "deb"):
        (base / d).mkdir(parents=True)
    # The overlay's lower layer is the root file system only (no other mounts, so not this
    # directory even when /var/tmp is one); base/deb is mounted at /tmp/deb in the root.
    try:
        yield IsolatedRoot(base)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_installs_runs_and_removes_cleanly(isolated_root: IsolatedRoot, deb: Path) -> None:
    root = isolated_root
    try:
        os.link(deb, root.base / "deb" / deb.name)
    except OSError:  # another file system
        shutil.copy(deb, root.base / "deb" / deb.name)
    done = root.run("dpkg", "-i", f"/tmp/deb/{deb.name}")
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"/opt/kiosk/current -> releases/{VERSION}" in done.stdout
    assert os.readlink(root.upper / "opt/kiosk/current") == f"releases/{VERSION}"
    enabled = root.upper / "etc/systemd/system/graphical.target.wants/kiosk.service"
    assert os.readlink(enabled) == "/lib/systemd/system/kiosk.service"
    updates = root.upper / "etc/systemd/system/multi-user.target.wants/kiosk-update.path"
    assert os.readlink(updates) == "/lib/systemd/system/kiosk-update.path"  # docs/updates.md
    assert os.readlink(root.upper / "etc/systemd/system/ctrl-alt-del.target") == "/dev/null"
    passwd = (root.upper / "etc/passwd").read_text()
    assert any(ln.startswith("kiosk:") and ln.endswith(":/usr/sbin/nologin")
               for ln in passwd.splitlines())

    # The installed kiosk, as its own user, as a technician runs it (docs/deployment.md).
    env = ["env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/var/lib/kiosk",
           "QT_QPA_PLATFORM=offscreen", "KIOSK_KIOSK_VOICE_ENGINE=mock",
           "KIOSK_CONFIG=/etc/kiosk/kiosk.toml"]
    as_kiosk = ["runuser", "-u", "kiosk", "--", *env, "/opt/kiosk/current/bin/kiosk"]
    done = root.run(*as_kiosk, "diagnose", "--json")
    # 0 all well, 1 needs attention, 2 failing (docs/diagnostics.md): here no pcscd, no
    # printer, no platform, so failing; anything else means diagnose itself broke.
    assert done.returncode in (0, 1, 2) and "Traceback" not in done.stderr, done.stderr
    report = json.loads(done.stdout)
    assert report["health"] in ("ok", "attention", "failing")
    assert report["reader"]["backend"] == "pcsc"  # the package's configuration, not the demo's
    done = root.run(*as_kiosk, "run", "--exit-after-first-paint", timeout=120)
    assert done.returncode == 0, done.stderr
    assert "home screen painted" in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert (root.upper / "var/lib/kiosk/outbox.sqlite").is_file()

    # Remove: the configuration, the data, the user and the unit's enable state stay.
    done = root.run("dpkg", "-r", "civic-kiosk")
    assert done.returncode == 0, done.stdout + done.stderr
    kept = {"/etc/kiosk", "/etc/kiosk/kiosk.toml", "/etc/pam.d/kiosk", *USER_DATABASE,
            "/var/lib/systemd/deb-systemd-helper-enabled/kiosk.service.dsh-also",
            "/var/lib/systemd/deb-systemd-helper-enabled/kiosk-update.path.dsh-also"}
    changes = root.changes()
    assert beyond(changes, kept, ("/var/lib/kiosk",)) == set()
    assert "/etc/kiosk/kiosk.toml" in changes and "/var/lib/kiosk/outbox.sqlite" in changes
    assert not (root.upper / "opt/kiosk").exists()
    listed = root.run("dpkg-query", "-W", "-f", "${db:Status-Status}", "civic-kiosk")
    assert listed.stdout == "config-files"

    # Purge: nothing of the package is left at all; the user database is as it was (userdel
    # keeps its previous copy in passwd-, group-, shadow-, gshadow-, as it always does).
    done = root.run("dpkg", "-P", "civic-kiosk")
    assert done.returncode == 0, done.stdout + done.stderr
    backups = {f"/etc/{f}-" for f in ("passwd", "group", "shadow", "gshadow")}
    assert beyond(root.changes(), backups) == set()
    assert root.run("dpkg", "-L", "civic-kiosk").returncode != 0
    assert root.run("getent", "passwd", "kiosk").returncode != 0


def test_the_leftover_check_sees_a_leftover(isolated_root: IsolatedRoot) -> None:
    """The check above can fail: a file, a directory and a deletion in the root all show."""
    done = isolated_root.run(
        "sh", "-c", "mkdir -p /opt/kiosk-left && touch /opt/kiosk-left/x && rm /etc/debian_version")
    assert done.returncode == 0, done.stderr
    assert beyond(isolated_root.changes(), set()) == {
        "/opt/kiosk-left/", "/opt/kiosk-left/x", "/etc/debian_version (deleted)"}
