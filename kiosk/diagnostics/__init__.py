"""What a technician reads: the health snapshot of a running kiosk, ``kiosk diagnose``, the
test page and reprints."""
