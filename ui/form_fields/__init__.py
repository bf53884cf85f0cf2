"""The form engine's field widgets, one module per kind of answer; ``registry.build_field``
makes the widget for a catalogue field (docs/forms.md)."""
