"""Card reader callbacks (on the readers' threads) turned into flow steps and typed events."""

from __future__ import annotations

from devices.cards.base import CardData, CardReaderCallbacks, CardReaderError
from kiosk import events as ev
from kiosk.flow import Flow, Step
from kiosk.id_numbers import IdCheck


class CardEvents:
    """Routes what the readers report: a card read on the identify step identifies the citizen,
    one read on the form is a family member's; a card pulled out mid-read ends the visit."""

    def __init__(self, flow: Flow, events: ev.EventBus) -> None:
        self.flow = flow
        self.events = events

    def callbacks(self) -> CardReaderCallbacks:
        return CardReaderCallbacks(
            card_did_insert=lambda name: self.events.publish(ev.CardDidInsert(name)),
            card_did_remove=lambda name: self.events.publish(ev.CardDidRemove(name)),
            card_did_read=self.card_read,
            reader_did_fail=self.reader_failed,
        )

    def card_read(self, card: CardData) -> None:
        step = self.flow.step
        if step is Step.FORM:  # a family member's card, for a relation field
            self._report(card, self.flow.take_member_card(card), ev.MemberCardDidRead)
        elif step is Step.IDENTIFY:
            self._report(card, self.flow.identify(card), ev.CardDidRead)
        elif step is Step.RECORDS:  # 我的办件 (its desk gathers the transactions on CardDidRead)
            verdict = self.flow.identify_for_records(card)
            if verdict.reason != "busy":  # already identified: a second read changes nothing
                self._report(card, verdict, ev.CardDidRead)

    def _report(self, card: CardData, verdict: IdCheck,
                accepted: type[ev.CardDidRead] | type[ev.MemberCardDidRead]) -> None:
        if verdict.ok:
            masked = card.masked()
            self.events.publish(accepted(masked.name, masked.id_number))
        else:
            self.events.publish(ev.CardDidFail(verdict.reason, verdict.message))

    def reader_failed(self, error: CardReaderError) -> None:
        if error.reason == "removed" and self.flow.step is Step.IDENTIFY:
            # A card pulled out during a read ends the visit: nothing half-read is kept.
            self.flow.reset()
        self.events.publish(ev.CardDidFail(error.reason, str(error)))
