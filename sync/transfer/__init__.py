"""Carrying a kiosk's waiting records to the platform by hand, on a USB stick, and back."""
