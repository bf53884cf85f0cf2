"""A resident ID card read over the paced pty at 115200 baud, against its wire time.

The read is timed from ``card_did_insert`` to ``card_did_read``: select card (19-byte answer)
and read text + photo (1,295-byte answer), then decoding. Two baselines: the wire time of the
1,295 bytes at 10 bits per byte (~112 ms), and the same bytes measured through the emulator's
paced writer and a bare pty read in this run (what the line alone costs here).
"""

from __future__ import annotations

import os
import select
import statistics
import tempfile
import threading
import time
from pathlib import Path

from devices.cards.base import CardReaderCallbacks
from devices.cards.gat467 import frame as f
from devices.cards.gat467.reader import Gat467CardReader
from devices.sim.idreader.emulator import VirtualIdReader

BAUD = 115200
READ_REPLY = 1295
WIRE_MS = READ_REPLY * 10 / BAUD * 1000
READS = 30


def _raw_paced_ms(emu: VirtualIdReader, rounds: int) -> list[float]:
    """The 1,295 bytes through the emulator's paced writer, read by a bare pty reader."""
    payload = f.encode_reply(f.SW_OK, bytes(READ_REPLY - 11))
    fd = os.open(emu.tty_path, os.O_RDWR | os.O_NOCTTY)
    out = []
    try:
        for _ in range(rounds):
            start = time.perf_counter()
            writer = threading.Thread(target=emu._send, args=(payload,))
            writer.start()
            got = 0
            while got < len(payload):
                select.select([fd], [], [], 5.0)
                got += len(os.read(fd, 4096))
            out.append((time.perf_counter() - start) * 1000)
            writer.join()
    finally:
        os.close(fd)
    return out


def _reads_ms(emu: VirtualIdReader, reads: int) -> list[float]:
    inserted: list[float] = []
    done = threading.Semaphore(0)
    removed = threading.Semaphore(0)
    times: list[float] = []

    def on_read(_card: object) -> None:
        times.append((time.perf_counter() - inserted[-1]) * 1000)
        done.release()

    reader = Gat467CardReader(emu.path, BAUD, poll_interval=0.05)
    reader.subscribe(
        CardReaderCallbacks(
            card_did_insert=lambda _p: inserted.append(time.perf_counter()),
            card_did_read=on_read,
            card_did_remove=lambda _p: removed.release(),
        )
    )
    reader.start()
    try:
        for _ in range(reads):
            emu.place()
            if not done.acquire(timeout=10):
                raise RuntimeError(f"no card read: {reader.status().detail}")
            emu.lift()
            removed.acquire(timeout=10)
    finally:
        reader.stop()
    return times


def run(reads: int = READS) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        emu = VirtualIdReader(baudrate=BAUD, link=Path(tmp) / "ttyGAT0").start()
        try:
            raw = _raw_paced_ms(emu, 10)
            ours = _reads_ms(emu, reads)
        finally:
            emu.stop()
    median = statistics.median(ours)
    p95 = statistics.quantiles(ours, n=20)[-1]
    raw_median = statistics.median(raw)
    return (
        f"gat467 read: median {median:.1f} ms, p95 {p95:.1f} ms over {reads} reads at {BAUD} "
        f"baud; {median / WIRE_MS:.2f}x the wire time of {READ_REPLY} bytes ({WIRE_MS:.1f} ms); "
        f"{median / raw_median:.2f}x the same bytes through the paced pty alone "
        f"({raw_median:.1f} ms measured)"
    )


if __name__ == "__main__":
    print(run())
