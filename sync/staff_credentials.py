"""Staff credentials: the PIN policy, Argon2id hashes and the signed document kiosks receive.

Shared by the platform (which hashes a PIN once, when a person is added, and signs the list)
and the kiosk (which checks the signature against the key pinned at enrolment, then verifies
a PIN against one person's hash). A plain PIN never leaves the process that read it.

Hash parameters: Argon2id, time_cost 2, memory 64 MiB, parallelism 2. One verification takes
about 0.15 s on a loaded two-core test machine and stays well under a second on the slow
fanless boards kiosks use, which a person signing in does not notice; the 64 MiB per guess
is what makes a stolen list expensive to attack on GPUs. The kiosk refuses hashes weaker
than a floor (or absurdly expensive ones), so a misconfigured platform cannot quietly ship
weak hashes. A 6-digit PIN is still a small space: see docs/staff-access.md for what the
hash buys and what the lock-out has to do.
"""

from __future__ import annotations

import base64
import binascii
import getpass
import json
import math
import re
import secrets
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

if TYPE_CHECKING:
    from argon2 import PasswordHasher

FORMAT = "civic-kiosk/staff-credentials"
FORMAT_VERSION = 1
# Signed over this prefix and the body, so a staff signature can never pass as a catalogue
# signature (the catalogue key signs bare catalogue bytes) and the other way round.
SIGNING_CONTEXT = b"civic-kiosk/staff-credentials/v1\n"

ROLES = ("staff", "technician")
PERSON_ID_PATTERN = r"^[0-9]{3,12}$"  # a staff number: typed on the kiosk's digit keypad
MIN_PIN_DIGITS = 6
MAX_PIN_DIGITS = 12
MAX_NAME_CHARS = 64
MAX_PEOPLE = 2000
MAX_DOCUMENT_BYTES = 1024 * 1024

TIME_COST = 2
MEMORY_COST_KIB = 64 * 1024
PARALLELISM = 2
# What a kiosk accepts from the platform (or a local file): Argon2id, not weaker than about
# OWASP's minimum (19 MiB x 2 passes), not so costly that a sign-in would hang the kiosk.
_MIN_MEMORY_KIB = 19 * 1024
_MIN_WORK = 2 * 19 * 1024  # memory x passes
_MAX_MEMORY_KIB = 256 * 1024
_MAX_TIME_COST = 10
_MAX_PARALLELISM = 8

_PERSON_ID = re.compile(PERSON_ID_PATTERN)
_PIN = re.compile(rf"^[0-9]{{{MIN_PIN_DIGITS},{MAX_PIN_DIGITS}}}$")


class PinPolicyError(ValueError):
    """The PIN is not acceptable; the message says why (never the PIN itself)."""


class StaffDocumentError(ValueError):
    """A credential document (or one entry, or a hash) that must not be used."""


def check_person_id(person_id: str) -> str:
    if not isinstance(person_id, str) or not _PERSON_ID.match(person_id):
        raise StaffDocumentError("a staff number is 3 to 12 digits")
    return person_id


def check_pin(pin: str) -> None:
    """At least 6 digits, digits only, not one digit repeated nor a straight run like 123456."""
    if not _PIN.match(pin):
        raise PinPolicyError(
            f"a PIN is {MIN_PIN_DIGITS} to {MAX_PIN_DIGITS} digits (0-9), nothing else"
        )
    steps = {int(b) - int(a) for a, b in zip(pin, pin[1:], strict=False)}
    if steps in ({0}, {1}, {-1}):
        raise PinPolicyError("a PIN must not be one digit repeated or a straight run of digits")


def _hasher() -> PasswordHasher:
    # argon2 loads at the first sign-in or hash, not on the kiosk window's start-up path
    from argon2 import PasswordHasher, Type

    return PasswordHasher(
        time_cost=TIME_COST, memory_cost=MEMORY_COST_KIB, parallelism=PARALLELISM, type=Type.ID
    )


def hash_pin(pin: str) -> str:
    """A salted Argon2id hash of a PIN that meets the policy (PinPolicyError otherwise)."""
    check_pin(pin)
    return _hasher().hash(pin)


def decoy_hash() -> str:
    """A hash of a random secret with the same cost, to check against when nobody matches."""
    return _hasher().hash(secrets.token_urlsafe(16))


def check_hash(pin_hash: str) -> None:
    """Refuse anything but an Argon2id hash with parameters a kiosk can afford and trust."""
    from argon2 import Type, extract_parameters
    from argon2.exceptions import InvalidHashError

    if not isinstance(pin_hash, str) or not pin_hash.startswith("$argon2id$"):
        raise StaffDocumentError("a PIN hash must be Argon2id")
    try:
        params = extract_parameters(pin_hash)
    except (InvalidHashError, ValueError) as exc:
        raise StaffDocumentError("a PIN hash is malformed") from exc
    if params.type is not Type.ID or params.salt_len < 16 or params.hash_len < 16:
        raise StaffDocumentError("a PIN hash has too short a salt or output")
    if (
        params.memory_cost < _MIN_MEMORY_KIB
        or params.memory_cost * params.time_cost < _MIN_WORK
        or params.memory_cost > _MAX_MEMORY_KIB
        or params.time_cost > _MAX_TIME_COST
        or params.parallelism > _MAX_PARALLELISM
    ):
        raise StaffDocumentError("a PIN hash has parameters outside what kiosks accept")


