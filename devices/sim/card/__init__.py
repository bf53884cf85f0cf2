"""The virtual social-security (or bank) card for pcscd's vpcd driver, and the in-process
simulated reader that drives the same card without pcscd."""
