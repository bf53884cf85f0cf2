"""Operator accounts of the fleet page: passwords, lock-out and browser sessions.

Passwords are hashed with **Argon2id** (``argon2-cffi``, already a dependency of the kiosk for
staff PINs): memory-hard, the winner of the Password Hashing Competition and RFC 9106's first
choice. The parameters are RFC 9106's second recommended set (64 MiB, 3 passes, 4 lanes), so a
stolen database costs an attacker 64 MiB of memory per guess; a hash made with weaker
parameters is rehashed at the next good login.

Lock-out: ``MAX_FAILURES`` wrong passwords in a row lock the account for ``LOCK_SECONDS``
(platform clock, injected); a good password resets the count, and while locked even the right
password is refused, so guessing cannot go on. An unknown name costs the same hash as a known
one and gets the same answer, so the form does not tell which names exist.

Sessions are kept on the server (:mod:`sync.server.schema_operators`): the cookie holds 32
random bytes, the table their SHA-256, a CSRF token and an expiry. A login form is tied to a
short anonymous session, and a successful login replaces it with a new one (no fixation).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, insert, select, update

from sync.server.schema_operators import operator_sessions, operators

MAX_FAILURES = 5
LOCK_SECONDS = 15 * 60.0
SESSION_SECONDS = 8 * 3600.0  # one working day; then log in again
LOGIN_FORM_SECONDS = 15 * 60.0  # how long a login form stays good
MIN_PASSWORD = 12
MAX_NAME = 12  # a staff call's acknowledged_by holds it (String(12), as a staff number)

_HASHER = PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=4)
_DUMMY_HASH = _HASHER.hash("an operator that does not exist")


class OperatorError(Exception):
    """An account action that cannot be done; the message says why, in words."""


class LoginRefused(Exception):  # noqa: N818 (a refusal, not a fault)
    """Wrong name or password, or a locked account; ``locked_until`` set when locked."""

    def __init__(self, message: str, locked_until: float | None = None) -> None:
        super().__init__(message)
        self.locked_until = locked_until


@dataclass(frozen=True)
class Operator:
    name: str
    failures: int
    locked_until: float | None
    created_at: float


@dataclass(frozen=True)
class Session:
    operator: str | None  # None: the anonymous session of a login form
    csrf: str
    expires_at: float


def check_name(name: str) -> str:
    if not name or len(name) > MAX_NAME or not all(c.isalnum() or c in "._-" for c in name):
        raise OperatorError(
            f"an operator name is 1 to {MAX_NAME} letters, digits, '.', '_' or '-'"
        )
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise OperatorError(f"a password has at least {MIN_PASSWORD} characters")
    return password


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class OperatorDesk:
    """Accounts and sessions over the platform's database."""

    def __init__(self, engine: Engine, *, clock: Callable[[], float]) -> None:
        self.engine = engine
        self.clock = clock

    # accounts
    def add(self, name: str, password: str) -> None:
        check_name(name)
        hashed = _HASHER.hash(check_password(password))
        with self.engine.begin() as conn:
            exists = conn.execute(
                select(operators.c.name).where(operators.c.name == name)
            ).first()
            if exists is not None:
                raise OperatorError(f"operator {name} already exists; remove it first")
            conn.execute(insert(operators).values(
                name=name, password_hash=hashed, failures=0, locked_until=None,
                created_at=self.clock()))

    def remove(self, name: str) -> None:
        """Delete the account and end its sessions at once."""
        with self.engine.begin() as conn:
            gone = conn.execute(delete(operators).where(operators.c.name == name)).rowcount
            if gone != 1:
                raise OperatorError(f"no operator {name}")
            conn.execute(delete(operator_sessions).where(operator_sessions.c.operator == name))

    def list(self) -> list[Operator]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(operators).order_by(operators.c.name)).fetchall()
        return [Operator(r.name, r.failures, r.locked_until, r.created_at) for r in rows]

    def authenticate(self, name: str, password: str) -> str:
        """The operator's name, or :class:`LoginRefused`."""
        now = self.clock()
        with self.engine.connect() as conn:
            row = conn.execute(select(operators).where(operators.c.name == name)).first()
        if row is None:
            _verify(_DUMMY_HASH, password)  # the same cost as a known name
            raise LoginRefused("wrong name or password")
        if row.locked_until is not None and row.locked_until > now:
            raise LoginRefused("account locked after repeated failures", row.locked_until)
        if not _verify(row.password_hash, password):
            failures = (0 if row.locked_until is not None else row.failures) + 1
            locked = now + LOCK_SECONDS if failures >= MAX_FAILURES else None
            with self.engine.begin() as conn:
                conn.execute(update(operators).where(operators.c.name == name).values(
                    failures=0 if locked else failures, locked_until=locked))
            if locked is not None:
                raise LoginRefused("account locked after repeated failures", locked)
            raise LoginRefused("wrong name or password")
        values: dict[str, object] = {"failures": 0, "locked_until": None}
        if _HASHER.check_needs_rehash(row.password_hash):
            values["password_hash"] = _HASHER.hash(password)
        with self.engine.begin() as conn:
            conn.execute(update(operators).where(operators.c.name == name).values(**values))
        return str(row.name)

    # sessions
    def open_session(self, operator: str | None) -> tuple[str, Session]:
        """A new session (anonymous for a login form); returns the cookie token."""
        now = self.clock()
        token = secrets.token_urlsafe(32)
        lasts = SESSION_SECONDS if operator is not None else LOGIN_FORM_SECONDS
        session = Session(operator, secrets.token_urlsafe(32), now + lasts)
        with self.engine.begin() as conn:
            conn.execute(delete(operator_sessions).where(operator_sessions.c.expires_at <= now))
            conn.execute(insert(operator_sessions).values(
                token_sha256=_digest(token), operator=operator, csrf=session.csrf,
                created_at=now, expires_at=session.expires_at))
        return token, session

    def session(self, token: str | None) -> Session | None:
        """The live session of this cookie token; None for a forged, ended or expired one."""
        if not token:
            return None
        with self.engine.connect() as conn:
            row = conn.execute(select(operator_sessions).where(
                operator_sessions.c.token_sha256 == _digest(token))).first()
        if row is None or row.expires_at <= self.clock():
            return None
        if row.operator is not None:
            with self.engine.connect() as conn:  # a removed account's session ends with it
                if conn.execute(select(operators.c.name).where(
                        operators.c.name == row.operator)).first() is None:
                    return None
        return Session(row.operator, row.csrf, row.expires_at)

    def end_session(self, token: str | None) -> None:
        if token:
            with self.engine.begin() as conn:
                conn.execute(delete(operator_sessions).where(
                    operator_sessions.c.token_sha256 == _digest(token)))


def csrf_matches(session: Session, submitted: str | None) -> bool:
    return submitted is not None and secrets.compare_digest(session.csrf, submitted)


def _verify(hashed: str, password: str) -> bool:
    try:
        return _HASHER.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False
