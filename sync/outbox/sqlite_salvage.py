"""Read table and index rows straight out of a damaged SQLite file, page by page.

SQLite itself refuses a file whose header is garbage and stops at the first damaged page of
a scan; this reader does neither. It walks every page of the main file and every committed
frame of its write-ahead log, decodes every cell of every leaf page it recognises, and skips
whatever does not parse. It knows nothing about the outbox: the caller decides which decoded
rows are its own (a checksum or hash in the row is the best test).

Format reference: https://www.sqlite.org/fileformat2.html (b-tree pages, record format,
overflow pages, WAL frames and checksums).
"""

from __future__ import annotations

import mmap
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HEADER_MAGIC = b"SQLite format 3\x00"
WAL_MAGICS = (0x377F0682, 0x377F0683)
TABLE_LEAF = 0x0D
INDEX_LEAF = 0x0A
PAGE_SIZES = (4096, 1024, 2048, 8192, 16384, 32768, 65536, 512)
MAX_OVERFLOW_PAGES = 1 << 16


@dataclass(frozen=True)
class Cell:
    """One decoded leaf cell: ``rowid`` is None for index cells."""

    kind: str  # "table" or "index"
    source: str  # "db" or "wal"
    order: int  # position of its page in reading order (later = newer)
    rowid: int | None
    values: tuple[Any, ...]


def _usable_size(data: bytes | mmap.mmap, wal: dict[int, bytes], page_size: int) -> int:
    """Bytes of each page that cells may use: the page size less the header's reserved bytes,
    read from the newest sound copy of page 1 (a damaged byte 20 would misplace every cell)."""
    for header in (wal.get(1, b""), bytes(data[:100])):
        if header[:16] == HEADER_MAGIC and page_size - header[20] >= 480:
            return page_size - header[20]
    return page_size


