"""Official proofs on the demo stack, on their own: ``python -m ui.proofs_demo [--care] [--en]``.

Until the records screens open the proofs screen after the card's PIN, this shows it for the
virtual card's holder (fictional), as if identified with the PIN, over the demo's reference
platform and its A4 printer (a private cupsd with the simulator queue, docs/proofs.md). Write
``paper_out``, ``jam`` or ``ok`` to the file the console names to play the printer's faults.
"""

from __future__ import annotations

import json
import sys
import tempfile
from importlib import resources

from kiosk.config import Config
from kiosk.demo import start_demo
from kiosk.proofs.desk import Citizen
from kiosk.proofs.entry import open_proof_desk

from .launch import ensure_app, install_translator
from .proof_pdf import render_proof_pdf
from .qt import QWidget
from .screens.proofs import ProofsScreen
from .theme import Metrics, screen_dpi, stylesheet


def demo_citizen() -> Citizen:
    holder = json.loads((resources.files("assets") / "sim" / "ssc_holder.json").read_text("utf-8"))
    return Citizen(str(holder["id_number"]), "card_pin")


def proofs_window(config: Config, citizen: Citizen, care_mode: bool = False) -> ProofsScreen:
    screen = ProofsScreen(lambda on_change: open_proof_desk(config, citizen, render_proof_pdf,
                                                            on_change))
    apply_metrics(screen, care_mode)
    return screen


def apply_metrics(widget: QWidget, care_mode: bool) -> None:
    widget.setStyleSheet(stylesheet(Metrics(screen_dpi(), care_mode=care_mode)))


def main(argv: list[str]) -> int:
    app = ensure_app()
    translator = install_translator(app, "en" if "--en" in argv else "zh_CN")
    with tempfile.TemporaryDirectory() as tmp:
        config = Config().replace("kiosk", data_dir=tmp)
        stack = start_demo(config, use_pcsc=False)
        try:
            if stack.a4 is not None:
                sys.stdout.write(f"A4 printer faults: write to {stack.a4.sim / 'fault'}\n"
                                 f"printed proofs: {stack.a4.out}\n")
            screen = proofs_window(stack.config, demo_citizen(), "--care" in argv)
            screen.resize(1080, 1920)
            screen.show()
            code = app.exec()
            screen.close_desk()
        finally:
            stack.close()
    del translator
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
