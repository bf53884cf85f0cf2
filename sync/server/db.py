"""Engines for the reference platform: SQLite (embedded default) and PostgreSQL (scale).

SQLite: the file and its ``-wal``/``-shm`` are the platform's alone (0600, tightened at start);
WAL so readers never block the writer, ``synchronous=FULL`` because an ``accepted``
verdict is a promise the kiosk acts on (it stops resending), and a busy timeout so several
threads or server processes on one file queue for the write lock instead of failing.

PostgreSQL: a bare ``postgresql://`` URL is driven by psycopg 3 (the ``server`` extra); the
pool is sized for uvicorn's worker threads, connections are checked before use and recycled,
and every connection carries a statement timeout so no request waits on the database forever.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, MetaData, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

from sync.file_modes import private_database

__all__ = [
    "DEFAULT_POOL_SIZE",
    "DEFAULT_STATEMENT_TIMEOUT_MS",
    "SQLITE_BUSY_TIMEOUT_S",
    "add_missing_columns",
    "backend_of",
    "create_schema",
    "make_engine",
    "normalise_url",
]

SQLITE_BUSY_TIMEOUT_S = 10.0
DEFAULT_POOL_SIZE = 10
DEFAULT_MAX_OVERFLOW = 20  # uvicorn runs sync routes on up to 40 threads
DEFAULT_POOL_TIMEOUT_S = 10.0
DEFAULT_POOL_RECYCLE_S = 1800
DEFAULT_CONNECT_TIMEOUT_S = 5
DEFAULT_STATEMENT_TIMEOUT_MS = 15_000

# Key of the PostgreSQL advisory lock held while creating tables ("kiosk" in ASCII).
SCHEMA_LOCK_KEY = 0x6B696F736B

_MEMORY_URLS = frozenset({"sqlite://", "sqlite:///:memory:"})


def normalise_url(database_url: str) -> str:
    """``postgresql://`` / ``postgres://`` mean psycopg 3; other URLs pass unchanged."""
    url = make_url(database_url)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


def backend_of(database_url: str) -> str:
    """``sqlite`` or ``postgresql``; ValueError for anything the platform does not support."""
    backend = make_url(normalise_url(database_url)).get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise ValueError(f"unsupported database {backend!r}: use sqlite or postgresql")
    return backend


def make_engine(
    database_url: str,
    *,
    pool_size: int = DEFAULT_POOL_SIZE,
    max_overflow: int = DEFAULT_MAX_OVERFLOW,
    statement_timeout_ms: int = DEFAULT_STATEMENT_TIMEOUT_MS,
) -> Engine:
    """An engine with the settings each backend needs (see the module docstring)."""
    if backend_of(database_url) == "sqlite":
        return _sqlite_engine(database_url)
    return create_engine(
        normalise_url(database_url),
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_timeout=DEFAULT_POOL_TIMEOUT_S,
        pool_recycle=DEFAULT_POOL_RECYCLE_S,
        pool_pre_ping=True,
        connect_args={
            "connect_timeout": DEFAULT_CONNECT_TIMEOUT_S,
            "options": f"-c statement_timeout={int(statement_timeout_ms)}",
            "application_name": "kiosk-platform",
        },
    )


def _switch_to_wal(cursor: Any) -> None:
    """``journal_mode=WAL`` skips SQLite's busy handler: when several processes open a fresh
    file together, the losers get "database is locked" at once. Retry within the busy timeout."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_S
    delay = 0.01
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() + delay > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.2)


def _sqlite_file(database_url: str) -> Path | None:
    """The database file a SQLite URL names; None for memory databases and URI forms."""
    url = make_url(database_url)
    name = url.database
    if database_url in _MEMORY_URLS or not name or name == ":memory:" or name.startswith("file:"):
        return None
    return Path(name)


def _sqlite_engine(database_url: str) -> Engine:
    memory = database_url in _MEMORY_URLS
    path = _sqlite_file(database_url)
    if path is not None and path.parent.is_dir():
        private_database(path)  # 0600 before SQLite makes it, its -wal and -shm
    engine = create_engine(
        database_url,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_S},
        # One shared connection, or every thread would see its own empty database.
        poolclass=StaticPool if memory else None,
    )

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT_S * 1000)}")
        if not memory:
            _switch_to_wal(cursor)
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    return engine


def create_schema(engine: Engine, metadata: MetaData) -> None:
    """Create the missing tables of ``metadata``, safe against other processes doing the same.

    Several server processes starting together on a fresh database would otherwise race on
    ``CREATE TABLE`` and all but one would die. The check-and-create runs in one transaction
    under a database-wide lock: PostgreSQL's transaction-scoped advisory lock, SQLite's write
    lock (both databases roll DDL back with the transaction). Columns that a newer version
    added to an existing table are added too (:func:`add_missing_columns`).
    """
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
        metadata.create_all(conn)
        add_missing_columns(conn, metadata)


def add_missing_columns(conn: Connection, metadata: MetaData) -> list[str]:
    """``ALTER TABLE ... ADD COLUMN`` for each column of ``metadata`` an existing table lacks.

    The platform's one migration rule: a new column on an existing table is nullable, without
    a default or constraint, so the same statement works on SQLite and PostgreSQL and old rows
    simply read NULL. Returns ``table.column`` of what was added.
    """
    inspector = inspect(conn)
    quote = conn.dialect.identifier_preparer.quote
    added: list[str] = []
    for table in metadata.sorted_tables:
        if not inspector.has_table(table.name):
            continue  # create_all makes it whole
        present = {column["name"] for column in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name in present:
                continue
            if not column.nullable or column.primary_key or column.unique or column.index:
                name = f"{table.name}.{column.name}"
                raise RuntimeError(f"cannot add {name}: not a plain nullable column")
            kind = column.type.compile(dialect=conn.dialect)
            conn.exec_driver_sql(
                f"ALTER TABLE {quote(table.name)} ADD COLUMN {quote(column.name)} {kind}"
            )
            added.append(f"{table.name}.{column.name}")
    return added
