"""Voice guidance runs in its own process, so a stuck engine cannot freeze the screen."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from ui.voice import Voice


def test_speaker_process_speaks_with_the_mock_engine_and_quits_on_eof() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "ui.speaker", "--engine", "mock"],
        input='{"say": "请插入社保卡"}\n{"stop": true}\nnot json\n'.encode(),
        capture_output=True, timeout=30,
    )
    assert proc.returncode == 0
    assert proc.stdout.decode().startswith("ready mock")


def test_voice_calls_return_at_once_even_when_the_engine_never_reads() -> None:
    voice = Voice(engine="mock")
    assert voice._proc is not None
    voice._proc.send_signal(19)  # SIGSTOP: an engine that hangs and reads nothing
    try:
        started = time.monotonic()
        for _ in range(5000):  # far more than a pipe buffer holds
            voice.say("请插入社保卡或将身份证放在感应区" * 4)
        assert time.monotonic() - started < 5
        assert voice.last_text.startswith("请插入")
    finally:
        voice._proc.send_signal(18)  # SIGCONT so that close() can end it
        voice.close()


def test_reset_forgets_what_was_said() -> None:
    voice = Voice(enabled=False)
    voice.say("受理编号")
    voice.reset()
    assert voice.last_text == "" and voice.spoken == []
    voice.repeat()
    assert voice.spoken == []


def test_speaker_process_takes_a_chime_queued_after_a_prompt() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "ui.speaker", "--engine", "mock"],
        input='{"say": "已呼叫工作人员"}\n{"chime": "叮咚，请工作人员到K0451"}\n'.encode(),
        capture_output=True, timeout=30,
    )
    assert proc.returncode == 0, proc.stderr.decode()[-500:]


def test_a_chime_is_not_what_the_repeat_button_says() -> None:
    voice = Voice(enabled=False)
    voice.say("已呼叫工作人员")
    voice.chime("叮咚")
    voice.repeat()
    assert voice.spoken == ["已呼叫工作人员", "已呼叫工作人员"] and voice.chimes == ["叮咚"]


def test_what_is_said_before_the_speech_process_starts_is_handed_to_it_in_order(
    tmp_path: Path,
) -> None:
    """``kiosk run`` starts the speech process after the first paint (start=False): prompts of
    the home screen said before then must reach it, in order; a reset drops what is waiting."""
    heard = tmp_path / "heard.jsonl"
    voice = Voice(engine="mock", start=False)
    listener = ("import shutil, sys; "  # in place of ui.speaker: keeps what arrives
                f"shutil.copyfileobj(sys.stdin.buffer, open({str(heard)!r}, 'wb'))")
    voice._cmd = [sys.executable, "-c", listener]
    voice.say("身份证号 110101199003071234")
    voice.reset()  # a citizen left before the voice was up: nothing of theirs waits
    voice.say("请选择服务")
    voice.chime("叮咚")
    assert voice._proc is None
    voice.start()
    voice.say("请插入社保卡")
    voice.close()
    lines = [json.loads(line) for line in heard.read_text("utf-8").splitlines()]
    assert lines == [{"reset": True}, {"say": "请选择服务"}, {"chime": "叮咚"},
                     {"say": "请插入社保卡"}]


def test_a_voice_that_is_off_never_starts_a_process() -> None:
    voice = Voice(enabled=False, start=False)
    voice.say("请选择服务")
    voice.start()
    assert voice._proc is None


def test_audio_mode_routes_the_speech_process_to_the_headset(tmp_path: Path) -> None:
    """route_to() starts the speech process again with PULSE_SINK set (and unset after)."""
    heard = tmp_path / "sinks.txt"
    listener = ("import os, sys; sys.stdin.read(); "
                f"open({str(heard)!r}, 'a').write(os.environ.get('PULSE_SINK', '-') + chr(10))")
    voice = Voice(engine="mock", start=False)
    voice._cmd = [sys.executable, "-c", listener]
    voice.start()
    voice.route_to("alsa_output.usb-headset")
    voice.route_to("")
    voice.close()
    assert heard.read_text().split() == ["-", "alsa_output.usb-headset", "-"]
