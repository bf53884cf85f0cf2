"""Qt's page and PDF classes, for the A4 proofs only.

Kept apart from ``ui.qt`` because PySide builds a class's Python type on first access and
QPageLayout, QPageSize and QPdfWriter cost a few milliseconds the first paint does not need.
Import it after ``ui.qt`` (which installs PySide's cheaper import check).
"""

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter

__all__ = ["QBuffer", "QIODevice", "QMarginsF", "QPageLayout", "QPageSize", "QPdfWriter"]
