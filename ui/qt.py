"""The one door to Qt: every other ui module imports Qt names from here."""

import shiboken6
from PySide6 import QtWidgets
from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLocale,
    QObject,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QThread,
    QTimer,
    QTranslator,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QPainter, QPen
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QFrame,
    QLabel,
    QLayout,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QWidget,
)


def is_alive(obj: QObject) -> bool:
    """False once Qt has deleted the object behind this Python wrapper."""
    return bool(shiboken6.isValid(obj))


def _target_gap(layout: object) -> None:
    from .theme import layout_gap  # late: theme imports this module

    layout.setSpacing(layout_gap())  # type: ignore[attr-defined]


class QHBoxLayout(QtWidgets.QHBoxLayout):
    """Every layout keeps touch targets at least 2 mm apart (ACCESSIBILITY.md 4)."""

    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        _target_gap(self)


class QVBoxLayout(QtWidgets.QVBoxLayout):
    """Every layout keeps touch targets at least 2 mm apart (ACCESSIBILITY.md 4)."""

    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        _target_gap(self)


class QGridLayout(QtWidgets.QGridLayout):
    """Every layout keeps touch targets at least 2 mm apart (ACCESSIBILITY.md 4)."""

    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        _target_gap(self)


__all__ = [
    "QApplication",
    "QButtonGroup",
    "QColor",
    "QCoreApplication",
    "QEvent",
    "QFont",
    "QFontDatabase",
    "QFrame",
    "QGridLayout",
    "QGuiApplication",
    "QHBoxLayout",
    "QLabel",
    "QLayout",
    "QLocale",
    "QObject",
    "QPainter",
    "QPen",
    "QPointF",
    "QPushButton",
    "QRect",
    "QRectF",
    "QScrollArea",
    "QSize",
    "QSizePolicy",
    "QStackedWidget",
    "QTimer",
    "QTranslator",
    "QVBoxLayout",
    "QWidget",
    "QThread",
    "Qt",
    "Signal",
    "Slot",
    "is_alive",
]
