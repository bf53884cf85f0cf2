"""The A4 printer simulator: a private cupsd and a CUPS backend with faults."""
