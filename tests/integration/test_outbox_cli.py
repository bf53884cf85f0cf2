"""``kiosk outbox`` as a technician uses it, on a real outbox file and a real printer."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from devices.sim.printer.tcp_server import VirtualPrinter
from sync.outbox.store import Outbox
from sync.sealing import key_id_of, open_envelope, payload_hash, seal

RECEIPT = {
    "title": "老年优待证申领",
    "lines": [["申请人", "张*"], ["证件号码", "1101**********002X"]],
    "tracking_number": "K0451-20261121-0001-5",
    "qr_payload": "http://127.0.0.1:8710/v1/track/K0451-20261121-0001-5",
    "notes": [],
    "printed_at": "2026-11-21T09:00:00+08:00",
    "kiosk_id": "kiosk-demo-0451",
}


def kiosk(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "--config", str(config), "outbox", *args],
        capture_output=True, text=True, timeout=60,
    )


def make_outbox(tmp_path: Path, printer_port: int) -> tuple[Path, X25519PrivateKey, list[str]]:
    data = tmp_path / "data"
    key = X25519PrivateKey.generate()
    outbox = Outbox(data / "outbox.sqlite")
    ids = []
    for n in range(3):
        txid = f"0190e5a0-0000-7000-8000-00000000000{n}"
        receipt = dict(RECEIPT, tracking_number=f"K0451-20261121-000{n + 1}-0")
        outbox.enqueue(txid, "elderly-card-apply",
                       seal(b'{"name": "secret"}', key.public_key(),
                            key_id_of(key.public_key()), {"txid": txid}),
                       receipt, "20261121")
        ids.append(txid)
    outbox.mark_quarantined(ids[2], "rejected: bad form", "rejected")
    outbox.close()
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[kiosk]\ndata_dir = "{data}"\n[printer]\nport = {printer_port}\n')
    return config, key, ids


def test_status_list_retry_export_and_reprint(
    tmp_path: Path, virtual_printer: VirtualPrinter
) -> None:
    config, key, ids = make_outbox(tmp_path, virtual_printer.port)
    status = kiosk(config, "status")
    assert status.returncode == 0
    assert "pending      2" in status.stdout and "quarantined  1" in status.stdout

    listed = json.loads(kiosk(config, "list", "--json").stdout)
    assert [r["state"] for r in listed] == ["pending", "pending", "quarantined"]
    assert listed[2]["verdict"] == "rejected"

    assert kiosk(config, "retry", ids[2]).returncode == 0
    assert json.loads(kiosk(config, "list", "--json", "--state", "quarantined").stdout) == []
    assert kiosk(config, "retry", "no-such-id").returncode == 1

    out = tmp_path / "export.jsonl"
    assert kiosk(config, "export", str(out)).returncode == 0
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["id"] for line in lines] == ids
    envelope = base64.b64decode(lines[0]["envelope"])
    assert payload_hash(envelope) == lines[0]["payload_hash"]
    assert open_envelope(envelope, key)[1] == b'{"name": "secret"}'  # still sealed, intact
    assert b"secret" not in out.read_bytes()

    assert kiosk(config, "reprint", "K0451-20261121-0002-0").returncode == 0
    printed = virtual_printer.wait_for_receipts(1, timeout=10)[0]
    assert "K0451-20261121-0002-0" in printed.text and "张*" in printed.text


def test_retry_refuses_while_the_kiosk_holds_the_outbox(
    tmp_path: Path, virtual_printer: VirtualPrinter
) -> None:
    config, _key, ids = make_outbox(tmp_path, virtual_printer.port)
    live = Outbox(tmp_path / "data" / "outbox.sqlite")  # the running kiosk
    try:
        done = kiosk(config, "retry", ids[0])
        assert done.returncode == 1 and "kiosk is running" in done.stderr
        assert kiosk(config, "status").returncode == 0  # reading still works
    finally:
        live.close()


def test_reprint_says_so_when_the_printer_is_out_of_paper(
    tmp_path: Path, virtual_printer: VirtualPrinter
) -> None:
    config, _key, _ids = make_outbox(tmp_path, virtual_printer.port)
    virtual_printer.set_fault("paper_out")
    done = kiosk(config, "reprint", "K0451-20261121-0001-0")
    assert done.returncode == 1 and "not printed" in done.stderr
    assert virtual_printer.receipts == []


def test_the_query_code_is_reprinted_but_never_listed_or_exported(
    tmp_path: Path, virtual_printer: VirtualPrinter
) -> None:
    """The code is the citizen's secret for status lookups: on paper again, nowhere else."""
    data = tmp_path / "data"
    key = X25519PrivateKey.generate()
    code, tracking = "73519046", "K0451-20261121-0004-1"
    receipt = dict(RECEIPT, tracking_number=tracking, query_code=code,
                   qr_payload=f"http://127.0.0.1:8710/v1/track/{tracking}?code={code}")
    with Outbox(data / "outbox.sqlite") as outbox:
        outbox.enqueue("0190e5a0-0000-7000-8000-000000000009", "elderly-card-apply",
                       seal(b"{}", key.public_key(), key_id_of(key.public_key()), {}),
                       receipt, "20261121", query_code=code)
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[kiosk]\ndata_dir = "{data}"\n[printer]\nport = {virtual_printer.port}\n')

    for listing in (kiosk(config, "list"), kiosk(config, "list", "--json")):
        assert listing.returncode == 0 and tracking in listing.stdout
        assert code not in listing.stdout + listing.stderr
    out = tmp_path / "export.jsonl"
    assert kiosk(config, "export", str(out)).returncode == 0
    assert tracking in out.read_text() and code not in out.read_text()

    assert kiosk(config, "reprint", tracking).returncode == 0
    printed = virtual_printer.wait_for_receipts(1, timeout=10)[0]
    assert f"查询码：{code}" in printed.text
    assert printed.qr_payloads == [receipt["qr_payload"]]
