"""TLS policy of the platform client: verification always on, plain HTTP only on loopback.

The kiosk trusts either the system's CA store (the default) or one CA bundle file that the
deployment configures (a province's own CA). There is deliberately no way to switch
verification off. When a handshake fails, :func:`describe_tls_failure` turns the ssl module's
error chain into one sentence a technician can act on.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from urllib.parse import urlsplit


class TLSConfigError(ValueError):
    """The TLS settings cannot work (for example a CA bundle that does not exist)."""


def is_loopback_host(host: str) -> bool:
    """True for localhost and loopback addresses (where plain HTTP is tolerated)."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_base_url(base_url: str, allow_plain_http: bool = False) -> None:
    """ValueError unless ``base_url`` is https, or plain http to loopback (or allowed)."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("base_url must be an http(s) URL")
    plain = parts.scheme == "http" and not allow_plain_http
    if plain and not is_loopback_host(parts.hostname or ""):
        raise ValueError("plain HTTP is only allowed to loopback; use an https:// URL")


def verify_option(ca_bundle: str | os.PathLike[str] | None) -> str | bool:
    """What requests gets as ``verify``: True (system store) or the bundle's path. Never False."""
    if ca_bundle is None or str(ca_bundle) == "":
        return True
    path = Path(ca_bundle)
    if not path.is_file():
        raise TLSConfigError(f"CA bundle {path} does not exist or is not a file")
    return str(path)


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    pending: list[BaseException | None] = [exc]
    while pending:
        current = pending.pop()
        if current is None or any(current is s for s in seen):
            continue
        seen.append(current)
        pending.extend([current.__cause__, current.__context__])
        linked = [*getattr(current, "args", ()), getattr(current, "reason", None)]  # urllib3
        pending.extend(a for a in linked if isinstance(a, BaseException))
    return seen


def describe_tls_failure(exc: BaseException) -> str:
    """One readable sentence for a failed TLS handshake, naming the likely fix."""
    import ssl  # here: a failed handshake has loaded it already; a kiosk start need not

    for item in _chain(exc):
        if isinstance(item, ssl.SSLCertVerificationError):
            detail = item.verify_message or "certificate verify failed"
            if "hostname" in detail.lower() or "ip address mismatch" in detail.lower():
                return (
                    f"TLS: the platform's certificate does not match its address ({detail}); "
                    "check the platform URL"
                )
            if "expired" in detail.lower() or "not yet valid" in detail.lower():
                return (
                    f"TLS: the platform's certificate is out of date ({detail}); ask the "
                    "platform's operator to renew it, or set this kiosk's clock if it is wrong"
                )
            return (
                f"TLS: the platform's certificate is not trusted ({detail}); "
                "check the configured CA bundle"
            )
    for item in _chain(exc):
        if isinstance(item, ssl.SSLError):
            reason = getattr(item, "reason", None) or type(item).__name__
            return f"TLS handshake with the platform failed ({reason})"
    return f"TLS handshake with the platform failed ({type(exc).__name__})"


def certificate_expiry(
    base_url: str, ca_bundle: str | os.PathLike[str] | None, timeout: float = 5.0
) -> float | None:
    """When the platform's TLS certificate stops being valid (Unix seconds); None for plain
    HTTP. The handshake verifies as the client does (the system store or the bundle), so a
    certificate the client would refuse raises ``ssl.SSLError`` here too; OSError if the
    platform cannot be reached."""
    import socket
    import ssl

    parts = urlsplit(base_url)
    if parts.scheme != "https" or not parts.hostname:
        return None
    verify = verify_option(ca_bundle)
    context = ssl.create_default_context(cafile=verify if isinstance(verify, str) else None)
    address = (parts.hostname, parts.port or 443)
    with (socket.create_connection(address, timeout=timeout) as raw,
          context.wrap_socket(raw, server_hostname=parts.hostname) as tls):
        cert = tls.getpeercert()
    not_after = cert.get("notAfter") if cert else None
    return ssl.cert_time_to_seconds(str(not_after)) if not_after else None
