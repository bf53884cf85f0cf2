"""Kiosk software releases on the reference platform (updates without a visit, docs/updates.md).

``kiosk server release publish FILE --version V`` stores the artifact (the project's wheel, or
a wheelhouse tarball) with its manifest (version, sha256, size, file name, kind, time), signed
with the platform's catalogue key, the key every kiosk pinned at enrolment
(:mod:`sync.platform.releases`). The highest published version that is not withdrawn is the
one offered (``GET /v1/releases/offer``); ``release withdraw V`` stops offering one, ``release
list`` shows them. Artifacts live in the platform database like catalogues do: fine for the
reference platform's wheel of about a megabyte; a production platform with wheelhouses of
hundreds of megabytes would serve them from object storage behind the same two routes.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import (
    Boolean,
    Column,
    Engine,
    Float,
    Integer,
    LargeBinary,
    String,
    Table,
    insert,
    select,
    update,
)

from sync.file_modes import private_directory
from sync.platform.releases import (
    RELEASE_ARTIFACT_PATH,
    RELEASE_OFFER_PATH,
    ReleaseError,
    ReleaseManifest,
    is_newer,
    kind_of,
    parse_version,
    sign_manifest,
)
from sync.platform.signing import REASON_MISSING, ed25519_key_id
from sync.server.auth import AUTH_RESPONSES, AuthenticatedKiosk, AuthRefusedError
from sync.server.schema import metadata

RELEASE_COMMAND = "release"

releases = Table(
    "releases",
    metadata,
    Column("version", String(32), primary_key=True),
    Column("manifest", LargeBinary, nullable=False),  # the exact signed bytes
    Column("signature", String(128), nullable=False),
    Column("key_id", String(16), nullable=False),
    Column("artifact", LargeBinary, nullable=False),
    Column("size", Integer, nullable=False),
    Column("withdrawn", Boolean, nullable=False, default=False),
    Column("published_at", Float, nullable=False),
)


@dataclass(frozen=True)
class PublishedRelease:
    manifest: ReleaseManifest
    key_id: str
    changed: bool


def publish_release(
    engine: Engine,
    data: bytes,
    filename: str,
    version: str,
    key: Ed25519PrivateKey,
    *,
    clock: Callable[[], float] = time.time,
) -> PublishedRelease:
    """Sign and store one release. The same bytes again: unchanged; other bytes under a version
    already published: refused (a version names one artifact for ever)."""
    try:
        parse_version(version)
    except ValueError as exc:
        raise ReleaseError(str(exc)) from exc
    kind = kind_of(filename)
    if not data:
        raise ReleaseError(f"{filename} is empty")
    digest = hashlib.sha256(data).hexdigest()
    with engine.begin() as conn:
        row = conn.execute(select(releases.c.manifest, releases.c.key_id, releases.c.withdrawn)
                           .where(releases.c.version == version)).first()
        if row is not None:
            from sync.platform.releases import parse_manifest

            old = parse_manifest(row.manifest)
            if old.sha256 != digest:
                raise ReleaseError(f"version {version} is already published with other bytes "
                                   f"(sha256 {old.sha256[:16]}); publish a new version")
            if row.withdrawn:
                conn.execute(update(releases).where(releases.c.version == version)
                             .values(withdrawn=False))
            return PublishedRelease(old, row.key_id, changed=bool(row.withdrawn))
        manifest = ReleaseManifest(version, digest, len(data), Path(filename).name, kind,
                                   round(clock(), 3))
        body, signature = sign_manifest(manifest, key)
        key_id = ed25519_key_id(key.public_key())
        conn.execute(insert(releases).values(
            version=version, manifest=body, signature=signature, key_id=key_id,
            artifact=data, size=len(data), withdrawn=False, published_at=clock()))
    return PublishedRelease(manifest, key_id, changed=True)


def offered_version(engine: Engine) -> str | None:
    """The highest version published and not withdrawn."""
    with engine.connect() as conn:
        versions = [r.version for r in conn.execute(
            select(releases.c.version).where(releases.c.withdrawn.is_(False)))]
    best: str | None = None
    for version in versions:
        if best is None or is_newer(version, best):
            best = version
    return best


def withdraw_release(engine: Engine, version: str) -> bool:
    with engine.begin() as conn:
        done = conn.execute(update(releases).where(releases.c.version == version)
                            .values(withdrawn=True))
    return bool(done.rowcount)


class ReleaseOfferReply(BaseModel):
    manifest: str = Field(description="Base64 of the manifest's exact bytes (JSON, "
                          "format civic-kiosk-release-v1)")
    signature: str = Field(description="Base64 Ed25519 signature over those bytes by the "
                           "catalogue key the kiosk pinned at enrolment")
    key_id: str


def releases_router(engine: Engine, catalogue_key: Ed25519PrivateKey | None) -> APIRouter:
    """``GET /v1/releases/offer`` and ``GET /v1/releases/{version}/artifact``, both signed."""
    router = APIRouter()
    serving_kid = ed25519_key_id(catalogue_key.public_key()) if catalogue_key else None

    def require_kiosk(kiosk: str | None) -> None:
        if kiosk is None:
            raise AuthRefusedError(401, REASON_MISSING, "this endpoint needs a signed request")

    @router.get(RELEASE_OFFER_PATH, response_model=ReleaseOfferReply,
                responses={**AUTH_RESPONSES, 404: {"description": "No release offered"}})
    def offer(kiosk: AuthenticatedKiosk) -> Any:
        """The release kiosks should run: its signed manifest. Signed."""
        require_kiosk(kiosk)
        version = offered_version(engine)
        if version is None:
            return JSONResponse({"detail": "no release offered"}, status_code=404)
        with engine.connect() as conn:
            row = conn.execute(select(releases.c.manifest, releases.c.signature,
                                      releases.c.key_id)
                               .where(releases.c.version == version)).one()
        signature, key_id = row.signature, row.key_id
        if catalogue_key is not None and key_id != serving_kid:  # the key was rotated since
            _, signature = _resign(row.manifest, catalogue_key)
            key_id = serving_kid
        import base64

        return ReleaseOfferReply(manifest=base64.b64encode(row.manifest).decode("ascii"),
                                 signature=signature, key_id=str(key_id))

    @router.get(RELEASE_ARTIFACT_PATH, responses={
        **AUTH_RESPONSES,
        200: {"description": "The artifact's bytes",
              "content": {"application/octet-stream": {"schema": {"type": "string",
                                                                  "format": "binary"}}}},
        404: {"description": "No such release"}})
    def artifact(version: str, kiosk: AuthenticatedKiosk) -> Response:
        """A published release's artifact (also a withdrawn one, for a kiosk mid-download)."""
        require_kiosk(kiosk)
        with engine.connect() as conn:
            row = conn.execute(select(releases.c.artifact).where(
                releases.c.version == version)).first()
        if row is None:
            return JSONResponse({"detail": "no such release"}, status_code=404)
        return Response(content=row.artifact, media_type="application/octet-stream")

    return router


