"""Updates without a visit (docs/updates.md): the kiosk's agent that fetches and stages a
signed release and asks for it between citizens (``agent``), the files the kiosk and the
privileged updater exchange (``files``), and the updater that installs, switches, waits for the
new version's first paint and rolls back by itself (``updater``)."""
