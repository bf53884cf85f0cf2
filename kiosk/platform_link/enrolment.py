"""The kiosk's identity on the platform: its key pair, enrolment, the pinned platform keys.

Files live in ``<data_dir>/identity``: the kiosk's Ed25519 key (private part mode 0600) and,
after ``kiosk enroll``, the platform's sealing and catalogue-signing keys, pinned.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kiosk.config import Config, ConfigError
from sync.kiosk_keys import (
    KioskIdentity,
    PlatformKeys,
    enroll,
    identity_exists,
    load_identity,
    load_or_create_identity,
    load_platform_keys,
    save_platform_keys,
)
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
    pinned = load_platform_keys(identity_dir(config))
    if pinned is not None:
        return SealingTarget(pinned.sealing_key, pinned.sealing_key_id, True)
    if config.platform.sealing_key:
        return SealingTarget(config.platform.sealing_key, config.platform.sealing_key_id, False)
    return None


def platform_client(config: Config) -> PlatformClient:
    """A client that signs with this kiosk's key when it has one."""
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


@dataclass(frozen=True)
class PlatformClients:
    """One platform client per thread that talks to the platform.

    A client holds a ``requests.Session``, which is not thread-safe, so the sync worker's
    thread and the poller thread (health checks, heartbeat, statuses, catalogue) never
    share one. Both sign with the same kiosk key; each has its own connections.
    """

    uplink: PlatformClient  # the sync worker's thread only: uploads and its own checks
    downlink: PlatformClient  # the poller thread only: ping and the downlink's chores

    def close(self) -> None:
        self.uplink.close()
        self.downlink.close()


def platform_clients(config: Config) -> PlatformClients:
    """The kiosk's clients, one per thread (see :class:`PlatformClients`), built alike."""
    return PlatformClients(uplink=platform_client(config), downlink=platform_client(config))


def init_keys(config: Config) -> KioskIdentity:
    return load_or_create_identity(identity_dir(config))


def enrol(config: Config, token: str) -> PlatformKeys:
    """Enrol with a one-time token and pin the platform's keys."""
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
