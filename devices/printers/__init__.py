"""ESC/POS receipt printers behind one interface: status, job protocol, byte encoding,
transports, receipt layout and the factory that builds one from its settings."""
