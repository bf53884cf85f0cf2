"""A serial QR code scanner emulator on a pseudo-terminal (development, tests, demos)."""
