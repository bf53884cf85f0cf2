"""Logging: handlers and formatters set up once, personal data redacted from every record."""
