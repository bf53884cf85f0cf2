"""Shared test set-up: offscreen Qt, mock speech, and the real-component fixtures."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("KIOSK_KIOSK_VOICE_ENGINE", "mock")

from tests.support.a4 import private_cupsd  # noqa: E402,F401
from tests.support.idreader import id_reader_tty, virtual_id_reader  # noqa: E402,F401
from tests.support.leaks import check_qt_test_leaves_nothing  # noqa: E402,F401
from tests.support.pcsc import events, pcscd, reader, virtual_card  # noqa: E402,F401
from tests.support.platform import (  # noqa: E402,F401
    platform_factory,
    reference_platform,
    scripted_server,
)
from tests.support.printer import virtual_printer  # noqa: E402,F401
from tests.support.usb import loop_sticks  # noqa: E402,F401

# Tests whose outcome could depend on the machine's time zone, hour or date. `make test` runs
# them once more under TZ=Pacific/Kiritimati (UTC+14) and TZ=Etc/GMT+12 (UTC-12): between the
# two, the machine's date differs from the kiosk's (Asia/Shanghai) at every hour of the day.
DATE_SENSITIVE = {
    "test_e2e_walking_skeleton",
    "test_e2e_catalogue",
    "test_kiosk_dates",
    "test_flow",
    "test_identity",
    "test_gat467_text",
    "test_ssse",
    "test_outbox_durable_enqueue",
    "test_outbox_lifecycle",
    "test_outbox_opening",
    "test_outbox_cli",
    "test_downlink_status",
    "test_receipt_kinds",
    "test_receipt_layout",
    "test_ui_track",
    "test_enrolment",
    "test_signing_identity",
    "test_signing_scheme",
    "test_signing_server",
    "test_technician",
    "test_sync_backoff",
    "test_sync_client",
    "test_sync_worker",
    "test_queue_numbers",
}


def pytest_collection_modifyitems(items: list) -> None:  # type: ignore[type-arg]
    for item in items:
        if item.module is not None and item.module.__name__.rsplit(".", 1)[-1] in DATE_SENSITIVE:
            item.add_marker(pytest.mark.dates)


@pytest.fixture(autouse=True)
def _root_logger_restored() -> Iterator[None]:
    """A test that runs ``kiosk.cli.main`` in-process installs the kiosk's log handlers, which
    write to that test's captured output; restore the root logger so later tests do not log
    into a closed stream (each such line costs a "Logging error" traceback)."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    for handler in handlers:
        if handler not in root.handlers:
            root.addHandler(handler)
    root.setLevel(level)


# Once every test has run and pytest has printed its summary, the process ends with pytest's
# own exit status, skipping the interpreter's final garbage collection: a full run here once
# died in it ("Fatal Python error: none_dealloc" while finalizing, after 866 passed), a
# refcount bug in a C extension's teardown that no test exercises and that a kiosk never
# reaches (``kiosk run`` exits through Qt and ``KioskCore.stop``, whose exit status
# tests/integration/test_lean_imports.py checks in a subprocess).
_EXIT_STATUS = pytest.StashKey[int]()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    session.config.stash[_EXIT_STATUS] = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    status = config.stash.get(_EXIT_STATUS, None)
    if status is not None:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)

