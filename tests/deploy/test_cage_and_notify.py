"""The kiosk under cage's headless backend, and its sd_notify messages to a socket the test
binds (issue 13, item 6; docs/deployment.md)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

KIOSK = [str(Path(sys.executable).with_name("kiosk"))]  # the installed entry point


def config(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    path = tmp_path / "kiosk.toml"
    path.write_text(
        f'[kiosk]\ndata_dir = "{data}"\nvoice_engine = "mock"\n'
        '[platform]\nurl = "http://127.0.0.1:9"\n'
        f'[printer]\nbackend = "file"\npath = "{tmp_path / "spool.bin"}"\n', "utf-8")
    return path


def listener(tmp_path: Path) -> tuple[socket.socket, str]:
    path = str(tmp_path / "notify.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    os.chmod(path, 0o777)
    return sock, path


def messages(sock: socket.socket, until: str, wait_s: float = 60.0) -> list[str]:
    """Every message until one equal to ``until`` (generous wait: this is not a speed test)."""
    seen: list[str] = []
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        sock.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            data = sock.recv(4096).decode()
        except TimeoutError:
            break
        seen.extend(data.splitlines())
        if until in seen:
            return seen
    raise AssertionError(f"never saw {until!r}; saw {seen}")


def test_ready_then_pings_that_stop_while_the_gui_thread_is_blocked(tmp_path: Path) -> None:
    sock, path = listener(tmp_path)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "NOTIFY_SOCKET": path,
           "WATCHDOG_USEC": "200000", "KIOSK_TEST_BLOCK_GUI": "0.5:1.5"}
    proc = subprocess.Popen([*KIOSK, "--config", str(config(tmp_path)), "run"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        seen = messages(sock, "STATUS=test: GUI thread free")
        after = messages(sock, "WATCHDOG=1")  # and the pings come back
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
        sock.close()
    assert seen.index("READY=1") < seen.index("WATCHDOG=1")
    blocked = seen.index("STATUS=test: GUI thread blocked")
    assert "WATCHDOG=1" in seen[:blocked]
    assert seen[blocked + 1:] == ["STATUS=test: GUI thread free"], seen  # no ping meanwhile
    assert after[-1] == "WATCHDOG=1"
    assert proc.returncode == 0, err


def test_without_notify_socket_the_kiosk_still_starts(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("NOTIFY_SOCKET", "WATCHDOG_USEC")}
    done = subprocess.run([*KIOSK, "--config", str(config(tmp_path)), "run",
                           "--exit-after-first-paint"], env={**env, "QT_QPA_PLATFORM": "offscreen"},
                          capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, done.stderr


# cage refuses to run as root (it could not drop root for good). As root, as on this project's
# CI machines, the test runs it as an unprivileged user of a user namespace: the outer one
# (mapped root) mounts a private /tmp/.X11-unix for cage's Xwayland, the inner one maps uid 1000
# to the real user, so files keep their owner and the interpreter stays reachable.
AS_USER = ('mount -t tmpfs -o mode=1777 none /tmp/.X11-unix && '
           'exec unshare --user --map-user=1000 --map-group=1000 "$@"')


def _wrapper() -> list[str]:
    if os.geteuid() != 0:
        return []
    probe = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "true"],
                           capture_output=True, text=True, timeout=30)
    if probe.returncode != 0:
        pytest.skip(f"root, and no user namespace to run cage unprivileged: {probe.stderr}")
    return ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", AS_USER, "sh"]


@pytest.mark.skipif(shutil.which("cage") is None, reason="cage missing: bash .ci/system-deps")
def test_the_kiosk_paints_under_cage_and_says_ready_through_it(tmp_path: Path) -> None:
    """cage's headless wlroots backend with the pixman renderer, Qt on its Wayland plugin."""
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    sock, path = listener(tmp_path)
    env = {**os.environ, "WLR_BACKENDS": "headless", "WLR_RENDERER": "pixman",
           "WLR_LIBINPUT_NO_DEVICES": "1", "XDG_RUNTIME_DIR": str(runtime),
           "QT_QPA_PLATFORM": "wayland", "NOTIFY_SOCKET": path}
    for name in ("WAYLAND_DISPLAY", "DISPLAY", "WATCHDOG_USEC"):
        env.pop(name, None)
    cmd = [*_wrapper(), "cage", "--", *KIOSK, "--config", str(config(tmp_path)), "run",
           "--exit-after-first-paint"]
    try:
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=90,
                              cwd=tmp_path)
        sock.settimeout(10)
        try:
            got = sock.recv(4096).decode().splitlines()
        except TimeoutError:
            got = []
    finally:
        sock.close()
    log = tmp_path / "data" / "logs" / "kiosk.log"
    # cage 0.1.4 exits 0 whatever its client did: read the kiosk's own log and messages.
    text = log.read_text("utf-8") if log.exists() else ""
    assert "home screen painted" in text, done.stderr[-4000:]
    assert "Traceback" not in text, text[-4000:]
    assert got == ["READY=1"], done.stderr[-4000:]
