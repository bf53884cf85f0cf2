"""Emulators of the kiosk devices, reached through the same transports as real hardware."""
