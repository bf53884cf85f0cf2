"""Updates without a visit (issue 13, item 6; docs/updates.md), with every part real: wheels of
this project built from a copy of the source with other versions (0.1.1 good, 0.1.2 broken: it
exits before painting), published on the reference platform over HTTP with ``kiosk server
release publish``, fetched and verified by the kiosk's update agent, installed by the updater
into ``<root>/releases/<V>/`` venvs, and started as real kiosk processes (offscreen, through a
launcher that plays ``systemctl restart`` of the ``Type=notify`` unit). The good release paints
and stays; the broken one is rolled back to the previous release, which paints again, and is
never fetched again. A bad signature, a wrong hash, a full disk, a cut download and a staged
file changed behind the kiosk's back are each refused with their sentence."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import update

from devices.sim.card.inprocess_reader import SimulatedCardReader
from kiosk.assembly import assemble_kiosk
from kiosk.config import Config, load_config
from kiosk.diagnostics.panel_facts import update_summary
from kiosk.platform_link.enrolment import identity_dir
from kiosk.updates.agent import UpdateAgent
from kiosk.updates.files import (
    ATTEMPT_FILE,
    OUTCOME_FILE,
    PAINTED_FILE,
    REQUEST_FILE,
    read_json,
    staging_dir,
    updates_dir,
)
from kiosk.updates.updater import PINNED_KEY, STATE_FILE, Updater, UpdaterSettings
from sync.downlink.heartbeat import build_heartbeat
from sync.downlink.releases import FetchResult, ReleaseFetcher
from sync.kiosk_keys import PLATFORM_KEYS_FILE, load_platform_keys
from sync.platform.signing import (
    ed25519_key_id,
    ed25519_public_key_text,
    load_ed25519_public_key,
)
from sync.server.db import make_engine
from sync.server.fleet_status import fleet
from sync.server.releases import publish_release, releases, withdraw_release
from sync.server.schema_downlink import heartbeats
from tests.support.downlink import module_platform
from tests.support.kiosk import test_config
from tests.support.platform import EnrolledKiosk, PlatformProcess

__all__ = ["module_platform"]

ROOT = Path(__file__).resolve().parents[2]
BROKEN = 'raise SystemExit("release 0.1.2 is broken on purpose: it never paints")\n'

LAUNCHER = '''\
"""systemctl restart kiosk.service, as the test plays it: the kiosk of <root>/current, until it
has painted (it exits then, as a Type=notify start returns at READY=1) or failed."""
import os, subprocess, sys
root, config, log = sys.argv[1:4]
env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
env.update(QT_QPA_PLATFORM="offscreen", KIOSK_UPDATE_ENABLED="0")
with open(log, "ab") as out:
    proc = subprocess.Popen([os.path.join(root, "current", "bin", "kiosk"), "--config", config,
                             "run", "--exit-after-first-paint"], env=env, stdout=out,
                            stderr=subprocess.STDOUT, cwd=root, start_new_session=True)
    with open(os.path.join(root, "kiosk.pids"), "a") as pids:
        pids.write(f"{proc.pid}\\n")
    sys.exit(proc.wait(timeout=300))
'''


def _source_copy(into: Path, version: str, broken: bool = False) -> Path:
    """What a wheel is built from (no git needed): the packages, pyproject.toml, the README."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for package in ("kiosk", "ui", "devices", "sync", "assets"):
        shutil.copytree(ROOT / package, into / package, ignore=ignore)
    for name in ("pyproject.toml", "README.md", *(p.name for p in ROOT.glob("LICEN[CS]E*"))):
        shutil.copy2(ROOT / name, into / name)
    for name, old in (("pyproject.toml", 'version = "0.1.0"'),
                      ("kiosk/__init__.py", '__version__ = "0.1.0"')):
        path = into / name
        text = path.read_text("utf-8")
        assert old in text, f"{name} no longer says {old}"
        path.write_text(text.replace(old, old.replace("0.1.0", version)), "utf-8")
    if broken:
        run = into / "kiosk" / "cli" / "run.py"
        text = run.read_text("utf-8")
        marker = "    from kiosk.assembly import assemble_kiosk, open_outbox\n"
        assert marker in text
        run.write_text(text.replace(marker, "    " + BROKEN + marker, 1), "utf-8")
    return into


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Real wheels of this project: 0.1.0 (the installed one), 0.1.1 good, 0.1.2 broken."""
    out = tmp_path_factory.mktemp("wheels")
    built: dict[str, Path] = {}
    for version, broken in (("0.1.0", False), ("0.1.1", False), ("0.1.2", True)):
        src = _source_copy(tmp_path_factory.mktemp(f"src-{version}"), version, broken)
        subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                        "--no-build-isolation", "--disable-pip-version-check", "-w", str(out),
                        str(src)], check=True, capture_output=True, timeout=300)
        built[version] = out / f"civic_kiosk-{version}-py3-none-any.whl"
        assert built[version].is_file()
    return built


class Hall:
    """One kiosk machine: its config, data directory and <root>, and what it started."""

    def __init__(self, base: Path, platform: PlatformProcess, kiosk_id: str) -> None:
        self.base = base
        self.root = base / "opt-kiosk"
        self.root.mkdir()
        data = base / "data"
        (base / "launcher.py").write_text(LAUNCHER, "utf-8")
        self.config_path = base / "kiosk.toml"
        restart = [sys.executable, str(base / "launcher.py"), str(self.root),
                   str(self.config_path), str(base / "kiosk-runs.log")]
        self.config_path.write_text(
            f'[kiosk]\nid = "{kiosk_id}"\ndata_dir = "{data}"\nvoice_engine = "mock"\n'
            f'[platform]\nurl = "{platform.url}"\n'
            f'[printer]\nbackend = "file"\npath = "{base / "spool.bin"}"\n'
            f'[update]\nroot = "{self.root}"\nquiet_seconds = 0\npaint_deadline_seconds = 120\n'
            f"restart_command = {restart!r}\n".replace("'", '"')
            + f'deps_path = "{sysconfig.get_paths()["purelib"]}"\n', "utf-8")
        self.config: Config = load_config(self.config_path, environ={})
        self.kiosk: EnrolledKiosk = platform.enrol(kiosk_id, identity_dir(self.config))
        self.updater = Updater(UpdaterSettings.from_config(self.config))

    @property
    def updates(self) -> Path:
        return updates_dir(self.config.data_dir)

    def agent(self, running: str, quiet: bool = True) -> UpdateAgent:
        return UpdateAgent(self.config, self.kiosk.client(), lambda: quiet, running=running)

    def painted(self) -> dict[str, object]:
        doc = read_json(self.updates / PAINTED_FILE)
        assert doc is not None, (self.base / "kiosk-runs.log").read_text("utf-8")[-3000:]
        return doc

    def stop_kiosks(self) -> None:
        pids = self.root / "kiosk.pids"
        for line in pids.read_text().split() if pids.exists() else []:
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(line), signal.SIGKILL)  # only the kiosks this test started


_NUMBERS = itertools.count(1)


@pytest.fixture
def hall(tmp_path: Path, module_platform: PlatformProcess) -> Iterator[Hall]:
    kiosk_id = f"K07{next(_NUMBERS):02d}"
    made = Hall(tmp_path, module_platform, kiosk_id)
    yield made
    made.stop_kiosks()


def publish(platform: PlatformProcess, wheel: Path, version: str) -> str:
    """``kiosk server release publish`` as an operator types it."""
    done = platform.operator("release", "publish", str(wheel), "--version", version)
    assert done.returncode == 0, done.stderr
    return done.stdout


def publish_in_process(platform: PlatformProcess, wheel: Path, version: str) -> None:
    """What that command does, without a process start (for the refusal tests)."""
    engine = make_engine(platform.database_url)
    try:
        publish_release(engine, wheel.read_bytes(), wheel.name, version, platform.catalogue_key)
    finally:
        engine.dispose()


def withdraw(platform: PlatformProcess, *versions: str) -> None:
    engine = make_engine(platform.database_url)
    try:
        for version in versions:
            withdraw_release(engine, version)
    finally:
        engine.dispose()


def test_a_good_release_is_installed_between_citizens_and_a_broken_one_rolled_back(
    hall: Hall, module_platform: PlatformProcess, wheels: dict[str, Path]
) -> None:
    # The kiosk as installed: 0.1.0 in its own venv, current -> releases/0.1.0.
    hall.updater.install(wheels["0.1.0"], "0.1.0")
    hall.updater.point_current_at("0.1.0")
    assert os.readlink(hall.root / "current") == "releases/0.1.0"

    said = publish(module_platform, wheels["0.1.1"], "0.1.1")
    assert "release 0.1.1 published (wheel" in said
    agent = hall.agent("0.1.0", quiet=False)
    agent.tick()
    assert agent.last_check is not None and agent.last_check.outcome == "staged"
    assert (staging_dir(hall.config.data_dir) / "0.1.1" / wheels["0.1.1"].name).is_file()
    assert read_json(hall.updates / REQUEST_FILE) == {
        "version": "0.1.1", "phase": "prepare",
        "asked_at": read_json(hall.updates / REQUEST_FILE)["asked_at"]}  # type: ignore[index]

    prepared = hall.updater.handle_request()
    assert (prepared.result, prepared.version) == ("prepared", "0.1.1"), prepared.message
    assert hall.updater.installed("0.1.1") and hall.updater.current_version() == "0.1.0"
    assert agent.request_if_ready() is None  # a citizen is at the kiosk: no switch
    quiet = hall.agent("0.1.0", quiet=True)
    assert quiet.request_if_ready() == "switch"

    switched = hall.updater.handle_request()
    assert (switched.result, switched.previous) == ("updated", "0.1.0"), switched.message
    assert os.readlink(hall.root / "current") == "releases/0.1.1"
    painted = hall.painted()
    attempt = read_json(hall.updates / ATTEMPT_FILE)
    assert attempt is not None and painted["attempt"] == attempt["attempt"]
    assert painted["version"] == "0.1.1"
    assert (hall.updates / PAINTED_FILE).stat().st_mode & 0o777 == 0o600

    # Now 0.1.1 runs; 0.1.2 is offered, and exits before it paints.
    publish(module_platform, wheels["0.1.2"], "0.1.2")
    agent = hall.agent("0.1.1")
    agent.tick()
    assert agent.last_check is not None and agent.last_check.outcome == "staged"
    assert not (staging_dir(hall.config.data_dir) / "0.1.1").exists()  # installed: dropped
    assert hall.updater.handle_request().result == "prepared"
    assert agent.request_if_ready() == "switch"
    rolled = hall.updater.handle_request()
    assert (rolled.result, rolled.version, rolled.previous) == ("rolled_back", "0.1.2", "0.1.1")
    assert "did not start" in rolled.message and "painted again" in rolled.message, rolled.message
    assert os.readlink(hall.root / "current") == "releases/0.1.1"
    again = hall.painted()
    assert again["version"] == "0.1.1" and again["start_id"] != painted["start_id"]
    assert read_json(hall.root / STATE_FILE) == {"bad": ["0.1.2"]}
    assert (read_json(hall.updates / OUTCOME_FILE) or {})["bad"] == ["0.1.2"]

    # Never tried again: the agent refuses the offer in words, the updater refuses it too.
    agent = hall.agent("0.1.1")
    check = agent.check()
    assert check is not None and check.refused
    assert "0.1.2" in check.message and "marked bad" in check.message
    assert agent.request_if_ready() is None

    # The platform hears of it with the next heartbeat.
    report = agent.report()
    assert report["current"] == "0.1.1" and report["bad"] == ["0.1.2"]
    assert report["last_result"] == "rolled_back" and "marked bad" in str(report["refusal"])
    doc = build_heartbeat(hall.kiosk.kiosk_id, version="0.1.1", uptime_seconds=1, devices={},
                          outbox_counts={}, oldest_pending_age_seconds=None, clock=0,
                          disk_path=hall.base, update=report)
    hall.kiosk.client().send_heartbeat(doc)
    engine = make_engine(module_platform.database_url)
    try:
        with engine.connect() as conn:
            stored = conn.execute(heartbeats.select().where(
                heartbeats.c.kiosk_id == hall.kiosk.kiosk_id)).one()
    finally:
        engine.dispose()
    assert stored.version == "0.1.1" and '"last_result": "rolled_back"' in stored.document
    engine = make_engine(module_platform.database_url)
    try:
        seen = {k.kiosk_id: k for k in fleet(engine)}
    finally:
        engine.dispose()
    problems = seen[hall.kiosk.kiosk_id].problems  # on the operators' fleet page
    assert [(d, s) for d, s, _ in problems] == [("update", "rolled_back")]
    assert "0.1.2 did not start" in str(problems[0][2])
    # The technician panel's system page lists it among the settings it shows.
    shown = dict(update_summary(hall.config))
    assert shown["update.bad"] == "0.1.2" and shown["update.last"].startswith("rolled_back 0.1.2")
    assert "marked bad" in shown["update.refusal"]
    # The next start of the kiosk's core records the rollback in the audit trail, once.
    recorded = agent.unrecorded_outcome()
    assert recorded is not None and recorded["result"] == "rolled_back"
    assert agent.unrecorded_outcome() is None
    assert hall.updater.switch("0.1.2").result == "refused"  # asked anyway: refused as root
    status = subprocess.run([str(Path(sys.executable).with_name("kiosk-updater")), "--config",
                             str(hall.config_path), "status"], capture_output=True, text=True,
                            timeout=60, env={**os.environ, "KIOSK_UPDATE_ENABLED": "1"})
    assert status.returncode == 0, status.stderr
    shown = json.loads(status.stdout)
    assert (shown["current"], shown["bad"]) == ("0.1.1", ["0.1.2"])
    assert shown["installed"] == ["0.1.0", "0.1.1"]
    # withdraw it so the other tests of this module see 0.1.1 offered (not newer than 0.1.1)
    assert module_platform.operator("release", "withdraw", "0.1.2").returncode == 0


def _tampered_offer(platform: PlatformProcess, version: str, *, signature: bool = False,
                    artifact: bool = False) -> None:
    engine = make_engine(platform.database_url)
    try:
        with engine.begin() as conn:
            if signature:  # a manifest signed by some other key
                row = conn.execute(releases.select().where(releases.c.version == version)).one()
                forged = base64.b64encode(Ed25519PrivateKey.generate().sign(row.manifest))
                conn.execute(update(releases).where(releases.c.version == version)
                             .values(signature=forged.decode()))
            if artifact:  # the same size, one byte changed
                row = conn.execute(releases.select().where(releases.c.version == version)).one()
                data = bytearray(row.artifact)
                data[len(data) // 2] ^= 0xFF
                conn.execute(update(releases).where(releases.c.version == version)
                             .values(artifact=bytes(data)))
    finally:
        engine.dispose()


def test_a_forged_manifest_and_a_changed_artifact_are_refused_with_their_reason(
    hall: Hall, module_platform: PlatformProcess, tmp_path: Path
) -> None:
    wheel = tmp_path / "civic_kiosk-0.9.1-py3-none-any.whl"
    wheel.write_bytes(b"not really a wheel, never installed" * 100)
    publish_in_process(module_platform, wheel, "0.9.1")
    try:
        _tampered_offer(module_platform, "0.9.1", signature=True)
        fetcher = hall.agent("0.1.0").fetcher()
        assert fetcher is not None
        forged = fetcher.check()
        assert forged.refused and "signature does not verify" in forged.message, forged
        assert not staging_dir(hall.config.data_dir).joinpath("0.9.1").exists()

        wheel2 = tmp_path / "civic_kiosk-0.9.2-py3-none-any.whl"
        wheel2.write_bytes(wheel.read_bytes())
        publish_in_process(module_platform, wheel2, "0.9.2")
        _tampered_offer(module_platform, "0.9.2", artifact=True)
        changed = fetcher.check()
        assert changed.refused and "SHA-256 does not match" in changed.message, changed
        assert not any(staging_dir(hall.config.data_dir).iterdir())  # nothing half kept
    finally:
        withdraw(module_platform, "0.9.1", "0.9.2")


def test_a_full_disk_and_a_cut_download_are_refused_and_tried_again(
    hall: Hall, module_platform: PlatformProcess, tmp_path: Path
) -> None:
    wheel = tmp_path / "civic_kiosk-0.9.3-py3-none-any.whl"
    data = os.urandom(300_000)
    wheel.write_bytes(data)
    publish_in_process(module_platform, wheel, "0.9.3")
    try:
        keys = hall.kiosk.keys.catalogue_key
        staging = staging_dir(hall.config.data_dir)
        full = ReleaseFetcher(hall.kiosk.client(), staging, keys, "0.1.0", lambda v: False,
                              free_bytes=lambda _: 100_000)
        refused = full.check()
        assert refused.refused and "disk is too full" in refused.message, refused
        cut = ReleaseFetcher(hall.kiosk.client(), staging, keys, "0.1.0", lambda v: False)
        broken = _cut_download(cut)
        assert broken.refused and "cut off" in broken.message, broken
        assert not any(staging.iterdir())
        good = ReleaseFetcher(hall.kiosk.client(), staging, keys, "0.1.0", lambda v: False)
        assert good.check().outcome == "staged"
        staged = good.staged()
        assert staged is not None
        assert hashlib.sha256(staged.artifact.read_bytes()).hexdigest() == staged.manifest.sha256

        # Changed after the kiosk checked it (the kiosk user can write its data directory):
        # the updater, as root, checks its own copy again and refuses.
        staged.artifact.write_bytes(data[::-1])
        (hall.updates).mkdir(parents=True, exist_ok=True)
        refused_by_root = hall.updater.prepare("0.9.3")
        assert refused_by_root.result == "refused"
        assert "SHA-256 does not match" in refused_by_root.message, refused_by_root.message
        assert not hall.updater.installed("0.9.3")
        # The kiosk does not ask again at once, but after check_seconds it does.
        assert hall.agent("0.1.0").request_if_ready() is None
        later = UpdateAgent(hall.config, hall.kiosk.client(), lambda: True, running="0.1.0",
                            wall_clock=lambda: time.time() + 2 * hall.config.update.check_seconds)
        assert later.request_if_ready() == "prepare"
    finally:
        withdraw(module_platform, "0.9.3")


def _cut_download(fetcher: ReleaseFetcher) -> FetchResult:
    """The artifact's stream stopped after its first kilobyte (the client's read cap stands in
    for a cut connection: the same path, bytes received and then an error)."""
    original = fetcher.client.download_release

    def cut(version: str, write: Callable[[bytes], object], *, max_bytes: int,
            deadline_s: float) -> None:
        original(version, write, max_bytes=1024, deadline_s=deadline_s)

    fetcher.client.download_release = cut  # type: ignore[method-assign]
    return fetcher.check()


def test_the_deadline_rolls_back_a_release_that_starts_but_never_paints(tmp_path: Path) -> None:
    """A restart that 'succeeds' but never paints (a hung GUI): rolled back at the deadline."""
    root, data = tmp_path / "root", tmp_path / "data"
    settings = UpdaterSettings(root=root, data_dir=data, key=None, paint_deadline=0.5,
                               restart_command=("true",))
    updater = Updater(settings)
    for version in ("1.0.0", "1.0.1"):
        (root / "releases" / version).mkdir(parents=True)
        (root / "releases" / version / "kiosk-release.json").write_text(
            f'{{"version": "{version}"}}')
    updater.point_current_at("1.0.0")
    result = updater.switch("1.0.1")
    assert result.result == "rolled_back"
    assert "did not paint its home screen within 0.5 s" in result.message
    assert "did not paint either" in result.message
    assert updater.current_version() == "1.0.0" and updater.bad_versions() == {"1.0.1"}


def test_root_never_writes_through_a_link_the_kiosk_user_planted(tmp_path: Path) -> None:
    """The kiosk user owns <data>/updates: a symbolic link there must not steer root's writes."""
    root, data, elsewhere = tmp_path / "root", tmp_path / "data", tmp_path / "elsewhere"
    elsewhere.mkdir()
    data.mkdir()
    (data / "updates").symlink_to(elsewhere)
    updater = Updater(UpdaterSettings(root=root, data_dir=data, key=None))
    (elsewhere / REQUEST_FILE).write_text('{"version": "1.0.1", "phase": "switch"}')
    result = updater.handle_request()
    assert result.result == "refused"
    assert "symbolic link" in result.message
    assert sorted(p.name for p in elsewhere.iterdir()) == [REQUEST_FILE]  # untouched
    (data / "updates").unlink()
    (data / "updates").mkdir()
    (data / "updates" / OUTCOME_FILE).symlink_to(elsewhere / "target")
    updater.handle_request()  # no request: nothing
    updater._record(result)
    assert not (elsewhere / "target").exists()  # the link replaced, not followed
    assert read_json(data / "updates" / OUTCOME_FILE) is not None


