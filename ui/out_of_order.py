"""``kiosk out-of-order``: the plain full-screen notice kiosk-out-of-order.service shows when
the kiosk keeps failing to start (deploy/systemd, docs/deployment.md).

It needs nothing the kiosk failed on: no devices, no outbox, no platform, no catalogue; only
Qt and the translations. Citizens see it is out of order and where to call; the retry timer
starts the kiosk again later and its Conflicts= ends this screen.
"""

from __future__ import annotations

from .launch import CJK_FONT, _quit_on_sigterm, ensure_app, install_translator
from .lockdown import Lockdown
from .qt import QCoreApplication, QFont, QLabel, Qt, QTimer, QWidget, SpacedColumn

HOTLINE = "12345"  # the government service hotline, the same number everywhere in China


def out_of_order_window() -> QWidget:
    window = QWidget()
    window.setObjectName("outOfOrder")
    window.setStyleSheet("#outOfOrder { background: #ffffff; } QLabel { color: #1a1a1a; }")
    layout = SpacedColumn(window)
    layout.addStretch(1)
    title = QCoreApplication.translate("OutOfOrder", "Out of order")
    texts = [(title, 72, True),
             # English under the Chinese: the source text, for visitors who read no Chinese.
             ("Out of order" if title != "Out of order" else "", 40, False),
             (QCoreApplication.translate(
                 "OutOfOrder", "Please use another kiosk or ask at the service desk."), 32, False),
             (QCoreApplication.translate(
                 "OutOfOrder", "Help: call the government service hotline %1").replace(
                     "%1", HOTLINE), 32, False)]
    for text, size, bold in texts:
        if not text:
            continue
        label = QLabel(text)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        font = QFont(CJK_FONT)
        font.setPixelSize(size)
        font.setBold(bold)
        label.setFont(font)
        layout.addWidget(label)
    layout.addStretch(1)
    return window


def run_out_of_order(locale: str, exit_after_s: float | None = None) -> int:
    app = ensure_app()
    install_translator(app, locale)
    window = out_of_order_window()
    Lockdown(window)
    window.setWindowFlag(Qt.WindowType.FramelessWindowHint)
    window.showFullScreen()
    _quit_on_sigterm(app)
    if exit_after_s is not None:
        from .lockdown import leave_kiosk

        QTimer.singleShot(int(exit_after_s * 1000), leave_kiosk)
    return app.exec()
