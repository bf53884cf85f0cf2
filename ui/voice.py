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
    def __init__(self, engine: str = "", enabled: bool = True, locale: str = "zh_CN") -> None:
        self.enabled = enabled
        self.last_text = ""
        self.spoken: list[str] = []  # what was said recently, for tests and the repeat button
        self.chimes: list[str] = []  # chimes for staff (never repeated by the repeat button)
        self._proc: subprocess.Popen[bytes] | None = None
        if not enabled:
            return
        cmd = [sys.executable, "-m", "ui.speaker", "--locale", locale]
        if engine:
            cmd += ["--engine", engine]
        try:
            self._proc = subprocess.Popen(
                cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
        except OSError as exc:
            log.warning("voice guidance is off: cannot start the speech process (%s)", exc)
            return
        assert self._proc.stdin is not None
        os.set_blocking(self._proc.stdin.fileno(), False)

    def _send(self, command: dict[str, object]) -> None:
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

    def close(self) -> None:
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
