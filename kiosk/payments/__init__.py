"""缴费: bill payment and transit-card top-up at the kiosk, paid on the citizen's phone
(docs/payments.md). ``machine`` is the state machine, ``runner`` asks the platform and
prints, ``slips`` lays out what is printed."""
