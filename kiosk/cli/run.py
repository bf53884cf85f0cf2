"""``kiosk run [--demo]``: the kiosk window around a running core."""

from __future__ import annotations

from kiosk.config import Config
from kiosk.logs.setup import LOG_FILE

from .main import STARTED_AT


def run_kiosk(
    config: Config, demo: bool, fullscreen: bool, exit_after_first_paint: bool = False
) -> int:
    from kiosk.assembly import assemble_kiosk, open_outbox
    from kiosk.logs.setup import add_log_file, redact_every_handler
    from sync.file_modes import private_directory

    private_directory(config.data_dir)
    add_log_file(config.data_dir / LOG_FILE)
    stack = None
    if demo:
        from kiosk.demo import start_demo

        stack = start_demo(config)
    try:
        # The home screen first; the outbox (sqlite-utils, recovery) right after it is painted.
        core = assemble_kiosk(stack.config if stack else config, demo=stack, with_outbox=False)
    except BaseException:
        if stack is not None:
            stack.close()
        raise

    def finish_starting() -> None:
        core.attach(open_outbox(core.config, core.clock))
        core.start()
        redact_every_handler()  # libraries started by now may have added handlers of their own
        from kiosk import __version__
        from kiosk.updates.files import write_painted

        # The updater waits for this after a switch, or rolls back (docs/updates.md).
        write_painted(core.config.data_dir, __version__)

    try:
        from ui.launch import run_window  # the one declared lazy import of the GUI

        return run_window(
            core,
            fullscreen=fullscreen,
            demo_insert_card=stack.insert_card if stack else None,
            demo_place_id_card=stack.place_id_card if stack else None,
            demo_scan=stack.scan if stack else None,
            started_at=STARTED_AT,
            exit_after_first_paint=exit_after_first_paint,
            after_first_paint=finish_starting,
        )
    finally:
        core.stop()
        if stack is not None:
            stack.close()
