"""``kiosk out-of-order``: the plain notice for kiosk-out-of-order.service (ui/out_of_order.py)."""

from __future__ import annotations

import argparse

from kiosk.config import Config


def run_out_of_order_screen(config: Config, args: argparse.Namespace) -> int:
    from ui.out_of_order import run_out_of_order  # the GUI, imported only for this command

    return run_out_of_order(config.kiosk.locale, exit_after_s=args.exit_after)
