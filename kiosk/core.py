"""The kiosk core: devices and sync callbacks in, typed application events out.

Nothing here touches Qt. Device and outbox work runs on worker threads; the UI only
calls the non-blocking methods of :class:`KioskCore` and listens to ``events``.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cached_property
from typing import TYPE_CHECKING, Any

from devices.printers.base import PrinterStatus
from kiosk import events as ev
from kiosk.card_events import CardEvents
from kiosk.catalog import Catalog
from kiosk.flow import Flow, Step
from kiosk.last_contact import CONTACT_FILE, LastContact
from kiosk.parts import KioskParts
from kiosk.platform_link.poller import PlatformPoller
from kiosk.records.desk import RecordsDesk
from kiosk.scan_events import ScanEvents
from kiosk.service_counts import COUNTS_FILE, ServiceCounts
from kiosk.visit_jobs import store_rating, submit_and_print
from sync.uuid7 import uuid7

# The outbox half (sqlite-utils, the sync worker, the downlink, sealing, the staff store) is
# imported where it is first used, in attach() and the methods that only run after it: so
# ``kiosk run`` paints its home screen before any of it loads (docs/performance.md).
if TYPE_CHECKING:
    from kiosk.catalog.questions import QuestionBook
    from kiosk.catalog.site import Site
    from kiosk.config import Config
    from kiosk.diagnostics.health import HealthPublisher
    from kiosk.diagnostics.panel_facts import OutboxFacts, SystemFacts
    from kiosk.paper_roll import RollEstimate
    from kiosk.payments.runner import PaymentRunner
    from kiosk.questions import QuestionsPage
    from kiosk.ratings import RatingChoice
    from kiosk.staff.calls import CallDesk, StaffCall
    from kiosk.submission import PrintOutcome, Submitter
    from kiosk.tracking.lookup import TrackingAnswer
    from kiosk.updates.agent import UpdateAgent
    from sync.downlink.catalog import CatalogSync
    from sync.downlink.schedule import Downlink
    from sync.outbox.store import Outbox
    from sync.platform.downlink_replies import StatusChange
    from sync.worker import SyncWorker

log = logging.getLogger(__name__)


class KioskCore:
    """The kiosk without its screens: one citizen's visit, the devices, the outbox and the link.

    It turns device callbacks (reader threads), sync results (the worker thread) and the
    platform's answers (the poller thread) into typed events on ``events``; the UI calls the
    non-blocking methods below from the GUI thread and listens to those events.

    Built in two halves by :mod:`kiosk.assembly`: what the home screen needs
    (:class:`KioskParts`: config, clock, devices, platform clients, catalogue; the flow), and
    the outbox with what depends on it (submitter, call desk, sync worker, downlink, poller,
    health snapshot), attached with :meth:`attach`. ``kiosk run`` paints the home screen
    before it attaches the outbox, on the GUI thread right after the first paint, so a tap
    waits for it; everything else builds both at once. :meth:`start` (after :meth:`attach`)
    starts the readers and the background threads, :meth:`stop` ends them and closes the outbox.
    """

    outbox: Outbox
    submitter: Submitter
    calls: CallDesk
    worker: SyncWorker
    downlink: Downlink | None
    poller: PlatformPoller
    health: HealthPublisher
    updates: UpdateAgent | None

    def __init__(self, parts: KioskParts, outbox: Outbox | None = None) -> None:
        from zoneinfo import ZoneInfo

        config = parts.config
        self.config = config
        self.clock = parts.clock
        self.started_monotonic = time.monotonic()  # the technician panel's "running for"
        self.clients = parts.clients
        self.catalog = parts.catalog
        self._confirm_catalog = parts.confirm_catalog
        self._catalog_origin = parts.catalog_origin
        self._waiting_catalog: Catalog | None = None
        self.events = ev.EventBus()
        self.readers = parts.readers
        self.reader_note = parts.reader_note
        printer = self.printer = parts.printer
        if hasattr(printer, "printer_did_change_status"):
            printer.printer_did_change_status = self._printer_changed
        tz = ZoneInfo(config.kiosk.timezone)
        # Completed services per day: the home screen learns its most-used tiles from them.
        self.usage = ServiceCounts(config.data_dir / COUNTS_FILE, self.clock,
                                   config.kiosk.timezone, config.home.count_days)
        # When the platform last answered (kept across restarts, for the offline banner).
        self.contact = LastContact(config.data_dir / CONTACT_FILE, self.clock)
        self.flow = Flow(
            self.catalog,
            new_txid=lambda: str(uuid7()),
            today=lambda: self.clock.now().astimezone(tz).date(),
            on_change=self._step_changed,
            on_rate=self._rated,
            on_complete=self.usage.record,
        )
        self._home_since = time.monotonic()  # the home screen shown since (quiet_for_update)
        self._work = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-submit")
        # 我的办件 / my records: kiosk/records/desk.py (docs/records.md)
        self.records = RecordsDesk(self)
        # 缴费: the payment under way (one at a time) and those ended, joined at stop()
        self.payment: PaymentRunner | None = None
        self._ended_payments: list[PaymentRunner] = []
        self.payment_poll_seconds = 1.0
        card_events = CardEvents(self.flow, self.events)
        self.card_watch = card_events.watch  # the identifying card, while it should stay in
        for reader in self.readers:
            reader.subscribe(card_events.callbacks(reader))
        # QR code scanners: electronic card codes on the identify step, receipts on 查询.
        self.scanners = parts.scanners
        scans = ScanEvents(self.flow, self.events, config.kiosk.code, self._resolve_ecode_later)
        for scanner in self.scanners:
            scanner.subscribe(scans.callbacks())
        from kiosk.diagnostics.device_watch import DeviceWatch
        from kiosk.diagnostics.technician_desk import TechnicianDesk

        # The technician panel's devices, printers, outbox stick and log pages.
        self.device_watch = DeviceWatch(self.readers, self.scanners, self.clock)
        self.technician = TechnicianDesk(self)
        self.linked = False
        if outbox is not None:
            self.attach(outbox)

    def attach(self, outbox: Outbox) -> None:
        """The second half: the outbox, and the threads that talk to the platform (not started)."""
        from kiosk.diagnostics.health import HealthPublisher
        from kiosk.platform_link.downlink import build_downlink, catalog_after_check
        from kiosk.staff.calls import CallDesk
        from kiosk.submission import Submitter
        from sync.worker import SyncCallbacks, SyncWorker

        config, sync = self.config, self.config.sync
        if self._confirm_catalog:
            # The copy painted at start, now checked against the pinned key (cryptography).
            self._confirm_catalog = False
            self._waiting_catalog = catalog_after_check(self.catalog_sync, self._catalog_origin)
            self._apply_waiting_catalog()
        self.outbox = outbox
        if self.outbox.recovery is not None:
            # A damaged outbox was moved aside and its readable records recovered.
            log.error("outbox recovered at start: %s", self.outbox.recovery.describe())
        self.submitter = Submitter(config, self.outbox, self.clock)
        from kiosk.audit.device_faults import DeviceFaults
        from kiosk.audit.recorder import AuditRecorder

        # The audit trail (docs/audit.md): its own file, opened on the first entry; device
        # faults go in as transitions (kiosk/audit/device_faults.py).
        self.audit = AuditRecorder(config.audit_path, self.clock, self.outbox, config.kiosk.id)
        self.device_faults = DeviceFaults(self.audit.record)
        self._configuration_checked = False
        self._audit_round = threading.Lock()
        # Staff calls belong to the kiosk: kept in the outbox file, outliving every session.
        self.calls = CallDesk(self.outbox, config.kiosk.id, self.clock, self._call_changed)
        self.worker = SyncWorker(
            self.outbox,
            self.clients.uplink,
            interval=sync.interval_seconds,
            callbacks=SyncCallbacks(
                sync_did_ack=lambda ids: self.events.publish(ev.SyncDidAck(tuple(ids))),
                sync_did_fail=lambda text: self.events.publish(ev.SyncDidFail(text)),
                sync_did_quarantine=self._quarantined,
                message_did_quarantine=lambda mid, why: log.error(
                    "rating/call message %s quarantined by the platform: %s", mid, why),
            ),
            batch_items=sync.batch_max_items,
            batch_bytes=sync.batch_max_bytes,
            backoff_base=sync.backoff_base_seconds,
            backoff_cap=sync.backoff_cap_seconds,
        )
        # Updates without a visit (docs/updates.md): only an enrolled kiosk checks offers.
        self.updates = None
        if config.update.enabled and self.clients.downlink.signer is not None:
            from kiosk.updates.agent import UpdateAgent

            self.updates = UpdateAgent(config, self.clients.downlink, self.quiet_for_update)
        self.downlink = build_downlink(
            config, self.clients.downlink, self.catalog_sync, self.outbox, self.readers,
            self.printer, self._status_changed, audit_head=self.audit.head,
            update_report=self.updates.report if self.updates is not None else None,
        )
        self.poller = PlatformPoller(
            self.clients.downlink.ping,
            self._reachability_changed,
            interval=sync.connectivity_seconds,
            when_online=self._platform_answered,
        )
        self.health = HealthPublisher(config, self._health_round, self.query_printer)
        self.linked = True
        if self.updates is not None:
            done = self.updates.unrecorded_outcome()  # the updater's work before this start
            if done is not None:
                self.audit.record(f"update.{done['result']}", "updater", {
                    "version": done.get("version"), "previous": done.get("previous")})
        open_call = self.calls.current()
        if open_call is not None:  # raised before a restart: the screen shows it again
            self.events.publish(ev.CallDidChange(open_call.call_id, open_call.state))

    def _health_round(self, printer_status: PrinterStatus | None) -> dict[str, Any]:
        """One round of the health snapshot (its thread): the report, and from it the device
        faults' transitions; the audit log's checks at start and its daily pruning."""
        from kiosk.audit.device_faults import observe_report
        from kiosk.diagnostics.health import live_report

        report = live_report(self, printer_status)
        with self._audit_round:  # the snapshot's thread, or a test calling publish_once()
            observe_report(self.device_faults, report)
            if not self._configuration_checked:
                self._configuration_checked = True
                self.audit.check_configuration(self.config)
            self.audit.maintain_if_due(self.config.audit.retention_days)
        return report

    def setting_changed(self, staff_id: str, before: Config, after: Config) -> None:
        """A setting changed while the kiosk runs (a technician action): recorded in the audit
        trail under the person's staff id, with the changed keys (docs/audit.md)."""
        if self.linked:
            self.audit.setting_changed(staff_id, before, after)

    # lifecycle -------------------------------------------------------------
    def start(self) -> None:
        if not self.linked:
            raise RuntimeError("KioskCore.start() before attach(): the outbox is not open")
        for reader in self.readers:
            reader.start()
        for scanner in self.scanners:
            scanner.start()
        self.worker.start()
        self.poller.start()
        self.health.start()

    @cached_property
    def catalog_sync(self) -> CatalogSync | None:
        """The downloaded catalogue's keeper (None until the kiosk is enrolled), made at first
        use: after the first paint, with the signature checks it brings."""
        from kiosk.platform_link.downlink import catalog_sync

        return catalog_sync(self.config, self.clients.downlink)

    @cached_property
    def site(self) -> Site:
        """This hall's local facts (windows, places, hours): its own site file in the data
        directory, else the shipped demo hall (whose screens say 示例). Read at first use."""
        from .catalog.site import installed_site_path, load_site

        return load_site(installed_site_path(self.config.data_dir))

    @cached_property
    def questions(self) -> QuestionBook:
        """问: the questions per department and service — the hall's own
        ``<data_dir>/questions.json`` if it installed one, else the shipped ones. Read when a
        citizen first opens a list of questions, never before the first paint."""
        from .catalog.questions import load_questions

        own = self.config.data_dir / "questions.json"
        return load_questions(own.read_text("utf-8") if own.is_file() else None)

    def questions_page(self, locale: str) -> QuestionsPage | None:
        """The questions of the topic the flow is at (None when it is at none)."""
        from .questions import QuestionsPage

        topic = self.flow.questions
        if topic is None:
            return None
        return QuestionsPage.build(self.questions, self.catalog, topic, locale)

    def service_available(self, code: str) -> bool:
        """A service that needs the network is unavailable while the platform is unreachable."""
        service = self.catalog.get(code)
        return not service.needs_network or not self.linked or self.poller.online is not False

    def stop(self) -> None:
        self.flow.reset()
        for runner in self._ended_payments:
            runner.stop()
        self._ended_payments.clear()
        if self.linked:
            self.health.stop()
            self.poller.stop()
            self.worker.stop()
        for reader in self.readers:
            reader.stop()
        for scanner in self.scanners:
            scanner.stop()
        self._work.shutdown(wait=True)
        if self.linked:
            self.audit.close()
            self.clients.close()
            self.outbox.close()

    # downlink (poller thread) ------------------------------------------
    def _platform_answered(self) -> None:
        # The health check passed: a backlog held back by a network failure goes now,
        # whichever thread noticed first; then the downlink's own chores.
        self.contact.seen()
        self.worker.platform_answered()
        from .payments.inflight import INFLIGHT_FILE

        if self.payment is None and (self.config.data_dir / INFLIGHT_FILE).exists():
            from .payments.visit import close_leftover_order

            close_leftover_order(self)  # a payment a crash left open: cancelled now
        self._downlink_tick()
        if self.updates is not None:
            self.updates.tick()  # a newer signed release: fetched, then asked for when quiet

    def quiet_for_update(self) -> bool:
        """Between citizens: the home screen shown for ``[update] quiet_seconds``, no card
        in a reader, no staff call open, no payment under way."""
        if self.flow.step is not Step.HOME or self.payment is not None:
            return False
        if time.monotonic() - self._home_since < self.config.update.quiet_seconds:
            return False
        if self.linked and self.calls.current() is not None:
            return False
        for reader in self.readers:
            try:
                if reader.status().card_present:
                    return False
            except Exception:  # a reader that cannot say: not quiet
                return False
        return True

    def _reachability_changed(self, online: bool) -> None:
        if not online:
            self.contact.lost()
        self.events.publish(ev.PlatformDidChangeReachability(online))

    def _downlink_tick(self) -> None:
        from kiosk.platform_link.downlink import load_current_catalog

        if self.clients.downlink.signer is not None:
            self.calls.refresh(self.clients.downlink)  # staff acknowledged or cleared there?
        if self.downlink is None:
            return
        report = self.downlink.tick()
        if report.catalog is not None and report.catalog.outcome == "updated":
            self._waiting_catalog = load_current_catalog(self.catalog_sync)
            self._apply_waiting_catalog()

    def _apply_waiting_catalog(self) -> None:
        new = self._waiting_catalog
        if new is not None and self.flow.replace_catalog(new):
            self._waiting_catalog = None
            self.catalog = new
            log.info("catalog %s in use", new.version)
            self.events.publish(ev.CatalogDidChange(new.version))

    def _step_changed(self, step: Step) -> None:
        if step is not Step.PAYMENT and self.payment is not None:
            self.payment.stop(timeout=0)  # its thread ends after its exchange; joined at stop()
            self._ended_payments.append(self.payment)
            self.payment = None
        if step is Step.HOME:
            self._home_since = time.monotonic()
        if step is Step.HOME and self.linked:
            self.calls.visit_ended()  # a call raised during the visit is now staff's to end
        self.events.publish(ev.FlowDidChangeStep(step.value))
        if step is Step.HOME:
            self._apply_waiting_catalog()  # between citizens, never in the middle of one
        elif step is Step.CONFIRM:
            # While the citizen reads the summary: the costly half of the seal, on the
            # device job thread, so that 提交 leaves less to do inside the outbox write.
            with contextlib.suppress(RuntimeError):  # stopped: nothing will be submitted
                self._work.submit(self._prepare_seal)

    def _prepare_seal(self) -> None:
        try:
            self.submitter.prepare()
        except Exception as exc:  # the submission seals on its own and reports what is wrong
            log.warning("the seal could not be prepared ahead (%s): %s", type(exc).__name__, exc)

    def _status_changed(self, change: StatusChange) -> None:
        from kiosk.platform_link.downlink import apply_status

        if apply_status(self.outbox, change):
            self.events.publish(ev.ApplicationDidChangeStatus(change.txid, change.status))

    def _rated(self, choice: RatingChoice) -> None:
        """The flow took a rating: store it off the GUI thread, before the session is gone."""
        self._work.submit(store_rating, self, choice)

    def _call_changed(self, call: StaffCall) -> None:
        self.events.publish(ev.CallDidChange(call.call_id, call.state))
        by = call.acknowledged_by if call.state == "acknowledged" else call.closed_by
        self.audit.record(f"call.{call.state}", by or "kiosk",
                          {"call": call.call_id, "step": call.step, "where": call.closed_where})
        self.worker.wake()  # its message goes now, or as soon as the platform answers

    def _quarantined(self, txid: str, reason: str) -> None:
        log.error("record %s quarantined by the platform: %s", txid, reason)
        self.events.publish(ev.SyncDidQuarantine(txid, reason))
        self.audit.record("outbox.quarantined", "kiosk", {"txid": txid, "reason": reason})

    def _printer_changed(self, status: PrinterStatus) -> None:
        if status is PrinterStatus.PAPER_NEAR_END:
            log.warning("printer: the paper roll is nearly used up; technicians should replace it")
        elif status not in (PrinterStatus.OK, PrinterStatus.UNKNOWN):
            log.warning("printer status is now %s", status.value)
        faults = getattr(self, "device_faults", None)
        if faults is not None and status is not PrinterStatus.UNKNOWN:  # unknown: no news
            fine = status in (PrinterStatus.OK, PrinterStatus.PAPER_NEAR_END)
            faults.observe("receipt printer", None if fine else status.value)
        self.events.publish(ev.PrinterDidChangeStatus(status.value))

    # citizen actions (GUI thread; never block) -----------------------------
    def start_identify(self) -> None:
        """The identify screen (or a relation field waiting for a family member's card) is up:
        read a card that is already in the slot."""
        for reader in self.readers:
            reader.request_read()

    def _resolve_ecode_later(self, code: str) -> None:
        """A scanned electronic card code (scanner thread): the platform is asked on the
        device job thread; with the platform known to be down, the citizen hears so at once."""
        from kiosk.identification import ECODE_OFFLINE, resolve_ecode

        if self.linked and self.poller.online is False:
            self.events.publish(ev.CardDidFail(ECODE_OFFLINE, "The platform cannot be reached."))
            return

        def client() -> Any:
            from kiosk.platform_link.enrolment import platform_client

            return platform_client(self.config)

        with contextlib.suppress(RuntimeError):  # stopped: nobody waits for the answer
            self._work.submit(resolve_ecode, self.flow, self.events, code, client)

    def confirm_typed_number(self, id_number: str, staff_id: str) -> Future[Any]:
        """A typed ID number a signed-in staff member confirmed (the panel checked the role)."""
        from kiosk.identification import confirm_typed_number

        return self._work.submit(confirm_typed_number, self.flow, self.events, id_number,
                                 staff_id, self.config.kiosk.id)

    def submit(self) -> Future[None] | None:
        """Seal and enqueue, then print; a double tap returns None and changes nothing.

        Refusals arrive as events; an unexpected error is also kept in the future.
        """
        if not self.flow.begin_submit():
            return None
        return self._work.submit(submit_and_print, self)

    def take_queue_number(self) -> Future[None] | None:
        """取号 for the window service on the guide, off the GUI thread: the platform's number
        (unless it is known to be unreachable), else a local one; then the ticket prints.
        A double tap returns None and takes nothing."""
        if not self.flow.begin_queue_number():
            return None
        from .queue_numbers import issue_and_print

        try_platform = not self.linked or self.poller.online is not False
        return self._work.submit(issue_and_print, self, try_platform)

    def begin_payment(self) -> PaymentRunner | None:
        """缴费 for the payment service on the guide: the payment screen and its runner (which
        asks the platform on its own thread). A double tap returns None and starts nothing."""
        service = self.flow.session.service
        if service is None or not self.service_available(service.code):
            return None  # offline: the guide says why
        if not self.flow.begin_payment():
            return None
        from .payments.visit import start_payment

        self.payment = start_payment(self, self.payment_poll_seconds)
        from .payments.runner import PaymentDidChange

        self.events.publish(PaymentDidChange(self.payment.machine.state.value))
        return self.payment

    def submit_device_job(self, job: Callable[[], None]) -> Future[None]:
        """Run ``job`` on the device job thread (a print between other device work)."""
        return self._work.submit(job)

    def call_staff(self) -> StaffCall:
        """Raise a staff call (or return the open one): one small durable write, so it is
        done here, on the GUI thread, rather than behind a print job."""
        service = self.flow.session.service
        return self.calls.raise_call(self.flow.step.value, service.code if service else None)

    def look_up_tracking(self, digits: str, query_code: str) -> TrackingAnswer:
        """A local read of the outbox (milliseconds), no network: fine on the GUI thread.

        Needs the receipt's query code; wrong ones are counted (docs/tracking-lookup.md).
        """
        from kiosk.tracking.lookup import look_up

        return look_up(self.outbox, self.config.kiosk.code, digits, query_code)

    def tracking_digits_valid(self, digits: str) -> bool:
        """The typed number is whole and its check digit agrees (reads no record)."""
        from kiosk.tracking.lookup import tracking_digits_valid

        return tracking_digits_valid(self.config.kiosk.code, digits)

    # technician jobs (never on the GUI thread) -------------------------------
    def query_printer(self) -> Future[PrinterStatus]:
        """The printer's status, asked on the device job thread so it never meets a print."""
        return self._work.submit(self.printer.status)

    def health_report(self) -> Future[dict[str, Any]]:
        """The diagnose report from the live devices, the sync worker and the outbox."""
        from kiosk.diagnostics.health import live_report

        return self._work.submit(lambda: live_report(self, self.printer.status()))

    def outbox_facts(self) -> Future[OutboxFacts]:
        """Counts, the oldest waiting record and the quarantined ones, for the panel."""
        from kiosk.diagnostics.panel_facts import outbox_facts

        return self._work.submit(outbox_facts, self.outbox, self.clock.now())

    def requeue_quarantined(self) -> Future[int]:
        """Every quarantined record sent again at the next sync; how many."""
        from kiosk.diagnostics.panel_facts import requeue_quarantined

        def requeue() -> int:
            count = requeue_quarantined(self.outbox)
            self.worker.wake()
            return count

        return self._work.submit(requeue)

    def system_facts(self) -> Future[SystemFacts]:
        from kiosk.diagnostics.panel_facts import system_facts

        return self._work.submit(system_facts, self.config, self.started_monotonic)

    def network_facts(self) -> Future[dict[str, Any]]:
        """The platform as a second look sees it (reachability, latency, certificate, identity,
        clock) beside what the sync worker last saw."""
        from kiosk.diagnostics.diagnose import check_platform

        answer: Future[dict[str, Any]] = Future()

        def look() -> None:  # network waits, on a thread of its own: never before a print job
            try:
                answer.set_result({"platform": check_platform(self.config),
                                   "sync": self.worker.health()})
            except BaseException as exc:  # handed to whoever watches the future
                answer.set_exception(exc)

        threading.Thread(target=look, name="network-check", daemon=True).start()
        return answer

    def recent_log_lines(self, count: int = 40) -> Future[list[str]]:
        from kiosk.diagnostics.panel_facts import recent_log_lines

        return self._work.submit(recent_log_lines, self.config, count)

    def print_test_page(self) -> Future[PrintOutcome]:
        """A printer fault is an outcome in words; anything unexpected is kept in the future."""
        from kiosk.diagnostics import maintenance

        return self._work.submit(maintenance.print_test_page, self.config, self.printer,
                                 self.clock)

    def new_paper_roll(self, technician_id: str) -> Future[RollEstimate]:
        """A technician fitted a new receipt roll: the counters start again, who and when kept."""
        from kiosk.paper_roll import open_roll

        return self._work.submit(lambda: open_roll(self.config.data_dir, self.config.printer)
                                 .new_roll(technician_id, self.clock.now()))

    def reprint_last(self) -> Future[PrintOutcome]:
        from kiosk.diagnostics import maintenance

        return self._work.submit(maintenance.reprint_last, self.config.outbox_path, self.printer)
