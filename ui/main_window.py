"""The kiosk window: header controls on every screen, the step's screen, and the idle guard."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from kiosk import events as ev
from kiosk.config import VOLUME_NAMES
from kiosk.flow import Step

from .audio_mode import AudioMode
from .bridge import EventBridge
from .call_banner import CallBanner
from .header_status import HeaderStatus
from .keypad_nav import KeypadNavigation
from .long_press import LongPress
from .messages import card_problem
from .qt import (
    QCloseEvent,
    QEvent,
    QFrame,
    QObject,
    QSizePolicy,
    QStackedWidget,
    Qt,
    QTimer,
    QWidget,
    SpacedColumn,
    SpacedRow,
    application,
)
from .screen_stack import ScreenStack
from .screens.base import UiContext
from .theme import Metrics, screen_dpi, set_active_palette, stylesheet
from .widgets import button, label

if TYPE_CHECKING:
    from .technician import TechnicianPanel

BACK_ALLOWED = {Step.TRACK, Step.RECORDS, Step.SERVICES, Step.SEARCH, Step.GUIDE, Step.PRIVACY,
                Step.IDENTIFY, Step.FORM, Step.CONFIRM, Step.QUESTIONS}
HOME_ALLOWED = BACK_ALLOWED | {Step.RATING}  # the queue screen ends with its Done
# Where a citizen chooses a service: offline, the banner says what that means for them (the
# search keeps its room for the keypad: its tiles and the header say it all the same).
CHOOSING = {Step.HOME, Step.SERVICES}


class MainWindow(QWidget):
    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.core = ctx.core
        ctx.call_staff = self.call_staff  # the questions' "none of these" raises the same call
        ctx.switch_language = self.switch_language
        self._default_locale = ctx.locale  # each citizen starts in it
        self.setObjectName("main-window")
        self.setWindowTitle(self.tr("Government services self-service kiosk"))
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.dpi = screen_dpi(self.core.config.kiosk.dpi)
        self.metrics = Metrics(self.dpi, care_mode=False)
        # The style sheet before the widgets: each is then polished once, when first shown,
        # not built with the default style and polished again.
        set_active_palette(self.metrics.palette)
        self.setStyleSheet(stylesheet(self.metrics))

        root = SpacedColumn(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.addWidget(self._build_header())
        # A staff call outlives the citizen's session (and a restart): shown on every screen.
        self.call_banner = CallBanner(self.core, ctx.voice, self)
        body = QWidget()
        body_layout = SpacedColumn(body)
        m = self.metrics.px(4)
        body_layout.setContentsMargins(m, m, m, m)
        self.offline_banner = label("", role="banner", name="offline-banner")
        self.offline_banner.hide()
        body_layout.addWidget(self.offline_banner)
        self.stack = QStackedWidget()
        self.screens = ScreenStack(ctx, self.stack)  # each screen built when first shown
        body_layout.addWidget(self.stack, 1)
        body_layout.addWidget(self._build_footer())
        root.addWidget(body, 1)
        self._build_idle_overlay()
        self._technician: TechnicianPanel | None = None
        self._long_press = LongPress(self._title_label, lambda: self.technician.open_panel())

        self.audio_mode = AudioMode(self, ctx.voice, self.core.config.kiosk.headset_sink)
        ctx.audio_active = lambda: self.audio_mode.active
        self.bridge = EventBridge(self.core.events)
        self.bridge.arrived.connect(self._on_event)
        self._current: Step | None = None
        self._arrange_header()
        self.call_banner.refresh()
        self.show_step(self.core.flow.step)
        # The search's matcher is prepared when the kiosk is idle after its first paint (and
        # for each new catalogue), not on the path to that paint nor when a citizen opens it.
        self._prepare_search = QTimer(self)
        self._prepare_search.setSingleShot(True)
        self._prepare_search.setInterval(1500)
        self._prepare_search.timeout.connect(lambda: self.core.catalog.prepare_search())
        self._prepare_search.start()
        # Filters run newest first: the window's (idle guard, audio mode's any key) before the
        # keypad's, which consumes its keys.
        self.keypad = KeypadNavigation(self, self.core.config.keypad, back=self._key_back,
                                       help=self.say_instructions, activity=self._key_activity,
                                       audio=self.toggle_audio_mode)
        application().installEventFilter(self)

    @property
    def technician(self) -> TechnicianPanel:
        """The technician's panel, built the first time a technician asks for it: its
        diagnostics and staff store need not load before the home screen is painted."""
        if self._technician is None:
            from .technician import TechnicianPanel

            self._technician = TechnicianPanel(self.core, self)
        return self._technician

    # layout ------------------------------------------------------------------
    def _build_header(self) -> QFrame:
        """Title, date and time, network state and the header buttons: on one row where the
        screen is wide enough, else the buttons on rows of their own below (a portrait screen
        in care mode), so the title never wraps a character or two per line and no button is
        squeezed."""
        header = QFrame()
        header.setObjectName("header")
        rows = self._header_rows = SpacedColumn(header)
        self._header_top = SpacedRow()
        self._button_rows = (SpacedRow(), SpacedRow(), SpacedRow())
        rows.addLayout(self._header_top)
        for row in self._button_rows:
            rows.addLayout(row)
        title = label(self.tr("Government self-service"), role="heading",
                      name="header-title")
        self._header_top.addWidget(title, 1)
        self._title_label = title
        self.header_status = HeaderStatus(self.core, self.ctx.locale)
        self._header_top.addWidget(self.header_status)
        # Checkable through ToggleButton: assistive technology's Toggle action does a tap.
        self.care_button = button(self.tr("Care mode"), "care-mode", self.toggle_care_mode,
                                  checkable=True)
        self.contrast_button = button(self.tr("High contrast"), "high-contrast",
                                      self.toggle_high_contrast, checkable=True)
        self.help_button = button(self.tr("Call staff"), "call-staff", self.call_staff)
        # The speech's buttons short on screen (six buttons beside the title at 1920x1080 in
        # care mode), their whole words for the ear and assistive technology.
        self.repeat_button = button(self.tr("Repeat", "header button, short"), "voice-repeat",
                                    self.ctx.voice.repeat)
        self.repeat_button.setAccessibleName(self.tr("Repeat"))
        self.stop_button = button(self.tr("Stop", "header button, short"), "voice-stop",
                                  self.ctx.voice.stop)
        self.stop_button.setAccessibleName(self.tr("Stop voice"))
        kiosk = self.core.config.kiosk
        self._volumes = kiosk.volume_fractions()
        self._default_volume = VOLUME_NAMES.index(kiosk.volume)
        self.volume_level = self._default_volume
        self.volume_button = button("", "volume", self.cycle_volume)
        self._show_volume()
        self.ctx.voice.set_volume(self._volumes[self.volume_level])
        # The volume last: alone on a row of its own it goes beside the title (1280x1024, care).
        self._header_button_list = (self.care_button, self.contrast_button, self.help_button,
                                    self.repeat_button, self.stop_button, self.volume_button)
        for b in self._header_button_list:
            b.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            self._header_top.addWidget(b)
        self._header_placement: list[int] = [0] * len(self._header_button_list)
        return header

    def _arrange_header(self) -> None:
        """Buttons beside the title if everything fits the window's width, else on as few rows
        below it as they fit. The title wraps only between words (English), never between
        Chinese characters."""
        fm = self._title_label.fontMetrics()
        self._title_label.setMinimumWidth(
            max(fm.horizontalAdvance(w) for w in self._title_label.text().split()) + 2)
        gap = self._header_top.spacing()
        margins = self._header_rows.contentsMargins()
        room = self.width() - margins.left() - margins.right()
        widths = [b.sizeHint().width() for b in self._header_button_list]
        title = fm.horizontalAdvance(self._title_label.text()) + 2  # on one line
        beside = title + self.header_status.sizeHint().width() + sum(widths) + gap * len(widths)
        placement: list[int] = []  # the row of each button: 0 beside the title, 1.. below
        if beside <= room:
            placement = [0] * len(widths)
        else:
            row, used = 1, 0
            for w in widths:
                if used and used + gap + w > room and row < len(self._button_rows):
                    row, used = row + 1, 0
                used += w if not used else gap + w
                placement.append(row)
            # The last row's buttons beside the title and status if they fit there: no row of
            # its own taken from the screen (a 1280x1024 screen in care mode).
            last = max(placement)
            if last > 1:
                tail = [w for w, r in zip(widths, placement, strict=True) if r == last]
                top = title + self.header_status.sizeHint().width()
                if top + sum(tail) + gap * len(tail) <= room:
                    placement = [0 if r == last else r for r in placement]
        if placement == self._header_placement:
            return
        self._header_placement = placement
        for button_row in self._button_rows:
            while button_row.count():
                button_row.takeAt(0)  # the stretch; the buttons are moved below
        for row_number in set(placement) - {0}:
            self._button_rows[row_number - 1].addStretch(1)
        for b, row_number in zip(self._header_button_list, placement, strict=True):
            target = self._header_top if row_number == 0 else self._button_rows[row_number - 1]
            target.addWidget(b)

    def _limit_header_width(self) -> None:
        """The header asks for no more width than its narrowest arrangement (title and status
        on the first row, the buttons below, as few a row as it takes), whichever it shows:
        else a window on one row could not be made narrower (to portrait, or for care mode's
        larger text) than that row, and the new arrangement would never be chosen."""
        header = self._title_label.parentWidget()
        assert header is not None
        margins = self._header_rows.contentsMargins()
        gap = self._header_top.spacing()
        widest = max(b.minimumSizeHint().width() for b in self._header_button_list)
        top = (self._title_label.minimumWidth() + gap
               + self.header_status.minimumSizeHint().width())
        header.setMinimumWidth(max(top, widest) + margins.left() + margins.right())

    def _build_footer(self) -> QWidget:
        footer = QWidget()
        row = SpacedRow(footer)
        row.setContentsMargins(0, 0, 0, 0)  # the body's margins keep it off the edges
        row.addWidget(self.call_banner, 3)
        self.notice = label("", role="ok", name="notice")
        self.notice.hide()  # shown with a text only: an empty one would squeeze the call's
        row.addWidget(self.notice, 1)
        self.device_note = label("", name="device-note")
        if self.core.reader_note:
            self.device_note.setText(self.tr("Simulated card reader: not real hardware"))
            self.device_note.setToolTip(self.core.reader_note)
        else:
            self.device_note.hide()  # an empty line would take a line's height from the screen
        row.addWidget(self.device_note)
        self.back_button = button(self.tr("Back"), "nav-back", self.core.flow.back)
        self.home_button = button(self.tr("Home"), "nav-home", self.core.flow.reset)
        row.addWidget(self.back_button)
        row.addWidget(self.home_button)
        return footer

    def _build_idle_overlay(self) -> None:
        self.idle_overlay = QFrame(self)
        self.idle_overlay.setObjectName("idle-overlay")
        self.idle_overlay.setProperty("role", "panel")
        col = SpacedColumn(self.idle_overlay)
        self.idle_text = label("", role="heading", name="idle-text")
        col.addWidget(self.idle_text)
        self._idle_continue = button(self.tr("Continue"), "idle-continue", self.extend_time,
                                     primary=True)
        col.addWidget(self._idle_continue)
        self.idle_overlay.hide()
        self._idle_left = 0
        # "idle": the idle warning; "card": the citizen's card was taken out mid-visit (the
        # same overlay and countdown over the whole window, the screen under it hidden).
        self._overlay_kind = "idle"
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.timeout.connect(self.show_idle_warning)
        self.idle_countdown = QTimer(self)
        self.idle_countdown.setInterval(1000)
        self.idle_countdown.timeout.connect(self._idle_tick)

    def resizeEvent(self, event: object) -> None:  # noqa: N802 (Qt's name)
        self._arrange_header()
        self._limit_header_width()
        self._place_overlay()

    def _place_overlay(self) -> None:
        w, h = self.width(), self.height()
        if self._overlay_kind == "card":  # nothing of the visit shows around it
            self.idle_overlay.setGeometry(0, 0, w, h)
        else:
            self.idle_overlay.setGeometry(w // 8, h // 4, w * 3 // 4, h // 2)

    def apply_theme(self) -> None:
        set_active_palette(self.metrics.palette)  # icons and drawings paint in it
        self.setStyleSheet(stylesheet(self.metrics))
        self._arrange_header()  # care mode's larger text may need the second row
        self._limit_header_width()

    def show_network(self) -> None:
        """The header's network state, and the offline banner where services are chosen."""
        self.header_status.refresh()
        text = self.header_status.offline_text() if self._current in CHOOSING else ""
        self.offline_banner.setText(text)
        self.offline_banner.setVisible(bool(text))

    # steps ------------------------------------------------------------------
    def show_step(self, step: Step, new_citizen: bool = True) -> None:
        """``new_citizen=False``: home shown again for the same citizen (a new language)."""
        if self._current is not None and self._current in self.screens:
            self.screens[self._current].leave()
        if step is Step.HOME and new_citizen and self.ctx.locale != self._default_locale:
            self._set_language(self._default_locale)  # the next citizen starts in Chinese
        self._current = step
        self.call_banner.refresh()  # at home the visit is over: only staff end a call now
        screen = self.screens[step]
        # A stack is as tall as its tallest page unless the hidden pages stop asking for room.
        for other in self.screens.values():
            policy = QSizePolicy.Policy.Preferred if other is screen else QSizePolicy.Policy.Ignored
            other.setSizePolicy(policy, policy)
        screen.enter()
        self.stack.setCurrentWidget(screen)
        self.stack.updateGeometry()  # the layout sizes it again (adjustSize left it stale)
        self.show_network()
        self.back_button.setVisible(step in BACK_ALLOWED)
        self.home_button.setVisible(step in HOME_ALLOWED)
        self.hide_idle_warning()
        if step is Step.HOME and new_citizen:
            self.end_of_citizen()
        else:
            self.idle_timer.start(self._idle_ms())
        self.ctx.voice.say(screen.prompt())

    def end_of_citizen(self) -> None:
        """Settings back to defaults; nothing of the last citizen stays on screen."""
        self.idle_timer.stop()
        self.set_notice("")
        self.ctx.voice.reset()
        if self.metrics.care_mode or self.metrics.high_contrast:
            self.metrics = Metrics(self.dpi, care_mode=False)
            self.apply_theme()
        self.care_button.setChecked(False)
        self.contrast_button.setChecked(False)
        self.audio_mode.set_active(False)
        self.volume_level = self._default_volume
        self._show_volume()
        self.ctx.voice.set_volume(self._volumes[self.volume_level])

    def _on_event(self, event: ev.Event) -> None:
        if isinstance(event, ev.FlowDidChangeStep):
            self.show_step(Step(event.step))
            return
        if isinstance(event, ev.CallDidChange | ev.PlatformDidChangeReachability):
            self.call_banner.refresh()
        if isinstance(event, ev.PlatformDidChangeReachability | ev.SyncDidAck):
            self.show_network()
        if isinstance(event, ev.CatalogDidChange):
            self._prepare_search.start()
        if isinstance(event, ev.HeldCardDidLeave):
            self.show_card_warning()
            return
        if isinstance(event, ev.HeldCardDidReturn):
            self.card_returned()
            return
        if isinstance(event, ev.CardDidFail) and self._current is Step.HOME:
            text = card_problem(event.reason)  # e.g. pulled out mid-read: sent home, told why
            self.set_notice(text)
            self.ctx.voice.say(text)
            return
        if self._current is not None:
            self.screens[self._current].on_event(event)

    def set_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def toggle_audio_mode(self) -> None:
        """The keypad's audio key: speech to the headset, and the screen told (the confirm
        screen offers its details aloud only then)."""
        self.audio_mode.toggle()
        if self._current is not None and self._current in self.screens:
            self.screens[self._current].audio_mode_changed()

    # language -----------------------------------------------------------------
    def switch_language(self) -> None:
        """Home's 中文 / English: the other language, screens and voice, for this citizen."""
        if self._current is not Step.HOME:
            return
        self._set_language("en" if self.ctx.locale == "zh_CN" else "zh_CN")
        self.show_step(Step.HOME, new_citizen=False)

    def _set_language(self, locale: str) -> None:
        """Translator, voice, the window's own words; the screens are built again when shown
        (none holds a citizen's data here: only home offers the switch)."""
        from .launch import install_translator  # launch builds this window

        install_translator(application(), locale)
        self.ctx.locale = locale
        self.ctx.voice.set_locale(locale)
        self.header_status.set_locale(locale)
        self.screens.discard_all()
        self._retranslate()

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Government services self-service kiosk"))
        self._title_label.setText(self.tr("Government self-service"))
        for b, text in ((self.care_button, self.tr("Care mode")),
                        (self.contrast_button, self.tr("High contrast")),
                        (self.help_button, self.tr("Call staff")),
                        (self.back_button, self.tr("Back")),
                        (self.home_button, self.tr("Home")),
                        (self._idle_continue, self.tr("Continue"))):
            b.setText(text)
            b.setAccessibleName(text)
        self.repeat_button.setText(self.tr("Repeat", "header button, short"))
        self.repeat_button.setAccessibleName(self.tr("Repeat"))
        self.stop_button.setText(self.tr("Stop", "header button, short"))
        self.stop_button.setAccessibleName(self.tr("Stop voice"))
        self._show_volume()
        if self.core.reader_note:
            self.device_note.setText(self.tr("Simulated card reader: not real hardware"))
        self.call_banner.refresh()
        self._header_placement = []  # the words' widths changed: placed again
        self._arrange_header()
        self._limit_header_width()

    # header actions -----------------------------------------------------------
    def toggle_care_mode(self) -> None:
        self.metrics = replace(self.metrics, care_mode=not self.metrics.care_mode)
        self.apply_theme()

    def toggle_high_contrast(self) -> None:
        """White and yellow on black (7:1 and more), with care mode or without."""
        self.metrics = replace(self.metrics, high_contrast=not self.metrics.high_contrast)
        self.apply_theme()

    def volume_text(self) -> str:
        """The volume level in words: the button's accessible name and what it says."""
        names = (self.tr("Volume: low"), self.tr("Volume: medium"), self.tr("Volume: high"))
        return names[self.volume_level]

    def _show_volume(self) -> None:
        # Short on the button (the header's row is full in English care mode); whole words
        # for the ear and assistive technology.
        shown = (self.tr("Vol. low"), self.tr("Vol. mid"), self.tr("Vol. high"))
        self.volume_button.setText(shown[self.volume_level])
        self.volume_button.setAccessibleName(self.volume_text())

    def cycle_volume(self) -> None:
        """Low, medium, high and round again: the speech (loudspeaker or headset) at once at
        the new level, which says itself."""
        self.volume_level = (self.volume_level + 1) % len(self._volumes)
        self._show_volume()
        self.ctx.voice.set_volume(self._volumes[self.volume_level])
        self.ctx.voice.say(self.volume_text())
        self._arrange_header()  # the new words may be wider
        self._limit_header_width()

    def call_staff(self) -> None:
        """Raise a real call (or say where the open one stands), and chime for staff."""
        from sync.outbox.errors import OutboxError  # loaded with the outbox, after the first paint

        was_open = self.core.calls.current() is not None
        try:
            self.core.call_staff()
        except OutboxError:
            text = self.tr("The call could not be recorded. Please ask at the service desk.")
            self.set_notice(text)
            self.ctx.voice.say(text)
            return
        call = self.call_banner.refresh()
        if call is None:
            return
        self.ctx.voice.say(self.call_banner.message(call))
        if not was_open and self.core.config.kiosk.call_chime:
            self.ctx.voice.chime(self.tr("Ding dong. Staff, please come to kiosk %1.")
                                 .replace("%1", self.core.config.kiosk.code))

    # keypad -----------------------------------------------------------------------
    def _key_back(self) -> None:
        if self.back_button.isVisible():
            self.back_button.click()

    def say_instructions(self) -> None:
        """The Help key: the screen's instructions again, the same words as on screen."""
        if self._current is not None:
            self.ctx.voice.say(self.screens[self._current].prompt())

    def _key_activity(self) -> None:
        if self.idle_timer.isActive():
            self.idle_timer.start()

    # idle guard -----------------------------------------------------------------
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if (kind == QEvent.Type.KeyPress and self.idle_overlay.isVisible()
                and (self.audio_mode.active or self._overlay_kind == "card")):
            # In audio mode any key answers the spoken warning; over a removed card's warning
            # every key does (none reaches the screen hidden under it).
            self.extend_time()
            return True
        pressed = kind in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin,
                           QEvent.Type.KeyPress)
        if pressed and self.idle_timer.isActive():
            self.idle_timer.start()
        return False

    def _idle_ms(self) -> int:
        step = self._current.value if self._current is not None else ""
        return self.core.config.kiosk.idle_seconds_for(step) * 1000

    def show_idle_warning(self) -> None:
        if self._current is Step.HOME or self.idle_overlay.isVisible():
            return
        current = self._current
        if current is not None and current in self.screens and self.screens[current].holds_idle():
            self.idle_timer.start()  # a payment under way: ask again later (its deadline)
            return
        self._idle_left = self.core.config.kiosk.idle_countdown_seconds
        self._open_overlay("idle")

    def _open_overlay(self, kind: str) -> None:
        self._overlay_kind = kind
        self._place_overlay()
        self._show_idle_text()
        self.idle_overlay.show()
        self.idle_overlay.raise_()
        self.idle_countdown.start()

    def show_card_warning(self) -> None:
        """The card the citizen identified with left its slot on the form or confirm screen
        (kiosk/card_watch.py): the screen covered, the warning said, a countdown; the same card
        back carries on, the time running out ends the visit (docs/identification.md)."""
        current = self._current
        if current not in (Step.FORM, Step.CONFIRM) or current not in self.screens:
            return  # moved on meanwhile (submitted, or home): removal is normal there
        if self.screens[current].expects_card_swap():
            self.core.card_watch.release()  # out on purpose, for a family member's card
            return
        self.idle_timer.stop()
        self.idle_countdown.stop()
        self._idle_left = self.core.config.kiosk.card_removed_grace_seconds
        self._open_overlay("card")

    def card_returned(self) -> None:
        """The same card is back: the screen again as it was, the idle guard from the start."""
        if not (self.idle_overlay.isVisible() and self._overlay_kind == "card"):
            return
        self.hide_idle_warning()
        self.idle_timer.start(self._idle_ms())
        self.ctx.voice.say(self.tr("Your card is back. Please carry on."))

    def _show_idle_text(self) -> None:
        if self._overlay_kind == "card":
            text = self.tr("Your card has been taken out. Put it back in the reader to carry "
                           "on; otherwise this visit ends in %n second(s) and your details "
                           "are cleared.", "", self._idle_left)
        else:
            text = self.tr("Do you need more time? Returning to the home screen in "
                           "%n second(s).", "", self._idle_left)
        self.idle_text.setText(text)
        if self._idle_left % 10 == 0 or self._idle_left <= 5:
            self.ctx.voice.say(text)

    def _idle_tick(self) -> None:
        self._idle_left -= 1
        if self._idle_left <= 0:
            self.hide_idle_warning()
            self.core.flow.reset()
            return
        self._show_idle_text()

    def hide_idle_warning(self) -> None:
        self.idle_countdown.stop()
        self.idle_overlay.hide()
        if self._overlay_kind != "idle":
            self._overlay_kind = "idle"
            self._place_overlay()

    def extend_time(self) -> None:
        if self._overlay_kind == "card" and self.idle_overlay.isVisible():
            # Someone is here, but only the card shows the visit again: the countdown anew.
            self._idle_left = self.core.config.kiosk.card_removed_grace_seconds
            self._show_idle_text()
            self.idle_countdown.start()
            return
        self.hide_idle_warning()
        if self._current is not None and self._current in self.screens:
            self.screens[self._current].extend()
        self.idle_timer.start(self._idle_ms())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        application().removeEventFilter(self)
        application().removeEventFilter(self.keypad)
        self.bridge.close()
        self.ctx.voice.close()
        super().closeEvent(event)