def test_the_update_units_verify() -> None:
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze missing: bash .ci/system-deps")
    units = ROOT / "deploy" / "systemd"
    done = subprocess.run(["systemd-analyze", "verify", str(units / "kiosk-update.path"),
                           str(units / "kiosk-update.service")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    service = (units / "kiosk-update.service").read_text().splitlines()
    assert "ExecStart=/usr/bin/env /opt/kiosk/current/bin/kiosk-updater apply" in service
    path_unit = (units / "kiosk-update.path").read_text().splitlines()
    assert "PathExists=/var/lib/kiosk/updates/request.json" in path_unit


def _until(condition: Callable[[], bool], what: str) -> None:
    """Wait for a reader thread's change (generous: this is not a speed test)."""
    for _ in range(500):
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError(f"never: {what}")


def test_the_core_is_quiet_only_between_citizens(
    module_platform: PlatformProcess, tmp_path: Path
) -> None:
    """The switch waits for the home screen, no card, no open staff call."""
    config = (test_config(tmp_path / "kiosk", id="K0790")
              .replace("platform", url=module_platform.url, sealing_key="", sealing_key_id="")
              .replace("printer", backend="file", path=str(tmp_path / "spool.bin"))
              .replace("update", root=str(tmp_path / "root"), quiet_seconds=0))
    module_platform.enrol("K0790", identity_dir(config))
    reader = SimulatedCardReader()
    core = assemble_kiosk(config, readers=reader)
    try:
        assert core.updates is not None  # enrolled: the agent is there
        assert core.quiet_for_update()
        core.flow.open_listing("search")
        assert not core.quiet_for_update()  # a citizen is searching
        core.flow.reset()
        assert core.quiet_for_update()
        reader.start()
        reader.insert()
        _until(lambda: reader.status().card_present, "card present")
        assert not core.quiet_for_update()  # a card on the reader
        reader.remove()
        _until(lambda: not reader.status().card_present, "card gone")
        assert core.quiet_for_update()
        core.call_staff()
        assert not core.quiet_for_update()  # a staff call is open
    finally:
        reader.stop()
        core.stop()
    waiting = assemble_kiosk(config.replace("update", quiet_seconds=3600), readers=reader)
    try:
        assert not waiting.quiet_for_update()  # the home screen has not been idle long enough
    finally:
        waiting.stop()


def test_a_wheelhouse_installs_offline_and_only_its_wheels_are_unpacked(
    wheels: dict[str, Path], tmp_path: Path
) -> None:
    """The production artifact: a tarball of wheels; links and paths out of it are dropped."""
    import tarfile

    house = tmp_path / "civic-kiosk-0.1.1-wheelhouse.tar.gz"
    with tarfile.open(house, "w:gz") as tar:
        tar.add(wheels["0.1.1"], arcname=f"wheels/{wheels['0.1.1'].name}")
        evil = tarfile.TarInfo("../../outside.whl")
        evil.size = 4
        tar.addfile(evil, io.BytesIO(b"evil"))
        link = tarfile.TarInfo("wheels/link.whl")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tar.addfile(link)
    incoming = tmp_path / "incoming" / "0.1.1"
    incoming.mkdir(parents=True)
    shutil.copy(house, incoming / house.name)
    updater = Updater(UpdaterSettings(root=tmp_path / "root", data_dir=tmp_path / "data",
                                      key=None, deps_path=sysconfig.get_paths()["purelib"]))
    target = updater.install(incoming / house.name, "0.1.1")
    assert updater.installed("0.1.1") and (target / "bin" / "kiosk").exists()
    assert not (tmp_path / "outside.whl").exists() and not (incoming / "wheels").exists()


def test_root_checks_releases_with_the_key_it_pinned_not_one_planted_later(hall: Hall) -> None:
    """The enrolment's keys live in the kiosk user's data directory. Root copies the signing
    key out the first time it needs one; a key the kiosk user plants there afterwards (to have
    root install a release it signed itself) is not the one releases are checked with."""
    pinned = hall.root / PINNED_KEY
    enrolled = hall.updater.s.key
    assert enrolled is not None and pinned.is_file()
    assert load_ed25519_public_key(pinned.read_text("ascii")) == enrolled

    keys_file = identity_dir(hall.config) / PLATFORM_KEYS_FILE
    doc = json.loads(keys_file.read_text("utf-8"))
    planted = Ed25519PrivateKey.generate().public_key()
    doc["catalogue_key"] = ed25519_public_key_text(planted)
    doc["catalogue_key_id"] = ed25519_key_id(planted)
    keys_file.write_text(json.dumps(doc), "utf-8")
    assert load_platform_keys(identity_dir(hall.config)).catalogue_key == doc["catalogue_key"]

    now = UpdaterSettings.from_config(hall.config).key
    assert now == enrolled and now != planted
    pinned.unlink()  # without root's copy the planted key would be taken: the rule is the pin
    assert UpdaterSettings.from_config(hall.config).key == planted
