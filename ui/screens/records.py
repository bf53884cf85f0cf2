"""我的办件: the citizen's own applications and, with a second factor, their records.

Pages on one screen, following the session's RecordsVisit (kiosk/records/visit.py): identify,
the applications (this kiosk's and, online, the platform's; offline marked as such), the
card's PIN on the large keypad (shown as dots, never spoken, dropped from the widgets the
moment the card is asked) or a member of staff's sign-in for an ID card, then the records.
The name and ID number are shown masked. Everything personal leaves the widgets in
:meth:`leave`, and the answers live only in the session (docs/records.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk import events as ev
from kiosk.flow import Step
from kiosk.records.visit import RecordsStage, RecordsVisit

from ..messages import card_problem, scan_problem
from ..qt import QStackedWidget, QWidget, SpacedColumn, SpacedRow
from ..scroll_panel import ScrollPanel
from ..widgets import Keypad, button, clear_layout, label
from .base import Screen, UiContext
from .records_text import RecordsText

if TYPE_CHECKING:
    from ..assisted_identify import AssistedIdentifyPanel
    from .proofs import ProofsScreen

PIN_DIGITS = 6


class RecordsScreen(Screen):
    step = Step.RECORDS

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx)
        self.text = RecordsText(self)
        self.title.setText(self.tr("My applications and records"))
        self.status = label("", role="error", name="records-status")
        self.layout_.addWidget(self.status)
        self.pages = QStackedWidget()
        self.layout_.addWidget(self.pages, 1)
        self._identify = self._build_identify()
        self._overview = self._build_overview()
        self._pin = self._build_pin()
        self._checking = self._page(label(self.tr("Checking, please wait…"), role="heading",
                                          name="records-checking"))
        self._records = self._build_records()
        self._staff: QWidget | None = None  # the staff sign-in, built when first needed
        self._proofs: ProofsScreen | None = None  # the A4 proofs, opened from the records
        self._pin_value = ""
        self._assist: AssistedIdentifyPanel | None = None  # a typed number, staff confirming

    # pages -----------------------------------------------------------------------------
    def _page(self, *widgets: QWidget, row: SpacedRow | None = None) -> QWidget:
        page = QWidget()
        col = SpacedColumn(page)
        col.setContentsMargins(0, 0, 0, 0)
        for w in widgets:
            col.addWidget(w)
        col.addStretch(1)
        if row is not None:
            col.addLayout(row)
        self.pages.addWidget(page)
        return page

    def _build_identify(self) -> QWidget:
        prompt = label(self.tr("Please insert your social-security card or place your ID card "
                               "on the pad"), role="heading", name="records-identify-prompt")
        self.scan_hint = label(self.tr("Or show the electronic card code on your phone to the "
                                       "scanner."), role="note", name="records-scan-hint")
        self.scan_hint.setVisible(bool(self.core.scanners))
        self.assist_button = button(self.tr("No card? Ask staff to help type your ID number"),
                                    "records-staff-help", self._open_assist)
        row = SpacedRow()
        if self.ctx.demo_insert_card is not None:
            row.addWidget(button(self.tr("Demo: insert the test card"),
                                 "records-demo-insert-card", self.ctx.demo_insert_card))
        if self.ctx.demo_place_id_card is not None:
            row.addWidget(button(self.tr("Demo: place the test ID card"),
                                 "records-demo-place-id-card", self.ctx.demo_place_id_card))
        return self._page(prompt, self.scan_hint, self.assist_button, row=row)

    def _build_overview(self) -> QWidget:
        self.identity = label("", role="ok", name="records-identity")
        self.source = label("", role="note", name="records-source")
        self.list = ScrollPanel("records-list")
        self.show_records = button(self.tr("Show my records (social insurance, medical "
                                           "insurance, housing fund, tax)"),
                                   "records-show", self._ask_records, primary=True)
        page = QWidget()
        col = SpacedColumn(page)
        col.setContentsMargins(0, 0, 0, 0)
        for w in (self.identity, self.source):
            col.addWidget(w)
        col.addWidget(self.list, 1)
        col.addWidget(self.show_records)
        self.pages.addWidget(page)
        return page

    def _build_pin(self) -> QWidget:
        self.pin_prompt = label(self.tr("Type your card's PIN (6 digits), then Confirm. Cover "
                                        "the keypad with your hand."), role="heading",
                                name="records-pin-prompt")
        self.pin_dots = label("", role="tracking", name="records-pin-dots", wrap=False)
        self.keypad = Keypad(self._typed_pin, max_len=PIN_DIGITS)
        self.keypad.set_secret(True)
        row = SpacedRow()
        row.addWidget(button(self.tr("Back"), "records-pin-back", self._cancel))
        self.confirm_pin = button(self.tr("Confirm"), "records-pin-confirm", self._check_pin,
                                  primary=True)
        row.addWidget(self.confirm_pin)
        # The prompt and the dots beside the keypad: above it they left the keypad too little
        # height at 1280x1024 (its rows overlapped; tests/qt/test_measured_more_screens.py).
        beside = QWidget()
        columns = SpacedRow(beside)
        columns.setContentsMargins(0, 0, 0, 0)
        left = QWidget()
        words = SpacedColumn(left)
        words.setContentsMargins(0, 0, 0, 0)
        words.addWidget(self.pin_prompt)
        words.addWidget(self.pin_dots)
        words.addStretch(1)
        columns.addWidget(left, 1)
        columns.addWidget(self.keypad, 1)
        return self._page(beside, row=row)

    def _build_records(self) -> QWidget:
        self.sheet = ScrollPanel("records-sheet")
        page = QWidget()
        col = SpacedColumn(page)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.sheet, 1)
        row = SpacedRow()
        row.addWidget(button(self.tr("Back to my applications"), "records-sheet-back",
                             self._cancel))
        row.addWidget(button(self.tr("Print an official proof (A4)"), "records-print-proof",
                             self._open_proofs, primary=True))
        col.addLayout(row)
        self.pages.addWidget(page)
        return page

    def _open_proofs(self) -> None:
        """The proofs desk for this citizen, with the factor their records were opened with
        (docs/proofs.md): the proofs page replaces any earlier one."""
        visit = self.visit
        if visit is None or visit.card is None or visit.factor is None:
            return
        from kiosk.proofs.desk import Citizen
        from kiosk.proofs.entry import open_proof_desk

        from ..proof_pdf import render_proof_pdf
        from .proofs import ProofsScreen

        citizen = Citizen(visit.card.id_number, visit.factor.kind,
                          visit.factor.staff_id or "", visit.method or "social_security_card")
        config = self.core.config
        self._close_proofs()
        proofs = self._proofs = ProofsScreen(
            lambda on_change: open_proof_desk(config, citizen, render_proof_pdf, on_change),
            say=self.ctx.voice.say)
        page = QWidget()
        col = SpacedColumn(page)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(proofs, 1)
        col.addWidget(button(self.tr("Back to my records"), "records-proofs-back",
                             self._back_to_records))
        self.pages.addWidget(page)
        self.pages.setCurrentWidget(page)

    def _back_to_records(self) -> None:
        self._close_proofs()
        self.pages.setCurrentWidget(self._records)

    def _close_proofs(self) -> None:
        """The desk's thread stopped, a job under way cancelled, the page gone."""
        proofs, self._proofs = self._proofs, None
        if proofs is None:
            return
        proofs.close_desk()
        page = proofs.parentWidget()
        if page is not None:
            self.pages.removeWidget(page)
            page.deleteLater()

    def _open_assist(self) -> None:
        """No card: the citizen types their ID number (X as the last character), a member of
        hall staff confirms it with their own number and PIN; the visit is then marked as
        staff-assisted and the records open with that staff member as the second factor."""
        if self._assist is None:
            from ..assisted_identify import AssistedIdentifyPanel

            self._assist = AssistedIdentifyPanel(self.core, self.window(), self.ctx.voice)
        self._assist.open_panel()

    def _staff_page(self) -> QWidget:
        if self._staff is None:
            from kiosk.staff.sign_in import staff_gate

            from ..staff_sign_in import SignInPage

            hint = label(self.tr("An ID card has no PIN: a member of staff confirms who you "
                                 "are with their own staff number and PIN."), role="note",
                         name="records-staff-hint")
            sign_in = SignInPage(staff_gate(self.core.config, self.core.clock,
                                           getattr(self.core, "audit", None)),
                                 prefix="records-staff")
            sign_in.signed_in.connect(self._staff_signed_in)
            sign_in.cancelled.connect(self._cancel)
            self.staff_sign_in = sign_in
            self._staff = self._page(hint, sign_in)
        return self._staff

    # the visit -------------------------------------------------------------------------
    @property
    def visit(self) -> RecordsVisit | None:
        return self.core.flow.session.records

    def enter(self) -> None:
        self.status.clear()
        self._show()
        self.ctx.voice.say(self.prompt())

    def prompt(self) -> str:
        visit = self.visit
        if visit is None or visit.stage is RecordsStage.IDENTIFY:
            return self.tr("Please insert your social-security card or place your ID card on "
                           "the pad")
        return self.title.text()

    def leave(self) -> None:
        """Nothing personal stays in a widget once the citizen has left this screen."""
        if self._assist is not None:
            self._assist.close_panel()
        self._close_proofs()
        self._drop_pin()
        self.identity.clear()
        self.source.clear()
        self.status.clear()
        clear_layout(self.list.body)
        clear_layout(self.sheet.body)
        if self._staff is not None:
            self.staff_sign_in.reset()
        self.pages.setCurrentWidget(self._identify)

    def on_event(self, event: ev.Event) -> None:
        if isinstance(event, ev.RecordsDidChange):
            self._show(event.message)
        elif isinstance(event, ev.CardDidFail):
            self._say(card_problem(event.reason))
        elif isinstance(event, ev.EcodeDidScan):
            self.status.setText(self.tr("Checking your electronic card code…"))
        elif isinstance(event, ev.ScanDidFail):
            self._say(scan_problem(event.reason))
        elif isinstance(event, ev.CardDidInsert) and self.visit is not None \
                and self.visit.stage is RecordsStage.IDENTIFY:
            self.status.setText(self.tr("Reading your card, please do not remove it…"))

    def _show(self, message: str = "") -> None:
        visit = self.visit
        stage = visit.stage if visit is not None else RecordsStage.IDENTIFY
        if stage is RecordsStage.IDENTIFY:
            self.pages.setCurrentWidget(self._identify)
        elif stage in (RecordsStage.LOADING, RecordsStage.CHECKING):
            self.pages.setCurrentWidget(self._checking)
        elif stage is RecordsStage.OVERVIEW:
            assert visit is not None
            self._fill_overview(visit)
            self.pages.setCurrentWidget(self._overview)
        elif stage is RecordsStage.PIN:
            assert visit is not None
            self._drop_pin()
            self.pages.setCurrentWidget(self._pin)
            if visit.closed_reason == "wrong_pin" and visit.pin_tries_left is not None:
                self._say(self.tr("Wrong PIN. %n try/tries left before the card blocks it.",
                                  "", visit.pin_tries_left))
                return
            self.ctx.voice.say(self.pin_prompt.text())
        elif stage is RecordsStage.STAFF:
            self.pages.setCurrentWidget(self._staff_page())
        elif stage is RecordsStage.RECORDS:
            assert visit is not None and visit.records is not None
            self.text.fill_records(self.sheet.body, visit.records)
            self.sheet.to_top()
            self.pages.setCurrentWidget(self._records)
        if message:
            self._say(self.text.problem(message))
        elif stage is not RecordsStage.PIN:
            self.status.clear()

    def _fill_overview(self, visit: RecordsVisit) -> None:
        card = visit.card
        if card is not None:
            masked = card.masked()
            self.identity.setText(self.tr("Identified: %1, %2").replace(
                "%1", masked.name).replace("%2", masked.id_number))
        if visit.online:
            self.source.setText(self.tr("Your applications on the platform and on this kiosk."))
        else:
            self.source.setText(self.tr("The platform cannot be reached: only the applications "
                                        "made on this kiosk are shown."))
        self.text.fill_transactions(self.list.body, visit.rows)
        self.show_records.setEnabled(not visit.pin_blocked and visit.online is True)

    # actions -----------------------------------------------------------------------------
    def _ask_records(self) -> None:
        self.core.records.ask()

    def _typed_pin(self, value: str) -> None:
        self._pin_value = value
        self.pin_dots.setText("●" * len(value))

    def _drop_pin(self) -> None:
        self._pin_value = ""
        self.keypad.value = ""
        self.pin_dots.clear()

    def _check_pin(self) -> None:
        pin = self._pin_value
        self._drop_pin()  # out of the widgets before the card is asked
        if len(pin) != PIN_DIGITS:
            self._say(self.tr("The PIN has 6 digits. Please type it again."))
            return
        self.core.records.verify_pin(pin)

    def _staff_signed_in(self, person: object) -> None:
        gate = self.staff_sign_in.gate
        if not gate.perform(person, "confirm_identification"):  # type: ignore[arg-type]
            self._say(self.tr("Only hall staff can confirm a citizen."))
        else:
            self.core.records.confirm_by_staff(person)  # type: ignore[arg-type]
        gate.sign_out(person, "confirmed a citizen for their records")  # type: ignore[arg-type]

    def _cancel(self) -> None:
        self._drop_pin()
        self.core.records.cancel_factor()

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.ctx.voice.say(text)
