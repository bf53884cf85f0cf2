"""Command line and in-process runner for the reference platform.

``kiosk server --host 127.0.0.1 --port 8710 --data-dir DIR [--database-url URL]`` ends up
in :func:`main`; ``python -m sync.server.cli ...`` does the same. The demo starts the
platform inside its own process with :func:`start_server_thread`.
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

import uvicorn

from sync.sealing import key_id_of, public_key_text
from sync.server.app import create_app
from sync.server.keys import load_or_create_keys

DEFAULT_PORT = 8710
DATABASE_FILE = "platform.db"


def default_database_url(data_dir: Path) -> str:
    return f"sqlite:///{Path(data_dir).resolve() / DATABASE_FILE}"


def bind_socket(host: str, port: int) -> socket.socket:
    """Bind before uvicorn starts, so port 0 works and the real port is known up front."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _build(data_dir: Path, database_url: str | None, host: str, port: int, log_level: str):
    key = load_or_create_keys(Path(data_dir))
    app = create_app(database_url or default_database_url(data_dir), key)
    sock = bind_socket(host, port)
    config = uvicorn.Config(app, log_level=log_level, access_log=False, lifespan="off")
    return key, sock, uvicorn.Server(config)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="kiosk server", description="Run the reference central platform."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="0 picks a free port")
    parser.add_argument("--data-dir", type=Path, required=True, help="keys and database")
    parser.add_argument("--database-url", default=None, help="SQLAlchemy URL (default SQLite)")
    parser.add_argument("--log-level", default="warning")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Create keys if needed, print the URL and sealing key, serve until interrupted."""
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level.upper())
    try:
        key, sock, server = _build(
            args.data_dir, args.database_url, args.host, args.port, args.log_level
        )
    except OSError as exc:
        sys.stderr.write(f"cannot start the platform: {exc}\n")
        return 2
    port = sock.getsockname()[1]
    public = key.public_key()
    sys.stdout.write(
        f"platform listening on {_url(args.host, port)}\n"
        f"sealing key {public_key_text(public)} (kid {key_id_of(public)})\n"
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
    _stop: Callable[[], None] = field(repr=False)

    def stop(self) -> None:
        self._stop()


def start_server_thread(
    host: str = "127.0.0.1",
    port: int = 0,
    data_dir: Path | None = None,
    database_url: str | None = None,
    *,
    startup_timeout: float = 10.0,
) -> ServerHandle:
    """Start the platform on a daemon thread and return once it accepts connections."""
    if data_dir is None:
        raise ValueError("data_dir is required (keys and database live there)")
    key, sock, server = _build(Path(data_dir), database_url, host, port, "warning")
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
        thread.join(5.0)
        sock.close()
        server.config.app.state.store.dispose()

    public = key.public_key()
    return ServerHandle(
        url=_url(host, sock.getsockname()[1]),
        public_key_text=public_key_text(public),
        kid=key_id_of(public),
        _stop=stop,
    )


if __name__ == "__main__":
    sys.exit(main())
