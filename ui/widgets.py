"""Small building blocks shared by the screens: big buttons, labels, keypad, QR code."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from .qt import (
    QColor,
    QEvent,
    QLabel,
    QLayout,
    QPainter,
    QPushButton,
    QResizeEvent,
    QSize,
    QSizePolicy,
    Qt,
    QWidget,
    SpacedGrid,
)


def label(text: str = "", role: str = "", name: str = "", wrap: bool = True) -> QLabel:
    w = QLabel(text)
    w.setWordWrap(wrap)
    w.setTextFormat(Qt.TextFormat.PlainText)
    if role:
        w.setProperty("role", role)
    if name:
        w.setObjectName(name)
    return w


class ToggleButton(QPushButton):
    """A checkable button whose accessibility action does what a tap does.

    Qt's accessible action on a checkable button is "Toggle", which calls ``toggle()``: the
    button looks chosen but emits no ``clicked``, so the form would never hear of it. Here a
    change of state that came neither from a tap (``nextCheckState``) nor from the program
    (``setChecked``) is passed on as a click. An exclusive group unchecking the previous choice
    is not a click."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.setCheckable(True)
        self._own = False
        self.toggled.connect(self._state_changed)

    def nextCheckState(self) -> None:  # noqa: N802 (Qt's name)
        self._own = True
        try:
            super().nextCheckState()
        finally:
            self._own = False

    def setChecked(self, on: bool) -> None:  # noqa: N802 (Qt's name)
        self._own = True
        try:
            super().setChecked(on)
        finally:
            self._own = False

    def _state_changed(self, on: bool) -> None:
        if self._own:
            return
        group = self.group()
        if not on and group is not None and group.exclusive():
            return
        self.clicked[bool].emit(on)  # type: ignore[index]  # the bool overload


def button(
    text: str, name: str, on_click: Callable[[], None] | None = None, primary: bool = False,
    checkable: bool = False,
) -> QPushButton:
    b = ToggleButton(text) if checkable else QPushButton(text)
    b.setObjectName(name)
    b.setAccessibleName(text)
    b.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    if primary:
        b.setProperty("role", "primary")
    if on_click is not None:
        b.clicked.connect(lambda _checked=False: on_click())
    return b


