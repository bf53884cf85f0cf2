"""The figures of docs/accessibility.md measured on every screen of the gallery's walk (issue
12, "tests that measure"), at the worst cases: care mode with high contrast on the portrait
screen in Chinese, and the standard mode on the small 1280x1024 screen in English. Geometry,
fonts and the theme's colours, not pixels (ui/measure.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ui import gallery
from ui.launch import ensure_app, install_translator, remove_translator
from ui.theme import BODY_EM_MM, GAP_MM, MIN_TARGET_MM

CASES = (("zh_CN", (1080, 1920), "care+high-contrast"), ("en", (1280, 1024), "standard"))


@pytest.mark.parametrize(("locale", "size", "mode"), CASES)
def test_every_screen_meets_the_figures(tmp_path: Path, locale: str,
                                        size: tuple[int, int], mode: str) -> None:
    app = ensure_app()
    install_translator(app, locale)
    try:
        gallery._one_kiosk(tmp_path, locale, size, mode)
    finally:
        remove_translator(app)
    figures = json.loads((tmp_path / "figures.json").read_text(encoding="utf-8"))
    assert len(figures) == len(gallery.WALK)
    for screen, f in figures.items():
        assert_meets_the_figures(f, f"{screen} ({locale} {size} {mode})",
                                 "high-contrast" in mode)


def assert_meets_the_figures(f: dict[str, object], where: str, high_contrast: bool) -> None:
    """One screen's figures (``Figures.as_json()``) against docs/accessibility.md."""
    smallest_gap = f["smallest_gap_mm"]
    # Secondary text (the header's clock) never below the standard body em.
    assert f["smallest_font_mm"] >= BODY_EM_MM[False] - 0.05, (where, f)  # type: ignore[operator]
    assert f["targets"] > 0, where  # type: ignore[operator]
    assert f["smallest_target_mm"] >= MIN_TARGET_MM, (where, f)  # type: ignore[operator]
    assert smallest_gap is None or smallest_gap >= GAP_MM, (where, f["smallest_gap_pair"])  # type: ignore[operator]
    assert f["text_contrast"] >= (7.0 if high_contrast else 4.5), where  # type: ignore[operator]
    assert f["outline_contrast"] >= 3.0, where  # type: ignore[operator]
    assert f["clipped"] == [], (where, f["clipped"])
    assert f["outside"] == [], (where, f["outside"])
    assert f["overlapping"] == [], (where, f["overlapping"])


def test_the_measure_finds_small_targets_clipped_text_and_overlap() -> None:
    """The measure is not blind: a small button, a label and a button too narrow for their
    words and two overlapping siblings are each reported."""
    from ui.measure import measure
    from ui.qt import QLabel, QPushButton, QWidget
    from ui.theme import REFERENCE_DPI, Metrics

    ensure_app()
    root = QWidget()
    root.resize(400, 300)
    small = QPushButton("a", root)
    small.setGeometry(10, 10, 20, 20)
    other = QPushButton("b", root)
    other.setGeometry(32, 10, 60, 60)
    label = QLabel("a label far too long for its room", root)
    label.setGeometry(200, 200, 30, 30)
    narrow = QPushButton("a button far too long for its room", root)
    narrow.setGeometry(10, 200, 120, 60)
    root.show()
    f = measure(root, Metrics(REFERENCE_DPI, care_mode=False))
    assert f.smallest_target_mm == pytest.approx(20 * 25.4 / REFERENCE_DPI, abs=0.01)
    assert f.smallest_gap_mm == pytest.approx(2 * 25.4 / REFERENCE_DPI, abs=0.01)
    assert any("label far" in c for c in f.clipped)
    assert any("button far" in c for c in f.clipped)
    assert not any(c.startswith("QPushButton('b'") for c in f.clipped)  # room to spare
    other.setGeometry(25, 10, 60, 60)
    assert measure(root, Metrics(REFERENCE_DPI, care_mode=False)).overlapping
    root.close()


GEOMETRY_MODES = ("standard", "care", "care+high-contrast")
# English at its worst: care mode (the largest type) at every size, and care mode with high
# contrast on the smallest screen; Chinese at every size and mode. High contrast alone has the
# standard geometry, so it is left out. English's full matrix runs in `kiosk gallery`.
MATRIX = (
    ("zh_CN", tuple((size, mode) for size in gallery.SIZES for mode in GEOMETRY_MODES)),
    ("en", (*((size, "care") for size in gallery.SIZES), ((1280, 1024), "care+high-contrast"))),
)


@pytest.mark.parametrize(("locale", "cases"), MATRIX, ids=[m[0] for m in MATRIX])
def test_the_full_matrix_of_sizes_and_modes_over_geometry(
    tmp_path: Path, locale: str, cases: tuple[tuple[tuple[int, int], str], ...]
) -> None:
    """Every screen of the walk at each size and mode of ``cases``: geometry (no label's or
    button's words clipped, nothing outside its parent or overlapping; every target at least
    9.5 mm, 2 mm apart; no text under the standard body em), one kiosk resized and restyled
    in place rather than built again."""
    import tempfile

    from devices.sim.card.inprocess_reader import SimulatedCardReader
    from kiosk.assembly import assemble_kiosk
    from ui.launch import build_window
    from ui.measure import measure
    from ui.qt import QApplication, QEvent

    app = ensure_app()
    install_translator(app, locale)
    problems: list[str] = []
    with tempfile.TemporaryDirectory(dir=tmp_path) as data:
        reader = SimulatedCardReader()
        core = assemble_kiosk(gallery.gallery_config(Path(data), locale), readers=reader)
        core.start()
        window = build_window(core, start_voice=False)
        try:
            window.resize(*gallery.SIZES[0])
            window.show()
            for shot in gallery.WALK:
                shot.go(core, reader)
                assert gallery._settle(lambda s=shot: gallery._showing(window, s.step))
                if shot.shown:
                    gallery._settle(lambda s=shot: gallery._visible(window, s.shown))
                for size, mode in cases:
                    window.resize(*size)
                    gallery._set_mode(window, mode)
                    gallery._settle(lambda: True)
                    f = measure(window, window.metrics)
                    where = f"{shot.name} {locale} {size} {mode}"
                    if f.clipped or f.outside or f.overlapping:
                        problems.append(f"{where}: {f.clipped} {f.outside} {f.overlapping}")
                    if f.smallest_target_mm < MIN_TARGET_MM:
                        problems.append(f"{where}: {f.smallest_target_widget}")
                    if f.smallest_gap_mm < GAP_MM:  # the figures cost nothing more here
                        problems.append(f"{where}: gap {f.smallest_gap_pair}")
                    if f.smallest_font_mm < BODY_EM_MM[False] - 0.05:
                        problems.append(f"{where}: font {f.smallest_font_widget}")
        finally:
            window.close()
            window.deleteLater()
            core.stop()
            QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
            remove_translator(app)
    assert problems == []
