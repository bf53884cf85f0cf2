"""The speech process: reads commands on stdin, speaks them through QTextToSpeech.

Speech runs in its own process because Speech Dispatcher can block inside QTextToSpeech
for a minute or more (no audio device), holding Python's GIL the whole time: in a thread it
would freeze the kiosk's screen. Here a stuck engine only silences the voice.
Commands, one JSON object per line: {"say": text}, {"chime": text} (queued after what is being
said: a staff call's chime), {"stop": true}, {"reset": true}, {"volume": 0 to 1}.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import threading

from .qt import QCoreApplication, QLocale, QObject, Signal


class _Commands(QObject):
    received = Signal(dict)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kiosk-speaker")
    parser.add_argument("--engine", default="")
    parser.add_argument("--locale", default="zh_CN")
    args = parser.parse_args(argv)
    app = QCoreApplication([])
    from PySide6.QtTextToSpeech import QTextToSpeech

    tts = QTextToSpeech(args.engine) if args.engine else QTextToSpeech()
    tts.setLocale(QLocale(args.locale))
    default_volume = tts.volume()
    print(f"ready {tts.engine()}", flush=True)

    def handle(command: dict) -> None:
        if "say" in command:
            tts.stop()
            tts.say(str(command["say"]))
        elif "chime" in command:
            tts.enqueue(str(command["chime"]))
        elif "volume" in command:
            with contextlib.suppress(TypeError, ValueError):  # a malformed one is ignored
                tts.setVolume(min(1.0, max(0.0, float(command["volume"]))))
        elif "stop" in command:
            tts.stop()
        elif "reset" in command:
            tts.stop()
            tts.setVolume(default_volume)
        elif "quit" in command:
            app.quit()

    commands = _Commands()
    commands.received.connect(handle)

    def read_stdin() -> None:
        for line in sys.stdin:
            try:
                command = json.loads(line)
            except ValueError:
                continue
            if isinstance(command, dict):
                commands.received.emit(command)
        commands.received.emit({"quit": True})

    threading.Thread(target=read_stdin, name="speaker-stdin", daemon=True).start()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
