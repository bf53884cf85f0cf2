"""The GA/T 467 resident ID card reader emulator on a pseudo-terminal."""
