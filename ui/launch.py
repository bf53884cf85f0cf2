"""Start the GUI around a running core: fonts, translations, the window."""

from __future__ import annotations

import logging
import signal
import time
from collections.abc import Callable
from importlib import resources

from kiosk.core import KioskCore

from .lockdown import Lockdown, leave_kiosk
from .main_window import MainWindow
from .qt import QApplication, QEvent, QFont, QLocale, QObject, Qt, QTimer, QTranslator
from .screens.base import UiContext
from .voice import Voice
from .watchdog import Watchdog

log = logging.getLogger(__name__)
CJK_FONT = "Noto Sans CJK SC"


def ensure_app() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication([])
    return app  # type: ignore[return-value]


_installed: list[QTranslator] = []  # the kiosk's one translator, replaced on a new locale


def install_translator(app: QApplication, locale: str) -> QTranslator | None:
    """zh_CN is the default; English is the source language and its file adds plurals. The
    translator installed before (another window's, another locale's) is taken away first."""
    remove_translator(app)
    translator = QTranslator(app)
    qm = resources.files("assets") / "i18n" / f"kiosk_{locale}.qm"
    # Load from a path: QTranslator keeps pointing at the bytes it was given.
    with resources.as_file(qm) as path:
        loaded = path.is_file() and translator.load(str(path))
    if not loaded:
        log.error("no translation for %s; showing English", locale)
        return None
    app.installTranslator(translator)
    _installed.append(translator)
    QLocale.setDefault(QLocale(locale))
    return translator


def remove_translator(app: QApplication) -> None:
    """Back to the source strings (English without plurals)."""
    while _installed:
        app.removeTranslator(_installed.pop())


def build_window(
    core: KioskCore,
    demo_insert_card: Callable[[], None] | None = None,
    demo_place_id_card: Callable[[], None] | None = None,
    demo_scan: Callable[[str], None] | None = None,
    start_voice: bool = True,
) -> MainWindow:
    """The window around ``core``; ``start_voice=False`` leaves the speech process to be
    started by the caller (``run_window`` starts it after the first paint)."""
    app = ensure_app()
    install_translator(app, core.config.kiosk.locale)
    app.setFont(QFont(CJK_FONT))
    voice = Voice(core.config.kiosk.voice_engine, core.config.kiosk.voice_enabled,
                  core.config.kiosk.locale, start=start_voice)
    ctx = UiContext(core=core, voice=voice, locale=core.config.kiosk.locale,
                    demo_insert_card=demo_insert_card, demo_place_id_card=demo_place_id_card,
                    demo_scan=demo_scan)
    return MainWindow(ctx)


def _quit_on_sigterm(app: QApplication) -> None:
    """A service manager stops the kiosk with SIGTERM: close cleanly, devices released."""
    signal.signal(signal.SIGTERM, lambda *_: leave_kiosk())
    signal.signal(signal.SIGINT, lambda *_: leave_kiosk())
    # Python runs signal handlers only between bytecodes; let it in a few times a second.
    ticker = QTimer(app)
    ticker.timeout.connect(lambda: None)
    ticker.start(250)


class FirstPaintReporter(QObject):
    """Logs how long the kiosk took from process start to the painted home screen, then runs
    what was kept for after it (``then``) and, for install checks and benchmarks, quits."""

    def __init__(self, started_at: float, parent: QObject, then_quit: bool = False,
                 then: Callable[[], None] | None = None) -> None:
        super().__init__(parent)
        self._started_at = started_at
        self._then_quit = then_quit
        self._then = then
        self.seconds: float | None = None

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint and self.seconds is None:
            self.seconds = time.monotonic() - self._started_at
            log.info("home screen painted %.3f s after start", self.seconds)
            obj.removeEventFilter(self)
            QTimer.singleShot(0, self._after_paint)
        return False

    def _after_paint(self) -> None:
        if self._then is not None:
            try:
                self._then()
            except Exception:
                # Without its outbox the kiosk cannot keep a promise: stop, say why, and let
                # the service manager restart it (the exit code tells it this was a failure).
                log.exception("the kiosk could not finish starting")
                leave_kiosk(1)
                return
        if self._then_quit:
            leave_kiosk()


def run_window(
    core: KioskCore,
    fullscreen: bool = False,
    demo_insert_card: Callable[[], None] | None = None,
    demo_place_id_card: Callable[[], None] | None = None,
    demo_scan: Callable[[str], None] | None = None,
    started_at: float | None = None,
    exit_after_first_paint: bool = False,
    after_first_paint: Callable[[], None] | None = None,
) -> int:
    """Show the window and run the event loop; ``after_first_paint`` runs on the GUI thread
    as soon as the home screen is painted (``kiosk run`` opens the outbox there)."""
    app = ensure_app()
    window = build_window(core, demo_insert_card, demo_place_id_card, demo_scan,
                          start_voice=False)
    Lockdown(window)  # no key, menu or close request takes a citizen out of the kiosk
    if fullscreen:
        window.setWindowFlag(Qt.WindowType.FramelessWindowHint)  # no window controls
        window.showFullScreen()
    else:
        window.resize(1920, 1080)
        window.show()
    _quit_on_sigterm(app)
    watchdog = Watchdog(parent=window)  # systemd: READY=1, then WATCHDOG=1 from this thread
    app.aboutToQuit.connect(watchdog.stop)

    def after_paint() -> None:
        window.ctx.voice.start()  # a second Python process: not on the path to the paint
        if after_first_paint is not None:
            after_first_paint()
        watchdog.started()

    home = window.stack.currentWidget()
    assert home is not None  # the stack always shows a screen, the home screen first
    reporter = FirstPaintReporter(
        time.monotonic() if started_at is None else started_at, home,
        then_quit=exit_after_first_paint, then=after_paint,
    )
    home.installEventFilter(reporter)
    return app.exec()