class ReflowRow(QWidget):
    """Buttons side by side while their words fit, else in as many equal columns as fit
    (two rows of a row's buttons, then one column): an English label or care mode's large
    type never clips a button's words on a narrow screen. The order stays the reading order
    (rows top to bottom, left to right)."""

    def __init__(self, buttons: Sequence[QWidget] = ()) -> None:
        super().__init__()
        self.grid = SpacedGrid(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.buttons: list[QWidget] = []
        self.columns = 0
        for b in buttons:
            self.add(b)

    def add(self, widget: QWidget) -> None:
        self.buttons.append(widget)
        self.columns = 0
        self._place(self.width() if self.width() > 1 else 10**6)

    def columns_for(self, width: int) -> int:
        """One row if every button's words fit on it, else the most equal columns that fit
        the widest button, at least one."""
        shown = [b for b in self.buttons if not b.isHidden()] or self.buttons
        gap = self.grid.spacing()
        hints = [b.sizeHint().width() for b in shown]
        if sum(hints) + gap * (len(hints) - 1) <= width:
            return len(self.buttons)
        widest = max(hints, default=0)
        for columns in range(len(shown) - 1, 1, -1):
            if widest * columns + gap * (columns - 1) <= width:
                return columns
        return 1

    def _place(self, width: int) -> None:
        columns = self.columns_for(width)
        if columns == self.columns:
            return
        self.columns = columns
        for b in self.buttons:
            self.grid.removeWidget(b)
        for c in range(len(self.buttons)):
            self.grid.setColumnStretch(c, 0)
        for i, b in enumerate(self.buttons):
            self.grid.addWidget(b, i // columns, i % columns)
        if columns < len(self.buttons):
            for c in range(columns):
                self.grid.setColumnStretch(c, 1)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        widest = max((b.minimumSizeHint().width() for b in self.buttons), default=0)
        return QSize(widest, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._place(event.size().width())

    def event(self, event: QEvent) -> bool:
        if event.type() is QEvent.Type.LayoutRequest and self.width() > 1:
            self._place(self.width())  # a button's words or font changed (care mode)
        return super().event(event)


def discard(widget: QWidget) -> None:
    """Detach now (so no search finds it, personal data included) and delete soon."""
    widget.hide()
    widget.setParent(None)
    widget.deleteLater()


def clear_layout(layout: QLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            discard(widget)


class Keypad(QWidget):
    """Large digit keys; what is typed goes to ``on_change``. No system keyboard, ever.

    ``extra_keys`` (an ID number's X, an amount's decimal point, an address's 栋 单元 室 …)
    take further columns to the right of the digits, four to a column; a key may type
    several characters (单元)."""

    def __init__(
        self, on_change: Callable[[str], None], max_len: int = 12,
        extra_keys: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.value = ""
        self._on_change = on_change
        self._max_len = max_len
        self._digit_keys: list[QPushButton] = []
        grid = SpacedGrid(self)
        keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "✕"]
        names = {"⌫": "delete", "✕": "clear"}
        for i, key in enumerate(keys):
            b = button(key, f"key-{names.get(key, key)}", partial(self._press, key))
            if key == "⌫":
                b.setAccessibleName(self.tr("Delete"))
            elif key == "✕":
                b.setAccessibleName(self.tr("Clear"))
            else:
                self._digit_keys.append(b)
            b.setProperty("key", True)  # no side padding: the key is its digit (ui/theme.py)
            grid.addWidget(b, i // 3, i % 3)
        spoken = {".": self.tr("Decimal point"), "-": self.tr("Dash")}
        for i, key in enumerate(extra_keys):
            b = button(key, f"key-{key}", partial(self._press, key))
            b.setAccessibleName(spoken.get(key, key))
            b.setProperty("key", True)
            grid.addWidget(b, i % 4, 3 + i // 4)

    def set_secret(self, secret: bool) -> None:
        """For a PIN: digit keys lose their digit as accessible name, so no reader says it."""
        for b in self._digit_keys:
            b.setAccessibleName(self.tr("Digit key") if secret else b.text())

    def _press(self, key: str) -> None:
        if key == "⌫":
            self.value = self.value[:-1]
        elif key == "✕":
            self.value = ""
        elif len(self.value) + len(key) <= self._max_len:
            self.value += key
        self._on_change(self.value)

    def clear(self) -> None:
        self.value = ""
        self._on_change(self.value)

    def start(self, value: str = "", max_len: int | None = None) -> None:
        """Type into another field: its current value and, if given, its length."""
        if max_len is not None:
            self._max_len = max_len
        self.value = value[: self._max_len]
        self._on_change(self.value)


class QrCode(QWidget):
    """A QR code painted crisp at any size, for when the printer cannot print it."""

    def __init__(self) -> None:
        super().__init__()
        self._modules: list[list[bool]] = []
        self.payload = ""
        self.setMinimumSize(QSize(240, 240))

    def set_payload(self, payload: str) -> None:
        self.payload = payload
        if payload:
            import qrcode  # only when a receipt failed to print: not on the start-up path

            qr = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
            qr.add_data(payload)
            qr.make(fit=True)
            self._modules = qr.get_matrix()
        else:
            self._modules = []
        self.update()

    def paintEvent(self, _event: object) -> None:  # noqa: N802 (Qt's name)
        if not self._modules:
            return
        p = QPainter(self)
        n = len(self._modules)
        side = min(self.width(), self.height())
        cell = side // n
        x0 = (self.width() - cell * n) // 2
        y0 = (self.height() - cell * n) // 2
        p.fillRect(x0, y0, cell * n, cell * n, QColor("white"))
        for r, row in enumerate(self._modules):
            for c, dark in enumerate(row):
                if dark:
                    p.fillRect(x0 + c * cell, y0 + r * cell, cell, cell, QColor("black"))
        p.end()
