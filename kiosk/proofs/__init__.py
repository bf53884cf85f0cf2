"""Official proofs on A4: the flow (machine.py), the desk that runs it (desk.py), and how the
kiosk opens one for an identified citizen (entry.py). docs/proofs.md."""
