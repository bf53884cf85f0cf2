"""Opening a proof desk for an identified citizen, from the kiosk's configuration.

The one call a records screen (or any screen that has identified a citizen with a second
factor) makes: ``open_proof_desk(config, citizen, renderer, on_change)``. The desk asks the
configured platform (signed with this kiosk's key) and prints on the ``[a4_printer]`` queue.
"""

from __future__ import annotations

from collections.abc import Callable

from devices.printers.cups_a4 import CupsA4Printer

from ..config import Config
from .desk import Citizen, ProofDesk, Renderer
from .machine import ProofView

__all__ = ["open_proof_desk", "proof_url"]


def proof_url(config: Config, code: str) -> str:
    """What a proof's QR code opens: ``[platform] proof_url`` with ``{code}`` filled in."""
    return config.platform.proof_url.replace("{code}", code)


def open_proof_desk(
    config: Config,
    citizen: Citizen,
    renderer: Renderer,
    on_change: Callable[[ProofView], None],
) -> ProofDesk:
    from kiosk.platform_link.enrolment import platform_client  # loads requests when used

    return ProofDesk(
        citizen,
        lambda: platform_client(config),
        CupsA4Printer(config.a4_printer),
        renderer,
        lambda code: proof_url(config, code),
        on_change,
    )
