"""The kiosk's side of the platform link beyond the outbox: enrolment and the platform
clients, the platform poller, the downlink's wiring."""
