"""Command line and in-process runner for the reference platform.

``kiosk server [serve] --host 127.0.0.1 --port 8710 --data-dir DIR [--database-url URL]
[--tls-cert PEM --tls-key PEM] [--max-body-bytes N] [--request-timeout S] [--allow-unsigned]``
ends up in :func:`main`, as do the operator commands
``kiosk server token|revoke|kiosks|tokens|assign-code`` (:mod:`sync.server.admin`) and
``kiosk server publish-catalog|set-status|heartbeats`` (:mod:`sync.server.catalog_admin`);
``kiosk server staff add|remove|list`` (:mod:`sync.server.staff_admin`);
``kiosk server ratings|calls`` (:mod:`sync.server.messages_admin`);
``kiosk server queue list|call|zone`` (:mod:`sync.server.queue_admin`);
``kiosk server pay paid|failed|expired|late|show|list|accounts`` (the simulated payment
provider, :mod:`sync.server.payments_admin`);
``kiosk server ecode issue|list`` (:mod:`sync.server.ecode_admin`);
``kiosk server release publish|list|withdraw`` (:mod:`sync.server.releases`);
``python -m sync.server.cli ...`` does the same. The demo starts the platform inside its own
process with :func:`start_server_thread`.

Signatures are required unless ``--allow-unsigned`` is given: that flag is the transition for
kiosks that have no identity yet, and the server warns when it runs with it.

Every request body is capped (:mod:`sync.server.limits`) and every request must arrive whole
within a deadline (:mod:`sync.server.deadline`); docs/deployment.md says what the reverse proxy
in front adds.
"""

from __future__ import annotations

import argparse
import logging
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn

from sync.platform.signing import ed25519_key_id, ed25519_public_key_text
from sync.sealing import key_id_of, public_key_text
from sync.server.admin import ADMIN_COMMANDS, run_admin
from sync.server.app import create_app
from sync.server.audit import DEFAULT_GRACE_SECONDS
from sync.server.audit_admin import AUDIT_COMMAND, run_audit_admin
from sync.server.catalog_admin import DOWNLINK_COMMANDS, run_downlink_admin
from sync.server.deadline import DEFAULT_REQUEST_TIMEOUT, receipt_deadline_protocol
from sync.server.ecode_admin import ECODE_COMMAND, run_ecode_admin
from sync.server.fleet_status import DEFAULT_OVERDUE_AFTER
from sync.server.keys import (
    load_or_create_catalogue_key,
    load_or_create_ecode_key,
    load_or_create_keys,
    load_or_create_lookup_key,
)
from sync.server.limits import DEFAULT_MAX_BODY_BYTES
from sync.server.messages_admin import MESSAGE_COMMANDS, run_message_admin
from sync.server.metrics import TOKEN_FILE as METRICS_TOKEN_FILE
from sync.server.metrics_admin import METRICS_COMMAND, run_metrics_admin
from sync.server.operator_admin import OPERATOR_COMMAND, run_operator_admin
from sync.server.payments import DEFAULT_WINDOW_SECONDS
from sync.server.payments_admin import PAY_COMMAND, run_payments_admin
from sync.server.queue_admin import QUEUE_COMMAND, run_queue_admin
from sync.server.registry import KioskRegistry
from sync.server.releases import RELEASE_COMMAND, run_release_admin
from sync.server.staff_admin import STAFF_COMMAND, run_staff_admin
from sync.server.usb_import import IMPORT_COMMAND, run_import

log = logging.getLogger(__name__)

DEFAULT_PORT = 8710
# Idle keep-alive TLS connections wait for the peer's close_notify (30 s in asyncio) when the
# server stops; bound how long shutdown waits for them and for requests in flight.
DEFAULT_SHUTDOWN_TIMEOUT = 5.0
DATABASE_FILE = "platform.db"


def default_database_url(data_dir: Path) -> str:
    return f"sqlite:///{Path(data_dir).resolve() / DATABASE_FILE}"


