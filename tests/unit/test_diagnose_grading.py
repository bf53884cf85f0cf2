"""The one word for a kiosk's health and the exit code of ``kiosk diagnose``."""

from __future__ import annotations

import json

import jsonschema
import pytest

from kiosk.diagnostics.grading import exit_code, grade, report_schema


def report(**parts: dict) -> dict:
    return {"source": "probed", "kiosk": {"id": "k", "code": "K0451", "warnings": []},
            "outbox": {"ok": True, "detail": "empty", "warnings": []},
            "platform": {"ok": True, "detail": "reachable", "warnings": []}, **parts}


def test_all_well_needs_attention_and_failing_each_have_their_exit_code() -> None:
    well = grade(report(printer={"ok": True, "warnings": []}), ["printer", "outbox", "platform"])
    assert (well["health"], well["ok"], exit_code(well)) == ("ok", True, 0)
    assert well["printer"]["health"] == "ok"

    near_end = grade(report(printer={"ok": True, "warnings": ["paper near its end"]}),
                     ["printer", "outbox", "platform"])
    assert (near_end["health"], near_end["ok"], exit_code(near_end)) == ("attention", True, 1)

    gone = grade(report(printer={"ok": False, "warnings": []},
                        reader={"ok": True, "warnings": ["a demo reader"]}),
                 ["reader", "printer", "outbox", "platform"])
    assert (gone["health"], gone["ok"], exit_code(gone)) == ("failing", False, 2)
    assert gone["reader"]["health"] == "attention" and gone["printer"]["health"] == "failing"


def test_the_kiosk_s_own_warnings_need_attention_and_absent_parts_are_skipped() -> None:
    r = report()
    r["kiosk"]["warnings"] = ["no technician credential"]
    graded = grade(r, ["reader", "printer", "outbox", "platform"])
    assert graded["health"] == "attention" and "reader" not in graded


@pytest.mark.parametrize("status", [None, "unknown"])
def test_a_report_without_a_known_status_is_failing(status: str | None) -> None:
    assert exit_code({"health": status}) == 2


def test_graded_reports_match_the_published_schema_and_bad_ones_do_not() -> None:
    schema = json.loads(report_schema())
    graded = grade(report(printer={"ok": False, "detail": "offline", "warnings": []},
                          a4_printer={"ok": True, "warnings": []}),
                   ["printer", "outbox", "platform", "a4_printer"])
    jsonschema.validate(graded, schema)  # a part added later validates as a part
    for broken in ({**graded, "health": "fine"},
                   {**graded, "printer": {"ok": "yes", "health": "ok"}},
                   {k: v for k, v in graded.items() if k != "outbox"}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, schema)
