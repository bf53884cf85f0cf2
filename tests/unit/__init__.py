"""Unit tests: pure logic in this process; no Qt, no subprocess, no daemon, no emulated device
or platform on a port (a loopback stub the test scripts is allowed)."""