def bind_socket(host: str, port: int) -> socket.socket:
    """Bind before uvicorn starts, so port 0 works and the real port is known up front."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto must say TCP: asyncio only sets TCP_NODELAY on accepted sockets whose proto is
    # IPPROTO_TCP, and without it every keep-alive response waits ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def _url(host: str, port: int, tls: bool = False) -> str:
    scheme = "https" if tls else "http"
    return f"{scheme}://[{host}]:{port}" if ":" in host else f"{scheme}://{host}:{port}"


@dataclass(frozen=True)
class TLSFiles:
    """The server certificate chain and its private key, PEM files."""

    cert: Path
    key: Path


def _build(
    data_dir: Path,
    database_url: str | None,
    host: str,
    port: int,
    log_level: str,
    *,
    tls: TLSFiles | None = None,
    require_signatures: bool = True,
    clock: Callable[[], float] = time.time,
    shutdown_timeout: float = DEFAULT_SHUTDOWN_TIMEOUT,
    open_envelopes: bool = True,
    host_logging: bool = False,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT,
    payment_window_seconds: float = DEFAULT_WINDOW_SECONDS,
    heartbeat_overdue_seconds: float = DEFAULT_OVERDUE_AFTER,
    audit_grace_seconds: float = DEFAULT_GRACE_SECONDS,
) -> tuple[Any, Any, socket.socket, uvicorn.Server]:
    key = load_or_create_keys(Path(data_dir))
    catalogue = load_or_create_catalogue_key(Path(data_dir))
    app = create_app(
        database_url or default_database_url(data_dir),
        key,
        catalogue_key=catalogue,
        require_signatures=require_signatures,
        clock=clock,
        verify_envelopes=open_envelopes,
        max_body_bytes=max_body_bytes,
        lookup_key=load_or_create_lookup_key(Path(data_dir)),
        payment_window_seconds=payment_window_seconds,
        ecode_key=load_or_create_ecode_key(Path(data_dir)),
        metrics_token_file=Path(data_dir) / METRICS_TOKEN_FILE,
        heartbeat_overdue_seconds=heartbeat_overdue_seconds,
        audit_grace_seconds=audit_grace_seconds,
    )
    ssl: dict[str, Any] = {}
    if tls is not None:
        ssl = {"ssl_certfile": str(tls.cert), "ssl_keyfile": str(tls.key)}
    logging_options: dict[str, Any] = {"log_config": None} if host_logging else {}
    config = uvicorn.Config(
        app,
        **logging_options,
        http=receipt_deadline_protocol(request_timeout),
        log_level=log_level,
        # Never on: a status lookup's query string carries the citizen's query code.
        access_log=False,
        lifespan="off",
        # uvicorn waits with asyncio.wait_for, so a fraction of a second works (typed as int).
        timeout_graceful_shutdown=max(0.1, shutdown_timeout),  # type: ignore[arg-type]
        **ssl,
    )
    if tls is not None:
        config.load()  # reads the certificate now, so a bad file fails before we listen
    sock = bind_socket(host, port)
    return key, catalogue, sock, uvicorn.Server(config)


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be a positive whole number")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:  # also refuses nan
        raise argparse.ArgumentTypeError("must be a positive number of seconds")
    return value


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="kiosk server", description="Run the reference central platform."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="0 picks a free port")
    parser.add_argument("--data-dir", type=Path, required=True, help="keys and database")
    parser.add_argument("--database-url", default=None, help="SQLAlchemy URL (default SQLite)")
    parser.add_argument("--log-level", default="warning")
    parser.add_argument("--tls-cert", type=Path, default=None, help="PEM certificate chain")
    parser.add_argument("--tls-key", type=Path, default=None, help="PEM private key")
    parser.add_argument(
        "--shutdown-timeout",
        type=float,
        default=DEFAULT_SHUTDOWN_TIMEOUT,
        help="seconds a stopping server waits for open connections (default 5)",
    )
    parser.add_argument(
        "--max-body-bytes",
        type=_positive_int,
        default=DEFAULT_MAX_BODY_BYTES,
        help="largest request body taken, counted as it streams; larger ones get 413 and "
        f"the kiosk splits its batch (default {DEFAULT_MAX_BODY_BYTES})",
    )
    parser.add_argument(
        "--request-timeout",
        type=_positive_float,
        default=DEFAULT_REQUEST_TIMEOUT,
        help="seconds a client has to send a whole request, head and body; slower ones get "
        f"408 and are disconnected (default {DEFAULT_REQUEST_TIMEOUT:g})",
    )
    parser.add_argument(
        "--allow-unsigned",
        action="store_true",
        help="transition only: also accept unsigned uploads from kiosks without an identity",
    )
    parser.add_argument(
        "--open-envelopes",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="decrypt every uploaded envelope at ingest and reject those that do not open "
        "(the default: an accepted record is purged on the kiosk, so the platform must be "
        "able to read it); --no-open-envelopes checks only header, key id and payload hash",
    )
    parser.add_argument(
        "--payment-window-seconds", type=_positive_float, default=DEFAULT_WINDOW_SECONDS,
        help="how long a payment order's code is good for (缴费)",
    )
    parser.add_argument(
        "--heartbeat-overdue-seconds", type=_positive_float, default=DEFAULT_OVERDUE_AFTER,
        help="a kiosk silent this long counts as overdue in /metrics and on /fleet "
        "(default %(default)g)",
    )
    parser.add_argument(
        "--audit-grace-seconds", type=_positive_float, default=DEFAULT_GRACE_SECONDS,
        help="how long uploaded audit entries may lag behind the head a kiosk's heartbeats "
        "name before its chain is flagged as cut off (default %(default)g)",
    )
    args = parser.parse_args(argv)
    if (args.tls_cert is None) != (args.tls_key is None):
        parser.error("--tls-cert and --tls-key go together")
    return args


def main(argv: list[str] | None = None, *, host_logging: bool = False) -> int:
    """Serve (creating keys if needed), or run an operator command (token, revoke, kiosks,
    tokens, assign-code, publish-catalog, set-status, heartbeats, staff, ratings, calls,
    metrics-token, import, operator, audit, release).

    ``host_logging``: the calling program has set up logging (the ``kiosk`` command, whose
    handlers redact personal data); uvicorn then installs no handlers of its own and its
    records go to the host's.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in ADMIN_COMMANDS:
        return run_admin(argv, default_database_url)
    if argv and argv[0] in DOWNLINK_COMMANDS:
        return run_downlink_admin(argv, default_database_url)
    if argv and argv[0] == STAFF_COMMAND:
        return run_staff_admin(argv[1:], default_database_url)
    if argv and argv[0] in MESSAGE_COMMANDS:
        return run_message_admin(argv, default_database_url)
    if argv and argv[0] == QUEUE_COMMAND:
        return run_queue_admin(argv[1:], default_database_url)
    if argv and argv[0] == PAY_COMMAND:
        return run_payments_admin(argv[1:], default_database_url)
    if argv and argv[0] == ECODE_COMMAND:
        return run_ecode_admin(argv[1:], default_database_url)
    if argv and argv[0] == IMPORT_COMMAND:
        return run_import(argv[1:], default_database_url)
    if argv and argv[0] == METRICS_COMMAND:
        return run_metrics_admin(argv[1:])
    if argv and argv[0] == AUDIT_COMMAND:
        return run_audit_admin(argv[1:], default_database_url)
    if argv and argv[0] == RELEASE_COMMAND:
        return run_release_admin(argv[1:], default_database_url)
    if argv and argv[0] == OPERATOR_COMMAND:
        return run_operator_admin(argv[1:], default_database_url)
    if argv and argv[0] == "serve":
        argv = argv[1:]
    args = parse_args(argv)
    if not host_logging:
        logging.basicConfig(level=args.log_level.upper())
    tls = TLSFiles(args.tls_cert, args.tls_key) if args.tls_cert else None
    try:
        key, catalogue, sock, server = _build(
            args.data_dir,
            args.database_url,
            args.host,
            args.port,
            args.log_level,
            tls=tls,
            require_signatures=not args.allow_unsigned,
            shutdown_timeout=args.shutdown_timeout,
            open_envelopes=args.open_envelopes,
            host_logging=host_logging,
            max_body_bytes=args.max_body_bytes,
            request_timeout=args.request_timeout,
            payment_window_seconds=args.payment_window_seconds,
            heartbeat_overdue_seconds=args.heartbeat_overdue_seconds,
            audit_grace_seconds=args.audit_grace_seconds,
        )
    except (OSError, ValueError) as exc:
        sys.stderr.write(f"cannot start the platform: {exc}\n")
        return 2
    if args.allow_unsigned:
        log.warning("accepting unsigned uploads (--allow-unsigned): a transition setting only")
    if not args.open_envelopes:
        log.warning("envelopes are not opened at ingest (--no-open-envelopes): an unreadable "
                    "record may be accepted and then purged on its kiosk")
    port = sock.getsockname()[1]
    public = key.public_key()
    signing = catalogue.public_key()
    sys.stdout.write(
        f"platform listening on {_url(args.host, port, tls is not None)}\n"
        f"sealing key {public_key_text(public)} (kid {key_id_of(public)})\n"
        f"catalogue key {ed25519_public_key_text(signing)} (kid {ed25519_key_id(signing)})\n"
    )
    sys.stdout.flush()
    server.run(sockets=[sock])
    return 0


