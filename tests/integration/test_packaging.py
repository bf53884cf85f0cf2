"""A non-editable install carries everything the kiosk reads at run time."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHECK = """
import assets, kiosk, sync.server
from importlib import resources
assert assets.__file__.startswith(TARGET), assets.__file__
from kiosk.catalog import load_catalog
assert load_catalog().get("elderly-card-apply")
for name in ("kiosk_zh_CN.qm", "kiosk_en.qm"):
    assert (resources.files("assets") / "i18n" / name).read_bytes()
assert (resources.files("assets") / "sim" / "ssc_holder.json").read_bytes()
assert (resources.files("sync.server") / "openapi.json").read_bytes()
print("ok")
"""


def test_wheel_installs_assets_translations_and_openapi(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
         "-w", str(wheels), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )
    wheel = next(wheels.glob("*.whl"))
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target),
         str(wheel)],
        check=True, capture_output=True, timeout=300,
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    out = subprocess.run(
        [sys.executable, "-c", f"TARGET = {str(target)!r}\n" + CHECK],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
