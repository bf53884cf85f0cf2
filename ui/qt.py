"""The one door to Qt: every other ui module imports Qt names from here."""

import shiboken6

from ui.pyside_import_check import answer_from_file_bytes

answer_from_file_bytes()  # before PySide6 is imported: it asks of every module loaded so far

from PySide6 import QtWidgets
from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QDate,
    QEvent,
    QLocale,
    QObject,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    QTranslator,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QFont,
    QFontDatabase,
    QFontMetrics,
    QGuiApplication,
    QHideEvent,
    QIcon,
    QIconEngine,
    QImage,
    QKeyEvent,
    QPainter,
    QPen,
    QPixmap,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QBoxLayout,
    QButtonGroup,
    QFrame,
    QLabel,
    QLayout,
    QPushButton,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QStackedWidget,
    QStyle,
    QStyleOptionButton,
    QWidget,
)


def is_alive(obj: QObject) -> bool:
    """False once Qt has deleted the object behind this Python wrapper."""
    return bool(shiboken6.isValid(obj))


def _target_gap(layout: QtWidgets.QLayout) -> None:
    from .theme import layout_gap  # late: theme imports this module

    layout.setSpacing(layout_gap())


def application() -> QApplication:
    """The running application (the window and its helpers exist only inside one)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        raise RuntimeError("no QApplication is running")
    return app


# Qt's box and grid layouts under names of their own (not Qt's, so a reader knows they differ):
# every layout keeps touch targets at least 2 mm apart (ACCESSIBILITY.md 4).
class SpacedRow(QtWidgets.QHBoxLayout):
    """A horizontal box layout whose spacing keeps touch targets 2 mm apart."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        if parent is None:
            super().__init__()
        else:
            super().__init__(parent)
        _target_gap(self)


class SpacedColumn(QtWidgets.QVBoxLayout):
    """A vertical box layout whose spacing keeps touch targets 2 mm apart."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        if parent is None:
            super().__init__()
        else:
            super().__init__(parent)
        _target_gap(self)


class SpacedGrid(QtWidgets.QGridLayout):
    """A grid layout whose spacing keeps touch targets 2 mm apart."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        if parent is None:
            super().__init__()
        else:
            super().__init__(parent)
        _target_gap(self)


__all__ = [
    "application",
    "QAbstractButton",
    "QApplication",
    "QBoxLayout",
    "QButtonGroup",
    "QCloseEvent",
    "QByteArray",
    "QColor",
    "QCoreApplication",
    "QDate",
    "QEvent",
    "QFont",
    "QFontDatabase",
    "QFontMetrics",
    "QIcon",
    "QIconEngine",
    "QImage",
    "QHideEvent",
    "QKeyEvent",
    "QShowEvent",
    "QPixmap",
    "QScroller",
    "QStyle",
    "QStyleOptionButton",
    "QSvgRenderer",
    "QFrame",
    "SpacedGrid",
    "QGuiApplication",
    "SpacedRow",
    "QLabel",
    "QLayout",
    "QLocale",
    "QObject",
    "QPainter",
    "QPen",
    "QPoint",
    "QPointF",
    "QPushButton",
    "QRect",
    "QRectF",
    "QResizeEvent",
    "QScrollArea",
    "QScroller",
    "QSize",
    "QSizePolicy",
    "QStackedWidget",
    "QTimer",
    "QTranslator",
    "SpacedColumn",
    "QWidget",
    "Qt",
    "Signal",
    "Slot",
    "is_alive",
]