@dataclass
class ServerHandle:
    """A platform running in a thread of this process."""

    url: str
    public_key_text: str
    kid: str
    catalogue_key_text: str
    catalogue_kid: str
    registry: KioskRegistry = field(repr=False)
    _stop: Callable[[], None] = field(repr=False)
    ecodes: Any = field(default=None, repr=False)  # the EcodeDesk: the demo issues test codes

    def stop(self) -> None:
        self._stop()


def app_state(server: uvicorn.Server) -> Any:
    """The platform app's ``state`` (store, registry) behind a uvicorn server we built."""
    app: Any = server.config.app
    return app.state


def start_server_thread(
    host: str = "127.0.0.1",
    port: int = 0,
    data_dir: Path | None = None,
    database_url: str | None = None,
    *,
    tls: TLSFiles | None = None,
    require_signatures: bool = False,
    clock: Callable[[], float] = time.time,
    shutdown_timeout: float = DEFAULT_SHUTDOWN_TIMEOUT,
    startup_timeout: float = 10.0,
    open_envelopes: bool = True,
    host_logging: bool = False,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT,
    payment_window_seconds: float = DEFAULT_WINDOW_SECONDS,
    heartbeat_overdue_seconds: float = DEFAULT_OVERDUE_AFTER,
    audit_grace_seconds: float = DEFAULT_GRACE_SECONDS,
) -> ServerHandle:
    """Start the platform on a daemon thread and return once it accepts connections.

    ``require_signatures`` defaults to False only because the demo kiosk does not sign yet
    (transition); tests of signatures pass True. ``host_logging`` as for :func:`main`.
    """
    if data_dir is None:
        raise ValueError("data_dir is required (keys and database live there)")
    key, catalogue, sock, server = _build(
        Path(data_dir),
        database_url,
        host,
        port,
        "warning",
        tls=tls,
        require_signatures=require_signatures,
        clock=clock,
        shutdown_timeout=shutdown_timeout,
        open_envelopes=open_envelopes,
        host_logging=host_logging,
        max_body_bytes=max_body_bytes,
        request_timeout=request_timeout,
        payment_window_seconds=payment_window_seconds,
        heartbeat_overdue_seconds=heartbeat_overdue_seconds,
        audit_grace_seconds=audit_grace_seconds,
    )
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="platform-server", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + startup_timeout
    while not server.started:  # uvicorn offers no event to wait on; poll its flag briefly
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            sock.close()
            raise RuntimeError("platform server did not start")
        time.sleep(0.02)

    def stop() -> None:
        server.should_exit = True
        thread.join(shutdown_timeout + 5.0)
        sock.close()
        app_state(server).store.dispose()

    public = key.public_key()
    signing = catalogue.public_key()
    return ServerHandle(
        url=_url(host, sock.getsockname()[1], tls is not None),
        public_key_text=public_key_text(public),
        kid=key_id_of(public),
        catalogue_key_text=ed25519_public_key_text(signing),
        catalogue_kid=ed25519_key_id(signing),
        registry=app_state(server).registry,
        _stop=stop,
        ecodes=app_state(server).ecodes,
    )


if __name__ == "__main__":
    sys.exit(main())
