"""Sync room: the durable outbox, payload sealing, the platform client and the sync worker.

- :mod:`sync.outbox` — the SQLite outbox (store, schema and migrations, backlog policy,
  recovery and salvage, ratings and staff calls);
- :mod:`sync.platform` — protocol v1 (:mod:`sync.platform.protocol`, shared with the
  reference platform), the HTTP client, its errors by kind, request signing, TLS policy;
- :mod:`sync.downlink` — what the kiosk fetches and reports: catalogue, status feed, staff
  credentials, heartbeat;
- the worker (:mod:`sync.worker`, :mod:`sync.worker_messages`) with its link backoff
  (:mod:`sync.backoff`, :mod:`sync.link_health`); sealing, the kiosk's key pair
  (:mod:`sync.kiosk_keys`), staff credentials, the clock contract (:mod:`sync.clock`) and
  small file helpers.

Nothing here imports the application (``kiosk``), the devices or Qt; the reference
platform lives in ``sync.server`` and is only imported by whoever runs it.
"""
