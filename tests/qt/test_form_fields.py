"""Each field widget alone: what its keys and buttons make of a citizen's taps."""

from __future__ import annotations

from datetime import date

import pytest
from pytestqt.qtbot import QtBot

from kiosk.catalog import FormField, Option
from kiosk.catalog.fields import check_value
from kiosk.catalog.regions import load_regions
from tests.qt.form_driver import MEMBER_ID
from ui.form_fields.base import FieldContext, FieldWidget
from ui.form_fields.registry import WIDGETS, build_field
from ui.form_fields.text import TextField
from ui.qt import QPushButton, Qt
from ui.theme import REFERENCE_DPI, Metrics

TODAY = date(2026, 11, 21)
LABEL = {"zh_CN": "项目", "en": "Item"}


def make(qtbot: QtBot, field: FormField, width: int = 1046) -> tuple[FieldWidget, list[str]]:
    changed: list[str] = []
    ctx = FieldContext("zh_CN", Metrics(REFERENCE_DPI, True), width, TODAY, load_regions(),
                       changed.append, room=860)
    w = build_field(field, ctx)
    qtbot.addWidget(w)
    w.resize(width, w.sizeHint().height())  # as wide as the page would make it
    w.show()
    return w, changed


def press(qtbot: QtBot, w: FieldWidget, *names: str) -> None:
    for name in names:
        found = [b for b in w.findChildren(QPushButton, name) if b.isVisible()]
        assert found, name
        qtbot.mouseClick(found[0], Qt.MouseButton.LeftButton)
        qtbot.wait(1)  # buttons made by this tap are shown on the next turn of the event loop


def keys(text: str) -> list[str]:
    return [f"key-{c}" for c in text]


def test_every_kind_of_the_catalogue_has_a_widget() -> None:
    from kiosk.catalog.model import FIELD_KINDS

    assert set(WIDGETS) == set(FIELD_KINDS)


def test_required_and_optional_are_marked(qtbot: QtBot) -> None:
    required, _ = make(qtbot, FormField("a", "phone", LABEL))
    optional, _ = make(qtbot, FormField("b", "phone", LABEL, required=False))
    assert required.heading.text() != optional.heading.text()
    assert "项目" in required.heading.text()


def test_choice_is_one_option_and_a_tick_shows_which(qtbot: QtBot) -> None:
    f = FormField("d", "choice", LABEL, options=(Option("a", {"zh_CN": "甲"}),
                                                  Option("b", {"zh_CN": "乙"})))
    w, changed = make(qtbot, f)
    press(qtbot, w, "choice-d-a", "choice-d-b")
    assert w.value() == "b" and changed == ["d", "d"]
    assert w.findChild(QPushButton, "choice-d-b").text().startswith("✓")
    assert not w.findChild(QPushButton, "choice-d-a").isChecked()


def test_multi_choice_keeps_the_options_order_whatever_the_taps(qtbot: QtBot) -> None:
    options = tuple(Option(v, {"zh_CN": v}) for v in ("x", "y", "z"))
    w, _ = make(qtbot, FormField("m", "multi_choice", LABEL, options=options))
    press(qtbot, w, "choice-m-z", "choice-m-x", "choice-m-y", "choice-m-y")
    assert w.value() == "x,z"


def test_a_long_option_list_comes_in_groups_with_large_keys(qtbot: QtBot) -> None:
    options = tuple(Option(f"p{i}", {"zh_CN": f"第{i}省份名称"}) for i in range(30))
    w, _ = make(qtbot, FormField("p", "choice", LABEL, options=options))
    visible = [b for b in w.findChildren(QPushButton) if b.objectName().startswith("choice-")
               and b.isVisible()]
    assert 0 < len(visible) < 30
    press(qtbot, w, *["field-p-more"] * 10)
    press(qtbot, w, "choice-p-p29")
    assert w.value() == "p29"


def test_yes_no(qtbot: QtBot) -> None:
    w, _ = make(qtbot, FormField("y", "yes_no", LABEL))
    press(qtbot, w, "choice-y-no")
    assert w.value() == "no"


def test_phone_is_shown_3_4_4(qtbot: QtBot) -> None:
    w, _ = make(qtbot, FormField("phone", "phone", LABEL))
    press(qtbot, w, *keys("13800138000"))
    assert w.value() == "13800138000"
    assert w.display.text() == "138 0013 8000"  # type: ignore[attr-defined]


def test_id_number_takes_x_only_as_its_last_character(qtbot: QtBot) -> None:
    w, _ = make(qtbot, FormField("i", "id_number", LABEL))
    press(qtbot, w, f"key-{MEMBER_ID[0]}", "key-X")
    assert w.value() == MEMBER_ID[0]
    press(qtbot, w, *keys(MEMBER_ID[1:]))
    assert w.value() == MEMBER_ID
    assert check_value(w.field, w.value(), TODAY, None) == MEMBER_ID


def test_amount_takes_one_point_and_two_decimals_and_shows_its_unit(qtbot: QtBot) -> None:
    f = FormField("a", "amount", LABEL, unit={"zh_CN": "元"})
    w, _ = make(qtbot, f)
    press(qtbot, w, *keys("12.345"), "key-.")
    assert w.value() == "12.34"
    assert w.display.text() == "12.34 元"  # type: ignore[attr-defined]


