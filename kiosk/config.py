"""Configuration: built-in defaults, then a TOML file, then environment variables.

The defaults run the demo: simulated devices and a reference platform on loopback.
An environment variable ``KIOSK_<SECTION>_<KEY>`` overrides ``[section] key`` from the file.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from devices.printers.a4_settings import A4PrinterSettings
from devices.printers.settings import PrinterSettings

APP_NAME = "civic-kiosk"
SECRET_KEYS = frozenset({"enrolment_token"})
# Settings that are gone on purpose, and what to do instead.
RETIRED: dict[tuple[str, str], str] = {
    ("kiosk", "staff_pin"): (
        "a shared PIN in the configuration is no longer accepted: it names nobody and anyone "
        "who reads the file has it. Remove the line; give each person their own credential "
        "on the platform (kiosk server staff add), and for a kiosk that has never been "
        "online set a local technician PIN as root with: kiosk technician set-pin"
    ),
}


VOLUME_NAMES = ("low", "medium", "high")  # the header's volume levels, quietest first
# ACCESSIBILITY.md 10 (issue 12 item 5): a citizen warned that time is running out has at
# least this long to answer. Enforced where a deployer sets it (load_config: the file and the
# environment); tests may build shorter ones with Config.replace.
TIME_FLOOR_SECONDS = 20
_TIME_FLOORS = {
    "idle_countdown_seconds": ("the idle warning's spoken countdown (with its 继续 button)",
                               30),
    "card_removed_grace_seconds": ("the time a citizen has to put their card back after "
                                   "taking it out mid-visit", 20),
}


class ConfigError(Exception):
    """The configuration cannot be used; the message says which setting and why."""


@dataclass(frozen=True)
class KioskSection:
    id: str = "kiosk-demo-0451"
    code: str = "K0451"
    timezone: str = "Asia/Shanghai"
    locale: str = "zh_CN"
    data_dir: str = ""
    dpi: float = 0.0
    idle_seconds: int = 120
    # Longer on screens that take a while (ACCESSIBILITY.md 10: per screen): "screen=seconds".
    idle_seconds_by_screen: tuple[str, ...] = ("form=300", "confirm=180", "payment=300")
    # The idle warning's spoken countdown, and the one after the citizen's card was taken out
    # mid-visit: a file or the environment may not set either under TIME_FLOOR_SECONDS.
    idle_countdown_seconds: int = 30
    card_removed_grace_seconds: int = 20
    voice_engine: str = ""
    voice_enabled: bool = True
    call_chime: bool = True  # 呼叫工作人员 also chimes for staff through the voice process
    headset_sink: str = ""  # PulseAudio sink of the handset / 3.5 mm jack, for audio mode
    # The header's volume button: the speech volume (0 to 1) of low, medium and high, and
    # the level each citizen starts with (back to it after each citizen).
    volume_levels: tuple[str, ...] = ("0.4", "0.7", "1.0")
    volume: str = "medium"
    # The data directory's disk (outbox, audit trail, logs): under the warning free space
    # diagnose says attention, under the minimum failing (docs/diagnostics.md).
    disk_warn_free_mb: int = 1024
    disk_min_free_mb: int = 256

    def __post_init__(self) -> None:
        self.idle_seconds_for("")  # a malformed entry is refused when the config is read
        self.volume_fractions()
        if not 0 <= self.disk_min_free_mb <= self.disk_warn_free_mb:
            raise ConfigError(f"[kiosk] disk_min_free_mb ({self.disk_min_free_mb}) and "
                              f"disk_warn_free_mb ({self.disk_warn_free_mb}): expected "
                              "0 <= minimum <= warning, in MiB")
        for key in _TIME_FLOORS:
            if getattr(self, key) < 1:
                raise ConfigError(f"[kiosk] {key}: at least 1 second, got {getattr(self, key)}")
        if self.volume not in VOLUME_NAMES:
            raise ConfigError(f"[kiosk] volume: {self.volume!r} is not one of "
                              f"{', '.join(VOLUME_NAMES)}")

    def volume_fractions(self) -> tuple[float, ...]:
        """The speech volume of each level (low, medium, high), each 0 to 1, rising."""
        where = ("[kiosk] volume_levels: expected three volumes from 0 to 1, rising, for "
                 "low, medium and high, e.g. [\"0.4\", \"0.7\", \"1.0\"]")
        if len(self.volume_levels) != len(VOLUME_NAMES):
            raise ConfigError(f"{where}; got {len(self.volume_levels)} value(s)")
        try:
            levels = tuple(float(v) for v in self.volume_levels)
        except ValueError:
            raise ConfigError(f"{where}; got {list(self.volume_levels)!r}") from None
        if any(not 0 < v <= 1 for v in levels) or list(levels) != sorted(set(levels)):
            raise ConfigError(f"{where}; got {list(self.volume_levels)!r}")
        return levels

    def idle_seconds_for(self, screen: str) -> int:
        """Seconds of no touch or key before the idle warning on ``screen`` (a step's name)."""
        chosen = self.idle_seconds
        for entry in self.idle_seconds_by_screen:
            name, _, seconds = entry.partition("=")
            if not name.strip() or not seconds.strip().isdigit() or int(seconds) < 10:
                raise ConfigError(f"[kiosk] idle_seconds_by_screen: {entry!r} is not "
                                  "screen=seconds with 10 seconds or more, e.g. \"form=300\"")
            if name.strip() == screen:
                chosen = int(seconds)
        return chosen
    health_seconds: float = 15.0  # how often the running kiosk publishes health.json


@dataclass(frozen=True)
class PlatformSection:
    url: str = "http://127.0.0.1:8710"
    sealing_key: str = ""
    sealing_key_id: str = ""
    status_url: str = "http://127.0.0.1:8710/v1/track/{tracking}"
    proof_url: str = "http://127.0.0.1:8710/v1/proofs/{code}"  # what a proof's QR code opens
    enrolment_token: str = ""
    ca_bundle: str = ""  # PEM file of the CA that signs the platform's certificate
    timeout_seconds: float = 5.0


@dataclass(frozen=True)
class ReaderSection:
    backend: str = "auto"  # pcsc | simulated | auto: the social-security card reader
    pcsc_reader: str = "Virtual PCD 00 00"
    gat467_port: str = ""  # serial port of a GA/T 467 ID card reader; empty: none
    gat467_baud: int = 115200


@dataclass(frozen=True)
class ScannerSection:
    """A QR code scanner on a serial port (or a USB scanner in USB-COM mode); empty: none."""

    port: str = ""
    baud: int = 9600
    terminator: str = "cr"  # the suffix the scanner is set to send: cr | lf | crlf | etx | none
    encoding: str = "utf-8"  # or gb18030 for scanners set to a Chinese code page
    repeat_seconds: float = 2.0  # the same code again within this is the one still held there


@dataclass(frozen=True)
class SyncSection:
    interval_seconds: float = 2.0
    batch_max_items: int = 100
    batch_max_bytes: int = 1_048_576
    connectivity_seconds: float = 30.0  # how often the home screen's network state is checked
    heartbeat_seconds: float = 60.0
    status_seconds: float = 60.0  # how often application statuses are pulled
    catalog_seconds: float = 900.0  # how often a newer signed catalog is looked for
    staff_seconds: float = 300.0  # how often a newer signed staff credential list is looked for
    backoff_base_seconds: float = 1.0
    backoff_cap_seconds: float = 300.0
    payload_retention_days: float = 7.0  # sealed payloads kept this long after the ack
    receipt_retention_days: float = 30.0  # masked receipt records, for reprints
    backlog_warn_hours: float = 24.0  # technicians warned: oldest record waiting this long
    backlog_warn_count: int = 1_000
    backlog_max_count: int = 20_000  # past this, new submissions are refused in words
    backlog_max_mb: int = 1_024


@dataclass(frozen=True)
class HomeSection:
    """The home screen's large tiles (docs/home-screen.md): the configured services until this
    kiosk's own counts say which ones its citizens come for."""

    featured_services: tuple[str, ...] = (
        "elderly-card-apply", "pension-qualification-check", "social-insurance-record-print",
        "ssc-replace", "senior-bus-card", "housing-fund-statement",
    )
    featured_places: int = 6
    learn_after: int = 3  # completions in the window before a service is learnt as most used
    count_days: int = 90  # the window: a seasonal service rises and falls again


@dataclass(frozen=True)
class KeypadSection:
    """A navigation keypad's keys, by Qt's key names without ``Key_`` (kiosk keypads present
    themselves as USB keyboards): every screen is operable with them alone."""

    next: tuple[str, ...] = ("Down", "Right", "Tab")
    previous: tuple[str, ...] = ("Up", "Left", "Backtab")
    activate: tuple[str, ...] = ("Return", "Enter", "Space")
    back: tuple[str, ...] = ("Backspace",)
    help: tuple[str, ...] = ("F1", "Help")  # says the screen's instructions again
    audio: tuple[str, ...] = ("F2",)  # audio mode on or off: each focused control spoken


@dataclass(frozen=True)
class AuditSection:
    """The audit trail (docs/audit.md): kept at least six months (Cybersecurity Law art. 21)."""

    retention_days: float = 400.0

    def __post_init__(self) -> None:
        if self.retention_days < 183:
            raise ConfigError(f"[audit] retention_days: audit entries are kept at least 183 "
                              f"days (six months, Cybersecurity Law art. 21), not "
                              f"{self.retention_days:g}")


@dataclass(frozen=True)
class UpdateSection:
    """Updates without a visit (docs/updates.md): each version in ``<root>/releases/<V>/``,
    ``<root>/current`` the one that runs; the privileged updater switches it."""

    enabled: bool = True
    root: str = "/opt/kiosk"
    check_seconds: float = 3600.0  # how often the platform's offer is asked for
    quiet_seconds: float = 30.0  # the home screen idle this long, no card, no call: apply
    paint_deadline_seconds: float = 120.0  # the new version paints by then, or is rolled back
    restart_command: tuple[str, ...] = ("systemctl", "restart", "kiosk.service")
    # The updater's own copy of the platform's catalogue key (base64), in the root-owned
    # config; empty: the key pinned at enrolment, in the kiosk's data directory.
    signing_key: str = ""
    # Extra offline wheel directories for `pip --find-links` (a wheel release needs its deps).
    find_links: tuple[str, ...] = ()
    # A site-packages whose packages a new release reuses (a .pth; the release is installed
    # with --no-deps). For tests and development machines; empty in production.
    deps_path: str = ""
    keep_releases: int = 3  # the current one, the one before it (the rollback), one more
    max_download_mb: int = 1024

    def __post_init__(self) -> None:
        if self.paint_deadline_seconds <= 0 or self.quiet_seconds < 0:
            raise ConfigError("[update] paint_deadline_seconds must be positive and "
                              "quiet_seconds not negative")
        if self.keep_releases < 2:
            raise ConfigError("[update] keep_releases: at least 2 (the running version and "
                              "the one to roll back to)")
        if self.enabled and not self.restart_command:
            raise ConfigError("[update] restart_command is empty")


@dataclass(frozen=True)
class DemoSection:
    printer_port: int = 9100
    platform_port: int = 8710
    vpcd_port: int = 35963


@dataclass(frozen=True)
class Config:
    kiosk: KioskSection = field(default_factory=KioskSection)
    platform: PlatformSection = field(default_factory=PlatformSection)
    reader: ReaderSection = field(default_factory=ReaderSection)
    scanner: ScannerSection = field(default_factory=ScannerSection)
    printer: PrinterSettings = field(default_factory=PrinterSettings)
    a4_printer: A4PrinterSettings = field(default_factory=A4PrinterSettings)
    sync: SyncSection = field(default_factory=SyncSection)
    home: HomeSection = field(default_factory=HomeSection)
    keypad: KeypadSection = field(default_factory=KeypadSection)
    demo: DemoSection = field(default_factory=DemoSection)
    audit: AuditSection = field(default_factory=AuditSection)
    update: UpdateSection = field(default_factory=UpdateSection)

    @property
    def data_dir(self) -> Path:
        if self.kiosk.data_dir:
            return Path(self.kiosk.data_dir).expanduser()
        import platformdirs  # only where no data_dir is configured: not on every start

        return Path(platformdirs.user_data_dir(APP_NAME))

    @property
    def outbox_path(self) -> Path:
        return self.data_dir / "outbox.sqlite"

    @property
    def audit_path(self) -> Path:
        """The audit trail's own file, beside the outbox (docs/audit.md)."""
        return self.data_dir / "audit.sqlite"

    def replace(self, section: str, **values: Any) -> Config:
        """A copy with some keys of one section changed (values are checked like file values)."""
        current = getattr(self, section)
        merged = _coerce_section(type(current), {**dataclasses.asdict(current), **values}, section)
        return dataclasses.replace(self, **{section: merged})

    def as_dict(self, mask_secrets: bool = True) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for f in dataclasses.fields(self):
            section = dataclasses.asdict(getattr(self, f.name))
            if mask_secrets:
                for key in section:
                    if key in SECRET_KEYS and section[key]:
                        section[key] = "********"
            out[f.name] = section
        out["kiosk"]["effective_data_dir"] = str(self.data_dir)
        return out


def default_config_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME)) / "kiosk.toml"


