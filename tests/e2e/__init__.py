"""End-to-end tests: a whole kiosk driven through its screens with real parts behind it."""
