"""Spoken guidance: every prompt and error is also said, with repeat and stop at hand."""

from __future__ import annotations

import logging

from .qt import QLocale

log = logging.getLogger(__name__)


class Voice:
    """Wraps QTextToSpeech; a kiosk without a speech engine still works, silently."""

    def __init__(self, engine: str = "", enabled: bool = True, locale: str = "zh_CN") -> None:
        self.enabled = enabled
        self.last_text = ""
        self.spoken: list[str] = []
        self._tts = None
        if not enabled:
            return
        try:
            from PySide6.QtTextToSpeech import QTextToSpeech

            self._tts = QTextToSpeech(engine) if engine else QTextToSpeech()
            self._tts.setLocale(QLocale(locale))
        except Exception:  # no engine on this machine: speak nothing, show everything
            log.warning("no speech engine available; voice guidance is off")
            self._tts = None
        self.default_volume = self._tts.volume() if self._tts else 0.0

    @property
    def engine(self) -> str:
        return self._tts.engine() if self._tts else ""

    def say(self, text: str) -> None:
        self.last_text = text
        self.spoken.append(text)
        del self.spoken[:-50]
        if self._tts is not None:
            self._tts.stop()
            self._tts.say(text)

    def repeat(self) -> None:
        if self.last_text:
            self.say(self.last_text)

    def stop(self) -> None:
        if self._tts is not None:
            self._tts.stop()

    def reset(self) -> None:
        """After each citizen: volume back to default, nothing remembered."""
        self.stop()
        self.last_text = ""
        self.spoken.clear()
        if self._tts is not None:
            self._tts.setVolume(self.default_volume)
