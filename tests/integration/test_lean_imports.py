"""A kiosk never loads the reference platform's web stack, on any path a production run takes.

import-linter cannot tell a lazy import from a top-level one, so each command runs in a fresh
interpreter and reports what it loaded. The wheel-without-extras check is `.ci/lean-install`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

WEB_STACK = ("uvicorn", "fastapi", "sqlalchemy", "starlette")
# Not needed before the first print: python-escpos alone parses its YAML printer profiles for
# ~0.2 s at import. The start-up benchmark (tests/bench/bench_startup.py) has the figures.
PRINT_STACK = ("escpos", "PIL", "qrcode", "yaml")
REPORT = f"""
import json, sys
from kiosk.cli.main import main
try:
    rc = main(sys.argv[1:])
except SystemExit as exc:
    rc = exc.code
loaded = sorted({{m.split(".")[0] for m in sys.modules}} & set({WEB_STACK + PRINT_STACK!r}))
print("LOADED " + json.dumps({{"rc": rc, "loaded": loaded}}), flush=True)
"""


def production_config(tmp_path: Path) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(
        f'[kiosk]\ndata_dir = "{tmp_path / "data"}"\nvoice_engine = "mock"\n'
        '[platform]\nurl = "http://127.0.0.1:9"\n'
        f'[printer]\nbackend = "file"\npath = "{tmp_path / "spool.bin"}"\n',
        "utf-8",
    )
    return path


def run_reporting(tmp_path: Path, *args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", REPORT, "--config", str(production_config(tmp_path)), *args],
        capture_output=True, text=True, timeout=90,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("LOADED ")]
    assert lines, done.stdout + done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    return json.loads(lines[-1][len("LOADED "):])


@pytest.mark.parametrize(
    "args",
    [("diagnose", "--json"), ("diagnose",), ("run", "--exit-after-first-paint")],
    ids=["diagnose-json", "diagnose-text", "window-start-up"],
)
def test_production_commands_never_load_the_platform_web_stack(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    report = run_reporting(tmp_path, *args)
    assert not set(report["loaded"]) & set(WEB_STACK)
    assert report["rc"] in (0, 1, 2)  # 1 attention, 2 failing (no devices here): not a crash


def test_the_window_start_up_reaches_its_first_paint_without_the_print_stack(
    tmp_path: Path,
) -> None:
    report = run_reporting(tmp_path, "run", "--exit-after-first-paint")
    assert report["rc"] == 0
    assert report["loaded"] == []


# What the home screen does not need: the outbox (sqlite-utils), the network stack, the staff
# credentials (argon2), sealing. ``kiosk run`` loads them after the first paint.
AFTER_PAINT = ("sqlite_utils", "requests", "urllib3", "argon2", "jsonschema",
               "sync.outbox.store", "sync.worker", "sync.downlink.schedule",
               "kiosk.diagnostics.diagnose", "kiosk.submission", "kiosk.staff.calls",
               "kiosk.staff.sign_in")
AT_PAINT = f"""
import json, sys
import ui.launch
painted = ui.launch.FirstPaintReporter._after_paint

def report_then_finish(self):
    names = set(sys.modules)
    heavy = sorted(m for m in {AFTER_PAINT!r} if m in names)
    print("AT_PAINT " + json.dumps(heavy), flush=True)
    painted(self)
    print("AFTER " + json.dumps(sorted(m for m in {AFTER_PAINT!r} if m in sys.modules)),
          flush=True)

ui.launch.FirstPaintReporter._after_paint = report_then_finish
from kiosk.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def test_the_home_screen_paints_before_the_outbox_and_the_network_stack_load(
    tmp_path: Path,
) -> None:
    """The start-up aim (issue 8, item 3): the first paint waits only for what it shows."""
    done = subprocess.run(
        [sys.executable, "-c", AT_PAINT, "--config", str(production_config(tmp_path)),
         "run", "--exit-after-first-paint"],
        capture_output=True, text=True, timeout=90,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr
    at_paint = [json.loads(ln[len("AT_PAINT "):]) for ln in done.stdout.splitlines()
                if ln.startswith("AT_PAINT ")]
    after = [json.loads(ln[len("AFTER "):]) for ln in done.stdout.splitlines()
             if ln.startswith("AFTER ")]
    assert at_paint == [[]], done.stdout
    # ... and right after it the kiosk really opened its outbox and started its link.
    assert after and {"sqlite_utils", "sync.outbox.store", "sync.worker"} <= set(after[0])
