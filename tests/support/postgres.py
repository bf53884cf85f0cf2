"""A throwaway PostgreSQL server for tests and benchmarks: Debian's binaries, our own cluster.

The cluster lives in a fresh directory under /tmp (pytest's own temporary directories are
private to root, and PostgreSQL refuses to run as root), owned by the ``postgres`` user and
started with ``runuser -u postgres`` when we are root, as ourselves otherwise. It listens on
a free loopback port and a private socket directory, with trust authentication on loopback
only. ``postgres_server`` is one cluster per test session; ``postgres_url`` is a fresh,
empty database in it for each test. Tests skip only when the server binaries are not
installed (``apt-get install postgresql``).

Tests run the cluster with ``fsync=off`` (a crash of the test machine loses nothing that
matters); benchmarks pass ``durable=True`` so PostgreSQL commits as durably as the SQLite
platform does.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import select

from sync.server.db import make_engine
from sync.server.schema import transactions
from tests.support.platform import PlatformProcess, free_port

__all__ = [
    "DatabasePlatform",
    "PostgresServer",
    "find_bindir",
    "postgres_server",
    "postgres_url",
]

PG_USER = "postgres"
START_TIMEOUT_S = 30
STOP_TIMEOUT_S = 15
START_ATTEMPTS = 3  # the free port may be taken between choosing it and binding it


def find_bindir() -> Path | None:
    """The newest installed server's bin directory (Debian keeps it off PATH), if any."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if candidates:
        return candidates[-1].parent
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).parent
    return None


class PostgresServer:
    """One PostgreSQL cluster on 127.0.0.1, owned by the ``postgres`` user when we are root."""

    def __init__(self, bindir: Path, *, durable: bool = False, max_connections: int = 200) -> None:
        self.bindir = bindir
        self.durable = durable
        self.max_connections = max_connections
        self.root = Path(tempfile.mkdtemp(prefix="kiosk-pg-", dir="/tmp"))
        self.data_dir = self.root / "data"
        self.socket_dir = self.root / "sock"
        self.log_path = self.root / "server.log"
        self.port = 0
        self._as_postgres = os.geteuid() == 0
        self._started = False

    def _run(self, *args: str, timeout: float) -> subprocess.CompletedProcess[str]:
        prefix = ["runuser", "-u", PG_USER, "--"] if self._as_postgres else []
        return subprocess.run(
            [*prefix, *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=self.root,  # runuser keeps the cwd; the postgres user must be able to enter it
            check=False,
        )

    def start(self) -> PostgresServer:
        """initdb, then pg_ctl start on a free port; raises RuntimeError with the log on failure."""
        self.socket_dir.mkdir()
        if self._as_postgres:
            owner = pwd.getpwnam(PG_USER)
            for path in (self.root, self.socket_dir):
                os.chown(path, owner.pw_uid, owner.pw_gid)
        init = self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.data_dir),
            "-U",
            PG_USER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            *([] if self.durable else ["--no-sync"]),
            timeout=120,
        )
        if init.returncode != 0:
            raise RuntimeError(f"initdb failed: {init.stderr[-2000:]}")
        for _ in range(START_ATTEMPTS):
            self.port = free_port()
            started = self._run(
                str(self.bindir / "pg_ctl"),
                "start",
                "-w",
                "-t",
                str(START_TIMEOUT_S),
                "-D",
                str(self.data_dir),
                "-l",
                str(self.log_path),
                "-o",
                " ".join(self._server_options()),
                timeout=START_TIMEOUT_S + 10,
            )
            if started.returncode == 0:
                self._started = True
                return self
        log = self.log_path.read_text(errors="replace")[-2000:] if self.log_path.exists() else ""
        self.stop()
        raise RuntimeError(f"PostgreSQL did not start: {started.stderr[-1000:]} {log}")

    def _server_options(self) -> list[str]:
        options = [
            f"-c port={self.port}",
            "-c listen_addresses=127.0.0.1",
            f"-c unix_socket_directories={self.socket_dir}",
            f"-c max_connections={self.max_connections}",
        ]
        if not self.durable:
            options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        return options

    def url(self, database: str = "postgres") -> str:
        """A SQLAlchemy URL for ``database`` (psycopg 3 driver)."""
        return f"postgresql+psycopg://{PG_USER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str | None = None) -> str:
        """A new empty database; returns its URL."""
        name = name or f"t_{secrets.token_hex(6)}"
        if not name.replace("_", "").isalnum():
            raise ValueError("database names here are letters, digits and underscores")
        with psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user=PG_USER,
            dbname="postgres",
            autocommit=True,
            connect_timeout=5,
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')  # name checked above
        return self.url(name)

    def stop(self) -> None:
        """Stop the cluster (fast shutdown, then SIGKILL to its postmaster) and delete it."""
        if self._started and self.data_dir.exists():
            stopped = self._run(
                str(self.bindir / "pg_ctl"),
                "stop",
                "-w",
                "-t",
                str(STOP_TIMEOUT_S),
                "-m",
                "fast",
                "-D",
                str(self.data_dir),
                timeout=STOP_TIMEOUT_S + 10,
            )
            if stopped.returncode != 0:
                self._kill_postmaster()
        self._started = False
        shutil.rmtree(self.root, ignore_errors=True)

    def _kill_postmaster(self) -> None:
        pid_file = self.data_dir / "postmaster.pid"
        with contextlib.suppress(OSError, ValueError):
            pid = int(pid_file.read_text().split()[0])
            os.kill(pid, signal.SIGKILL)  # our own cluster's postmaster, by its pid

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()


class DatabasePlatform(PlatformProcess):
    """The reference platform as a subprocess over the database at ``database_url``.

    Several of them may share one ``data_dir`` (the same platform keys) and one database:
    that is the scaled-out deployment, stateless server processes behind a load balancer.
    """

    def __init__(self, data_dir: Path, database_url: str, **options: object) -> None:
        super().__init__(data_dir, **options)  # type: ignore[arg-type]
        self.database_url = database_url

    def _server_options(self) -> list[str]:
        return [*super()._server_options(), "--database-url", self.database_url]

    def records(self) -> list[dict[str, Any]]:
        """Every stored transaction, read through the platform's own engine settings."""
        engine = make_engine(self.database_url)
        try:
            with engine.connect() as conn:
                rows = conn.execute(select(transactions).order_by(transactions.c.received_at))
                return [dict(row._mapping) for row in rows]
        finally:
            engine.dispose()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL cluster for the test session (skips if the server is not installed)."""
    bindir = find_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries not installed (apt-get install postgresql)")
    server = PostgresServer(bindir).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """A fresh empty database in the session's cluster."""
    return postgres_server.create_database()


@pytest.fixture(params=["sqlite", "postgresql"], name="platform")
def platform_on_each_database(
    request: pytest.FixtureRequest, platform_factory: Callable[..., PlatformProcess],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[PlatformProcess]:
    """The reference platform requiring signatures, once on SQLite and once on PostgreSQL:
    a test module that imports this has a ``platform`` fixture that runs each test on both."""
    if request.param == "sqlite":
        yield platform_factory(require_signatures=True)
        return
    url = str(request.getfixturevalue("postgres_url"))
    made = DatabasePlatform(tmp_path_factory.mktemp("pg-platform"), url, require_signatures=True)
    made.start()
    try:
        yield made
    finally:
        made.stop()
