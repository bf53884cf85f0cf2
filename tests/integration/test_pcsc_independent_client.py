"""The virtual card, started through its command line, answers a PC/SC client we did not write.

``scriptor`` (pcsc-tools) talks to pcscd, which talks to vpcd, which talks to our card over TCP:
if these pass, the emulator is a real card to the PC/SC stack, not only to our own reader.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from devices.sim.card.vcard import load_holder
from tests.support.pcsc import (
    VPCD_READER,
    PcscDaemon,
    card_present,
    wait_reader_empty,
    wait_until,
)

pytestmark = pytest.mark.pcsc
ROOT = Path(__file__).resolve().parents[2]
SELECT_SSSE = "00 A4 04 00 0F 73 78 31 2E 73 68 2E C9 E7 BB E1 B1 A3 D5 CF"
_REPLY = re.compile(r"^< ((?:[0-9A-F]{2}\s+)+):", re.MULTILINE)


def scriptor(*apdus: str) -> list[bytes]:
    """Send APDUs with scriptor; the responses (data + SW) in order."""
    if subprocess.run(["which", "scriptor"], capture_output=True).returncode != 0:
        pytest.skip("scriptor (pcsc-tools) is not installed")
    result = subprocess.run(
        ["scriptor", "-r", VPCD_READER],
        input="\n".join(apdus) + "\n",
        capture_output=True,
        text=True,
        timeout=10,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    replies = [bytes.fromhex(" ".join(m.split())) for m in _REPLY.findall(result.stdout)]
    assert len(replies) == len(apdus), result.stdout
    return replies


def start_card_cli(*args: str) -> subprocess.Popen[str]:
    """``kiosk sim card`` as its own process, through the kiosk command line."""
    assert wait_reader_empty(), "a card from an earlier test is still in the reader"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk.cli", "sim", "card", "--port", "35963", *args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,  # technician commands; closed at the end
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    if not wait_until(lambda: card_present() or process.poll() is not None, 10.0):
        process.kill()
        pytest.fail("the virtual card never appeared in the reader")
    assert process.poll() is None, process.communicate()[0]
    return process


def stop_card_cli(process: subprocess.Popen[str]) -> tuple[int, str]:
    process.send_signal(signal.SIGINT)
    try:
        output, _ = process.communicate(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    return process.returncode, output


@pytest.fixture
def card_cli(pcscd: PcscDaemon) -> Iterator[subprocess.Popen[str]]:
    process = start_card_cli("--profile", "ssc")
    try:
        yield process
    finally:
        if process.poll() is None:
            stop_card_cli(process)
        wait_reader_empty()


def test_scriptor_selects_ssse_and_reads_records_in_three_forms(
    card_cli: subprocess.Popen[str],
) -> None:
    holder = load_holder()
    select_ef06 = "00 A4 02 00 02 EF 06"
    replies = scriptor(
        SELECT_SSSE,
        select_ef06,
        "00 B2 08 00 14",  # by tag: social-security number
        "00 B2 09 04 20",  # by record number: name
        "00 B2 0E 00 05",  # no such record
        "00 B2 08 00 05",  # wrong Le
        "00 B2 07 2C 0B",  # by SFI 5 (EF05): card number; EF05 becomes the current file
        "00 A4 02 00 02 EF 09",  # no such file
    )
    assert replies[0] == b"\x90\x00"
    assert replies[1] == b"\x90\x00"
    assert replies[2] == b"\x08\x12" + holder["id_number"].encode() + b"\x90\x00"
    name = replies[3][2:-2]
    assert replies[3][:2] == b"\x09\x1e" and name.rstrip(b"\x00").decode("gbk") == holder["name"]
    assert replies[4] == b"\x6a\x83"
    assert replies[5] == b"\x6c\x14"
    assert replies[6] == b"\x07\x09" + holder["card_number"].encode() + b"\x90\x00"
    assert replies[7] == b"\x6a\x82"


def test_card_cli_prints_masked_status_and_exits_cleanly_on_ctrl_c(
    card_cli: subprocess.Popen[str],
) -> None:
    holder = load_holder()
    code, output = stop_card_cli(card_cli)
    assert code == 0, output
    assert "card inserted" in output and "card removed" in output
    assert "2301**********015X" in output
    assert holder["id_number"] not in output and holder["name"] not in output
    assert wait_until(lambda: not card_present(), 3.0)


def test_scriptor_sees_the_bank_profile_refuse_the_ssse_application(
    pcscd: PcscDaemon,
) -> None:
    process = start_card_cli("--profile", "bank")
    try:
        assert scriptor(SELECT_SSSE) == [b"\x6a\x82"]
    finally:
        code, output = stop_card_cli(process)
        wait_reader_empty()
    assert code == 0, output


def test_card_cli_fault_options_and_live_commands_reach_an_independent_client(
    pcscd: PcscDaemon,
) -> None:
    """``--fault wrong_sw`` as scriptor sees it through pcscd, then ``clear`` typed on stdin."""
    process = start_card_cli("--fault", "wrong_sw", "--fault-after", "1", "--wrong-sw", "6581")
    select_ef06 = "00 A4 02 00 02 EF 06"
    try:
        assert scriptor(SELECT_SSSE, select_ef06) == [b"\x90\x00", b"\x65\x81"]
        assert process.stdin is not None
        process.stdin.write("clear\n")
        process.stdin.flush()
        assert wait_until(
            lambda: scriptor(SELECT_SSSE, select_ef06) == [b"\x90\x00", b"\x90\x00"], 5.0, 0.2
        )
    finally:
        code, output = stop_card_cli(process)
        wait_reader_empty()
    assert code == 0, output
    assert "fault modes: wrong_sw" in output and "fault modes: none" in output
