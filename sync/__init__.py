"""Sync room: the durable outbox, payload sealing, the platform client and the sync worker.

Nothing here imports the application (``kiosk``), the devices or Qt; the reference
platform lives in ``sync.server`` and is only imported by whoever runs it.
"""
