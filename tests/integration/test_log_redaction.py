"""Personal data never reaches a log line: through the kiosk's loggers, urllib3 and uvicorn.

Every handler the kiosk installs redacts in its formatter, so message, arguments, tracebacks
and stacks are covered, and records from child loggers and third-party loggers too. Known
shapes are masked by pattern; the name and address a card held, by value, while the citizen
session that holds them lives.
"""

from __future__ import annotations

import io
import json
import logging
import os
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import date
from importlib import resources
from pathlib import Path

import pytest
import requests

from devices.cards.base import CardData, CardKind
from kiosk.catalog import load_catalog
from kiosk.flow import Flow
from kiosk.logs.redaction import redact, session_values
from kiosk.logs.setup import (
    RedactingFormatter,
    add_log_file,
    log_uncaught_exceptions,
    setup_logging,
)
from kiosk.session import CitizenSession
from tests.support.platform import PlatformProcess, free_port

ROOT = Path(__file__).resolve().parents[2]


def _holder(name: str) -> dict[str, str]:
    return dict(json.loads((resources.files("assets") / "sim" / name).read_text("utf-8")))


SSC = _holder("ssc_holder.json")  # the virtual social-security card's holder
IDC = _holder("id_holder.json")  # the GA/T 467 emulator's resident ID card holder

# Each kind of personal data a pattern must catch, with the mask that proves it was logged.
PATTERNED = {
    "18-digit ID number": (IDC["id_number"], "2301**********0237"),
    "18-digit ID number ending in X": (SSC["id_number"], "2301**********015X"),
    "15-digit ID number": (IDC["id_number"][:6] + IDC["id_number"][8:17], "2301*******5023"),
    "social-security card number": (SSC["card_number"], "H******89"),
    "social-security card code": (SSC["card_id_code"], "2301********0005"),
    "bank card": ("6222021234567890123", "6222***********0123"),
    "bank card in groups": ("6222 0212 3456 7890", "6222********7890"),
    "mobile": ("13945678912", "139****8912"),
    "mobile with +86": ("+86 139 4567 8912", "139****8912"),
    "mobile dashed": ("139-4567-8912", "139****8912"),
    "mobile spaced": ("139 4567 8912", "139****8912"),
    "mobile with 0086": ("0086-13945678912", "139****8912"),
    "landline": ("0451-86123456", "0451-******56"),
}


def card_of(holder: dict[str, str]) -> CardData:
    """The fixture holder as the kiosk receives it from a reader."""
    return CardData(
        kind=CardKind.RESIDENT_ID, name=holder["name"], gender="男", nation="汉",
        birth_date=date(1948, 9, 15), address=holder.get("address", ""),
        id_number=holder["id_number"], issuing_authority=holder.get("issuing_authority", ""),
        valid_from=None, valid_to=None, card_number=holder.get("card_number", ""),
        region=holder["id_number"][:6],
    )


@pytest.fixture
def kiosk_log() -> Iterator[io.StringIO]:
    """The kiosk's console logging, as ``kiosk`` sets it up, into a string; undone after."""
    root = logging.getLogger()
    level, hooks = root.level, (sys.excepthook, threading.excepthook)
    stream = io.StringIO()
    setup_logging(logging.DEBUG, stream=stream)
    ours = list(root.handlers)
    try:
        yield stream
    finally:
        for handler in ours:
            root.removeHandler(handler)
        root.setLevel(level)
        sys.excepthook, threading.excepthook = hooks


@pytest.fixture
def live_session() -> Iterator[CitizenSession]:
    """A citizen session holding the resident ID card of the fixture holder."""
    session = CitizenSession()
    session.identity = card_of(IDC)
    try:
        yield session
    finally:
        session.clear()


