"""The kiosk prepares the costly half of a seal when the confirm screen opens, and uses it once.

docs/performance.md: the KEM half of HPKE (a fresh X25519 key and one exchange) is done on
the device job thread while the citizen reads the summary, so less is left inside the outbox
transaction. The envelope must still open on the platform's side with the platform's key.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

import kiosk.submission
from devices.sim.card.inprocess_reader import SimulatedCardReader
from devices.sim.printer.tcp_server import VirtualPrinter
from kiosk.assembly import assemble_kiosk
from sync.hpke_sender import Encapsulation
from sync.sealing import key_id_of, open_envelope, parse_envelope, public_key_text
from tests.support.headless_kiosk import apply_through_the_flow
from tests.support.kiosk import test_config


def test_submission_seals_with_the_encapsulation_prepared_at_confirm(
    tmp_path: Path, virtual_printer: VirtualPrinter, monkeypatch: pytest.MonkeyPatch
) -> None:
    platform_key = X25519PrivateKey.generate()
    public = platform_key.public_key()
    config = (test_config(tmp_path)
              .replace("printer", port=virtual_printer.port)
              .replace("platform", sealing_key=public_key_text(public),
                       sealing_key_id=key_id_of(public)))
    made: list[Encapsulation] = []
    real_prepare = kiosk.submission.prepare_seal

    def recording_prepare(key):  # type: ignore[no-untyped-def]
        made.append(real_prepare(key))
        return made[-1]

    monkeypatch.setattr(kiosk.submission, "prepare_seal", recording_prepare)
    core = assemble_kiosk(config, readers=SimulatedCardReader())
    try:
        envelopes = []
        for _ in range(2):  # two citizens, one after the other
            apply_through_the_flow(core)
            envelopes.append(core.outbox.get(core.flow.session.txid or "").envelope)
            core.flow.reset()
    finally:
        core.stop()
    assert len(made) == 2
    for ready, envelope in zip(made, envelopes, strict=True):
        assert parse_envelope(envelope).ciphertext[:32] == ready.enc
        meta, payload = open_envelope(envelope, platform_key)
        assert meta["service_code"] == "elderly-card-apply" and b"11010519491231002X" in payload
    assert made[0].enc != made[1].enc
