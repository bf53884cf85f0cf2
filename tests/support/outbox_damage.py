"""Damaged copies of a real outbox, for tests/unit/test_outbox_salvage_fuzz.py.

:func:`build_sample` builds one outbox, deterministically, through the real enqueue path with
real sealing, and keeps three images of it (``old``: an early crash image with its WAL,
``crash``: a later one, ``closed``: the file after a clean close) and every version each record
and message ever had. :class:`Damage` (drawn by :data:`damages`) says how to damage copies of
an image: the database file truncated, flipped or overwritten, the WAL and -shm taken from
another image, flipped or cut, or the file missing beside its WAL.
"""

from __future__ import annotations

import os
import random
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from hypothesis import strategies as st

from sync.hpke_sender import encapsulate
from sync.outbox.store import Outbox
from sync.platform.protocol import rating_body
from sync.sealing import key_id_of, seal
from sync.uuid7 import uuid7
from tests.support.clock import FakeClock

PAGE = 4096
NAME = "outbox.sqlite"
SUFFIXES = ("", "-wal", "-shm")




class Sample:
    """The images of one outbox, and every version each record and message ever had."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.history: dict[str, list[dict[str, Any]]] = {}
        self.messages: dict[str, bytes] = {}

    def __repr__(self) -> str:
        return f"Sample({self.root})"

    def files(self, image: str) -> dict[str, bytes]:
        found = {}
        for suffix in SUFFIXES:
            source = self.root / image / f"{NAME}{suffix}"
            if source.exists():
                found[suffix] = source.read_bytes()
        return found

    def values(self, column: str) -> set[Any]:
        """Every value any record ever had in ``column``."""
        return {v[column] for versions in self.history.values() for v in versions}

    def known(self, table: str, row: dict[str, Any]) -> bool:
        """The row is, column for column, a version its record really had."""
        key = row.get("id")
        if table == "messages":
            return key in self.messages and self.messages[key] == row.get("body")
        return key in self.history and row in self.history[key]


def build_sample(root: Path) -> Sample:
    sample = Sample(root)
    rng = random.Random(20261121)
    key = X25519PrivateKey.from_private_bytes(bytes(range(1, 33))).public_key()
    clock = FakeClock()
    live = root / "live" / NAME
    box = Outbox(live, clock=clock)

    def note() -> None:
        for row in box.db.query("SELECT * FROM outbox"):
            versions = sample.history.setdefault(row["id"], [])
            if row not in versions:
                versions.append(row)

    def submit(n: int) -> None:
        payload = rng.randbytes(rng.choice([120, 800, 2600, 6000, 11000]))
        ephemeral = X25519PrivateKey.from_private_bytes(rng.randbytes(32))

        def build(daily_seq: int) -> tuple[bytes, dict[str, Any]]:
            envelope = seal(payload, key, key_id_of(key), {"service": "SS-001"},
                            prepared=encapsulate(key, ephemeral))
            return envelope, {"tracking_number": f"K0451-20261121-{daily_seq:04d}"}

        txid = str(uuid7(1_795_000_000_000 + n, rng.randbytes(10)))
        box.enqueue(txid, "SS-001", daily_key="20261121", build=build, query_code=f"{n:08d}")
        clock.advance(1)

    def snapshot(image: str) -> None:
        (root / image).mkdir()
        for suffix in SUFFIXES:
            if Path(f"{live}{suffix}").exists():
                shutil.copyfile(f"{live}{suffix}", root / image / f"{NAME}{suffix}")

    for n in range(20):
        submit(n)
    for n in range(6):
        txid = str(uuid7(1_795_000_100_000 + n, rng.randbytes(10)))
        message = box.messages.enqueue(txid, "rating", rating_body(
            txid, "kiosk-0451", "elderly-card-apply", 1 + n % 5,
            "slow" if n % 5 < 2 else None, clock.now()))
        sample.messages[message.id] = message.body
    box.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    claimed = [r.id for r in box.next_batch(5, 10**9)]
    box.mark_acked(claimed[:4])
    box.mark_unsent(claimed[4:], "platform unreachable")
    box.next_batch(2, 10**9)  # left sending: the power fails with them in flight
    box.messages.mark_acked([m.id for m in box.messages.claim(3)][:2])
    note()
    snapshot("old")
    box.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for n in range(20, 34):
        submit(n)
    [refused] = box.next_batch(1, 10**9)
    box.mark_quarantined(refused.id, "rejected by platform", verdict="rejected")
    note()
    box.mark_acked([r.id for r in box.next_batch(5, 10**9)])
    note()
    clock.advance(8 * 86400)
    box.purge_expired()  # the first acked records lose their envelope
    note()
    box.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for n in range(34, 44):
        submit(n)
    note()
    box.mark_acked([r.id for r in box.next_batch(3, 10**9)])
    box.next_batch(2, 10**9)
    note()
    snapshot("crash")
    box.close()
    snapshot("closed")
    assert sample.files("crash")["-wal"] and "-wal" not in sample.files("closed")
    return sample



def write_private(path: Path, data: bytes) -> None:
    """A private file, as the kiosk keeps its outbox (0600)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


# -- damage --------------------------------------------------------------------------------


