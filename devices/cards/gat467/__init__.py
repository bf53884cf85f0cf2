"""Resident ID card readers speaking the GA/T 467 SAM frame protocol over a serial line."""
