"""缴费: a bill paid, or a transit card topped up, on the citizen's phone.

The account (or card) number on the large keypad; the bill as the platform tells it (holder
masked, period, amount owed) or the card's balance and the amounts on offer; then the
confirm screen: the order is made as it opens (kiosk.payments.machine), the platform's
payment code large, the amount, and a countdown to the platform's deadline, during which the
idle guard waits. Each ending is said in words (ui.screens.payment_words) and the receipt or
the 待确认 slip prints. Citizens without a smartphone are told where in the hall to pay instead.
The account number is shown masked once typed, and never spoken.
"""

from __future__ import annotations

from functools import partial

from devices.masking import mask_card_number
from kiosk import events as ev
from kiosk.catalog import Service
from kiosk.flow import Step
from kiosk.payments.machine import PaymentMachine, PayState
from kiosk.payments.runner import PaymentDidChange, PaymentRunner
from kiosk.payments.slips import yuan

from ..qt import QLabel, QPushButton, QSize, QTimer, QWidget, SpacedRow
from ..scroll_panel import ScrollPanel
from ..widgets import Keypad, QrCode, button, clear_layout, label
from .base import Screen, UiContext
from .payment_words import PaymentWords

QR_SIDE_PX = 400  # about 10 cm on a 19-inch 1280x1024 screen: a phone reads it at arm's length
OUTCOMES = frozenset({PayState.START_FAILED, PayState.PAID, PayState.FAILED, PayState.EXPIRED,
                      PayState.CANCELLED, PayState.CREDITED, PayState.REFUNDED,
                      PayState.UNKNOWN})