def load_config(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Config:
    """Defaults, then the TOML file (``KIOSK_CONFIG`` or the platform's config dir), then env."""
    env = os.environ if environ is None else environ
    if path is None and env.get("KIOSK_CONFIG"):
        path = Path(env["KIOSK_CONFIG"])
    explicit = path is not None
    path = path or default_config_path()
    raw: dict[str, Any] = {}
    if path.exists():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    elif explicit:
        raise ConfigError(f"{path}: configuration file not found")
    sections: dict[str, Any] = {}
    for f in dataclasses.fields(Config):
        section_type = _section_type(f.name)
        values = dict(raw.get(f.name, {}))
        prefix = f"KIOSK_{f.name.upper()}_"
        for key, value in env.items():
            if key.startswith(prefix):
                values[key[len(prefix) :].lower()] = value
        sections[f.name] = _coerce_section(section_type, values, f.name)
    unknown = set(raw) - {f.name for f in dataclasses.fields(Config)}
    if unknown:
        raise ConfigError(f"unknown section(s) in {path}: {', '.join(sorted(unknown))}")
    check_time_floors(sections["kiosk"], str(path))
    return Config(**sections)


def check_time_floors(kiosk: KioskSection, source: str) -> None:
    """Refuse a deployed countdown shorter than a citizen needs to answer it (ACCESSIBILITY.md
    10): ``TIME_FLOOR_SECONDS`` at least. The warning itself can be answered without limit
    (继续, or any key in audio mode), so there is no number of extensions to set."""
    for key, (what, default) in _TIME_FLOORS.items():
        value = getattr(kiosk, key)
        if value < TIME_FLOOR_SECONDS:
            raise ConfigError(
                f"[kiosk] {key} = {value} ({source} or KIOSK_KIOSK_{key.upper()}): {what} must "
                f"be at least {TIME_FLOOR_SECONDS} seconds so that every citizen, also one who "
                f"listens in audio mode, can answer it. Set {key} = {TIME_FLOOR_SECONDS} or "
                f"more (the default is {default}), or remove the line.")


def _section_type(name: str) -> type:
    return type(getattr(Config(), name))


def _coerce_section(section_type: type, values: Mapping[str, Any], section: str) -> Any:
    defaults = section_type()
    known = {f.name: f for f in dataclasses.fields(section_type)}
    out: dict[str, Any] = {}
    for key, value in values.items():
        if (section, key) in RETIRED:
            raise ConfigError(f"[{section}] {key}: {RETIRED[section, key]}")
        if key not in known:
            raise ConfigError(f"[{section}] {key}: unknown setting")
        default = getattr(defaults, key)
        out[key] = _coerce(value, type(default), f"[{section}] {key}")
    return section_type(**out)


def _coerce(value: Any, wanted: type, where: str) -> Any:
    if isinstance(value, wanted) and not (wanted is int and isinstance(value, bool)):
        return value
    try:
        if wanted is tuple:  # a TOML list, or comma-separated in an environment variable
            items = value.split(",") if isinstance(value, str) else list(value)
            return tuple(str(item).strip() for item in items if str(item).strip())
        if wanted is bool:
            if str(value).lower() in {"1", "true", "yes", "on"}:
                return True
            if str(value).lower() in {"0", "false", "no", "off"}:
                return False
            raise ValueError(value)
        if wanted is int:
            return int(str(value))
        if wanted is float:
            return float(str(value))
        return str(value)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"{where}: expected {wanted.__name__}, got {value!r}") from exc
