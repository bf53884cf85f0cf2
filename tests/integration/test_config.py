import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.config import ConfigError, load_config


def test_defaults_run_the_demo_without_a_file(tmp_path: Path) -> None:
    config = load_config(environ={"KIOSK_CONFIG": ""} | {"HOME": str(tmp_path)})
    assert config.platform.url.startswith("http://127.0.0.1")
    assert config.printer.backend == "network"


def test_file_then_environment_override(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text('[printer]\nport = 9200\nwidth_mm = 80\n[kiosk]\ncode = "K0001"\n')
    config = load_config(path, environ={"KIOSK_PRINTER_PORT": "9300"})
    assert config.printer.port == 9300
    assert config.printer.width_mm == 80
    assert config.kiosk.code == "K0001"


def test_bad_values_name_the_setting(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text("[printer]\nport = 'nine'\n")
    with pytest.raises(ConfigError, match=r"\[printer\] port"):
        load_config(path, environ={})
    path.write_text("[printr]\nport = 1\n")
    with pytest.raises(ConfigError, match="unknown section"):
        load_config(path, environ={})


def test_config_show_masks_secrets(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(f'[kiosk]\ndata_dir = "{tmp_path}"\n'
                    '[platform]\nenrolment_token = "TOKEN-482913"\n')
    out = subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "--config", str(path), "config", "show"],
        capture_output=True, text=True, check=True,
    ).stdout
    shown = json.loads(out)
    assert "482913" not in out
    assert shown["platform"]["enrolment_token"] == "********"
    assert shown["kiosk"]["effective_data_dir"] == str(tmp_path)
    assert "staff_pin" not in shown["kiosk"]  # there is no shared PIN, nor a default one


def test_a_plain_staff_pin_is_refused_with_what_to_do_instead(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text('[kiosk]\nstaff_pin = "482913"\n')
    with pytest.raises(ConfigError) as refused:
        load_config(path, environ={})
    words = str(refused.value)
    assert "[kiosk] staff_pin" in words and "482913" not in words
    assert "kiosk technician set-pin" in words and "kiosk server staff add" in words
    path.write_text("")
    with pytest.raises(ConfigError, match="kiosk technician set-pin"):
        load_config(path, environ={"KIOSK_KIOSK_STAFF_PIN": "482913"})
    done = subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "--config", str(path), "config", "show"],
        capture_output=True, text=True, env={**os.environ, "KIOSK_KIOSK_STAFF_PIN": "482913"},
    )
    assert done.returncode == 2 and "kiosk technician set-pin" in done.stderr


def test_featured_services_come_from_a_toml_list_or_a_comma_separated_variable(
        tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text('[home]\nfeatured_services = ["ssc-replace", "elderly-card-apply"]\n'
                    "featured_places = 4\n")
    config = load_config(path, environ={})
    assert config.home.featured_services == ("ssc-replace", "elderly-card-apply")
    assert config.home.featured_places == 4
    env = {"KIOSK_HOME_FEATURED_SERVICES": "water-repair, ssc-replace"}
    config = load_config(path, environ=env)
    assert config.home.featured_services == ("water-repair", "ssc-replace")
    path.write_text("[home]\nfeatured_services = 7\n")
    with pytest.raises(ConfigError, match=r"\[home\] featured_services"):
        load_config(path, environ={})


def test_idle_time_per_screen_and_a_malformed_entry_refused(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text('[kiosk]\nidle_seconds = 90\nidle_seconds_by_screen = ["form=240"]\n')
    kiosk = load_config(good).kiosk
    assert kiosk.idle_seconds_for("form") == 240 and kiosk.idle_seconds_for("guide") == 90
    bad = tmp_path / "bad.toml"
    bad.write_text('[kiosk]\nidle_seconds_by_screen = ["form:240"]\n')
    with pytest.raises(ConfigError, match="idle_seconds_by_screen.*screen=seconds"):
        load_config(bad)