def verify_pin(pin_hash: str, pin: str) -> bool:
    """True if ``pin`` matches; any malformed hash is simply no match."""
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(pin_hash, pin)
    except (VerificationError, InvalidHashError, ValueError):
        return False


@dataclass(frozen=True)
class Person:
    """One credential: who, in which role, and the hash of their PIN (never shown)."""

    person_id: str
    name: str
    role: str
    pin_hash: str = field(repr=False)

    def as_entry(self) -> dict[str, str]:
        return {"id": self.person_id, "name": self.name, "role": self.role,
                "pin_hash": self.pin_hash}


def check_person(entry: Any) -> Person:
    """An entry of a document (or a local credential file), checked field by field."""
    if not isinstance(entry, dict):
        raise StaffDocumentError("a credential entry is not an object")
    person_id, name = entry.get("id"), entry.get("name")
    role, pin_hash = entry.get("role"), entry.get("pin_hash")
    if not isinstance(person_id, str):
        raise StaffDocumentError("a credential entry has no staff number")
    check_person_id(person_id)
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME_CHARS:
        raise StaffDocumentError(f"person {person_id}: a name is 1 to {MAX_NAME_CHARS} characters")
    if not isinstance(role, str) or role not in ROLES:
        raise StaffDocumentError(f"person {person_id}: role must be one of {', '.join(ROLES)}")
    if not isinstance(pin_hash, str):
        raise StaffDocumentError(f"person {person_id}: no PIN hash")
    check_hash(pin_hash)
    return Person(person_id, name, role, pin_hash)


@dataclass(frozen=True)
class StaffDocument:
    """The platform's list of people for kiosks. ``serial`` only ever grows."""

    serial: int
    issued_at: float
    people: tuple[Person, ...]

    def find(self, person_id: str) -> Person | None:
        for person in self.people:
            if person.person_id == person_id:
                return person
        return None


def build_document(people: Iterable[Person], serial: int, issued_at: float) -> bytes:
    """The exact bytes the platform signs: stable JSON, people sorted by id."""
    entries = sorted((p.as_entry() for p in people), key=lambda e: e["id"])
    doc = {"format": FORMAT, "format_version": FORMAT_VERSION, "serial": serial,
           "issued_at": issued_at, "people": entries}
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def parse_document(data: bytes) -> StaffDocument:
    """Check a document's shape and every entry (StaffDocumentError says what is wrong)."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise StaffDocumentError("credential document is too large")
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise StaffDocumentError("credential document is not UTF-8 JSON") from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise StaffDocumentError("not a staff credential document")
    if doc.get("format_version") != FORMAT_VERSION:
        raise StaffDocumentError("unsupported credential document version")
    serial, issued_at, raw = doc.get("serial"), doc.get("issued_at"), doc.get("people")
    if isinstance(serial, bool) or not isinstance(serial, int) or serial < 1:
        raise StaffDocumentError("credential document has no serial")
    if (isinstance(issued_at, bool) or not isinstance(issued_at, int | float)
            or not math.isfinite(issued_at)):
        raise StaffDocumentError("credential document has no issue time")
    if not isinstance(raw, list) or len(raw) > MAX_PEOPLE:
        raise StaffDocumentError("credential document has no people list")
    people = tuple(check_person(entry) for entry in raw)
    if len({p.person_id for p in people}) != len(people):
        raise StaffDocumentError("credential document names a staff number twice")
    return StaffDocument(serial, float(issued_at), people)


def sign_document(data: bytes, key: Ed25519PrivateKey) -> str:
    """Base64 Ed25519 signature over the signing context and the exact document bytes."""
    return base64.b64encode(key.sign(SIGNING_CONTEXT + data)).decode("ascii")


def verify_document(data: bytes, signature: str | None, key: Ed25519PublicKey) -> StaffDocument:
    """The document, if ``signature`` verifies against the pinned key and its shape is right."""
    if not signature:
        raise StaffDocumentError("credential document carries no signature")
    try:
        raw = base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise StaffDocumentError("credential signature is not base64") from exc
    try:
        key.verify(raw, SIGNING_CONTEXT + data)
    except InvalidSignature as exc:
        raise StaffDocumentError("credential signature does not verify") from exc
    return parse_document(data)


def read_new_pin(
    stdin: TextIO | None = None, prompt: Callable[[str], str] = getpass.getpass
) -> str:
    """A new PIN typed twice: at a hidden prompt on a terminal, else two lines of stdin.

    Never from the command line, which any user sees in ``ps``. Raises PinPolicyError.
    """
    stream = sys.stdin if stdin is None else stdin
    if stream.isatty():
        first, second = prompt("New PIN: "), prompt("The same PIN again: ")
    else:
        first, second = stream.readline().strip(), stream.readline().strip()
    if first != second:
        raise PinPolicyError("the two PINs differ")
    check_pin(first)
    return first
