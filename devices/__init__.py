"""Hardware behind small interfaces: card readers, receipt printers and their emulators."""
