"""Applying for a family member: first how they are related, then who they are — by their own
card on the reader, or by their ID number on the keypad. Never by a typed name."""

from __future__ import annotations

from functools import partial

from kiosk import events as ev
from kiosk.catalog import FormField, localized
from kiosk.catalog.model import RELATION_TITLES

from ..messages import card_problem
from ..qt import (
    QHideEvent,
    QPushButton,
    QShowEvent,
    QSizePolicy,
    QStackedWidget,
    QWidget,
    SpacedColumn,
    SpacedRow,
)
from ..widgets import Keypad, button, label
from .base import FieldContext, FieldWidget, option_grid, toggle
from .keyed import beside, flush, group_id_number, keypad_width


def relation_word(relation: str, locale: str) -> str:
    word: str = localized(RELATION_TITLES.get(relation, {"zh_CN": relation}), locale)
    return word[:1].upper() + word[1:]


class RelationField(FieldWidget):
    def __init__(self, field: FormField, ctx: FieldContext) -> None:
        super().__init__(field, ctx)
        self.relation, self.number, self.from_card = "", "", False
        self.stages = QStackedWidget()
        # Stage 1: how they are related.
        texts = [relation_word(r, ctx.locale) for r in field.relations]
        self.buttons: dict[str, QPushButton] = {
            r: toggle(t, f"relation-{field.key}-{r}", partial(self._relation, r))
            for r, t in zip(field.relations, texts, strict=True)
        }
        first = QWidget()
        first_col = SpacedColumn(first)
        first_col.setContentsMargins(0, 0, 0, 0)
        first_col.addWidget(option_grid(list(self.buttons.values()), ctx.columns_for(texts)))
        first_col.addStretch(1)
        self.stages.addWidget(first)
        # Stage 2: their card, or their ID number: what is chosen and asked on the left (the
        # refusal under it), the keys on the right; one above the other on a narrow screen.
        second = QWidget()
        self.keypad = Keypad(self._typed, max_len=18, extra_keys=("X",))
        self.keypad.setObjectName(f"field-{field.key}-keypad")
        flush(self.keypad)
        self.keypad.setMaximumWidth(keypad_width(ctx, 4))
        wide = beside(ctx, 4, ctx.width)
        row: SpacedRow | SpacedColumn = SpacedRow(second) if wide else SpacedColumn(second)
        row.setContentsMargins(0, 0, 0, 0)
        left = SpacedColumn()
        top = QWidget()
        top_row = SpacedRow(top)
        top_row.setContentsMargins(0, 0, 0, 0)
        self.chosen = label("", name=f"field-{field.key}-relation")
        again = button(self.tr("Change"), f"field-{field.key}-change", self._change)
        again.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        top_row.addWidget(self.chosen, 1)
        top_row.addWidget(again)
        left.addWidget(top)
        left.addWidget(label(self.tr("Their card on the reader, or their ID number:")))
        self.display = label("", role="heading", name=f"field-{field.key}-value")
        left.addWidget(self.display)
        if wide:
            self.error_beside(left)
        row.addLayout(left, 1)
        row.addWidget(self.keypad)
        self.stages.addWidget(second)
        self.body.addWidget(self.stages)
        self.show_value()

    def waiting_for_card(self) -> bool:
        return bool(self.relation) and self.isVisible()

    def _tell_card_watch(self) -> None:
        """The applicant's own card may leave the slot while this waits for a family member's
        (kiosk/card_watch.py): said to the core at once, before a card can move."""
        core = self.ctx.core
        if core is not None:
            core.card_watch.expect_other_card(self.waiting_for_card())

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self._tell_card_watch()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt's name)
        super().hideEvent(event)
        self._tell_card_watch()

    def _relation(self, relation: str) -> None:
        self.relation = relation
        self._publish()

    def _change(self) -> None:
        self.relation = ""
        self._publish()

    def _typed(self, number: str) -> None:
        if "X" in number[:-1] or ("X" in number and len(number) < 18):
            self.keypad.start(self.number if not self.from_card else "")
            return
        self.number, self.from_card = number, False
        self._publish()

    def _publish(self) -> None:
        self.answer(f"{self.relation}|{self.number}" if self.relation else "")
        self._tell_card_watch()

    def show_value(self) -> None:
        relation, _, number = self._value.partition("|")
        self.relation, self.number = relation, number
        for r, b in self.buttons.items():
            b.setChecked(r == relation)
        self.stages.setCurrentIndex(1 if relation else 0)
        self.chosen.setText(relation_word(relation, self.ctx.locale))
        if not self.from_card:
            if self.keypad.value != number:
                self.keypad.value = number
            self.display.setText(group_id_number(number) if number
                                 else self.tr("Waiting for the card or the number"))

    def on_event(self, event: ev.Event) -> bool:
        core = self.ctx.core
        if not self.waiting_for_card() or core is None:
            return False
        if isinstance(event, ev.MemberCardDidRead):
            member = core.flow.session.member
            if member is None:
                return False
            self.from_card = True
            self.keypad.value = ""
            self.display.setText(self.tr("Card read: %1, %2").replace("%1", event.masked_name)
                                 .replace("%2", event.masked_id))
            self.number = member.id_number.upper()
            self._publish()
            return True
        if isinstance(event, ev.CardDidFail):
            self.show_error(card_problem(event.reason))
            return True
        return False
