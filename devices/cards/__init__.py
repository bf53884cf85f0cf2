"""Card readers behind one interface: social-security cards over PC/SC, resident ID cards over
GA/T 467 serial readers."""
