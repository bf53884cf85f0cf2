"""Spoken guidance: every prompt and error is also said, with repeat and stop at hand.

The engine runs in a child process (see ``ui.speaker``): a speech engine that hangs or
crashes silences the voice, never the screen. Every call here returns at once.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

log = logging.getLogger(__name__)


class Voice:
    """The kiosk's voice. ``start=False`` builds it without its speech process, so the window
    paints first (``kiosk run`` starts it right after the first paint); what is said before
    :meth:`start` waits for it, a few prompts at most."""

    PENDING_LIMIT = 20

    def __init__(self, engine: str = "", enabled: bool = True, locale: str = "zh_CN",
                 start: bool = True) -> None:
        self.enabled = enabled
        self.last_text = ""
        self.spoken: list[str] = []  # what was said recently, for tests and the repeat button
        self.chimes: list[str] = []  # chimes for staff (never repeated by the repeat button)
        self._proc: subprocess.Popen[bytes] | None = None
        self._cmd = [sys.executable, "-m", "ui.speaker", "--locale", locale]
        if engine:
            self._cmd += ["--engine", engine]
        self._pending: list[dict[str, object]] | None = [] if enabled else None
        self.sink = ""  # a PulseAudio sink (the headset) for the speech; empty: the default
        self.volume: float | None = None  # 0 to 1 (the header's volume button); None: engine's
        if start:
            self.start()

    def start(self) -> None:
        """Start the speech process (once) and hand it what was said while it was not there."""
        if self._pending is None:
            return
        pending, self._pending = self._pending, None
        env = {k: v for k, v in os.environ.items() if k != "PULSE_SINK"}
        if self.sink:
            env["PULSE_SINK"] = self.sink
        try:
            self._proc = subprocess.Popen(
                self._cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, env=env,
            )
        except OSError as exc:
            log.warning("voice guidance is off: cannot start the speech process (%s)", exc)
            return
        assert self._proc.stdin is not None
        os.set_blocking(self._proc.stdin.fileno(), False)
        if self.volume is not None and not any("volume" in c for c in pending):
            self._send({"volume": self.volume})  # a new process (the headset's) keeps the level
        for command in pending:
            self._send(command)

    def route_to(self, sink: str) -> None:
        """Speak through ``sink`` from now on (the headset in audio mode; "" the default
        output): the speech process starts again with it, if it was running."""
        if sink == self.sink:
            return
        self.sink = sink
        if self._proc is not None:
            self.close()
            self._pending = []
            self.start()

    def set_locale(self, locale: str) -> None:
        """Speak ``locale``'s language from now on (the home screen's 中文 / English): the
        speech process starts again with it, if it was running; the volume holds."""
        at = self._cmd.index("--locale") + 1
        if self._cmd[at] == locale:
            return
        self._cmd[at] = locale
        if self._proc is not None:
            self.close()
            self._pending = []
            self.start()

    @property
    def locale(self) -> str:
        return self._cmd[self._cmd.index("--locale") + 1]

    def _send(self, command: dict[str, object]) -> None:
        if self._pending is not None:  # not started yet
            if command.get("stop") or command.get("reset"):
                volume = [c for c in self._pending if "volume" in c][-1:]
                # Nothing said yet is worth saying any more; the volume still holds.
                self._pending[:] = volume  # nothing said yet is worth saying any more
            self._pending.append(command)
            del self._pending[:-self.PENDING_LIMIT]
            return
        proc = self._proc
        if proc is None or proc.stdin is None or proc.poll() is not None:
            return
        line = (json.dumps(command, ensure_ascii=False) + "\n").encode("utf-8")
        try:
            proc.stdin.write(line)
            proc.stdin.flush()
        except (BlockingIOError, BrokenPipeError, ValueError):
            log.warning("speech process is not keeping up; a prompt was not spoken")

    def say(self, text: str) -> None:
        self.last_text = text
        self.spoken.append(text)
        del self.spoken[:-50]
        self._send({"say": text})

    def chime(self, text: str) -> None:
        """A call for staff's ears, queued after what is being said (not for the citizen)."""
        self.chimes.append(text)
        del self.chimes[:-10]
        self._send({"chime": text})

    def set_volume(self, volume: float) -> None:
        """Speak at ``volume`` (0 to 1) from now on, through whichever output: loudspeaker or
        headset."""
        self.volume = volume
        self._send({"volume": volume})

    def repeat(self) -> None:
        if self.last_text:
            self.say(self.last_text)

    def stop(self) -> None:
        self._send({"stop": True})

    def reset(self) -> None:
        """After each citizen: volume back to default, nothing remembered."""
        self.last_text = ""
        self.spoken.clear()
        self._send({"reset": True})

    def state(self) -> str:
        """For technicians, in English: off, waiting to start, running or stopped."""
        if not self.enabled:
            return "off in the settings"
        if self._pending is not None:
            return "not started yet"
        if self._proc is None:
            return "not running (the speech process could not start: see the log)"
        code = self._proc.poll()
        cmd = self._cmd
        engine = cmd[cmd.index("--engine") + 1] if "--engine" in cmd else "default"
        if code is None:
            where = f" to {self.sink}" if self.sink else ""
            return f"speaking through the {engine} engine{where}"
        return f"the speech process stopped (exit {code}): see the log"

    def close(self) -> None:
        self._pending = None
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            if proc.stdin is not None:
                proc.stdin.close()
        except OSError:
            pass
        try:
            proc.wait(timeout=1)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=2)
