"""Tracking numbers and query codes, and the status lookup at the kiosk."""
