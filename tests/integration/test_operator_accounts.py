"""Operator accounts of the fleet page (issue 13, item 4): ``kiosk server operator`` from the
command line, Argon2id hashes (never the password), lock-out after repeated failures with an
injected clock, and sessions that end — on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from argon2 import extract_parameters
from sqlalchemy import Engine, select

from sync.server.cli import default_database_url
from sync.server.db import create_schema, make_engine
from sync.server.operator_admin import run_operator_admin
from sync.server.operators import (
    LOCK_SECONDS,
    MAX_FAILURES,
    SESSION_SECONDS,
    LoginRefused,
    OperatorDesk,
    OperatorError,
)
from sync.server.schema_operators import metadata, operator_sessions, operators
from tests.support.postgres import postgres_server, postgres_url  # noqa: F401 - fixtures

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"


def operator_cli(data_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "server", "operator", *args, "--data-dir",
         str(data_dir)], input=stdin, cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=60)


def in_process(data_dir: Path, capsys: pytest.CaptureFixture[str], *args: str,
               stdin: str = "") -> tuple[int, str, str]:
    """The same command in this process (a subprocess costs a second of imports each)."""
    code = run_operator_admin([*args, "--data-dir", str(data_dir)], default_database_url,
                              stdin=io.StringIO(stdin))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_adds_lists_and_removes_operators_and_keeps_only_a_hash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "platform"
    added = operator_cli(data, "add", "wang.li", "--password-stdin", stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr  # the real `kiosk server operator` command
    assert "wang.li added" in added.stderr
    code, _, err = in_process(data, capsys, "add", "wang.li", "--password-stdin",
                              stdin=PASSWORD + "\n")
    assert code == 1 and "already exists" in err
    code, _, err = in_process(data, capsys, "add", "zhao", "--password-stdin", stdin="short\n")
    assert code == 2 and "at least 12 characters" in err
    code, _, err = in_process(data, capsys, "add", "no spaces", "--password-stdin",
                              stdin=PASSWORD + "\n")
    assert code == 2 and "operator name" in err
    code, _, err = in_process(data, capsys, "add", "zhao", "--password-stdin", stdin="")
    assert code == 2 and "at least 12 characters" in err  # an empty stdin is no password
    assert in_process(data, capsys, "list")[1] == "wang.li\t0 failed\n"

    engine = make_engine(f"sqlite:///{data / 'platform.db'}")
    try:
        stored = engine.connect().execute(select(operators.c.password_hash)).scalar_one()
        assert PASSWORD not in stored
        params = extract_parameters(stored)
        assert stored.startswith("$argon2id$")
        assert params.memory_cost >= 64 * 1024 and params.time_cost >= 3
    finally:
        engine.dispose()

    assert in_process(data, capsys, "remove", "wang.li")[0] == 0
    assert in_process(data, capsys, "list")[1] == ""
    code, _, err = in_process(data, capsys, "remove", "wang.li")
    assert code == 1 and "no operator wang.li" in err


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Engine:
    url = (f"sqlite:///{tmp_path / 'platform.db'}" if request.param == "sqlite"
           else str(request.getfixturevalue("postgres_url")))
    made = make_engine(url)
    create_schema(made, metadata)
    request.addfinalizer(made.dispose)
    return made


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def test_repeated_failures_lock_the_account_until_the_lock_expires(engine: Engine) -> None:
    clock = Clock()
    desk = OperatorDesk(engine, clock=clock)
    desk.add("wang.li", PASSWORD)
    desk.add("chen", PASSWORD + "!")
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(LoginRefused) as wrong:
            desk.authenticate("wang.li", "wrong password!")
        assert wrong.value.locked_until is None
    assert desk.authenticate("wang.li", PASSWORD) == "wang.li"  # a good one resets the count
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(LoginRefused):
            desk.authenticate("wang.li", "wrong password!")
    with pytest.raises(LoginRefused) as locked:
        desk.authenticate("wang.li", "wrong password!")
    assert locked.value.locked_until == clock.now + LOCK_SECONDS
    clock.now += LOCK_SECONDS - 1
    with pytest.raises(LoginRefused) as still:  # even the right password, while locked
        desk.authenticate("wang.li", PASSWORD)
    assert still.value.locked_until is not None
    assert desk.authenticate("chen", PASSWORD + "!") == "chen"  # per account
    clock.now += 2
    assert desk.authenticate("wang.li", PASSWORD) == "wang.li"
    with pytest.raises(LoginRefused) as unknown:  # the same answer as a wrong password
        desk.authenticate("nobody", PASSWORD)
    assert str(unknown.value) == "wrong name or password"
    with pytest.raises(OperatorError):
        desk.remove("nobody")


def test_sessions_expire_end_at_logout_and_with_their_account(engine: Engine) -> None:
    clock = Clock()
    desk = OperatorDesk(engine, clock=clock)
    desk.add("wang.li", PASSWORD)
    token, session = desk.open_session("wang.li")
    with engine.connect() as conn:
        kept = conn.execute(select(operator_sessions.c.token_sha256)).scalars().all()
    assert token not in kept  # only its hash
    assert desk.session(token) == session
    assert desk.session(token + "x") is None and desk.session("") is None
    clock.now += SESSION_SECONDS
    assert desk.session(token) is None
    token, _ = desk.open_session("wang.li")
    desk.end_session(token)
    assert desk.session(token) is None
    token, _ = desk.open_session("wang.li")
    desk.remove("wang.li")
    assert desk.session(token) is None


def asgi_get(app: Any, path: str, scheme: str) -> tuple[int, dict[str, str], str]:
    """One GET straight through the ASGI app, with the scheme a TLS server would set."""
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "GET", "scheme": scheme, "path": path, "raw_path": path.encode(),
             "query_string": b"", "root_path": "", "headers": [(b"host", b"platform")],
             "client": ("127.0.0.1", 1), "server": ("platform", 443)}
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    headers = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], headers, body.decode()


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_the_session_cookie_is_httponly_strict_and_secure_over_tls(
    tmp_path: Path, scheme: str,
) -> None:
    from sync.server.app import create_app

    app = create_app(f"sqlite:///{tmp_path / 'platform.db'}", None)
    try:
        status, headers, body = asgi_get(app, "/fleet/login", scheme)
        assert status == 200 and 'name="csrf"' in body
        cookie = headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "path=/fleet" in cookie
        assert ("secure" in cookie.split("; ")) == (scheme == "https")
        status, headers, _ = asgi_get(app, "/fleet", scheme)
        assert status == 303 and headers["location"] == "/fleet/login"
    finally:
        app.state.store.dispose()
