"""``kiosk gallery OUTDIR``: every screen of a citizen's visit as PNG files, for review.

For each language, screen size and display mode (standard, care, high contrast) a kiosk is
built on simulated devices (the in-process card, a printer writing to a file, no platform: the
kiosk is offline, as a hall's kiosk sometimes is) and walked through one visit by the flow's
own calls: home, a department's services, the search, a guide, its questions, the privacy
notice, identification, the form, confirmation, the receipt, the rating, the farewell, and the
progress lookup. Each screen is grabbed as the window paints it (offscreen works), to
``OUTDIR/<locale>/<width>x<height>-<mode>/<nn>-<screen>.png``, with ``figures.json`` beside
them: each screen's measured figures (ui/measure.py; docs/accessibility.md).
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from devices.sim.card.inprocess_reader import SimulatedCardReader
from kiosk.assembly import assemble_kiosk
from kiosk.config import Config
from kiosk.core import KioskCore
from kiosk.flow import Step
from sync.sealing import key_id_of, public_key_text

from .launch import build_window, ensure_app, install_translator, remove_translator
from .main_window import MainWindow
from .measure import measure
from .qt import QApplication, QEvent, QWidget

SIZES = ((1920, 1080), (1080, 1920), (1280, 1024))
LOCALES = ("zh_CN", "en")
MODES = ("standard", "care", "high-contrast", "care+high-contrast")
SERVICE = "elderly-card-apply"  # a completable service with a short form
FORM_ANSWERS = {"delivery": "pickup", "phone": "13800138000"}


@dataclass(frozen=True)
class Shot:
    """One screen of the walk: its name and how to reach it from the screen before."""

    name: str
    step: Step
    go: Callable[[KioskCore, SimulatedCardReader], None]
    shown: str = ""  # a widget that appears once the screen's own work is done (printing)


def _stay(core: KioskCore, reader: SimulatedCardReader) -> None:
    """The home screen, as the kiosk starts."""


def _department(core: KioskCore, reader: SimulatedCardReader) -> None:
    first = next(c for c in core.catalog.departments if core.catalog.in_department(c))
    core.flow.open_listing("department", first)


def _search(core: KioskCore, reader: SimulatedCardReader) -> None:
    core.flow.reset()
    core.flow.open_listing("search")


def _guide(core: KioskCore, reader: SimulatedCardReader) -> None:
    core.flow.reset()
    core.flow.choose_service(SERVICE)


def _questions(core: KioskCore, reader: SimulatedCardReader) -> None:
    core.flow.open_questions()


def _privacy(core: KioskCore, reader: SimulatedCardReader) -> None:
    core.flow.back()
    core.flow.accept_guide()


def _identify(core: KioskCore, reader: SimulatedCardReader) -> None:
    core.flow.accept_privacy()


def _card(core: KioskCore, reader: SimulatedCardReader) -> None:
    reader.insert("ssc")


def _confirm(core: KioskCore, reader: SimulatedCardReader) -> None:
    core.flow.submit_form(dict(FORM_ANSWERS))


def _submit(core: KioskCore, reader: SimulatedCardReader) -> None:
    core.submit()


def _rating(core: KioskCore, reader: SimulatedCardReader) -> None:
    core.flow.finish_receipt()


def _farewell(core: KioskCore, reader: SimulatedCardReader) -> None:
    core.flow.rate(5)


def _track(core: KioskCore, reader: SimulatedCardReader) -> None:
    core.flow.reset()
    core.flow.open_tracking()


WALK: tuple[Shot, ...] = (
    Shot("home", Step.HOME, _stay),
    Shot("services", Step.SERVICES, _department),
    Shot("search", Step.SEARCH, _search),
    Shot("guide", Step.GUIDE, _guide),
    Shot("questions", Step.QUESTIONS, _questions),
    Shot("privacy", Step.PRIVACY, _privacy),
    Shot("identify", Step.IDENTIFY, _identify),
    Shot("form", Step.FORM, _card),
    Shot("confirm", Step.CONFIRM, _confirm),
    Shot("receipt", Step.RECEIPT, _submit, shown="receipt-qr"),
    Shot("rating", Step.RATING, _rating),
    Shot("farewell", Step.FAREWELL, _farewell),
    Shot("track", Step.TRACK, _track),
)


def gallery_config(data_dir: Path, locale: str) -> Config:
    """A kiosk of its own for the gallery: simulated reader, a file printer, no platform."""
    key = X25519PrivateKey.generate().public_key()  # seals the gallery's own submission
    return (
        Config()
        .replace("kiosk", data_dir=str(data_dir), voice_enabled=False, locale=locale)
        .replace("platform", url="http://127.0.0.1:9", sealing_key=public_key_text(key),
                 sealing_key_id=key_id_of(key))
        .replace("reader", backend="simulated")
        .replace("printer", backend="file", path=str(data_dir / "receipts.bin"))
    )


def _settle(until: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Run the event loop until ``until()`` holds (or the timeout); then let painting finish."""
    deadline = time.monotonic() + timeout
    while not until() and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.01)
    for _ in range(5):
        QApplication.processEvents()
    return until()


