"""The process the crash tests kill with SIGKILL: a real kiosk core, wired as the kiosk wires it.

``python -m tests.support.crash_child MODE CONFIG SEED``

It builds ``KioskCore`` from the config file (its signed platform clients, sync worker,
platform poller and downlink; a simulated card reader and a file printer), starts it and
prints ``ready``. Then citizens submit through the kiosk's own submitter, and after each
submission is committed its transaction id is printed on its own line (the receipt would
print now):

- ``enqueue``: as fast as it can (with the platform down, an offline kiosk; or up);
- ``sync``: at a busy hall's pace, while the kiosk's own worker sends the outbox to the
  platform as it would in the hall: nothing here drains by hand or lifts a backoff.

It never exits by itself: it is killed.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

from kiosk.config import load_config
from tests.support.headless_kiosk import build_kiosk, submit


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main(argv: list[str]) -> int:
    mode, config_path, seed = argv
    rng = random.Random(int(seed))
    config = load_config(Path(config_path), environ={})
    core = build_kiosk(config)
    core.start()
    _say("ready")
    while True:
        _say(submit(core, rng))
        if mode == "sync":
            time.sleep(rng.uniform(0.005, 0.03))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
