"""Staff at the kiosk: calls for help (raised, acknowledged, cleared) and their report, and
staff sign-in (credentials, roles, lock-out)."""
