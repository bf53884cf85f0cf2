"""The application core: config, catalog, citizen session and flow, identity, wiring, CLI."""

__version__ = "0.1.0"
