"""Integration tests: real parts started (pcscd+vpcd, emulators on a port, the platform,
PostgreSQL) or subprocesses run, without driving the kiosk through its screens."""
