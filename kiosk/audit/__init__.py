"""The kiosk's audit trail: an append-only, hash-chained log without personal data."""