def _pages_of_kind(data: bytes, kinds: tuple[int, ...]) -> list[int]:
    """0-based page numbers whose b-tree type byte is one of ``kinds`` (in the intact layout)."""
    found = []
    for number in range(len(data) // PAGE):
        offset = 100 if number == 0 else 0
        if data[number * PAGE + offset] in kinds:
            found.append(number)
    return found


def _freelist_pages(data: bytes) -> list[int]:
    trunk = int.from_bytes(data[32:36], "big") if len(data) >= 100 else 0
    if not 1 <= trunk <= len(data) // PAGE:
        return []
    start = (trunk - 1) * PAGE
    leaves = int.from_bytes(data[start + 4 : start + 8], "big")
    pages = [trunk - 1]
    for i in range(min(leaves, (PAGE - 8) // 4)):
        leaf = int.from_bytes(data[start + 8 + 4 * i : start + 12 + 4 * i], "big")
        if 1 <= leaf <= len(data) // PAGE:
            pages.append(leaf - 1)
    return pages


def _target_page(data: bytes, where: str, pick: int) -> int:
    """A page of the given kind (any page if the file has none), chosen by ``pick``."""
    pages = {
        "interior": lambda: _pages_of_kind(data, (0x02, 0x05)),
        "leaf": lambda: _pages_of_kind(data, (0x0A, 0x0D)),
        "freelist": lambda: _freelist_pages(data),
    }.get(where, list)() or list(range(max(1, len(data) // PAGE)))
    return pages[pick % len(pages)]


def _damage_db(data: bytes, ops: list[tuple[Any, ...]]) -> bytes:
    buf = bytearray(data)
    for op in ops:
        if not buf:
            break
        kind = op[0]
        if kind == "truncate":
            _, pick, inside = op
            pages = max(1, len(buf) // PAGE)
            del buf[(pick % pages) * PAGE + inside :]
        elif kind == "flip":
            _, where, pick, within, mask = op
            if where == "header":
                offset = within % 100
            else:
                offset = _target_page(bytes(buf), where, pick) * PAGE + within % PAGE
            if offset < len(buf):
                buf[offset] ^= mask
        else:  # "zero" or "garbage": a whole page overwritten
            _, where, pick, seed = op
            start = _target_page(bytes(buf), where, pick) * PAGE
            end = min(len(buf), start + PAGE)
            fill = bytes(end - start) if kind == "zero" else random.Random(seed).randbytes(
                end - start)
            buf[start:end] = fill
    return bytes(buf)


def _damage_wal(data: bytes, ops: list[tuple[Any, ...]]) -> bytes:
    buf = bytearray(data)
    for op in ops:
        if not buf:
            break
        if op[0] == "truncate":
            del buf[op[1] % len(buf) :]
        else:
            _, offset, mask = op
            buf[offset % len(buf)] ^= mask
    return bytes(buf)


pages = st.integers(0, 200)
db_ops = st.lists(
    st.one_of(
        st.tuples(st.just("truncate"), pages, st.sampled_from([0, 0, 1, 100, 2048, 4095])),
        st.tuples(st.just("flip"), st.sampled_from(["header", "interior", "leaf", "freelist",
                                                    "any"]),
                  pages, st.integers(0, PAGE - 1), st.integers(1, 255)),
        st.tuples(st.sampled_from(["zero", "garbage"]),
                  st.sampled_from(["interior", "leaf", "freelist", "any"]), pages,
                  st.integers(0, 2**16)),
    ),
    max_size=3,
)
wal_ops = st.lists(
    st.one_of(
        st.tuples(st.just("truncate"), st.integers(0, 2**20)),
        # frame headers sit at 32 + k * (24 + PAGE): aim there as often as anywhere
        st.tuples(st.just("flip"), st.one_of(
            st.integers(0, 2**20),
            st.builds(lambda k, i: 32 + k * (PAGE + 24) + i, st.integers(0, 60),
                      st.integers(0, 23)),
        ), st.integers(1, 255)),
    ),
    max_size=2,
)


@dataclass(frozen=True)
class Damage:
    image: str  # which image the database file comes from
    db: str  # "present", "missing" or "empty"
    db_ops: tuple[tuple[Any, ...], ...]
    wal: str  # "own", "none", or the image an (older, other) WAL comes from
    wal_ops: tuple[tuple[Any, ...], ...]
    shm: str  # "own", "none", "garbage", or the image a stale -shm comes from

    def apply(self, sample: Sample) -> dict[str, bytes]:
        own = sample.files(self.image)
        files: dict[str, bytes] = {}
        if self.db == "present":
            files[""] = _damage_db(own[""], list(self.db_ops))
        elif self.db == "empty":
            files[""] = b""
        wal = own.get("-wal") if self.wal == "own" else (
            None if self.wal == "none" else sample.files(self.wal).get("-wal"))
        if wal:
            files["-wal"] = _damage_wal(wal, list(self.wal_ops))
        shm = own.get("-shm") if self.shm == "own" else (
            random.Random(len(wal or b"")).randbytes(32768) if self.shm == "garbage"
            else None if self.shm == "none" else sample.files(self.shm).get("-shm"))
        if shm and "-wal" in files:
            files["-shm"] = shm
        return files


damages = st.builds(
    Damage,
    image=st.sampled_from(["closed", "crash", "old"]),
    db=st.sampled_from(["present"] * 6 + ["missing", "empty"]),
    db_ops=db_ops.map(tuple),
    wal=st.sampled_from(["own", "own", "none", "old", "crash"]),
    wal_ops=wal_ops.map(tuple),
    shm=st.sampled_from(["own", "none", "garbage", "old", "crash"]),
)
