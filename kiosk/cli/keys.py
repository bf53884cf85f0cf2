"""``kiosk keys init|show`` and ``kiosk enroll``: this kiosk's key pair and its enrolment."""

from __future__ import annotations

import argparse
import sys

from kiosk.config import Config


def run(config: Config, args: argparse.Namespace) -> int:
    from kiosk.platform_link.enrolment import enrol, identity_dir, init_keys
    from sync.kiosk_keys import IdentityError, load_identity
    from sync.platform.errors import PlatformError

    try:
        if args.command == "keys":
            identity = init_keys(config) if args.action == "init" else load_identity(
                identity_dir(config)
            )
            print(f"kiosk {config.kiosk.id}\nkey id {identity.key_id}\n"
                  f"public key {identity.public_key_text}")
            return 0
        token = args.token or config.platform.enrolment_token
        if not token:
            print("enrolment needs a one-time token: kiosk enroll --token TOKEN",
                  file=sys.stderr)
            return 2
        keys = enrol(config, token)
    except (IdentityError, PlatformError, ValueError) as exc:
        print(f"{args.command} failed: {exc}", file=sys.stderr)
        return 1
    print(f"enrolled as {keys.kiosk_id}; pinned sealing key {keys.sealing_key_id} and "
          f"catalogue key {keys.catalogue_key_id}")
    return 0
