"""Everything that imports PySide6: window, screens, theme, keypads, voice, the event bridge."""
