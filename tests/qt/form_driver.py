"""Fill any service's form through its widgets, as a citizen would: a generated valid answer
per field kind, taps on the field's own buttons (no value is written into a widget)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from pytestqt.qtbot import QtBot

from devices.cards.base import CardData, CardKind
from kiosk.catalog import FormField, Service
from kiosk.flow import Step
from kiosk.id_numbers import check_character
from ui.form_fields.base import FieldWidget
from ui.main_window import MainWindow
from ui.qt import QApplication, QPushButton, Qt
from ui.screens.form import FormScreen


def id_number_born(born: date, serial: str = "123") -> str:
    first17 = f"230102{born:%Y%m%d}{serial}"
    return first17 + check_character(first17)


def card_for(service: Service, today: date) -> CardData:
    """An applicant whose age suits the service (its min_age and max_age)."""
    age = 45
    if service.min_age is not None:
        age = max(age, service.min_age + 1)
    if service.max_age is not None:
        age = min(age, service.max_age - 1) if service.max_age > 1 else 0
    born = date(today.year - age - 1, 6, 1)
    if age == 0:
        born = date.fromordinal(today.toordinal() - 30)
    return CardData(CardKind.SOCIAL_SECURITY, "赵建华", "男", "汉", born, "哈尔滨市道里区",
                    id_number_born(born), "", None, None, "H23456789", "230102")


MEMBER_ID = id_number_born(date(1980, 2, 29), "456")


def tap(qtbot: QtBot, widget: FieldWidget, name: str) -> None:
    shown = [b for b in widget.findChildren(QPushButton, name) if b.isVisible()]
    if not shown:  # buttons made by the last tap are shown on the next turn of the loop
        QApplication.processEvents()
        shown = [b for b in widget.findChildren(QPushButton, name) if b.isVisible()]
    assert shown, f"{widget.key}: no visible button {name}"
    qtbot.mouseClick(shown[0], Qt.MouseButton.LeftButton)


def type_keys(qtbot: QtBot, widget: FieldWidget, keys: list[str]) -> None:
    for k in keys:
        tap(qtbot, widget, f"key-{k}")


def wanted_option(form: tuple[FormField, ...], f: FormField, options: list[str]) -> str:
    """The option a later field's condition asks for, so that conditional fields show too."""
    for other in form:
        cond = other.show_if
        if cond is None or cond.field != f.key:
            continue
        for candidate in (cond.equals, *cond.any_of, cond.includes):
            if candidate in options:
                return candidate
    return options[0]


def amount_for(f: FormField) -> str:
    low = Decimal(str(f.minimum)) if isinstance(f.minimum, int | float) else Decimal(100)
    high = Decimal(str(f.maximum)) if isinstance(f.maximum, int | float) else low
    value = min(max(low, Decimal(100)), high)
    return str(value.quantize(Decimal(1))) if value == value.to_integral() else str(value)


def place_path(widget: FieldWidget, regions: object) -> list[str]:
    from kiosk.catalog.regions import Regions

    assert isinstance(regions, Regions)
    code = regions.districts[0]
    path = [code]
    while regions.by_code[code].level != (widget.field.level or "community"):
        code = regions.by_code[code].children[0]
        path.append(code)
    return path


def fill(qtbot: QtBot, widget: FieldWidget, service: Service) -> None:
    """Give ``widget`` a valid answer through its buttons."""
    f, key = widget.field, widget.key
    kind = f.kind
    if kind in ("choice", "yes_no"):
        options = [o.value for o in f.options] if kind == "choice" else ["yes", "no"]
        wanted = wanted_option(service.form, f, options)
        for _ in range(len(options)):  # a long list pages its options
            buttons = widget.findChildren(QPushButton, f"choice-{key}-{wanted}")
            if any(b.isVisible() for b in buttons):
                break
            tap(qtbot, widget, f"field-{key}-more")
        tap(qtbot, widget, f"choice-{key}-{wanted}")
    elif kind == "multi_choice":
        options = [o.value for o in f.options]
        first = wanted_option(service.form, f, options)
        chosen = [first] + [o for o in options if o != first][: max(f.min_selected or 1, 1) - 1]
        for value in chosen:
            tap(qtbot, widget, f"choice-{key}-{value}")
    elif kind == "phone":
        type_keys(qtbot, widget, list("13800138000"))
    elif kind == "id_number":
        type_keys(qtbot, widget, list(MEMBER_ID))
    elif kind == "amount":
        type_keys(qtbot, widget, list(amount_for(f)))
    elif kind == "count":
        tap(qtbot, widget, f"field-{key}-plus")
    elif kind == "date":
        tap(qtbot, widget, f"field-{key}-day-plus1")
    elif kind in ("region", "address"):
        for code in place_path(widget, widget.ctx.regions):
            tap(qtbot, widget, f"region-{key}-{code}")
        if kind == "address":
            type_keys(qtbot, widget, ["1", "栋", "2", "单元", "3", "0", "1", "室"])
    elif kind == "relation":
        tap(qtbot, widget, f"relation-{key}-{f.relations[0]}")
        type_keys(qtbot, widget, list(MEMBER_ID))
    elif kind == "text":
        for letter in "haerbin":
            tap(qtbot, widget, f"letter-key-{letter}")
        tap(qtbot, widget, f"field-{key}-candidate-1")  # the first Chinese candidate
    else:
        raise AssertionError(f"no driver for {kind}")
    assert widget.value() or not f.required, f"{key}: still empty after filling"


def settle() -> None:
    """Let queued work run (a form laid out again after a condition changed)."""
    QApplication.processEvents()


def fill_form(
    qtbot: QtBot, window: MainWindow, service: Service, refusals: bool = False,
    each_page: Callable[[], None] | None = None,
) -> list[str]:
    """Answer every field page by page, in the form's order, tapping Next until the flow is on
    confirm. With ``refusals``, Next is first tapped with each required field still empty:
    it must be refused beside that field, in words, and said aloud. Returns the keys refused."""
    screen = window.screens[Step.FORM]
    assert isinstance(screen, FormScreen)
    order = {f.key: i for i, f in enumerate(service.form)}
    refused: list[str] = []
    for _ in range(200):  # fields, pages, and renders after a condition changed
        settle()
        todo = sorted((w for w in screen.widgets.values() if not w.value()),
                      key=lambda w: order[w.key])
        if todo and (not refusals or not todo[0].field.required or todo[0].key in refused):
            fill(qtbot, todo[0], service)
            continue
        if not todo and each_page is not None:
            each_page()
        page = screen.page
        qtbot.mouseClick(screen.next_button, Qt.MouseButton.LeftButton)
        settle()
        if todo:
            empty = todo[0]
            assert window.core.flow.step is Step.FORM, f"{empty.key} was left empty, yet accepted"
            message = screen.widgets[empty.key].error.text()
            assert message, f"{service.code}: no refusal beside {empty.key}"
            assert message in window.ctx.voice.spoken[-1], "the refusal is not said aloud"
            if each_page is not None and not refused:
                each_page()  # a refusal on show still fits
            refused.append(empty.key)
            continue
        if window.core.flow.step is Step.CONFIRM:
            return refused
        assert screen.page == page + 1, f"{service.code}: Next did not turn the page"
    raise AssertionError(f"{service.code}: the form never finished")
