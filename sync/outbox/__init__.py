"""The durable outbox: one SQLite file holding every submission and message until the
platform acks it.

- :mod:`sync.outbox.store` — :class:`~sync.outbox.store.Outbox`, the one writer: file lock,
  connection, durable commits, opening and recovery, numbering;
- :mod:`sync.outbox.records` and :mod:`sync.outbox.messages` — the SQL of submissions and of
  plain messages and staff calls, as functions on the store's connection;
- :mod:`sync.outbox.schema` and :mod:`sync.outbox.messages_schema` — columns, record types,
  versioned migrations; :mod:`sync.outbox.errors` — what the store raises;
- :mod:`sync.outbox.policy` and :mod:`sync.outbox.tally` — retention and backlog limits;
- :mod:`sync.outbox.recovery`, :mod:`sync.outbox.messages_recovery` and
  :mod:`sync.outbox.sqlite_salvage` — a damaged file kept aside and its records recovered;
- :mod:`sync.outbox.peek` — read-only looks for a process beside a live kiosk.
"""
