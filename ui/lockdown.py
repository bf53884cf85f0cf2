"""No way out for citizens: the kiosk window cannot be closed or left from its own keyboard.

A hall kiosk often has a keyboard (a keypad that presents itself as one, a technician's USB
keyboard left plugged in) and runs full-screen under a kiosk compositor without window
controls. What is left to guard is inside the application: key combinations that close or
switch windows (Alt+F4, Ctrl+Q, Ctrl+W, Alt+Tab, the Windows/Super key, Escape), context menus,
and a close request sent to the window. :class:`Lockdown` swallows them all; only
:func:`leave_kiosk` — the technician panel's quit, SIGTERM from the service manager, the
install check's quit after the first paint — lets the window close.

Qt 6 asks every window to close before it quits (``QGuiApplication`` handles the quit event
by closing the windows, and a refusal cancels the quit), so an application quit that does not
come through :func:`leave_kiosk` is refused too.
"""

from __future__ import annotations

import logging

from .qt import QApplication, QEvent, QKeyEvent, QObject, Qt, QWidget

log = logging.getLogger(__name__)

Key = Qt.Key
Mod = Qt.KeyboardModifier
# (key, modifiers that make it an escape); an empty set: the key alone, whatever is held.
ESCAPES: dict[Qt.Key, frozenset[Qt.KeyboardModifier]] = {
    Key.Key_F4: frozenset({Mod.AltModifier, Mod.ControlModifier}),
    Key.Key_Q: frozenset({Mod.ControlModifier, Mod.MetaModifier}),
    Key.Key_W: frozenset({Mod.ControlModifier, Mod.MetaModifier}),
    Key.Key_Tab: frozenset({Mod.AltModifier, Mod.MetaModifier}),
    Key.Key_Backtab: frozenset({Mod.AltModifier, Mod.MetaModifier}),
    Key.Key_Escape: frozenset(),
    Key.Key_Super_L: frozenset(),
    Key.Key_Super_R: frozenset(),
    Key.Key_Meta: frozenset(),
    Key.Key_Menu: frozenset(),
    Key.Key_F11: frozenset(),  # full-screen toggle in many window managers
}
KEY_EVENTS = (QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride)


def is_escape(key: int, modifiers: Qt.KeyboardModifier) -> bool:
    """Whether this key with these modifiers is one a citizen could leave the kiosk with."""
    try:
        wanted = ESCAPES[Qt.Key(key)]
    except (KeyError, ValueError):
        return False
    return not wanted or any(modifiers & m for m in wanted)


class Lockdown(QObject):
    """Installed on the application for ``window``: see the module's docstring."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._released = False
        self.refused: list[str] = []  # what was refused lately, for the technician and tests
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def release(self) -> None:
        """From now on the window may close (the kiosk is being stopped on purpose)."""
        self._released = True

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if kind in KEY_EVENTS and isinstance(event, QKeyEvent):
            if is_escape(event.key(), event.modifiers()):
                if kind == QEvent.Type.KeyPress:
                    self._refuse(f"key {event.key():#x} with {event.modifiers().value:#x}")
                event.accept()
                return True
            return False
        if kind == QEvent.Type.ContextMenu:
            return True
        if kind == QEvent.Type.Close and obj is self._window and not self._released:
            event.ignore()
            self._refuse("a request to close the window")
            return True
        return False

    def _refuse(self, what: str) -> None:
        self.refused.append(what)
        del self.refused[:-20]
        log.info("lock-down: refused %s", what)


def leave_kiosk(code: int = 0) -> None:
    """Stop the kiosk on purpose: release every window's lock-down, then quit."""
    app = QApplication.instance()
    if app is None:
        return
    for window in QApplication.topLevelWidgets():
        for lockdown in window.findChildren(Lockdown):
            lockdown.release()
    if code:
        QApplication.exit(code)
    else:
        QApplication.quit()
