"""A virtual card for pcscd's vpcd driver: a social-security card or a bank card.

vpcd listens on TCP (35963 for reader "Virtual PCD 00 00"); a card is a TCP client:
connecting inserts it, closing removes it. Framing both ways: 2-byte big-endian length, then
payload; a 1-byte payload is control (00 off, 01 on, 02 reset: no reply; 04: reply with ATR),
anything longer is a command APDU answered with data + SW1 SW2. Fault modes (slow, mute then
pulled out, wrong status words, malformed records, removal mid-read) are in ``faults``;
they can be switched on a live card with ``set_fault``.
Only for development, tests, demos and training: vpcd must never run on a production kiosk.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import socket
import struct
import threading
from collections.abc import Sequence
from importlib import resources
from typing import Any, Literal

from devices.cards.pcsc.ssse import SSSE_AID
from devices.sim.card.faults import FaultSettings, corrupt_record

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 35963  # vpcd reader 0 (0x8C7B in /etc/reader.conf.d/vpcd)
Profile = Literal["ssc", "bank"]

SW_OK = b"\x90\x00"
SW_FILE_NOT_FOUND = b"\x6a\x82"
SW_RECORD_NOT_FOUND = b"\x6a\x83"
SW_WRONG_P1P2 = b"\x6b\x00"
SW_INS_NOT_SUPPORTED = b"\x6d\x00"
SW_CLA_NOT_SUPPORTED = b"\x6e\x00"
SW_NO_CURRENT_EF = b"\x69\x86"
SW_WRONG_LENGTH = b"\x67\x00"
SW_SECURITY_NOT_SATISFIED = b"\x69\x82"
SW_PIN_BLOCKED = b"\x69\x83"  # authentication method blocked
DEFAULT_PIN = "123456"  # the fixture card's PIN (fictional, like its holder)
PIN_TRIES = 3  # wrong PINs in a row before the card blocks it, as real cards do

SFI = {5: b"\xef\x05", 6: b"\xef\x06"}


def _atr(historical: bytes) -> bytes:
    """A T=1 ATR with the given historical bytes and its check byte."""
    body = bytes([0x80 | len(historical), 0x01]) + historical
    tck = 0
    for b in body:
        tck ^= b
    return b"\x3b" + body + bytes([tck])


ATRS: dict[str, bytes] = {"ssc": _atr(b"KIOSK-SSC"), "bank": _atr(b"KIOSK-BNK")}


def load_holder() -> dict[str, str]:
    """The fictional holder of the fixture file assets/sim/ssc_holder.json."""
    text = (resources.files("assets") / "sim" / "ssc_holder.json").read_text(encoding="utf-8")
    return dict(json.loads(text))


def _bcd(digits: str, size: int) -> bytes:
    padded = digits.ljust(size * 2, "F")
    return bytes.fromhex(padded)


def _fixed(text: str, size: int, encoding: str) -> bytes:
    raw = text.encode(encoding)[:size]
    return raw.ljust(size, b"\x00") if encoding == "gbk" else raw


def build_files(holder: dict[str, Any]) -> dict[bytes, dict[int, bytes]]:
    """EF05 and EF06 records (tag -> value) from a holder dict."""
    ef05 = {
        0x01: holder["card_id_code"].encode("ascii"),
        0x03: holder.get("spec_version", "3.00").encode("ascii"),
        0x05: _bcd(holder["issue_date"], 4),
        0x06: _bcd(holder["expiry_date"], 4),
        0x07: holder["card_number"].encode("ascii"),
    }
    ef06 = {
        0x08: holder["id_number"].encode("ascii"),
        0x09: _fixed(holder["name"], 30, "gbk"),
        0x0A: holder["gender"].encode("ascii"),
        0x0B: _bcd(holder["nation"], 1),
        0x0C: _bcd(holder["birthplace"], 3),
        0x0D: _bcd(holder["birth_date"], 4),
    }
    return {b"\xef\x05": ef05, b"\xef\x06": ef06}


class VirtualCard:
    """A card's APDU logic (``process_apdu``) plus the vpcd socket that carries it."""

    def __init__(
        self,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        profile: Profile = "ssc",
        holder: dict[str, Any] | None = None,
        *,
        fci_via_get_response: bool = False,
        reply_delay: float = 0.0,
        faults: Sequence[str] = (),
        fault_after: int = 2,
        mute_seconds: float = 3.0,
        wrong_sw: bytes = b"\x6f\x00",
        read_forms: Sequence[str] = ("tag", "number", "sfi"),
        pin: str = DEFAULT_PIN,
        pin_tries: int = PIN_TRIES,
    ) -> None:
        if profile not in ATRS:
            raise ValueError(f"unknown card profile {profile!r}")
        if not (pin.isascii() and pin.isdigit() and len(pin) == 6) or pin_tries < 1:
            raise ValueError("the card's PIN is six digits, with at least one try")
        self.host = host
        self.port = port
        self.profile = profile
        self.atr = ATRS[profile]
        self.files = build_files(holder or load_holder()) if profile == "ssc" else {}
        self.fci_via_get_response = fci_via_get_response  # answer SELECT SSSE with 61xx
        # Which READ RECORD forms this card model accepts (cards differ; the reader adapts).
        self.read_forms = frozenset(read_forms)
        self._lock = threading.Lock()
        self.fault = FaultSettings(
            set(faults), fault_after=fault_after, mute_seconds=mute_seconds, wrong_sw=wrong_sw
        )
        if reply_delay:
            self.reply_delay = reply_delay
        self.apdu_log: list[bytes] = []  # command APDUs seen (no personal data in commands)
        self.pulled_by_fault = threading.Event()  # set when mute / remove_mid_read pulled it out
        self._answered = 0  # APDUs answered since insertion: where counted faults strike
        # The PIN and its retry counter live on the card ("EEPROM"): they outlast removal,
        # power-off and reset; only the verified state is lost with the power.
        self._pin = bytes.fromhex(pin + "F" * (len(pin) % 2))
        self.pin_tries_max = pin_tries
        self._pin_tries_left = pin_tries
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._closing = threading.Event()
        self._reset_state()

    def __repr__(self) -> str:
        faults = ",".join(sorted(self.fault.active)) or "none"
        return (
            f"VirtualCard(profile={self.profile!r}, port={self.port}, "
            f"inserted={self.inserted}, faults={faults})"
        )

    # --- fault modes ------------------------------------------------------------------------

    def set_fault(self, name: str, on: bool = True) -> None:
        """Switch one fault mode of ``faults.FAULTS``; takes effect at the next APDU."""
        with self._lock:
            self.fault.set([name], on)

    def clear_faults(self) -> None:
        with self._lock:
            self.fault.active.clear()

    @property
    def faults(self) -> frozenset[str]:
        with self._lock:
            return frozenset(self.fault.active)

    @property
    def reply_delay(self) -> float:
        """The "slow" fault's delay before each APDU answer, 0 when the fault is off."""
        return self.fault.slow_delay if "slow" in self.fault.active else 0.0

    @reply_delay.setter
    def reply_delay(self, seconds: float) -> None:
        if not 0 <= seconds < 3600:
            raise ValueError("reply_delay must be between 0 and 3600 seconds")
        with self._lock:
            if seconds > 0:
                self.fault.slow_delay = seconds
            self.fault.set(["slow"], seconds > 0)

    # --- card logic -------------------------------------------------------------------------

    @property
    def pin_tries_left(self) -> int:
        with self._lock:
            return self._pin_tries_left

    @property
    def pin_blocked(self) -> bool:
        return self.pin_tries_left == 0

    @property
    def pin_verified(self) -> bool:
        with self._lock:
            return self._pin_verified

    def unblock_pin(self) -> None:
        """What the issuer's counter does with the holder present (PUK): tries back to full."""
        with self._lock:
            self._pin_tries_left = self.pin_tries_max

    def _reset_state(self) -> None:
        self._pin_verified = False
        self._app_selected = False
        self._current_ef: bytes | None = None
        self._pending = b""

    def process_apdu(self, apdu: bytes) -> bytes:
        """Answer one command APDU with response data + SW1 SW2."""
        with self._lock:
            self.apdu_log.append(_loggable(apdu))
            answered, self._answered = self._answered, self._answered + 1
            if self.fault.strikes("wrong_sw", answered):
                return self.fault.wrong_sw
            if len(apdu) < 4:
                return SW_WRONG_LENGTH
            cla, ins, p1, p2 = apdu[:4]
            if cla != 0x00:
                return SW_CLA_NOT_SUPPORTED
            if ins == 0xA4:
                return self._select(p1, apdu[5 : 5 + apdu[4]] if len(apdu) > 4 else b"")
            if ins == 0xC0:
                data, self._pending = self._pending, b""
                if not data:
                    return b"\x69\x85"
                return data + SW_OK
            if ins == 0x20 and self.profile == "ssc":
                return self._verify(p1, p2, apdu[5 : 5 + apdu[4]] if len(apdu) > 4 else b"")
            if ins == 0xB2 and self.profile == "ssc":
                le = apdu[4] if len(apdu) > 4 else 0
                return self._read_record(p1, p2, le)
            return SW_INS_NOT_SUPPORTED

    def _select(self, p1: int, data: bytes) -> bytes:
        self._pending = b""
        if p1 == 0x04:
            if self.profile != "ssc" or data != SSSE_AID:
                return SW_FILE_NOT_FOUND
            self._app_selected = True
            self._current_ef = None
            if self.fci_via_get_response:
                fci = b"\x6f" + bytes([len(data) + 2]) + b"\x84" + bytes([len(data)]) + data
                self._pending = fci
                return bytes([0x61, len(fci)])
            return SW_OK
        if p1 in (0x00, 0x02) and self._app_selected and data in self.files:
            self._current_ef = data
            return SW_OK
        return SW_FILE_NOT_FOUND

    def _verify(self, p1: int, p2: int, data: bytes) -> bytes:
        """VERIFY (ISO/IEC 7816-4): 9000, 63Cx (x tries left), 6983 once blocked. Without
        data it only reports the tries left. The counter is taken before the comparison, so
        pulling the card mid-check never saves a try."""
        if not self._app_selected:
            return SW_SECURITY_NOT_SATISFIED
        if p1 != 0x00 or p2 != 0x00:
            return SW_WRONG_P1P2
        if self._pin_tries_left == 0:
            return SW_PIN_BLOCKED
        if not data:
            return bytes([0x63, 0xC0 | self._pin_tries_left])
        self._pin_tries_left -= 1
        if hmac.compare_digest(data, self._pin):
            self._pin_tries_left = self.pin_tries_max
            self._pin_verified = True
            return SW_OK
        self._pin_verified = False
        return bytes([0x63, 0xC0 | self._pin_tries_left])

    def _read_record(self, p1: int, p2: int, le: int) -> bytes:
        if not self._app_selected:
            return SW_FILE_NOT_FOUND
        form = "tag" if p2 == 0x00 else "number" if p2 == 0x04 else "sfi"
        if form not in self.read_forms:
            return SW_WRONG_P1P2
        if p2 == 0x00 or p2 == 0x04:  # by tag / by record number in the current EF
            if self._current_ef is None:
                return SW_NO_CURRENT_EF
            ef = self._current_ef
        elif p2 & 0x07 == 0x04:  # by SFI
            ef = SFI.get(p2 >> 3, b"")
            if ef not in self.files:
                return SW_FILE_NOT_FOUND
            self._current_ef = ef
        else:
            return SW_WRONG_P1P2
        value = self.files[ef].get(p1)  # record numbers follow the tags on this card
        if value is None:
            return SW_RECORD_NOT_FOUND
        record = corrupt_record(bytes([p1, len(value)]) + value, self.fault.active)
        if le not in (0, len(record)):
            return bytes([0x6C, len(record)])
        return record + SW_OK

    def power(self, control: int) -> None:
        """Power on/off/reset: forget the selected application and file."""
        with self._lock:
            self._reset_state()

    # --- vpcd transport ---------------------------------------------------------------------

    @property
    def inserted(self) -> bool:
        thread = self._thread
        return self._sock is not None and thread is not None and thread.is_alive()

    def insert(self, timeout: float = 3.0) -> None:
        """Connect to vpcd: the reader sees a card. Raises OSError if vpcd is not listening."""
        if self.inserted:
            return
        self._closing.clear()
        sock = socket.create_connection((self.host, self.port), timeout=timeout)
        sock.settimeout(None)  # vpcd talks when pcscd polls; remove() ends the wait
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._sock = sock
        self.pulled_by_fault.clear()
        with self._lock:
            self._reset_state()
            self._answered = 0
        self._thread = threading.Thread(
            target=self._serve, args=(sock,), name="virtual-card", daemon=True
        )
        self._thread.start()

    def remove(self, timeout: float = 3.0) -> None:
        """Close the connection: the reader sees the card go."""
        self._closing.set()
        sock, self._sock = self._sock, None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def close(self) -> None:
        self.remove()

    def wait_removed(self, timeout: float) -> bool:
        """Wait until vpcd closed the connection (e.g. pcscd stopped)."""
        thread = self._thread
        if thread is None:
            return True
        thread.join(timeout)
        return not thread.is_alive()

    def _serve(self, sock: socket.socket) -> None:
        try:
            while not self._closing.is_set():
                header = _recv_exact(sock, 2)
                if header is None:
                    return
                (length,) = struct.unpack(">H", header)
                payload = _recv_exact(sock, length) if length else b""
                if payload is None:
                    return
                if len(payload) > 1 and self._transport_fault(payload):
                    return  # pulled out (fault mode) or removed while waiting
                reply = self._answer(payload)
                if reply is None:
                    continue
                if len(payload) > 1 and self.reply_delay and self._closing.wait(self.reply_delay):
                    return  # "slow card": APDUs only, the ATR poll is always answered at once
                sock.sendall(struct.pack(">H", len(reply)) + reply)
        except OSError:
            return
        finally:
            if self._sock is sock:
                self._sock = None
            with contextlib.suppress(OSError):
                sock.close()

    def _transport_fault(self, apdu: bytes) -> bool:
        """Act out "mute" / "remove_mid_read" for this APDU; True if the card is now out."""
        with self._lock:
            answered = self._answered
            mute = self.fault.strikes("mute", answered)
            pull = mute or self.fault.strikes("remove_mid_read", answered)
            silence = self.fault.mute_seconds
            if pull:
                self.apdu_log.append(_loggable(apdu))
        if not pull:
            return False
        # vpcd holds the reader until the card answers or goes: silence always ends in a pull-out
        if mute and self._closing.wait(silence):
            return True
        self.pulled_by_fault.set()
        return True

    def _answer(self, payload: bytes) -> bytes | None:
        if len(payload) == 1:
            if payload[0] == 0x04:
                return self.atr
            self.power(payload[0])
            return None
        return self.process_apdu(payload)


def _loggable(apdu: bytes) -> bytes:
    """A command APDU as the log keeps it: VERIFY without its data (the PIN)."""
    return bytes(apdu[:5]) if apdu[1:2] == b"\x20" else bytes(apdu)


def _recv_exact(sock: socket.socket, size: int) -> bytes | None:
    chunks = bytearray()
    while len(chunks) < size:
        chunk = sock.recv(size - len(chunks))
        if not chunk:
            return None
        chunks += chunk
        # vpcd writes the length and the payload separately: acknowledge at once, or Nagle
        # on its side waits for our delayed ACK (~40 ms per APDU).
        if hasattr(socket, "TCP_QUICKACK"):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
    return bytes(chunks)

