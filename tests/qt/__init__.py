"""Qt tests: screens and widgets offscreen with pytest-qt, over simulated devices only."""
