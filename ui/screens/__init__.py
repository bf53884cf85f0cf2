"""One screen per flow step; each renders the step and says its prompt."""
