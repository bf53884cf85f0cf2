"""The simulated payment provider and the operator's view of payments (缴费), by command.

``kiosk server pay paid|failed|expired|late ORDER --data-dir DIR [--database-url URL]`` is the
citizen's phone and the provider in one: the payment of order ORDER (its number ZF…, or its
id) arrives (``paid``), is declined (``failed``), its code lapses (``expired``), or arrives
after the code lapsed (``late``: the platform then settles it, credited or refunded).
``kiosk server pay show ORDER [--json]`` and ``pay list [--all] [--json]`` show orders,
``pay accounts`` the simulated accounts. It writes the platform database directly: it is an
operator's tool and no kiosk can reach it (docs/payments.md).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from sqlalchemy import select

from sync.file_modes import private_directory
from sync.server.payments import NOTIFICATIONS, Order, PaymentDesk, PaymentError
from sync.server.schema_payments import payment_accounts
from sync.server.store import make_engine

PAY_COMMAND = "pay"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk server pay",
                                     description="Simulated payments and the orders.")
    commands = parser.add_subparsers(dest="command", required=True)

    def common(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument("--data-dir", type=Path, required=True, help="keys and database")
        sub.add_argument("--database-url", default=None, help="SQLAlchemy URL (default SQLite)")
        sub.add_argument("--json", action="store_true", help="machine-readable output")
        return sub

    for event in NOTIFICATIONS:
        sub = common(commands.add_parser(event, help=f"the provider says: {event}"))
        sub.add_argument("order", help="order number (ZF…) or order id")
    show = common(commands.add_parser("show", help="one order"))
    show.add_argument("order", help="order number (ZF…) or order id")
    listing = common(commands.add_parser("list", help="orders still pending"))
    listing.add_argument("--all", action="store_true", help="final orders too")
    common(commands.add_parser("accounts", help="the simulated accounts"))
    return parser


def _line(order: Order) -> str:
    yuan = f"{order.amount_fen // 100}.{order.amount_fen % 100:02d}"
    note = f"\t{order.note}" if order.note else ""
    return (f"{order.order_no}\t{order.status}\t{order.biller}\t{yuan} yuan"
            f"\t{order.kiosk_id}{note}\n")


def _show(orders: list[Order], as_json: bool) -> None:
    if as_json:
        docs = [{k: v for k, v in asdict(o).items() if k != "token"} for o in orders]
        sys.stdout.write(json.dumps(docs, ensure_ascii=False, indent=1) + "\n")
        return
    for order in orders:
        sys.stdout.write(_line(order))


def run_payments_admin(
    argv: list[str], default_url: Callable[[Path], str], *, clock: Callable[[], float] = time.time
) -> int:
    """Run ``pay …``; 0 on success, 1 if refused or unknown, 2 on bad usage."""
    args = _parser().parse_args(argv)
    private_directory(args.data_dir)
    engine = make_engine(args.database_url or default_url(args.data_dir))
    try:
        desk = PaymentDesk(engine, clock=clock)
        if args.command in NOTIFICATIONS:
            _show([desk.notify(args.order, args.command)], args.json)
        elif args.command == "show":
            found = [o for o in desk.orders(include_final=True)
                     if args.order in (o.order_no, o.order_id)]
            if not found:
                sys.stderr.write(f"no order {args.order}\n")
                return 1
            _show([desk.order(None, found[0].order_id)], args.json)
        elif args.command == "list":
            _show(desk.orders(include_final=args.all), args.json)
        else:
            with engine.connect() as conn:
                rows = conn.execute(select(payment_accounts)).fetchall()
            for row in rows:
                money = row.balance_fen if row.balance_fen is not None else row.amount_due_fen
                kind = "balance" if row.balance_fen is not None else "owes"
                sys.stdout.write(f"{row.biller}\t{row.account}\t{kind} {money} fen\n")
        return 0
    except PaymentError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    finally:
        engine.dispose()
