"""``kiosk out-of-order``: the plain notice for kiosk-out-of-order.service (ui/out_of_order.py)."""

from __future__ import annotations

import argparse

from kiosk.config import Config


def run_out_of_order_screen(config: Config | None, args: argparse.Namespace) -> int:
    """``config`` is None when the configuration itself cannot be read: Chinese then."""
    from ui.out_of_order import run_out_of_order  # the GUI, imported only for this command

    locale = config.kiosk.locale if config is not None else "zh_CN"
    return run_out_of_order(locale, exit_after_s=args.exit_after)