class PaymentScreen(Screen):
    step = Step.PAYMENT

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx)
        self.words = PaymentWords(self.core.site, ctx.locale)
        self.hint = label("", name="payment-hint")
        row = QWidget()
        columns = SpacedRow(row)
        columns.setContentsMargins(0, 0, 0, 0)
        # The words page (swiped, or 上一页/下一页) where a small screen in care mode lacks room
        left = self.words_panel = ScrollPanel("payment")
        col = left.body
        self.typed = label("", role="tracking", name="payment-typed", wrap=False)
        self.facts = label("", name="payment-facts")
        self.amount = label("", role="tracking", name="payment-amount", wrap=False)
        self.countdown = label("", role="tracking", name="payment-countdown", wrap=False)
        self.message = label("", name="payment-message")
        self.link = label("", role="error", name="payment-link")
        self.printing = label("", name="payment-print")
        for widget in (self.hint, self.typed, self.facts, self.amount, self.countdown, self.message,
                       self.link, self.printing):
            col.addWidget(widget)
        self.amounts_row = SpacedRow()
        col.addLayout(self.amounts_row)
        self.otherwise = label("", role="note", name="payment-otherwise")
        col.addWidget(self.otherwise)
        col.addStretch(1)
        columns.addWidget(left, 1)
        self.qr = QrCode()
        self.qr.setObjectName("payment-qr")
        self.qr.setMinimumSize(QSize(QR_SIDE_PX, QR_SIDE_PX))
        columns.addWidget(self.qr)
        self.keypad = Keypad(self._typed_changed, max_len=20)
        columns.addWidget(self.keypad, 1)
        self.layout_.addWidget(row, 1)
        buttons = SpacedRow()
        self.look_up = button(self.tr("Look up"), "payment-look-up", self._look_up, primary=True)
        self.pay = button(self.tr("Pay with my phone"), "payment-pay", self._pay, primary=True)
        self.change = button(self.tr("Change the number"), "payment-change", self._change)
        self.cancel = button(self.tr("Cancel payment"), "payment-cancel", self._cancel)
        self.done = button(self.tr("Done"), "payment-done", self.core.flow.reset, primary=True)
        self.home = button(self.tr("Home"), "payment-home", self.core.flow.reset)
        for b in (self.look_up, self.pay, self.change, self.cancel, self.done, self.home):
            buttons.addWidget(b)
        self.layout_.addLayout(buttons)
        self._amount_buttons: list[QPushButton] = []
        self._spoken = ""
        self._said_state: PayState | None = None
        self.ticker = QTimer(self)
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self._tick)

    # -- what the core holds ------------------------------------------------------------------

    @property
    def runner(self) -> PaymentRunner | None:
        return self.core.payment

    @property
    def machine(self) -> PaymentMachine | None:
        return self.core.flow.session.payment

    @property
    def service(self) -> Service | None:
        return self.core.flow.session.service

    # -- screen life ----------------------------------------------------------------------------

    def enter(self) -> None:
        self._said_state = None
        self.keypad.start("", 20)
        self.words_panel.to_top()
        self._render()

    def leave(self) -> None:
        self.ticker.stop()
        self.keypad.start("", 20)
        for widget in (self.typed, self.facts, self.amount, self.countdown, self.message,
                       self.link, self.printing, self.hint):
            widget.clear()
        self.qr.set_payload("")
        clear_layout(self.amounts_row)
        self._amount_buttons = []

    def holds_idle(self) -> bool:
        machine = self.machine
        return machine is not None and machine.holds_idle(self.core.clock.monotonic())

    def prompt(self) -> str:
        return self._spoken

    def on_event(self, event: ev.Event) -> None:
        if isinstance(event, PaymentDidChange):
            self._render()

    # -- the citizen's taps ---------------------------------------------------------------------

    def _typed_changed(self, value: str) -> None:
        self.typed.setText(value)

    def _look_up(self) -> None:
        if self.runner is not None:
            self.runner.look_up(self.keypad.value)
            self._render()

    def _pay(self) -> None:
        if self.runner is not None:
            self.runner.open_confirm()  # the order is made now; a second tap makes none
            self._render()

    def _change(self) -> None:
        if self.machine is not None:
            self.machine.change_account()
            self.keypad.start("", 20)
            self._render()

    def _cancel(self) -> None:
        if self.runner is not None:
            self.runner.cancel()
            self._render()

    def _choose(self, amount_fen: int) -> None:
        if self.machine is not None:
            self.machine.choose_amount(amount_fen)
            self._render()

    # -- rendering ------------------------------------------------------------------------------

    def _tick(self) -> None:
        machine = self.machine
        if machine is None:
            self.ticker.stop()
            return
        left = machine.seconds_left(self.core.clock.monotonic())
        minutes, seconds = divmod(left, 60)
        self.countdown.setText(self.tr("Time left: %1").replace(
            "%1", f"{minutes}:{seconds:02d}"))

    def _render(self) -> None:
        machine, service = self.machine, self.service
        if machine is None or service is None:
            return
        state = machine.state
        self.title.setText(self.words.outcome_title(state) or service.text(self.ctx.locale))
        self.otherwise.setText(self.words.pay_otherwise(service))
        typing = state is PayState.ACCOUNT
        self.keypad.setVisible(typing)
        self.typed.setVisible(typing)
        self.look_up.setVisible(typing)
        self.hint.setText(self.tr("Type your %1 on the keypad, then tap Look up.").replace(
            "%1", self.words.account_label(service)) if typing else "")
        self.message.setText(self.words.problem_text(machine, service) if typing
                             else self.words.outcome_text(machine, service))
        self._set_role(self.message, "error" if typing and machine.problem else "")
        self._render_bill(machine, service)
        waiting = state in (PayState.WAITING, PayState.CANCELLING)
        qr = machine.order.qr_content if waiting and machine.order else ""
        if self.qr.payload != qr:
            self.qr.set_payload(qr)
        self.qr.setVisible(bool(qr))
        self.countdown.setVisible(waiting)
        if waiting:
            self._tick()
            if not self.ticker.isActive():
                self.ticker.start()
        else:
            self.ticker.stop()
        self.link.setText(self.tr("The connection to the payment platform is interrupted; "
                                  "the kiosk keeps trying. If you have paid, do not pay again.")
                          if waiting and machine.link_lost else "")
        self.link.setVisible(bool(self.link.text()))
        self.pay.setVisible(state is PayState.BILL)
        self.pay.setEnabled(machine.amount_fen is not None)
        self.change.setVisible(state is PayState.BILL)
        self.cancel.setVisible(state is PayState.WAITING)
        self.done.setVisible(state in OUTCOMES)
        self.home.setVisible(state in (PayState.ACCOUNT, PayState.BILL))
        text, role = self.words.print_text(machine)
        self.printing.setText(text if state in (PayState.PAID, PayState.CREDITED,
                                                PayState.REFUNDED, PayState.UNKNOWN) else "")
        self._set_role(self.printing, role)
        self.printing.setVisible(bool(self.printing.text()))
        self._say(state)

    def _render_bill(self, machine: PaymentMachine, service: Service) -> None:
        bill = machine.bill
        shown = bill is not None and machine.state is not PayState.ACCOUNT
        facts: list[str] = []
        if bill is not None and shown:
            facts.append(self.tr("Account: %1").replace("%1", mask_card_number(bill.account)))
            if bill.holder_masked:
                facts.append(self.tr("Holder: %1").replace("%1", bill.holder_masked))
            if bill.period:
                facts.append(self.tr("Period: %1").replace("%1", bill.period))
            if bill.balance_fen is not None:
                facts.append(self.tr("Balance on the card account: ¥%1").replace(
                    "%1", yuan(bill.balance_fen)))
        if machine.order is not None and shown:
            facts.append(self.tr("Order number: %1").replace("%1", machine.order.order_no))
        self.facts.setText("\n".join(facts))
        self.facts.setVisible(bool(facts))
        amount = machine.amount_fen
        self.amount.setText(self.tr("Amount: ¥%1").replace("%1", yuan(amount))
                            if shown and amount is not None else "")
        self.amount.setVisible(bool(self.amount.text()))
        offer = shown and machine.state is PayState.BILL and machine.spec.top_up
        if offer and not self._amount_buttons:
            for fen in machine.spec.amounts:
                b = button(f"¥{fen // 100}", f"payment-amount-{fen}", partial(self._choose, fen),
                           checkable=True)
                b.setCheckable(True)
                self.amounts_row.addWidget(b)
                b.show()  # now, not at the layout's next turn: a tap may come at once
                self._amount_buttons.append(b)
        elif not offer and self._amount_buttons:
            clear_layout(self.amounts_row)
            self._amount_buttons = []
        for b, fen in zip(self._amount_buttons, machine.spec.amounts, strict=False):
            b.setChecked(fen == amount)

    def _say(self, state: PayState) -> None:
        """Said once per state: the title and the words (never the account number)."""
        parts = [self.title.text(), self.hint.text(), self.message.text(), self.amount.text()]
        if state is PayState.WAITING:
            parts += [self.countdown.text(), self.otherwise.text()]
        text = " ".join(p for p in parts if p)
        self._spoken = text
        if state is not self._said_state:
            self._said_state = state
            self.ctx.voice.say(text)

    @staticmethod
    def _set_role(widget: QLabel, role: str) -> None:
        if widget.property("role") != role:
            widget.setProperty("role", role)
            widget.style().polish(widget)
