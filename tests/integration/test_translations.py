"""zh_CN (the default) and English are complete, and the shipped .qm files match the .ts."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "assets" / "i18n"
BIN = Path(sys.executable).parent
LOCALES = ("zh_CN", "en")


def messages(ts: Path) -> list[ET.Element]:
    return list(ET.parse(ts).getroot().iter("message"))


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_is_translated(locale: str) -> None:
    unfinished = [
        m.findtext("source")
        for m in messages(I18N / f"kiosk_{locale}.ts")
        if m.find("translation").get("type") in ("unfinished", "obsolete", "vanished")
        or not "".join(m.find("translation").itertext()).strip()
    ]
    assert unfinished == []


@pytest.mark.parametrize("locale", LOCALES)
def test_ts_files_hold_every_string_the_code_uses(locale: str, tmp_path: Path) -> None:
    ts = tmp_path / f"kiosk_{locale}.ts"
    shutil.copy(I18N / ts.name, ts)
    subprocess.run(
        [str(BIN / "pyside6-lupdate"), "-extensions", "py", "ui", "kiosk", "-ts", str(ts)],
        cwd=ROOT, check=True, capture_output=True, timeout=120,
    )
    shipped = {m.findtext("source") for m in messages(I18N / ts.name)}
    current = {
        m.findtext("source") for m in messages(ts)
        if m.find("translation").get("type") not in ("vanished", "obsolete")
    }
    assert current - shipped == set(), "run `make translations` and translate the new strings"


@pytest.mark.parametrize("locale", LOCALES)
def test_shipped_qm_is_compiled_from_the_ts(locale: str, tmp_path: Path) -> None:
    qm = tmp_path / f"kiosk_{locale}.qm"
    subprocess.run(
        [str(BIN / "pyside6-lrelease"), str(I18N / f"kiosk_{locale}.ts"), "-qm", str(qm)],
        check=True, capture_output=True, timeout=120,
    )
    assert qm.read_bytes() == (I18N / qm.name).read_bytes()
