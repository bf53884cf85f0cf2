"""The virtual ESC/POS receipt printer: byte parser, mechanism, renderer, TCP and serial
transports, and sample receipts."""
