"""Shared test set-up: offscreen Qt, mock speech, and the real-component fixtures."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("KIOSK_KIOSK_VOICE_ENGINE", "mock")

from tests.support.idreader import id_reader_tty, virtual_id_reader  # noqa: E402,F401
from tests.support.pcsc import events, pcscd, reader, virtual_card  # noqa: E402,F401
from tests.support.platform import (  # noqa: E402,F401
    platform_factory,
    reference_platform,
    scripted_server,
)
from tests.support.printer import virtual_printer  # noqa: E402,F401
