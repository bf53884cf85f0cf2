"""Helpers for the request-signature tests: a Unix-seconds clock the test moves by hand,
pinned nonce bytes, and the in-process reference platform that requires signatures and reads
time only from that clock.

A test module takes the fixtures by importing them (``from tests.support.signing import
clock_fixture, server_fixture  # noqa: F401``); a test asks for them as ``clock`` and
``server``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sync.server.cli import ServerHandle, start_server_thread

BATCH = "/v1/transactions/batch"
NOW = 1_795_000_000.0


class EpochClock:
    """Unix seconds that only move when a test says so."""

    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def fixed_bytes(value: int = 7) -> Callable[[int], bytes]:
    return lambda n: bytes([value]) * n


@pytest.fixture(name="clock")
def clock_fixture() -> EpochClock:
    return EpochClock()


@pytest.fixture(name="server")
def server_fixture(tmp_path: Path, clock: EpochClock) -> Iterator[ServerHandle]:
    handle = start_server_thread(
        "127.0.0.1", 0, tmp_path / "platform", require_signatures=True, clock=clock
    )
    yield handle
    handle.stop()