def _log_every_way(logger: logging.Logger, value: str) -> None:
    """``value`` in the message, in the arguments, in a traceback and in a stack."""
    logger.info("message holds " + value)
    logger.info("arguments hold %s and %r", value, [value])
    try:
        raise ValueError(f"card refused: {value}")
    except ValueError:
        logger.exception("a read failed")
    record = logger.makeRecord(
        logger.name, logging.WARNING, __file__, 1, "with a stack", (), None,
        sinfo=f'Stack (most recent call last):\n  File "reader.py", line 9, in read({value!r})',
    )
    logger.handle(record)


@pytest.mark.parametrize("kind", sorted(PATTERNED))
def test_kiosk_child_logger_masks_each_shape_in_message_arguments_traceback_and_stack(
    kind: str, kiosk_log: io.StringIO
) -> None:
    value, mask = PATTERNED[kind]
    _log_every_way(logging.getLogger("kiosk.flow.identify"), value)
    text = kiosk_log.getvalue()
    assert "card refused" in text and "Traceback" in text and "with a stack" in text
    assert value not in text
    assert text.count(mask) >= 5  # message, argument, repr'd argument, traceback, stack


def test_a_live_sessions_name_and_address_are_masked_until_the_session_ends(
    kiosk_log: io.StringIO,
) -> None:
    flow = Flow(load_catalog(), new_txid=lambda: "tx-1", today=lambda: date(2026, 11, 21))
    flow.choose_service("elderly-card-apply")
    flow.accept_guide()
    flow.accept_privacy()
    assert flow.identify(card_of(IDC)).ok
    flow.submit_form({"delivery": "pickup", "phone": "13800138000"})
    log = logging.getLogger("kiosk.submission.child")
    for value in (IDC["name"], IDC["address"]):
        _log_every_way(log, value)
    log.info("payload %s", json.dumps({"name": IDC["name"]}))  # ensure_ascii escapes
    log.info("raw text block %r", IDC["name"].encode("utf-16-le"))  # how GA/T 467 carries it
    text = kiosk_log.getvalue()
    assert IDC["name"] not in text and IDC["address"] not in text
    assert json.dumps(IDC["name"])[1:-1] not in text
    assert repr(IDC["name"].encode("utf-16-le"))[2:-1] not in text
    assert "孙**" in text and "[address]" in text
    assert session_values.holding(flow.session)
    flow.reset()  # idle timeout, finish or card pulled: the values go with the session
    assert not session_values.holding(flow.session)


def test_tracking_numbers_uuids_and_masked_forms_pass_unchanged(kiosk_log: io.StringIO) -> None:
    kept = [
        "K0451-20261121-0042-7",
        "018f3a2b-1381-7234-8567-138123456789",
        "01931234-5678-1234-8123-123412341234",
        "2301**********001X",
        "张*",
        "138****5678",
        "2026112100427",  # tracking digits as a citizen types them
    ]
    logging.getLogger("kiosk.core").info("kept: %s", " ".join(kept))
    assert f"kept: {' '.join(kept)}" in kiosk_log.getvalue()
    assert [redact(k) for k in kept] == kept


def test_urllib3_request_lines_are_masked(
    kiosk_log: io.StringIO, live_session: CitizenSession, reference_platform: PlatformProcess
) -> None:
    """urllib3 logs each request path at DEBUG; a path can carry a number or a name."""
    mobile, _ = PATTERNED["mobile"]
    path = f"/v1/track/{SSC['id_number']}/{mobile}/{IDC['name']}"
    requests.get(reference_platform.url + path, timeout=10).close()
    text = kiosk_log.getvalue()
    assert "urllib3.connectionpool" in text and "/v1/track/" in text
    assert SSC["id_number"] not in text and mobile not in text
    assert requests.utils.requote_uri(IDC["name"]) not in text and IDC["name"] not in text
    assert "2301**********015X" in text and "139****8912" in text