def _showing(window: MainWindow, step: Step) -> bool:
    return window.stack.currentWidget() is window.screens[step]


def _visible(window: MainWindow, name: str) -> bool:
    widget = window.findChild(QWidget, name)
    return widget is not None and widget.isVisible()


def _set_mode(window: MainWindow, mode: str) -> None:
    """Care mode and high contrast as ``mode`` asks, tapped as a citizen would (the home
    screen resets both after each citizen, so the walk sets them again after it)."""
    if window.metrics.care_mode != ("care" in mode.split("+")):
        window.care_button.click()
    if window.metrics.high_contrast != ("high-contrast" in mode.split("+")):
        window.contrast_button.click()


def _walk(window: MainWindow, core: KioskCore, reader: SimulatedCardReader, mode: str,
          folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []
    figures: dict[str, object] = {}
    for number, shot in enumerate(WALK):
        shot.go(core, reader)
        if not _settle(partial(_showing, window, shot.step)):
            raise RuntimeError(f"the gallery's walk did not reach {shot.name}")
        if shot.shown:
            _settle(partial(_visible, window, shot.shown))
        _set_mode(window, mode)
        _settle(lambda: True)
        path = folder / f"{number:02d}-{shot.name}.png"
        if not window.grab().save(str(path)):
            raise OSError(f"cannot write {path}")
        shots.append(path)
        figures[path.name] = measure(window, window.metrics).as_json()
    (folder / "figures.json").write_text(json.dumps(figures, ensure_ascii=False, indent=1),
                                         encoding="utf-8")
    return shots


def render_gallery(
    outdir: Path,
    sizes: Iterable[tuple[int, int]] = SIZES,
    locales: Sequence[str] = LOCALES,
    modes: Sequence[str] = MODES,
) -> list[Path]:
    """Every screen of the walk in each locale, size and mode; returns the files written."""
    app = ensure_app()
    written: list[Path] = []
    sizes = list(sizes)
    for locale in locales:
        install_translator(app, locale)
        try:
            for width, height in sizes:
                for mode in modes:
                    written += _one_kiosk(outdir / locale / f"{width}x{height}-{mode}",
                                          locale, (width, height), mode)
        finally:
            remove_translator(app)
    return written


def _one_kiosk(folder: Path, locale: str, size: tuple[int, int], mode: str) -> list[Path]:
    with tempfile.TemporaryDirectory(prefix="kiosk-gallery-") as data:
        reader = SimulatedCardReader()
        core = assemble_kiosk(gallery_config(Path(data), locale), readers=reader)
        core.start()
        window = build_window(core, start_voice=False)
        try:
            window.resize(*size)
            window.show()
            _settle(lambda: window.isVisible())
            return _walk(window, core, reader, mode, folder)
        finally:
            window.close()
            window.deleteLater()
            core.stop()
            QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)

