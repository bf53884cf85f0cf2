"""The receipt printer's paper roll: what was printed since the last roll change, and what is left.

The near-end sensor of a thermal printer trips with a metre or two left, often mid-morning; the
kiosk counts instead. Each job the printer sends whole adds its estimated length
(:func:`devices.printers.paper.job_length_mm`); receipts are counted apart from other jobs
(queue tickets, payment slips, test pages) only as jobs. A technician who fits a new roll says
so (the panel, or ``kiosk printer new-roll``); the counters start again and the change is kept
with the technician's id and the time, so an audit sees who did it.

The counters live in ``paper_roll.json`` in the data directory beside the outbox, written
atomically (a temporary file, fsync, rename): a power cut leaves the old counters or the new
ones, never half a file. A file that cannot be read is reported in words and counting starts
from an unknown roll (no prediction until the next roll change) rather than stopping receipts.
"""

from __future__ import annotations

import json
import logging
import math
import threading
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from devices.printers.settings import PrinterSettings
from sync.atomic_file import write_atomic

log = logging.getLogger(__name__)

FILE_NAME = "paper_roll.json"
MIN_ROLL_M = 5.0
MAX_ROLL_M = 500.0
ATTENTION_FRACTION = 0.10  # under 10 % left: a technician should bring a roll
TYPICAL_JOB_MM = 150.0  # what a receipt takes before anything was printed on this roll


class PaperRollError(ValueError):
    """A roll length or a counter file that cannot be used; the message says why in words."""


def roll_length_mm(settings: PrinterSettings) -> float:
    """``[printer] roll_length_m`` in millimetres, or PaperRollError in words."""
    value = settings.roll_length_m
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise PaperRollError(f"[printer] roll_length_m must be a number of metres, not {value!r}")
    if not MIN_ROLL_M <= value <= MAX_ROLL_M:
        raise PaperRollError(
            f"[printer] roll_length_m must be between {MIN_ROLL_M:g} and {MAX_ROLL_M:g} metres "
            f"(80 mm rolls are usually 80 m, 58 mm rolls 30 to 50 m), not {value:g}"
        )
    return float(value) * 1000.0


@dataclass
class RollCounters:
    """What was printed on the roll now fitted."""

    jobs: int = 0
    fed_mm: float = 0.0
    fitted_at: str = ""  # ISO time of the last "new paper roll fitted"; "" never recorded
    fitted_by: str = ""  # the technician id who said so

    @property
    def known(self) -> bool:
        """True once a roll change was recorded: before that the roll's start is unknown."""
        return bool(self.fitted_at)


@dataclass(frozen=True)
class RollEstimate:
    """The prediction a technician reads: paper left and about how many receipts."""

    roll_mm: float
    fed_mm: float
    jobs: int
    known: bool
    left_mm: float
    fraction_left: float
    receipts_left: int
    attention: bool
    fitted_at: str
    fitted_by: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def words(self) -> str:
        """One line for ``kiosk diagnose`` (English; the panel has its own translated words)."""
        if not self.known:
            return (f"{self.jobs} job(s), {self.fed_mm / 1000:.1f} m printed; no roll change "
                    "recorded yet, so nothing is predicted (record one when fitting a new roll)")
        return (f"about {self.receipts_left} receipt(s) left ({self.fraction_left:.0%} of a "
                f"{self.roll_mm / 1000:g} m roll); {self.jobs} job(s), "
                f"{self.fed_mm / 1000:.1f} m printed since the roll was fitted at "
                f"{self.fitted_at} by technician {self.fitted_by}")


