"""``kiosk gallery``: every screen of a visit written as PNG files at the size asked, in the
mode asked (issue 12 item 7). Run as the command a reviewer runs, in a process of its own."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from ui.gallery import WALK
from ui.qt import QColor, QImage
from ui.theme import HIGH_CONTRAST

ROOT = Path(__file__).resolve().parents[2]


def test_the_gallery_writes_every_screen_of_the_walk(tmp_path: Path) -> None:
    out = tmp_path / "gallery"
    done = subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "gallery", str(out), "--locale", "en",
         "--size", "1080x1920", "--mode", "care+high-contrast"],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    folder = out / "en" / "1080x1920-care+high-contrast"
    files = sorted(folder.glob("*.png"))
    assert [f.name for f in files] == [f"{i:02d}-{s.name}.png" for i, s in enumerate(WALK)]
    digests = set()
    for f in files:
        image = QImage(str(f))
        assert (image.width(), image.height()) == (1080, 1920), f.name
        digests.add(hashlib.sha256(f.read_bytes()).hexdigest())
        # Below the header, in the body's margin: the high-contrast background.
        column = [QColor.fromRgba(image.pixel(3, y)).name() for y in range(0, 1920, 8)]
        assert HIGH_CONTRAST.background in column, f.name
    assert len(digests) == len(files)  # each screen is a picture of its own


def test_a_malformed_size_is_refused_in_words(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "gallery", str(tmp_path), "--size", "big"],
        capture_output=True, text=True, timeout=60, cwd=ROOT,
    )
    assert done.returncode == 2
    assert "WIDTHxHEIGHT" in done.stderr