def test_count_steps_within_its_bounds(qtbot: QtBot) -> None:
    w, _ = make(qtbot, FormField("c", "count", LABEL, minimum=1, maximum=3))
    press(qtbot, w, "field-c-plus")
    assert w.value() == "1"
    press(qtbot, w, "field-c-plus", "field-c-plus")
    assert w.value() == "3"
    assert not w.findChild(QPushButton, "field-c-plus").isEnabled()


def test_date_starts_at_the_nearest_allowed_day_and_keeps_within_bounds(qtbot: QtBot) -> None:
    f = FormField("d", "date", LABEL, minimum="today", maximum="today+30d")
    w, _ = make(qtbot, f)
    press(qtbot, w, "field-d-day-minus1")
    assert w.value() == "2026-11-21"  # the first tap picks the start
    press(qtbot, w, "field-d-day-minus1")
    assert w.value() == "2026-11-21"  # not before today
    press(qtbot, w, "field-d-month-plus1", "field-d-month-plus1")
    assert w.value() == "2026-12-21"  # not after today+30d
    birth = FormField("b", "date", LABEL, minimum="today-100y", maximum="today-18y")
    b, _ = make(qtbot, birth)
    press(qtbot, b, "field-b-year-minus10")
    assert b.value() == "2008-11-21"
    press(qtbot, b, "field-b-year-minus10", "field-b-month-plus1")
    assert b.value() == "1998-12-21"


def test_region_goes_down_to_its_level_and_can_start_again(qtbot: QtBot) -> None:
    regions = load_regions()
    district = regions.districts[0]
    street = regions.by_code[district].children[0]
    w, _ = make(qtbot, FormField("r", "region", LABEL, level="street"))
    press(qtbot, w, f"region-r-{district}")
    assert w.value() == ""  # a district is not yet a street
    press(qtbot, w, f"region-r-{street}")
    assert w.value() == street
    press(qtbot, w, "field-r-again-place")
    assert w.value() == ""


def test_address_is_a_community_and_a_building_and_room(qtbot: QtBot) -> None:
    regions = load_regions()
    district = regions.districts[0]
    street = regions.by_code[district].children[0]
    community = regions.by_code[street].children[0]
    f = FormField("a", "address", LABEL, level="community", detail_max_length=30)
    w, _ = make(qtbot, f)
    press(qtbot, w, f"region-a-{district}", f"region-a-{street}", f"region-a-{community}")
    assert w.value() == f"{community}|"
    press(qtbot, w, "key-3", "key-栋", "key-2", "key-单元", *keys("501"), "key-室")
    assert w.value() == f"{community}|3栋2单元501室"
    assert check_value(f, w.value(), TODAY, regions) == w.value()


def test_relation_is_the_relation_then_an_id_number_never_a_name(qtbot: QtBot) -> None:
    f = FormField("fm", "relation", LABEL, relations=("spouse", "child"))
    w, _ = make(qtbot, f)
    press(qtbot, w, "relation-fm-child", *keys(MEMBER_ID))
    assert w.value() == f"child|{MEMBER_ID}"
    assert check_value(f, w.value(), TODAY, None) == w.value()
    press(qtbot, w, "field-fm-change")
    assert w.value() == ""


@pytest.mark.parametrize("width", [1046, 1886])
def test_text_from_pinyin_candidates_and_digits(qtbot: QtBot, width: int) -> None:
    f = FormField("t", "text", LABEL, max_length=10)
    w, _ = make(qtbot, f, width)
    assert isinstance(w, TextField)
    press(qtbot, w, *[f"letter-key-{c}" for c in "hei"])
    first = [b.text() for b in w.candidate_buttons()]
    assert first[0] == "HEI" and "黑" in first  # the letters themselves, then characters
    press(qtbot, w, f"field-t-candidate-{first.index('黑')}")
    assert w.value() == "黑" and w.keypad.text() == ""
    press(qtbot, w, "letter-key-a", "field-t-candidate-0", "field-t-digit-1", "field-t-digit-2")
    assert w.value() == "黑A12"
    press(qtbot, w, "field-t-erase")
    assert w.value() == "黑A1"


def test_a_candidate_uses_only_its_syllable_of_the_letters(qtbot: QtBot) -> None:
    w, _ = make(qtbot, FormField("t", "text", LABEL, max_length=10))
    assert isinstance(w, TextField)
    press(qtbot, w, *[f"letter-key-{c}" for c in "changchu"])
    chars = [b.text() for b in w.candidate_buttons()]
    one = next(i for i, t in enumerate(chars) if len(t) == 1)
    press(qtbot, w, f"field-t-candidate-{one}")
    assert len(w.value()) == 1 and w.keypad.text() == "chu"


def test_more_candidates_page_on(qtbot: QtBot) -> None:
    w, _ = make(qtbot, FormField("t", "text", LABEL, max_length=10))
    assert isinstance(w, TextField)
    press(qtbot, w, *[f"letter-key-{c}" for c in "shi"])
    first = [b.text() for b in w.candidate_buttons()]
    press(qtbot, w, "field-t-later")
    second = [b.text() for b in w.candidate_buttons()]
    assert second and not set(first) & set(second)
    press(qtbot, w, "field-t-earlier")
    assert [b.text() for b in w.candidate_buttons()] == first
