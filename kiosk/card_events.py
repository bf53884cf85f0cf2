"""Card reader callbacks (on the readers' threads) turned into flow steps and typed events."""

from __future__ import annotations

from functools import partial

from devices.cards.base import CardData, CardReader, CardReaderCallbacks, CardReaderError
from kiosk import events as ev
from kiosk.card_watch import CardWatch
from kiosk.flow import Flow, Step
from kiosk.id_numbers import IdCheck


class CardEvents:
    """Routes what the readers report: a card read on the identify step identifies the citizen,
    one read on the form is a family member's; a card pulled out mid-read ends the visit; the
    card the citizen identified with, taken out mid-visit, is watched (kiosk/card_watch.py)."""

    def __init__(self, flow: Flow, events: ev.EventBus) -> None:
        self.flow = flow
        self.events = events
        self.watch = CardWatch(flow, events)

    def callbacks(self, reader: CardReader | None = None) -> CardReaderCallbacks:
        """The callbacks for one reader (it says whether its cards stay in, and its name
        which removal is that of the card held)."""
        return CardReaderCallbacks(
            card_did_insert=lambda name: self.events.publish(ev.CardDidInsert(name)),
            card_did_remove=partial(self.card_removed, reader=reader),
            card_did_read=partial(self.card_read, reader=reader),
            reader_did_fail=self.reader_failed,
        )

    def card_removed(self, name: str, reader: CardReader | None = None) -> None:
        if reader is not None:
            self.watch.removed(reader, name)  # decided before the plain event is out
        self.events.publish(ev.CardDidRemove(name))

    def card_read(self, card: CardData, reader: CardReader | None = None) -> None:
        if reader is not None and self.watch.card_read(reader, card):
            return  # the held card back (carry on), or another (the visit ended)
        step = self.flow.step
        if step is Step.FORM:  # a family member's card, for a relation field
            self._report(card, self.flow.take_member_card(card), ev.MemberCardDidRead)
        elif step is Step.IDENTIFY:
            verdict = self.flow.identify(card)
            if verdict.ok and reader is not None:
                self.watch.identified(reader, card)
            self._report(card, verdict, ev.CardDidRead)
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
