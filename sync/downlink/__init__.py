"""What the kiosk fetches from the platform: the signed catalogue (:mod:`.catalog`), the status
feed of its transactions (:mod:`.status_feed`), the staff credential list (:mod:`.staff`), and
what it reports back, the heartbeat (:mod:`.heartbeat`); :mod:`.schedule` runs each when due.
"""
