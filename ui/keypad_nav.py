"""Every screen operable from a navigation keypad (issue 12 item 1, first part).

A hall kiosk's keypad presents itself as a USB keyboard. Its keys (``[keypad]`` in the config,
by Qt key name) move the focus through the controls a citizen can see, in reading order —
rows from top to bottom, left to right in a row, the header first — activate the focused one,
go back, and say the screen's instructions again. The focus is always visible: the theme
draws a focused button's border 4 px thick in the palette's focus colour.

Reading order is computed from where the controls are on screen, not from the order they
were made in, so a screen whose layout changes with the window (portrait, care mode) is
still walked as it is read.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from kiosk.config import KeypadSection

from .qt import QAbstractButton, QEvent, QKeyEvent, QObject, QPoint, Qt, QWidget, application

log = logging.getLogger(__name__)
NEXT, PREVIOUS, ACTIVATE, BACK, HELP = "next", "previous", "activate", "back", "help"
AUDIO = "audio"


def key_codes(names: Sequence[str], where: str) -> set[int]:
    """Qt key codes for names such as ``Down`` or ``F1``; an unknown name is an error that says
    which setting holds it."""
    codes = set()
    for name in names:
        key = getattr(Qt.Key, f"Key_{name}", None)
        if key is None:
            raise ValueError(f"[keypad] {where}: {name!r} is not a key name (e.g. Down, F1)")
        codes.add(int(key.value))
    return codes


def panel_over(window: QWidget) -> QWidget | None:
    """The panel standing over the screen, if one is open (the staff's ID-number helper, the
    staff call's sign-in, the idle warning, the technician's panel): the topmost visible
    child of the window with the role ``panel``. Its controls are the only ones a citizen can
    see and use then."""
    top = None
    for child in window.children():  # in stacking order: a raised panel comes last
        if isinstance(child, QWidget) and not child.isWindow() and child.isVisible() \
                and child.property("role") == "panel":
            top = child
    return top


def reading_order(window: QWidget) -> list[QAbstractButton]:
    """The controls a citizen can see and use, as they are read: by rows, then left to right.
    Two controls are on one row when their vertical middles are within half a control of
    each other. With a panel over the screen, only the panel's controls."""
    over = panel_over(window)
    controls = [b for b in window.findChildren(QAbstractButton)
                if b.isVisibleTo(window) and b.isVisible() and b.isEnabled()
                and b.window() is window and (over is None or over.isAncestorOf(b))]
    placed = []
    for b in controls:
        top_left = b.mapTo(window, QPoint(0, 0))
        placed.append((top_left.y() + b.height() / 2, top_left.x(), b.height(), b))
    placed.sort(key=lambda item: (item[0], item[1]))
    rows: list[list[tuple[float, int, int, QAbstractButton]]] = []
    for item in placed:
        if rows and abs(item[0] - rows[-1][0][0]) <= min(item[2], rows[-1][0][2]) / 2:
            rows[-1].append(item)
        else:
            rows.append([item])
    return [item[3] for row in rows for item in sorted(row, key=lambda i: i[1])]


class KeypadNavigation(QObject):
    """Installed on ``window``'s application: turns keypad keys into focus moves and taps.

    ``back`` and ``help`` are what the window does for those keys (the flow's back, the
    screen's prompt said again); ``activity`` is told of every key a citizen presses, so the
    idle guard counts key presses as activity."""

    def __init__(self, window: QWidget, keys: KeypadSection, back: Callable[[], None],
                 help: Callable[[], None], activity: Callable[[], None],  # noqa: A002
                 audio: Callable[[], None] | None = None) -> None:
        super().__init__(window)
        self._window = window
        self._actions: dict[int, str] = {}
        for action in (NEXT, PREVIOUS, ACTIVATE, BACK, HELP, AUDIO):
            for code in key_codes(getattr(keys, action), action):
                self._actions[code] = action
        self._back, self._help, self._activity = back, help, activity
        self._audio = audio
        application().installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if not isinstance(obj, QWidget) or obj.window() is not self._window:
            return False  # another window (a test's, a dialog of Qt's own)
        action = self._actions.get(event.key())
        if action is None:
            return False
        self._activity()
        if action in (NEXT, PREVIOUS):
            self.move(1 if action == NEXT else -1)
        elif action == ACTIVATE:
            self.activate()
        elif action == BACK:
            self._back()
        elif action == AUDIO:
            if self._audio is not None:
                self._audio()
        else:
            self._help()
        return True

    def move(self, step: int) -> QAbstractButton | None:
        """Focus the next (or previous) control in reading order, wrapping at the ends."""
        order = reading_order(self._window)
        if not order:
            return None
        focused = self._window.focusWidget()
        if focused in order:
            target = order[(order.index(focused) + step) % len(order)]  # type: ignore[arg-type]
        else:
            target = order[0] if step > 0 else order[-1]
        target.setFocus(Qt.FocusReason.TabFocusReason)
        return target

    def activate(self) -> None:
        """What a tap on the focused control does."""
        focused = self._window.focusWidget()
        if isinstance(focused, QAbstractButton) and focused.isVisible() and focused.isEnabled():
            focused.click()
