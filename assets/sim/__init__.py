"""Fixture data for the device emulators (fictional people only)."""
