"""Social-security cards over PC/SC (pyscard): the reader, the host check and the card's
application (SSSE)."""
