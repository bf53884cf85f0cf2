"""Without any UI: an unexpected fault in a submission keeps the flow usable and the error kept."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from devices.printers.base import ReceiptPrinter
from devices.printers.local import FileReceiptPrinter
from devices.sim.card.inprocess_reader import SimulatedCardReader
from kiosk import events as ev
from kiosk.assembly import assemble_kiosk
from kiosk.config import Config
from kiosk.core import KioskCore
from kiosk.flow import Step
from tests.support.kiosk import test_config
from tests.support.printer import BuggyDriverPrinter


@pytest.fixture
def started() -> Iterator[list[KioskCore]]:
    cores: list[KioskCore] = []
    yield cores
    for core in cores:
        core.stop()


def at_confirm(cores: list[KioskCore], config: Config, printer: ReceiptPrinter) -> KioskCore:
    reader = SimulatedCardReader()
    core = assemble_kiosk(config, readers=reader, printer=printer)
    cores.append(core)
    form_open = threading.Event()

    def watch_step(event: ev.Event) -> None:
        if isinstance(event, ev.FlowDidChangeStep) and event.step == Step.FORM.value:
            form_open.set()

    core.events.subscribe(watch_step)
    core.start()
    core.flow.choose_service("elderly-card-apply")
    core.flow.accept_guide()
    core.flow.accept_privacy()
    reader.insert("ssc")
    assert form_open.wait(10)
    core.flow.submit_form({"delivery": "pickup", "phone": "13912345678"})
    assert core.flow.step is Step.CONFIRM
    return core


def test_a_fault_before_the_record_is_stored_goes_back_to_confirm_and_stays_in_the_future(
    tmp_path: Path, started: list[KioskCore]
) -> None:
    config = test_config(tmp_path).replace("platform", sealing_key="not a key")
    core = at_confirm(started, config, FileReceiptPrinter(tmp_path / "spool"))
    txid = core.flow.session.txid
    future = core.submit()
    assert future is not None
    assert isinstance(future.exception(timeout=10), ValueError)
    assert core.flow.step is Step.CONFIRM and core.flow.session.txid == txid
    assert sum(core.outbox.counts().values()) == 0
    assert core.submit() is not None  # the citizen may try again


def test_a_printer_fault_after_the_record_is_stored_is_published_and_stays_in_the_future(
    tmp_path: Path, started: list[KioskCore]
) -> None:
    core = at_confirm(started, test_config(tmp_path), BuggyDriverPrinter(tmp_path / "spool"))
    seen: list[ev.Event] = []
    core.events.subscribe(seen.append)
    future = core.submit()
    assert future is not None
    assert isinstance(future.exception(timeout=10), RuntimeError)
    assert core.flow.step is Step.RECEIPT
    tracking = core.flow.session.tracking_number
    assert [e.tracking_number for e in seen if isinstance(e, ev.ReceiptDidFail)] == [tracking]
    assert core.outbox.get(core.flow.session.txid) is not None
