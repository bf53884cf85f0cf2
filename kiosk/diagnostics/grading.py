"""One word for the kiosk's health, and the exit code ``kiosk diagnose`` gives for it.

Each part of a report is ``ok`` (works, nothing to say), ``attention`` (works, with warnings a
technician should read: paper near its end, a backlog over its warning threshold, a demo reader)
or ``failing`` (does not work). The report's health is its worst part's; the kiosk part's own
warnings (staff credentials, file modes) count as attention. The exit codes follow the
monitoring-plugin convention, so Nagios, Icinga or a systemd timer read them as they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from typing import Any

OK = "ok"
ATTENTION = "attention"
FAILING = "failing"
STATUSES = (OK, ATTENTION, FAILING)
EXIT_CODES = {OK: 0, ATTENTION: 1, FAILING: 2}  # anything else: diagnose itself crashed


def part_status(part: dict[str, Any]) -> str:
    if not part.get("ok", False):
        return FAILING
    return ATTENTION if part.get("warnings") else OK


def grade(report: dict[str, Any], parts: Iterable[str]) -> dict[str, Any]:
    """Set ``health`` on each present part and on the report, and ``ok`` (not failing).

    (``status`` is taken: the printer part's own state, such as ``paper_out``.)"""
    worst = ATTENTION if report.get("kiosk", {}).get("warnings") else OK
    for key in parts:
        part = report.get(key)
        if not isinstance(part, dict):
            continue
        part["health"] = part_status(part)
        worst = max(worst, part["health"], key=STATUSES.index)
    report["health"] = worst
    report["ok"] = worst != FAILING
    return report


def exit_code(report: dict[str, Any]) -> int:
    return EXIT_CODES.get(str(report.get("health")), EXIT_CODES[FAILING])


def report_schema() -> str:
    """The JSON Schema of ``kiosk diagnose --json`` (installed with the kiosk's assets)."""
    return (resources.files("assets") / "schemas" / "diagnose.schema.json").read_text("utf-8")