def estimate(counters: RollCounters, roll_mm: float) -> RollEstimate:
    """Paper left and receipts left at this roll's average job length."""
    left = max(roll_mm - counters.fed_mm, 0.0)
    per_job = counters.fed_mm / counters.jobs if counters.jobs else TYPICAL_JOB_MM
    fraction = left / roll_mm if roll_mm else 0.0
    return RollEstimate(
        roll_mm=roll_mm, fed_mm=round(counters.fed_mm, 1), jobs=counters.jobs,
        known=counters.known, left_mm=round(left, 1), fraction_left=round(fraction, 4),
        receipts_left=int(left // per_job) if per_job > 0 else 0,
        attention=counters.known and fraction < ATTENTION_FRACTION,
        fitted_at=counters.fitted_at, fitted_by=counters.fitted_by,
    )


def _read(path: Path) -> RollCounters:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return RollCounters()
    except (OSError, ValueError) as exc:
        raise PaperRollError(f"the paper counters in {path.name} cannot be read: {exc}") from exc
    try:
        return RollCounters(jobs=int(raw["jobs"]), fed_mm=float(raw["fed_mm"]),
                            fitted_at=str(raw.get("fitted_at", "")),
                            fitted_by=str(raw.get("fitted_by", "")))
    except (KeyError, TypeError, ValueError) as exc:
        raise PaperRollError(f"the paper counters in {path.name} are not valid: {exc}") from exc


class PaperRoll:
    """The counters of one kiosk's receipt roll, kept in its data directory.

    Every operation reads the file and writes it back, so the running kiosk, ``kiosk
    diagnose`` and ``kiosk technician new-roll`` always agree. ``record`` is the printer's
    ``printer_did_feed`` callback (any thread).
    """

    _lock = threading.Lock()  # one per process: every PaperRoll of a data directory shares it

    def __init__(self, data_dir: Path, roll_mm: float) -> None:
        self.path = data_dir / FILE_NAME
        self.roll_mm = roll_mm
        self.problem = ""

    def _load(self) -> RollCounters:
        try:
            counters = _read(self.path)
        except PaperRollError as exc:
            log.warning("%s; counting from an unknown roll", exc)
            self.problem = str(exc)
            return RollCounters()
        self.problem = ""
        return counters

    def _save(self, counters: RollCounters) -> None:
        text = json.dumps(asdict(counters), ensure_ascii=False, indent=1) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.path, text.encode("utf-8"))

    def record(self, fed_mm: float) -> None:
        """One job sent whole: count it and its paper."""
        with self._lock:
            counters = self._load()
            counters.jobs += 1
            counters.fed_mm = round(counters.fed_mm + max(float(fed_mm), 0.0), 1)
            try:
                self._save(counters)
            except OSError as exc:  # the receipt is printed; only the count is lost
                log.warning("paper counters not saved: %s", exc)

    def new_roll(self, technician_id: str, now: datetime) -> RollEstimate:
        """A technician fitted a new roll: counters to zero, who and when kept."""
        who = technician_id.strip()
        if not who:
            raise PaperRollError("a new paper roll is recorded with the technician's id")
        with self._lock:
            self._save(RollCounters(fitted_at=now.isoformat(timespec="seconds"), fitted_by=who))
            self.problem = ""
        log.info("new paper roll fitted by technician %s", who)
        return self.estimate()

    def counters(self) -> RollCounters:
        with self._lock:
            return self._load()

    def estimate(self) -> RollEstimate:
        return estimate(self.counters(), self.roll_mm)


def open_roll(data_dir: Path, settings: PrinterSettings) -> PaperRoll:
    """The roll of this configuration; PaperRollError if the roll length is not valid."""
    return PaperRoll(data_dir, roll_length_mm(settings))


def paper_part(data_dir: Path, settings: PrinterSettings) -> tuple[dict[str, Any], list[str]]:
    """The ``paper`` entry of the printer's diagnose part and its warnings."""
    try:
        roll = open_roll(data_dir, settings)
    except PaperRollError as exc:
        return {"detail": str(exc)}, [str(exc)]
    est = roll.estimate()
    warnings = [roll.problem] if roll.problem else []
    if est.attention:
        warnings.append(f"paper roll nearly used up: {est.words()}")
    return {**est.as_dict(), "detail": est.words()}, warnings

