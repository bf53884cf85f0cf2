"""The screens of the window's stack, each built the first time its step is shown.

Only the home screen is needed for the first paint; the other screens (and their modules:
keypads, form widgets, the queue and receipt logic) load when a citizen first reaches them,
which costs a few milliseconds then instead of tens before the kiosk can be used.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module

from kiosk.flow import Step

from .qt import QStackedWidget
from .screens.base import Screen, UiContext
from .widgets import discard

# step -> (module under ui.screens, class): imported when the step is first shown.
SCREENS: dict[Step, tuple[str, str]] = {
    Step.HOME: ("home", "HomeScreen"),
    Step.SERVICES: ("services", "ServicesScreen"),
    Step.SEARCH: ("search", "SearchScreen"),
    Step.GUIDE: ("guide", "GuideScreen"),
    Step.PRIVACY: ("guide", "PrivacyScreen"),
    Step.IDENTIFY: ("identify", "IdentifyScreen"),
    Step.FORM: ("form", "FormScreen"),
    Step.CONFIRM: ("confirm", "ConfirmScreen"),
    Step.SUBMITTING: ("receipt", "SubmittingScreen"),
    Step.RECEIPT: ("receipt", "ReceiptScreen"),
    Step.RATING: ("finish", "RatingScreen"),
    Step.FAREWELL: ("finish", "FarewellScreen"),
    Step.TRACK: ("track", "TrackScreen"),
    Step.QUEUE: ("queue", "QueueScreen"),
    Step.RECORDS: ("records", "RecordsScreen"),
    Step.PAYMENT: ("payment", "PaymentScreen"),
    Step.QUESTIONS: ("questions", "QuestionsScreen"),
}


def screen_class(step: Step) -> type[Screen]:
    module, name = SCREENS[step]
    cls: type[Screen] = getattr(import_module(f"ui.screens.{module}"), name)
    return cls


class ScreenStack:
    """A mapping of step to screen that builds a screen (and adds it to ``stack``) on first
    access; iterating sees only the screens built so far."""

    def __init__(self, ctx: UiContext, stack: QStackedWidget) -> None:
        self._ctx = ctx
        self._stack = stack
        self._built: dict[Step, Screen] = {}

    def __getitem__(self, step: Step) -> Screen:
        screen = self._built.get(step)
        if screen is None:
            screen = self._built[step] = screen_class(step)(self._ctx)
            self._stack.addWidget(screen)
        return screen

    def __contains__(self, step: object) -> bool:
        return step in self._built

    def __iter__(self) -> Iterator[Step]:
        return iter(list(self._built))

    def values(self) -> list[Screen]:
        return list(self._built.values())

    def discard_all(self) -> None:
        """Every screen built so far taken away (built again, in the new language, when next
        shown)."""
        for screen in self._built.values():
            self._stack.removeWidget(screen)
            discard(screen)
        self._built.clear()

    def build_all(self) -> None:
        """Every screen now (tests that walk every screen's widgets)."""
        for step in SCREENS:
            self[step]
