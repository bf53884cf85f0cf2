"""The form: any service's fields from the catalogue, a few to a page, each with its own
large input; conditional fields come and go with the answers; a refusal is shown beside its
field and spoken (docs/forms.md)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from kiosk import events as ev
from kiosk.catalog import FormError, FormField, Service
from kiosk.catalog.fields import validate_form
from kiosk.catalog.form_pages import form_pages, page_of, shown_fields
from kiosk.catalog.regions import load_regions
from kiosk.flow import Step

from ..form_fields.base import FieldContext, FieldWidget
from ..form_fields.keyed import beside
from ..form_fields.messages import form_problem
from ..form_fields.registry import build_field
from ..form_fields.relation import RelationField
from ..qt import QEvent, QResizeEvent, QSizePolicy, QTimer, QWidget, SpacedColumn, SpacedRow
from ..theme import REFERENCE_DPI, Metrics
from ..widgets import button, discard, label
from .base import Screen, UiContext

FULL_WIDTH = {"text"}  # on a landscape page, the whole width: its two keypads side by side


def split_into_pages(
    fields: Sequence[FormField], heights: dict[str, int], room: int, gap: int, columns: int,
    column_of: dict[str, int], full: Callable[[FormField], bool] = lambda f: False,
) -> list[list[FormField]]:
    """Fields in order down the first column, then the next; a new page when all are full.
    A full-width field has a page of its own (on one column, nothing beside it)."""
    pages: list[list[FormField]] = [[]]
    column, used = 0, 0
    for f in fields:
        if full(f) and columns > 1:
            if pages[-1]:
                pages.append([])
            pages[-1].append(f)
            pages.append([])
            column_of[f.key] = 0
            column, used = 0, 0
            continue
        need = heights[f.key] + (gap if used else 0)
        if used and used + need > room:
            column, used, need = column + 1, 0, heights[f.key]
            if column == columns:
                pages.append([])
                column = 0
        pages[-1].append(f)
        column_of[f.key] = column
        used += need
    return [p for p in pages if p]


def height_of(w: QWidget, width: int) -> int:
    """The height ``w`` needs at ``width`` under its stylesheet."""
    w.ensurePolished()
    layout = w.layout()
    assert layout is not None
    return max(layout.totalMinimumSize().height(),
               layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else 0)


class FormScreen(Screen):
    step = Step.FORM

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx)
        self.title.setText(self.tr("Please fill in"))
        # Said, not shown: the fields' headings say what to fill in, and a short screen needs
        # the title's row for them. The page row says where the citizen is.
        self.title.hide()
        self.body = QWidget()
        self._new_body()
        self.nav = QWidget()
        row = SpacedRow(self.nav)
        row.setContentsMargins(0, 0, 0, 0)
        self.previous_button = button(self.tr("Previous page"), "form-previous", self._previous)
        self.page_label = label("", role="heading", name="form-page", wrap=False)
        self.next_button = button(self.tr("Next"), "form-next", self._next, primary=True)
        for b in (self.previous_button, self.next_button):
            b.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        row.addWidget(self.previous_button)
        row.addWidget(self.page_label, 1)
        row.addWidget(self.next_button)
        self.layout_.addWidget(self.nav)
        self.values: dict[str, str] = {}
        self.page = 0
        self.pages: list[list[FormField]] = []
        self.widgets: dict[str, FieldWidget] = {}
        self._shown: list[str] = []
        self._restyle_pending = False
        self._sized: tuple[int, int, bool, int] | None = None
        self._heights: dict[str, int] = {}  # each field's height at that size
        self._full: set[str] = set()  # fields too tall for a column, given the page's width

    # what the screen shows ----------------------------------------------------
    @property
    def service(self) -> Service | None:
        return self.core.flow.session.service

    def enter(self) -> None:
        self._sized = None  # another service, perhaps: measure again
        session = self.core.flow.session
        self.values = dict(session.draft)
        self.page = session.form_page
        window = self.window().layout()
        if window is not None:
            window.activate()  # the stack has the window's size now (a resize may be pending)
        self._render()

    def leave(self) -> None:
        for w in self.widgets.values():
            w.leave()
        self.values = {}
        self.page = 0
        self._new_body()  # typed numbers go with the old widgets

    def expects_card_swap(self) -> bool:
        """A relation field waits for a family member's card: the applicant takes theirs out."""
        return any(isinstance(w, RelationField) and w.waiting_for_card()
                   for w in self.widgets.values())

    def prompt(self) -> str:
        parts = [self.title.text()]
        if len(self.pages) > 1:
            parts.append(self.page_label.text())
        parts += [w.heading.text() for w in self.widgets.values()]
        return " ".join(parts)

    def _columns(self) -> int:
        """Two columns of fields on a landscape screen wide enough for an ID number's keypad
        beside the number in each; one on a portrait or square screen."""
        frame = self._frame()
        metrics = getattr(self.window(), "metrics", None) or Metrics(REFERENCE_DPI, False)
        column = (frame.width() - self.page_row.spacing()) // 2
        wide = beside(metrics, 4, column)  # an ID number's keypad beside the number
        return 2 if frame.width() >= 1.4 * frame.height() and wide else 1

    def _context(self, columns: int) -> FieldContext:
        window = self.window()
        metrics = getattr(window, "metrics", None) or Metrics(REFERENCE_DPI, False)
        gap = self.page_row.spacing()
        width = (self._frame().width() - (columns - 1) * gap) // columns
        return FieldContext(
            locale=self.ctx.locale, metrics=metrics, width=max(width, metrics.target),
            today=self.core.flow.today(), regions=load_regions(), changed=self._changed,
            core=self.core, room=self._room(),
        )

    def _room(self) -> int:
        """The height the fields of one page may take."""
        used = self.nav.sizeHint().height() + self.layout_.spacing()
        # Less a spare gap: a wrapped label's height is known only once it is laid out.
        return self._frame().height() - used - 2 * self.page_row.spacing()

    def _frame(self) -> QWidget:
        """What gives this screen its size: the window's stack of screens (a hidden page of the
        stack keeps a stale size until it is shown, and the form is built just before)."""
        return self.parentWidget() or self

    def _new_body(self) -> None:
        discard(self.body)
        self.widgets = {}
        self.body = QWidget()
        # The pages are cut to fit the room there is: the fields never make the window grow
        # (as they would for a moment when care mode enlarges them, before they are paged again).
        self.body.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        self.page_row = SpacedRow(self.body)
        self.page_row.setContentsMargins(0, 0, 0, 0)
        self.layout_.insertWidget(1, self.body, 1)
        if self.isVisible():
            self.body.show()  # now, not on the next turn of the event loop

    def _render(self) -> None:
        """Build the widgets of the shown fields, cut them into pages that fit, show one."""
        service = self.service
        self._new_body()
        if service is None:
            return
        columns = self._columns()
        narrow, wide = self._context(columns), self._context(1)
        shown = shown_fields(service.form, self.values)
        room = self._room()
        sized = self._size_now()
        if sized != self._sized:  # heights hold for one size: answers do not change them
            self._sized, self._heights, self._full = sized, {}, set()
        built: dict[str, FieldWidget] = {}
        for f in shown:
            if f.key not in self._heights:
                w = self._build(f, wide if self._full_width(f) else narrow)
                height = height_of(w, w.ctx.width)
                if height > room and not self._full_width(f) and columns > 1:
                    # Too tall for a column: the whole width, its keys beside its answer.
                    self._full.add(f.key)
                    discard(w)
                    w = self._build(f, wide)
                    height = height_of(w, w.ctx.width)
                self._heights[f.key] = height
                built[f.key] = w
        column_of: dict[str, int] = {}
        self.pages = form_pages(service, self.values, partial(
            split_into_pages, heights=self._heights, room=room, gap=self.page_row.spacing(),
            columns=columns, column_of=column_of, full=self._full_width))
        self._shown = [f.key for p in self.pages for f in p]
        self.page = min(self.page, max(len(self.pages) - 1, 0))
        page = self.pages[self.page] if self.pages else []
        for f in page:
            if f.key not in built:
                built[f.key] = self._build(f, wide if self._full_width(f) else narrow)
        if any(self._full_width(f) for f in page):
            columns = 1
        layouts = [SpacedColumn() for _ in range(columns)]
        for layout in layouts:
            layout.setContentsMargins(0, 0, 0, 0)
            self.page_row.addLayout(layout, 1)
        on_page = {f.key for f in page}
        for key, w in built.items():
            if key in on_page:
                self.widgets[key] = w
                layouts[column_of[key]].addWidget(w)
                w.show()
            else:
                discard(w)
        for layout in layouts:
            layout.addStretch(1)
        self._show_nav()

    def _full_width(self, f: FormField) -> bool:
        return f.kind in FULL_WIDTH or f.key in self._full

    def _size_now(self) -> tuple[int, int, bool, int]:
        """What the pages depend on: the widths of a column and of the page, care mode, room."""
        narrow, wide = self._context(self._columns()), self._context(1)
        return (narrow.width, wide.width, narrow.metrics.care_mode, self._room())

    def _build(self, f: FormField, ctx: FieldContext) -> FieldWidget:
        w = build_field(f, ctx)
        w.setParent(self.body)  # under the window's stylesheet, to be measured
        w.hide()
        w.set_value(self.values.get(f.key, ""))
        return w

    def _show_nav(self) -> None:
        many = len(self.pages) > 1
        self.previous_button.setVisible(many)
        self.previous_button.setEnabled(self.page > 0)
        self.page_label.setText(
            self.tr("Page %1 of %2").replace("%1", str(self.page + 1))
            .replace("%2", str(len(self.pages))) if many else self.title.text())
        last = self.page >= len(self.pages) - 1
        text = self.tr("Next") if last else self.tr("Next page")
        self.next_button.setText(text)
        self.next_button.setAccessibleName(text)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        # Care mode on or off: the same answers, laid out and paged again at the new size.
        if event.type() == QEvent.Type.StyleChange:
            self._again_soon()
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        if event.oldSize().isValid() and event.size() != event.oldSize():
            self._again_soon()
        super().resizeEvent(event)

    def _again_soon(self) -> None:
        if self.isVisible() and not self._restyle_pending:
            self._restyle_pending = True
            QTimer.singleShot(0, self._restyled)

    def _restyled(self) -> None:
        self._restyle_pending = False
        if self.isVisible() and self.core.flow.step is Step.FORM:
            window = self.window().layout()
            if window is not None:
                window.activate()  # the header and footer take their new height first
            if self._size_now() != self._sized:
                self._render()

    # answers --------------------------------------------------------------------
    def _changed(self, key: str) -> None:
        w = self.widgets.get(key)
        if w is None:
            return
        if w.value():
            self.values[key] = w.value()
        else:
            self.values.pop(key, None)
        self._keep()
        service = self.service
        if service is not None:
            now = [f.key for f in shown_fields(service.form, self.values)]
            if now != self._shown:  # a condition changed: fields come or go
                QTimer.singleShot(0, self._render)

    def _keep(self) -> None:
        if self.core.flow.step is Step.FORM:
            self.core.flow.keep_draft(self.values, self.page)

    def _turn(self, page: int) -> None:
        self.page = page
        self._keep()
        self._render()
        self.ctx.voice.say(self.prompt())

    def _previous(self) -> None:
        if self.page > 0:
            self._turn(self.page - 1)

    def _next(self) -> None:
        service = self.service
        if service is None:
            return
        so_far = [f for p in self.pages[: self.page + 1] for f in p]
        try:
            validate_form(so_far, self.values, self.core.flow.today(), load_regions())
            if self.page + 1 < len(self.pages):
                self._turn(self.page + 1)
                return
            self.core.flow.submit_form(dict(self.values))
        except FormError as exc:
            self._refuse(exc)

    def _refuse(self, exc: FormError) -> None:
        """Show the refusal beside its field (turning to its page) and say it."""
        service = self.service
        field = next((f for f in service.form if f.key == exc.field), None) if service else None
        page = page_of(self.pages, exc.field)
        if page is not None and page != self.page:
            self.page = page
            self._keep()
            self._render()
        text = form_problem(exc, field, self.values.get(exc.field, ""), self.core.flow.today())
        w = self.widgets.get(exc.field)
        if w is not None:
            w.show_error(text)
            w.focus_input()
            text = self.tr("%1: %2").replace("%1", w.label_text).replace("%2", text)
        self.ctx.voice.say(text)

    def on_event(self, event: ev.Event) -> None:
        for w in self.widgets.values():
            if w.on_event(event):
                return
