"""The USB stick picker of the outbox and log pages, and the words for what a stick job did.

"Look for USB sticks" lists the removable USB sticks plugged in (nothing is mounted then);
the technician taps one, then a job button; the kiosk mounts that stick for the job, syncs,
unmounts it and says in words what went out or came back, or what failed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from concurrent.futures import Future

from kiosk.diagnostics.usb_jobs import UsbOutcome
from kiosk.usb_media import Stick

from ..operation import watch
from ..qt import QCoreApplication, QFrame, QPushButton, SpacedColumn, SpacedRow
from ..widgets import button, label

translate = QCoreApplication.translate


def problem_words(outcome: UsbOutcome) -> str:
    words = {
        "gone": translate("TechnicianUsb", "The stick is not plugged in any more: plug it in "
                          "and look for sticks again."),
        "mount": translate("TechnicianUsb", "The stick could not be mounted: %1"),
        "unmount": translate("TechnicianUsb", "The stick could not be unmounted: %1. Wait a "
                             "moment before taking it out."),
        "no_filesystem": translate("TechnicianUsb", "The stick holds no filesystem the kiosk "
                                   "can read (format it as FAT32 or exFAT)."),
        "tools": translate("TechnicianUsb", "The kiosk cannot reach USB sticks: %1"),
        "read_only": translate("TechnicianUsb", "The stick is read-only (is its write "
                               "protection on?). Nothing was written."),
        "full": translate("TechnicianUsb", "The stick is full. Free some space on it and "
                          "try again."),
        "no_permission": translate("TechnicianUsb", "The kiosk may not write on this stick "
                                   "(its files belong to another user): %1"),
        "not_transfer": translate("TechnicianUsb", "This is not a kiosk-transfer stick: it "
                                  "holds no acknowledgement folder for this kiosk."),
        "not_enrolled": translate("TechnicianUsb", "This kiosk is not enrolled with the "
                                  "platform: %1"),
    }.get(outcome.problem, translate("TechnicianUsb", "The stick could not be used: %1"))
    return words.replace("%1", outcome.detail)


class StickPicker(QFrame):
    """A button to look for sticks, one button per stick found, and a result line."""

    def __init__(self, name: str, find: Callable[[], Future[list[Stick]]]) -> None:
        super().__init__()
        self.name = name
        self._find = find
        self.sticks: list[Stick] = []
        self.chosen: Stick | None = None
        column = SpacedColumn(self)
        self.find_button = button(translate("TechnicianUsb", "Look for USB sticks"),
                                  f"{name}-find-sticks", self.look)
        column.addWidget(self.find_button)
        self.row = SpacedRow()
        column.addLayout(self.row)
        self.status = label("", name=f"{name}-sticks")
        column.addWidget(self.status)
        self.result = label("", name=f"{name}-usb-result")
        column.addWidget(self.result)
        self._buttons: list[QPushButton] = []

    def look(self) -> None:
        self.status.setText(translate("TechnicianUsb", "Looking for USB sticks…"))
        watch(self._find(), "listing USB sticks", self, success=self._found,
              failure=lambda e: self.status.setText(
                  translate("TechnicianUsb", "The USB sticks could not be listed: %1")
                  .replace("%1", str(e))))

    def _found(self, sticks: list[Stick]) -> None:
        self._forget()
        self.sticks = sticks
        for index, stick in enumerate(sticks):
            choose = button(stick.describe(), f"{self.name}-stick-{index}",
                            functools.partial(self._choose, stick), checkable=True)
            self._buttons.append(choose)
            self.row.addWidget(choose)
        if not sticks:
            self.status.setText(translate("TechnicianUsb", "No USB stick found: plug one in "
                                          "and look again."))
        elif len(sticks) == 1:
            self._choose(sticks[0])
        else:
            self.status.setText(translate("TechnicianUsb", "Tap the stick to use."))

    def _choose(self, stick: Stick) -> None:
        self.chosen = stick
        for each, choice in zip(self.sticks, self._buttons, strict=True):
            choice.setChecked(each == stick)
        self.status.setText(translate("TechnicianUsb", "Stick chosen: %1 (%2). It is mounted "
                                      "only for the job, then unmounted.")
                            .replace("%1", stick.describe()).replace("%2", stick.path))

    def job(self, start: Callable[[Stick], Future[UsbOutcome]], what: str,
            done: Callable[[UsbOutcome], str], after: Callable[[], None] | None = None) -> None:
        """Run one stick job on the chosen stick and put its outcome in words."""
        if self.chosen is None:
            self.result.setText(translate("TechnicianUsb", "Choose a USB stick first: look "
                                          "for USB sticks, then tap one."))
            return
        self.result.setText(translate("TechnicianUsb", "Working on the stick… do not take it "
                                      "out."))

        def finished(outcome: UsbOutcome) -> None:
            self.result.setText(done(outcome) if outcome.done else problem_words(outcome))
            if after is not None:
                after()

        watch(start(self.chosen), what, self, success=finished,
              failure=lambda e: self.result.setText(
                  translate("TechnicianUsb", "The stick could not be used: %1")
                  .replace("%1", f"{type(e).__name__}: {e}")))

    def _forget(self) -> None:
        for choice in self._buttons:
            self.row.removeWidget(choice)
            choice.deleteLater()
        self._buttons.clear()
        self.sticks, self.chosen = [], None

    def clear(self) -> None:
        self._forget()
        self.status.clear()
        self.result.clear()
