"""The kiosk's identity on the platform: its key pair, enrolment, the pinned platform keys.

Files live in ``<data_dir>/identity``: the kiosk's Ed25519 key (private part mode 0600) and,
after ``kiosk enroll``, the platform's sealing and catalogue-signing keys, pinned.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.config import Config, ConfigError
from sync.platform.tls import check_base_url

# The keys (cryptography) and the client load when first used: after the first paint, when
# ``kiosk run`` attaches the platform link.
if TYPE_CHECKING:
    from sync.kiosk_keys import KioskIdentity, PlatformKeys
    from sync.platform.client import PlatformClient


def identity_dir(config: Config) -> Path:
    return config.data_dir / "identity"


@dataclass(frozen=True)
class SealingTarget:
    key: str  # base64 X25519 public key
    key_id: str
    pinned: bool  # True when delivered at enrolment, False when taken from the config


def sealing_target(config: Config) -> SealingTarget | None:
    """The pinned key once enrolled; until then the configured one (demo, tests)."""
    from sync.kiosk_keys import load_platform_keys

    pinned = load_platform_keys(identity_dir(config))
    if pinned is not None:
        return SealingTarget(pinned.sealing_key, pinned.sealing_key_id, True)
    if config.platform.sealing_key:
        return SealingTarget(config.platform.sealing_key, config.platform.sealing_key_id, False)
    return None


def platform_client(config: Config) -> PlatformClient:
    """A client that signs with this kiosk's key when it has one."""
    from sync.kiosk_keys import identity_exists, load_identity
    from sync.platform.client import PlatformClient

    idir = identity_dir(config)
    signer = load_identity(idir).signer(config.kiosk.id) if identity_exists(idir) else None
    try:
        return PlatformClient(
            config.platform.url,
            config.kiosk.id,
            timeout=config.platform.timeout_seconds,
            signer=signer,
            ca_bundle=config.platform.ca_bundle or None,
        )
    except ValueError as exc:
        raise ConfigError(f"[platform] url: {exc}") from exc


class PlatformClients:
    """One platform client per thread that talks to the platform, each made at first use.

    A client holds a ``requests.Session``, which is not thread-safe, so the sync worker's
    thread (``uplink``: uploads and its own checks) and the poller thread (``downlink``:
    health checks, heartbeat, statuses, catalogue) never share one. Both sign with the same
    kiosk key; each has its own connections.
    """

    def __init__(self, make: Callable[[], PlatformClient]) -> None:
        self._make = make

    @cached_property
    def uplink(self) -> PlatformClient:
        return self._make()

    @cached_property
    def downlink(self) -> PlatformClient:
        return self._make()

    def close(self) -> None:
        for name in ("uplink", "downlink"):
            client = self.__dict__.get(name)
            if client is not None:
                client.close()


def platform_clients(config: Config) -> PlatformClients:
    """The kiosk's clients (see :class:`PlatformClients`); a platform URL that cannot work
    stops the start here, before any window opens."""
    try:
        check_base_url(config.platform.url)
    except ValueError as exc:
        raise ConfigError(f"[platform] url: {exc}") from exc
    return PlatformClients(lambda: platform_client(config))


def init_keys(config: Config) -> KioskIdentity:
    from sync.kiosk_keys import load_or_create_identity

    return load_or_create_identity(identity_dir(config))


def enrol(config: Config, token: str) -> PlatformKeys:
    """Enrol with a one-time token and pin the platform's keys."""
    from sync.kiosk_keys import enroll, load_or_create_identity, save_platform_keys

    identity = load_or_create_identity(identity_dir(config))
    keys = enroll(
        config.platform.url,
        token,
        identity,
        config.kiosk.id,
        ca_bundle=config.platform.ca_bundle or None,
        timeout=config.platform.timeout_seconds,
    )
    save_platform_keys(identity_dir(config), keys)
    return keys
