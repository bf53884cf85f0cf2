"""Audio mode (issue 12 item 1, second part): the kiosk speaks what has the focus.

A blind citizen presses the keypad's audio key (``[keypad] audio``, F2 by default) and plugs
in headphones. From then on every control the focus reaches is spoken — its name, its role
and its state, "现场领取，按钮，已选中" — so the screen can be used by the keypad and the ear
alone (ui/keypad_nav.py moves the focus). Speech goes to the headset output when one is
configured (``[kiosk] headset_sink``, a PulseAudio sink: ADA 707.5's private listening), not
the loudspeaker. Keys of a PIN keypad (property ``private``) are spoken as "key" only: a
PIN digit is never said aloud. Audio mode ends with the citizen's visit.
"""

from __future__ import annotations

from .qt import QAbstractButton, QApplication, QObject, QWidget
from .voice import Voice


class AudioMode(QObject):
    """Speaks each control that gets the focus in ``window`` while active."""

    def __init__(self, window: QWidget, voice: Voice, headset_sink: str = "") -> None:
        super().__init__(window)
        self._window = window
        self._voice = voice
        self._headset_sink = headset_sink
        self.active = False
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._focus_changed)

    def describe(self, widget: QWidget) -> str:
        """What is said for ``widget``: the name shown (its accessible name), role, state."""
        role = self.tr("button")
        if widget.property("private"):
            return self.tr("key")  # a PIN keypad's key: never its digit
        name = widget.accessibleName()
        if not name and isinstance(widget, QAbstractButton):
            name = widget.text().replace("\n", " ")
        parts = [name, role] if name else [role]
        if isinstance(widget, QAbstractButton) and widget.isCheckable():
            parts.append(self.tr("selected") if widget.isChecked() else self.tr("not selected"))
        if not widget.isEnabled():
            parts.append(self.tr("unavailable"))
        return self.tr(", ").join(parts)

    def toggle(self) -> None:
        self.set_active(not self.active)

    def set_active(self, active: bool) -> None:
        if active == self.active:
            return
        self.active = active
        self._voice.route_to(self._headset_sink if active else "")
        if active:
            self._voice.say(self.introduction())

    def introduction(self) -> str:
        """Said when audio mode starts: how to use the keypad."""
        return self.tr("Audio mode. Up and down move between the controls, Enter chooses, "
                       "Backspace goes back, F1 repeats the instructions.")

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if self.active and new is not None and new.window() is self._window:
            self._voice.say(self.describe(new))
