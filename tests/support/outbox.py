"""Helpers for the outbox's tests: a hand-moved clock and an outbox on it, records to add,
and a Python child process (for a second writer, or one that dies without closing).

A test module takes the fixtures by importing them (``from tests.support.outbox import
clock_fixture, outbox_fixture  # noqa: F401``); a test asks for them as ``clock`` and
``outbox``.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sync.outbox.schema import OutboxRecord
from sync.outbox.store import Outbox
from sync.uuid7 import uuid7
from tests.support.clock import FakeClock

ROOT = Path(__file__).resolve().parents[2]
RECEIPT: dict[str, Any] = {"name": "张*", "id_number": "2301**********001X", "service": "SS-001"}


@pytest.fixture(name="clock")
def clock_fixture() -> FakeClock:
    return FakeClock()


@pytest.fixture(name="outbox")
def outbox_fixture(tmp_path: Path, clock: FakeClock) -> Iterator[Outbox]:
    box = Outbox(tmp_path / "outbox.db", clock=clock)
    yield box
    box.close()


def tid() -> str:
    return str(uuid7())


def add(
    box: Outbox, txid: str | None = None, day: str = "20261121", size: int = 100
) -> OutboxRecord:
    return box.enqueue(txid or tid(), "SS-001", b"e" * size, RECEIPT, day)


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
