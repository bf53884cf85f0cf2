"""A kiosk window for the AT-SPI walk, run as its own process under Xvfb: the demo stack
without pcscd (the reference platform, the virtual printer on TCP, the GA/T 467 ID reader
emulator on a pty), its window at a hall screen's size. It prints ``ready`` once shown; when
its stdin closes it prints what the visit left (the outbox, the receipts) as one JSON line.

Run: ``python -m tests.support.atspi_kiosk DATA_DIR``.
"""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path

from kiosk.assembly import assemble_kiosk
from kiosk.config import Config
from kiosk.demo import start_demo
from tests.support.platform import free_port
from ui.launch import build_window, ensure_app
from ui.qt import QTimer


def main(data_dir: str) -> int:
    config = Config().replace("kiosk", data_dir=str(Path(data_dir)), voice_engine="mock").replace(
        "demo", platform_port=free_port(), printer_port=free_port()
    ).replace("sync", interval_seconds=0.2)
    app = ensure_app()
    app.setApplicationName("kiosk-atspi")
    stack = start_demo(config, use_pcsc=False)
    core = assemble_kiosk(stack.config, demo=stack)
    core.start()
    window = build_window(core, demo_place_id_card=stack.place_id_card)
    window.resize(1920, 1080)
    window.show()
    done = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
    poll = QTimer()
    poll.timeout.connect(lambda: app.quit() if done.is_set() else None)
    poll.start(100)
    QTimer.singleShot(500, lambda: print("ready", flush=True))
    app.exec()
    receipts = [r.text for r in stack.printer.receipts] if stack.printer else []
    print(json.dumps({"outbox": core.outbox.counts(), "receipts": receipts},
                     ensure_ascii=False), flush=True)
    window.close()
    core.stop()
    stack.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
