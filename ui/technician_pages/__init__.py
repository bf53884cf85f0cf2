"""The technician panel's pages beside the overview, one per concern (docs/diagnostics.md)."""

from .devices import DevicesPage
from .pages import LogsPage, NetworkPage, OutboxPage, SystemPage
from .printers import PrintersPage

__all__ = ["DevicesPage", "LogsPage", "NetworkPage", "OutboxPage", "PrintersPage", "SystemPage"]