SERVER_SCRIPT = r"""
import logging, os, signal, socket, sys, threading, time
from kiosk.cli.main import main

port, data_dir, pii = int(sys.argv[1]), sys.argv[2], sys.argv[3:]


def speak():
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.5).close()
            break
        except OSError:
            time.sleep(0.05)
    for name in ("uvicorn.error", "uvicorn", "sync.server.app"):
        log = logging.getLogger(name)
        try:
            raise RuntimeError("bad request from " + " | ".join(pii))
        except RuntimeError:
            log.error("Exception in ASGI application: %s", pii[0], exc_info=True)
        log.warning("client sent " + " | ".join(pii))
    os.kill(os.getpid(), signal.SIGINT)


threading.Thread(target=speak, daemon=True).start()
try:
    code = main(["server", "--port", str(port), "--data-dir", data_dir, "--log-level", "info"])
except KeyboardInterrupt:
    code = 0
sys.exit(code)
"""


def test_kiosk_server_command_gives_uvicorn_records_to_the_redacting_handlers(
    tmp_path: Path,
) -> None:
    """``kiosk server``: uvicorn's own loggers go through the kiosk's handlers, not its own."""
    values = [v for v, _ in PATTERNED.values()]
    done = subprocess.run(
        [sys.executable, "-c", SERVER_SCRIPT, str(free_port()), str(tmp_path / "platform"),
         *values],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True, text=True, timeout=60,
    )
    text = done.stderr
    assert done.returncode == 0, text
    assert text.count("Exception in ASGI application") == 3 and "Traceback" in text
    for kind, (value, mask) in PATTERNED.items():
        assert value not in text, kind
        assert mask in text, kind


def test_log_file_masks_and_is_owner_only_through_rotation(
    tmp_path: Path, kiosk_log: io.StringIO
) -> None:
    old = os.umask(0o022)
    handler = None
    try:
        path = tmp_path / "data" / "logs" / "kiosk.log"
        handler = add_log_file(path)
        handler.maxBytes = 2_000
        value, mask = PATTERNED["18-digit ID number ending in X"]
        for _ in range(60):
            _log_every_way(logging.getLogger("kiosk.child"), value)
        handler.flush()
    finally:
        os.umask(old)
        if handler is not None:
            logging.getLogger().removeHandler(handler)
            handler.close()
    files = sorted(path.parent.iterdir())
    assert len(files) > 1  # rotated at least once
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    for file in files:
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file.name
        text = file.read_text("utf-8")
        assert value not in text and mask in text


def test_a_log_call_with_wrong_arguments_is_still_masked_and_never_printed_raw(
    kiosk_log: io.StringIO, capsys: pytest.CaptureFixture[str]
) -> None:
    """logging's own error path prints the raw message and arguments to stderr."""
    value, mask = PATTERNED["18-digit ID number ending in X"]
    logger = logging.getLogger("kiosk.child")
    record = logger.makeRecord(logger.name, logging.INFO, __file__, 1, "id %s and %s", (value,),
                               None)
    ours = [h for h in logging.getLogger().handlers if isinstance(h.formatter, RedactingFormatter)]
    assert ours  # (pytest's own capture handler, also on the root now, would raise here)
    for handler in ours:
        handler.handle(record)
    text = kiosk_log.getvalue()
    assert "could not be formatted" in text and mask in text and value not in text
    assert value not in capsys.readouterr().err


def test_uncaught_exceptions_in_threads_are_logged_masked(
    kiosk_log: io.StringIO, capsys: pytest.CaptureFixture[str]
) -> None:
    value, mask = PATTERNED["mobile"]
    saved = sys.excepthook, threading.excepthook
    try:
        log_uncaught_exceptions()  # here: pytest installs its own hooks around each test

        def fail() -> None:
            raise RuntimeError(f"printer said {value}")

        worker = threading.Thread(target=fail, name="receipt-worker")
        worker.start()
        worker.join()
    finally:
        sys.excepthook, threading.excepthook = saved
    text = kiosk_log.getvalue()
    assert "uncaught exception in thread receipt-worker" in text and "Traceback" in text
    assert mask in text and value not in text
    assert value not in capsys.readouterr().err
