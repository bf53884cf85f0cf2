"""Tables of the reference platform for bill payment and top-up (缴费), on the shared metadata.

- ``payment_accounts``: the simulated billers' accounts (water, electricity, gas, heating
  bills; transit cards), seeded with fixture accounts (示例) when the table is empty: what each
  owes (``amount_due_fen``) or holds (``balance_fen``). A real platform asks the billers.
- ``payment_orders``: one row per order, keyed by the kiosk's order id (the idempotency
  record: a retry reads the order back), with its number, amount, payment token, deadline and
  status; a late payment's settlement (credited, refunded) is a status too.

Times are platform Unix seconds (float, the injected clock); money is whole fen.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, Integer, PrimaryKeyConstraint, String, Table

from sync.server.schema import metadata

__all__ = ["metadata", "payment_accounts", "payment_orders"]

payment_accounts = Table(
    "payment_accounts",
    metadata,
    Column("biller", String(16), nullable=False),
    Column("account", String(20), nullable=False),
    Column("holder", String(32), nullable=False),
    Column("amount_due_fen", Integer, nullable=False),
    Column("balance_fen", Integer, nullable=True),  # a transit card's; NULL for a bill
    Column("period", String(32), nullable=False),
    PrimaryKeyConstraint("biller", "account"),
)

payment_orders = Table(
    "payment_orders",
    metadata,
    Column("order_id", String(64), primary_key=True),
    Column("order_no", String(16), nullable=False, unique=True),
    Column("kiosk_id", String(64), nullable=False),
    Column("service_code", String(64), nullable=False),
    Column("biller", String(16), nullable=False),
    Column("account", String(20), nullable=False),
    Column("amount_fen", Integer, nullable=False),
    Column("token", String(64), nullable=False, unique=True),
    Column("status", String(16), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("deadline", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Column("note", String(200), nullable=True),
)