class _Reader:
    def __init__(self, data: bytes | mmap.mmap, wal: dict[int, bytes], page_size: int,
                 usable: int, fill: bytes = b"\0") -> None:
        self.data = data
        self.wal = wal
        self.page_size = page_size
        self.usable = usable
        # A file cut inside its last page still holds most of that page's cells (they fill a
        # page from its end, so the cut loses the last one): the lost bytes read as ``fill``.
        self.fill = fill
        self.page_count = -(-len(data) // page_size)

    def file_page(self, number: int) -> bytes:
        """Page ``number`` (1-based, within the file) as the main file holds it."""
        start = (number - 1) * self.page_size
        return bytes(self.data[start : start + self.page_size]).ljust(self.page_size, self.fill)

    def page(self, number: int) -> bytes | None:
        """The newest committed content of page ``number`` (1-based), or None."""
        if number in self.wal:
            return self.wal[number]
        if 1 <= number <= self.page_count:
            return self.file_page(number)
        return None


def _varint(buf: bytes, pos: int) -> tuple[int, int]:
    value = 0
    for i in range(9):
        byte = buf[pos + i]
        if i == 8:
            return (value << 8) | byte, pos + 9
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value, pos + i + 1
    raise ValueError("bad varint")  # unreachable


def _text(chunk: bytes) -> str | bytes:
    """A text value; its raw bytes if they are not UTF-8 (damaged: the caller's type checks
    refuse it, or, for a row's id, its index gives the id back)."""
    try:
        return chunk.decode("utf-8")
    except UnicodeDecodeError:
        return bytes(chunk)


def _record(payload: bytes) -> tuple[Any, ...]:
    header_size, pos = _varint(payload, 0)
    if header_size < 1 or header_size > len(payload):
        raise ValueError("bad record header")
    types = []
    while pos < header_size:
        serial, pos = _varint(payload, pos)
        types.append(serial)
    if pos != header_size:
        raise ValueError("record header overruns")
    values: list[Any] = []
    body = header_size
    for serial in types:
        if serial == 0:
            values.append(None)
        elif 1 <= serial <= 6:
            width = (1, 2, 3, 4, 6, 8)[serial - 1]
            chunk = payload[body : body + width]
            if len(chunk) != width:
                raise ValueError("record truncated")
            values.append(int.from_bytes(chunk, "big", signed=True))
            body += width
        elif serial == 7:
            chunk = payload[body : body + 8]
            if len(chunk) != 8:
                raise ValueError("record truncated")
            values.append(struct.unpack(">d", chunk)[0])
            body += 8
        elif serial in (8, 9):
            values.append(serial - 8)
        elif serial >= 12:
            width = (serial - 12) // 2
            chunk = payload[body : body + width]
            if len(chunk) != width:
                raise ValueError("record truncated")
            values.append(_text(chunk) if serial % 2 else bytes(chunk))
            body += width
        else:
            raise ValueError("reserved serial type")
    if body != len(payload):
        raise ValueError("record length does not match its header")
    return tuple(values)


def _payload(reader: _Reader, page: bytes, pos: int, size: int, table: bool) -> bytes:
    """Gather a cell's payload: the local part plus its overflow chain."""
    usable = reader.usable
    most = usable - 35 if table else ((usable - 12) * 64 // 255) - 23
    if size <= most:
        local = size
    else:
        least = ((usable - 12) * 32 // 255) - 23
        k = least + (size - least) % (usable - 4)
        local = k if k <= most else least
    parts = [page[pos : pos + local]]
    if len(parts[0]) != local:
        raise ValueError("cell runs past its page")
    if local == size:
        return parts[0]
    if size > reader.page_count * reader.page_size + len(reader.wal) * reader.page_size:
        raise ValueError("payload larger than the file")  # a garbage size, not a record
    (next_page,) = struct.unpack(">I", page[pos + local : pos + local + 4])
    have, visited = local, set[int]()
    while have < size:
        overflow = reader.page(next_page)
        if overflow is None or next_page in visited or len(visited) >= MAX_OVERFLOW_PAGES:
            raise ValueError("overflow chain broken")
        visited.add(next_page)
        take = min(size - have, usable - 4)
        parts.append(overflow[4 : 4 + take])
        have += take
        (next_page,) = struct.unpack(">I", overflow[:4])
    return b"".join(parts)


def _cells(reader: _Reader, page: bytes, number: int) -> Iterator[tuple[str, int | None, bytes]]:
    offset = 100 if number == 1 else 0
    kind = page[offset]
    if kind not in (TABLE_LEAF, INDEX_LEAF):
        return
    (count,) = struct.unpack(">H", page[offset + 3 : offset + 5])
    if 8 + offset + 2 * count > reader.usable:
        return
    for i in range(count):
        try:
            (pos,) = struct.unpack(">H", page[offset + 8 + 2 * i : offset + 10 + 2 * i])
            size, pos = _varint(page, pos)
            rowid = None
            if kind == TABLE_LEAF:
                rowid, pos = _varint(page, pos)
            yield (
                "table" if kind == TABLE_LEAF else "index",
                rowid,
                _payload(reader, page, pos, size, kind == TABLE_LEAF),
            )
        except (ValueError, IndexError, struct.error):
            continue


def _wal_frames(
    wal: bytes | mmap.mmap, page_size_hint: int | None
) -> tuple[int | None, list[tuple[int, bytes]]]:
    """Committed frames of a WAL, in order, checked as SQLite checks them (salts, checksums)."""
    if len(wal) < 32:
        return None, []
    magic, _version, page_size, _ckpt, salt1, salt2, c1, c2 = struct.unpack(">8I", wal[:32])
    if magic not in WAL_MAGICS or page_size not in PAGE_SIZES:
        return None, []
    if page_size_hint and page_size != page_size_hint:
        return None, []
    fmt = ">" if magic & 1 else "<"

    def checksum(data: bytes, s0: int, s1: int) -> tuple[int, int]:
        words = struct.unpack(f"{fmt}{len(data) // 4}I", data)
        for j in range(0, len(words), 2):
            s0 = (s0 + words[j] + s1) & 0xFFFFFFFF
            s1 = (s1 + words[j + 1] + s0) & 0xFFFFFFFF
        return s0, s1

    s0, s1 = checksum(wal[:24], 0, 0)
    if (s0, s1) != (c1, c2):
        return None, []
    frames: list[tuple[int, bytes]] = []
    pending: list[tuple[int, bytes]] = []
    pos = 32
    while pos + 24 + page_size <= len(wal):
        number, commit, f1, f2, k1, k2 = struct.unpack(">6I", wal[pos : pos + 24])
        data = wal[pos + 24 : pos + 24 + page_size]
        if (f1, f2) != (salt1, salt2):
            break
        s0, s1 = checksum(wal[pos : pos + 8], s0, s1)
        s0, s1 = checksum(data, s0, s1)
        if (s0, s1) != (k1, k2):
            break
        pending.append((number, bytes(data)))
        if commit:
            frames.extend(pending)
            pending = []
        pos += 24 + page_size
    return page_size, frames


def _map(path: Path) -> bytes | mmap.mmap:
    if not path.exists() or path.stat().st_size == 0:
        return b""
    with open(path, "rb") as handle:
        return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)


def _scan(data: bytes | mmap.mmap, frames: list[tuple[int, bytes]], page_size: int) -> list[Cell]:
    wal_pages = dict(frames)
    usable = _usable_size(data, wal_pages, page_size)
    # A cut last page is read twice, its lost bytes as 0x00 then as 0xFF: only the cells that
    # read the same both times are kept (none of them holds a byte the cut took).
    fills = (b"\0", b"\xff") if len(data) % page_size else (b"\0",)
    readers = [_Reader(data, wal_pages, page_size, usable, fill) for fill in fills]
    # A page of the main file read through the WAL may follow its overflow chain into pages
    # the WAL has since given to other rows (or a WAL from another state overlays them), so
    # its cells are also read against the main file alone; the caller's checks pick.
    alone = [_Reader(data, {}, page_size, usable, fill) for fill in fills] if wal_pages else []
    cells: list[Cell] = []
    order = 0
    for number in range(1, readers[0].page_count + 1):
        order += 1
        found = _sure(readers, number, "db", order)
        cells.extend(found)
        if alone:
            seen = {cell.values for cell in found}
            cells.extend(c for c in _sure(alone, number, "db", order) if c.values not in seen)
    for number, page in frames:
        order += 1
        cells.extend(_sure(readers, number, "wal", order, page))
    return cells


def _sure(readers: list[_Reader], number: int, source: str, order: int,
          page: bytes | None = None) -> list[Cell]:
    """The cells of a page that every reader decodes alike (see the fills in :func:`_scan`)."""
    first, *others = [_decode(r, page or r.file_page(number), number, source, order)
                      for r in readers]
    for other in others:
        same = {cell.values for cell in other}
        first = [cell for cell in first if cell.values in same]
    return first


def _decode(reader: _Reader, page: bytes, number: int, source: str, order: int) -> list[Cell]:
    found = []
    for kind, rowid, payload in _cells(reader, page, number):
        try:
            values = _record(payload)
        except (ValueError, IndexError, UnicodeDecodeError, struct.error):
            continue
        found.append(Cell(kind, source, order, rowid, values))
    return found


def salvage_cells(db_path: Path, wal_path: Path | None = None) -> tuple[int, list[Cell]]:
    """Every decodable leaf cell of the file and its committed WAL frames.

    Returns (page size used, cells). With a garbage header the page size comes from the
    WAL, else each common size is tried and the one that decodes most cells wins.
    """
    data = _map(db_path)
    wal = _map(wal_path) if wal_path is not None else b""
    try:
        header_size = None
        if data[:16] == HEADER_MAGIC:
            (raw,) = struct.unpack(">H", data[16:18])
            header_size = 65536 if raw == 1 else raw
            if header_size not in PAGE_SIZES:
                header_size = None
        wal_size, frames = _wal_frames(wal, header_size)
        if header_size or wal_size:
            size = header_size or wal_size or 4096
            return size, _scan(data, frames, size)
        best: tuple[int, list[Cell]] = (4096, [])
        for size in PAGE_SIZES:
            cells = _scan(data, [], size)
            if len(cells) > len(best[1]):
                best = (size, cells)
        return best
    finally:
        for mapped in (data, wal):
            if isinstance(mapped, mmap.mmap):
                mapped.close()
