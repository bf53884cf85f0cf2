"""Is this machine's PC/SC stack usable? pcscd, the vpcd driver and its socket, in words.

Kept apart from the reader and the demo so that ``kiosk diagnose`` can ask without loading
pyscard, the emulators or the reference platform.
"""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

PCSCD_SOCKET = Path("/run/pcscd/pcscd.comm")
VPCD_CONFIG = Path("/etc/reader.conf.d/vpcd")


def pcsc_unavailable_reason() -> str:
    """Empty when the real PC/SC stack with vpcd can be used, else why not, in words."""
    if os.name != "posix":
        return "PC/SC with the vpcd driver is only set up on Linux"
    if shutil.which("pcscd") is None and not Path("/usr/sbin/pcscd").exists():
        return "pcscd is not installed"
    if not VPCD_CONFIG.exists():
        return "the vpcd virtual reader driver is not installed"
    if not PCSCD_SOCKET.exists() and os.geteuid() != 0:
        return "pcscd is not running and only root can start it"
    return ""


def pcscd_answers() -> bool:
    """pcscd is listening on its socket."""
    if not PCSCD_SOCKET.exists():
        return False
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(1.0)
        try:
            s.connect(str(PCSCD_SOCKET))
        except OSError:
            return False
    return True
