"""Issue 12 item 5: a deployed idle countdown (and the time to put a removed card back) is at
least 20 seconds. A file or the environment that sets less is refused in words saying what to
set; tests may still build shorter ones in code (Config.replace)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import TIME_FLOOR_SECONDS, Config, ConfigError, load_config


def toml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("key", ["idle_countdown_seconds", "card_removed_grace_seconds"])
def test_a_file_with_a_countdown_under_twenty_seconds_is_refused_in_words(
    tmp_path: Path, key: str
) -> None:
    path = toml(tmp_path, f"[kiosk]\n{key} = 19\n")
    with pytest.raises(ConfigError) as refused:
        load_config(path, environ={})
    words = str(refused.value)
    assert f"[kiosk] {key} = 19" in words and str(path) in words
    assert f"Set {key} = 20 or more" in words  # what to set instead


def test_the_environment_is_held_to_the_same_floor(tmp_path: Path) -> None:
    path = toml(tmp_path, "[kiosk]\nidle_countdown_seconds = 30\n")
    with pytest.raises(ConfigError, match="idle_countdown_seconds = 5 .*at least 20 seconds"):
        load_config(path, environ={"KIOSK_KIOSK_IDLE_COUNTDOWN_SECONDS": "5"})


def test_twenty_seconds_and_the_defaults_are_taken(tmp_path: Path) -> None:
    path = toml(tmp_path, "[kiosk]\nidle_countdown_seconds = 20\n"
                          "card_removed_grace_seconds = 45\n")
    config = load_config(path, environ={})
    assert config.kiosk.idle_countdown_seconds == TIME_FLOOR_SECONDS == 20
    assert config.kiosk.card_removed_grace_seconds == 45
    defaults = load_config(toml(tmp_path, ""), environ={}).kiosk
    assert defaults.idle_countdown_seconds == 30 and defaults.card_removed_grace_seconds == 20


def test_code_may_build_short_times_for_tests_but_never_none() -> None:
    short = Config().replace("kiosk", idle_countdown_seconds=2, card_removed_grace_seconds=2)
    assert short.kiosk.idle_countdown_seconds == 2
    with pytest.raises(ConfigError, match="at least 1 second"):
        Config().replace("kiosk", idle_countdown_seconds=0)
