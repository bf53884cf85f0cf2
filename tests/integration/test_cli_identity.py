"""``kiosk keys`` and ``kiosk enroll`` against the reference platform, as an operator runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.support.platform import PlatformProcess


def kiosk(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "--config", str(config), *args],
        capture_output=True, text=True, timeout=60,
    )


def test_keys_init_then_enroll_with_a_token_from_kiosk_server_token(
    tmp_path: Path, platform_factory  # type: ignore[no-untyped-def]
) -> None:
    platform: PlatformProcess = platform_factory(require_signatures=True)
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'[kiosk]\nid = "kiosk-0451"\ndata_dir = "{tmp_path / "data"}"\n'
        f'[platform]\nurl = "{platform.url}"\n'
    )
    assert kiosk(config, "keys", "show").returncode == 1  # no key yet: says so
    init = kiosk(config, "keys", "init")
    assert init.returncode == 0 and "public key" in init.stdout
    token = subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "server", "token", "--data-dir",
         str(platform.data_dir), "--kiosk-id", "kiosk-0451"],
        capture_output=True, text=True, timeout=60, check=True,
    ).stdout.strip()
    enrolled = kiosk(config, "enroll", "--token", token)
    assert enrolled.returncode == 0, enrolled.stderr
    assert "enrolled as kiosk-0451" in enrolled.stdout
    again = kiosk(config, "enroll", "--token", token)
    assert again.returncode == 1 and "token" in again.stderr  # one-time
    report = json.loads(kiosk(config, "diagnose", "--json").stdout)
    assert report["platform"]["enrolled"] is True
    assert "signed in as kiosk-0451" in report["platform"]["detail"]
    pinned = json.loads((tmp_path / "data" / "identity" / "platform_keys.json").read_text())
    assert pinned["sealing_key_id"] == platform.key_id