def _resign(manifest: bytes, key: Ed25519PrivateKey) -> tuple[bytes, str]:
    import base64

    return manifest, base64.b64encode(key.sign(manifest)).decode("ascii")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk server release",
                                     description="Kiosk software releases offered to kiosks.")
    commands = parser.add_subparsers(dest="action", required=True)

    def common(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument("--data-dir", type=Path, required=True, help="keys and database")
        sub.add_argument("--database-url", default=None, help="SQLAlchemy URL (default SQLite)")
        return sub

    publish = common(commands.add_parser("publish", help="sign and offer a release"))
    publish.add_argument("file", type=Path, help="the wheel (.whl) or wheelhouse (.tar.gz)")
    publish.add_argument("--version", required=True, help="its version, e.g. 0.1.2")
    common(commands.add_parser("list", help="every release and which one is offered"))
    withdraw = common(commands.add_parser("withdraw", help="stop offering a release"))
    withdraw.add_argument("version")
    return parser


def run_release_admin(argv: list[str], default_url: Callable[[Path], str]) -> int:
    """``kiosk server release publish|list|withdraw``; 0 done, 1 refused, 2 bad usage."""
    from sync.server.db import create_schema, make_engine
    from sync.server.keys import load_or_create_catalogue_key

    args = _parser().parse_args(argv)
    private_directory(args.data_dir)
    engine = make_engine(args.database_url or default_url(args.data_dir))
    try:
        create_schema(engine, metadata)
        if args.action == "publish":
            try:
                data = args.file.read_bytes()
                key = load_or_create_catalogue_key(args.data_dir)
                done = publish_release(engine, data, args.file.name, args.version, key)
            except (OSError, ReleaseError) as exc:
                sys.stderr.write(f"cannot publish {args.file}: {exc}\n")
                return 1
            m = done.manifest
            state = "published" if done.changed else "already published"
            sys.stdout.write(f"release {m.version} {state} ({m.kind}, {m.size} bytes, sha256 "
                             f"{m.sha256[:16]}, signed by {done.key_id})\n")
            offered = offered_version(engine)
            if offered != m.version:
                sys.stdout.write(f"note: {offered} is newer and stays the one offered\n")
            return 0
        if args.action == "withdraw":
            if not withdraw_release(engine, args.version):
                sys.stderr.write(f"no release {args.version}\n")
                return 1
            sys.stdout.write(f"release {args.version} withdrawn; offered now: "
                             f"{offered_version(engine) or 'none'}\n")
            return 0
        offered = offered_version(engine)
        with engine.connect() as conn:
            rows = list(conn.execute(select(releases.c.version, releases.c.size,
                                            releases.c.withdrawn, releases.c.published_at)))
        if not rows:
            sys.stdout.write("no release published\n")
        for row in sorted(rows, key=lambda r: parse_version(r.version)):
            mark = "offered" if row.version == offered else (
                "withdrawn" if row.withdrawn else "")
            sys.stdout.write(f"{row.version}\t{row.size} bytes\t{mark}\n")
        return 0
    finally:
        engine.dispose()
