"""A CUPS backend that plays an A4 printer with faults (standard library only: cupsd runs it).

Installed by :mod:`devices.sim.a4.cupsd` into the private cupsd's backend folder as
``kiosksim``; a queue's device URI names the simulator's folder: ``kiosksim:/path/to/sim``.
That folder's ``fault`` file says what the printer does with the next job:

- ``ok`` (or no file): the document is printed: written to ``out/job-<id>.pdf`` as the
  printer got it;
- ``paper_out``: ``STATE: +media-empty-error`` before a byte is printed, then waits;
- ``jam``: reads half the document (the sheet is in the printer), ``STATE: +media-jam-error``,
  then waits;
- ``offline``: ``STATE: +offline-report``, then waits.

Waiting is what a real printer's IPP backend does: the job stays "processing" with the
printer's state reasons set, until the fault clears (the file says ``ok`` again: the reason is
withdrawn with ``STATE: -…`` and the job printed) or the job is cancelled (SIGTERM).
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path
from types import FrameType

REASONS = {"paper_out": "media-empty-error", "jam": "media-jam-error",
           "offline": "offline-report"}
CUPS_BACKEND_OK = 0
CUPS_BACKEND_FAILED = 1


def _say(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def _fault(sim: Path) -> str:
    try:
        return (sim / "fault").read_text("ascii").strip() or "ok"
    except OSError:
        return "ok"


def _cancelled(_signum: int, _frame: FrameType | None) -> None:
    _say("INFO: job cancelled")
    sys.exit(CUPS_BACKEND_OK)


def _wait_for(sim: Path, reason: str) -> None:
    _say(f"STATE: +{reason}")
    _say(f"INFO: printer reports {reason}")
    while _fault(sim) != "ok":
        time.sleep(0.05)
    _say(f"STATE: -{reason}")


def main(argv: list[str]) -> int:
    if len(argv) == 1:
        print('direct kiosksim "Kiosk" "Kiosk A4 printer simulator" "MFG:Kiosk;MDL:A4 sim;"')
        return CUPS_BACKEND_OK
    if len(argv) not in (6, 7):
        _say("ERROR: usage: kiosksim job-id user title copies options [file]")
        return CUPS_BACKEND_FAILED
    signal.signal(signal.SIGTERM, _cancelled)
    uri = os.environ.get("DEVICE_URI", "")
    sim = Path(uri.partition(":")[2])
    job_id = argv[1]
    source = open(argv[6], "rb") if len(argv) == 7 else sys.stdin.buffer  # noqa: SIM115
    with source:
        fault = _fault(sim)
        # What the printer says at the start of a job replaces what it said last time.
        stale = [r for f, r in REASONS.items() if f != fault]
        _say("STATE: -" + ",".join(stale))
        data = b""
        if fault == "jam":
            data = source.read(4096)  # the sheet is drawn in, then it jams
        if fault in REASONS:
            _wait_for(sim, REASONS[fault])
        data += source.read()
    out = sim / "out"
    out.mkdir(exist_ok=True)
    part = out / f".job-{job_id}.part"
    part.write_bytes(data)
    part.rename(out / f"job-{job_id}.pdf")
    _say(f"INFO: printed job {job_id}")
    return CUPS_BACKEND_OK


if __name__ == "__main__":
    sys.exit(main(sys.argv))
