"""``kiosk gallery OUTDIR``: the screens of a visit as PNG files (ui/gallery.py)."""

from __future__ import annotations

import argparse
import os
import sys


def _size(text: str) -> tuple[int, int]:
    width, _, height = text.lower().partition("x")
    return int(width), int(height)


def run_gallery(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no screen needed
    try:
        sizes = [_size(s) for s in args.size] if args.size else None
    except ValueError:
        print("--size takes WIDTHxHEIGHT, for example 1080x1920", file=sys.stderr)
        return 2
    from ui.gallery import LOCALES, MODES, SIZES, render_gallery  # the declared lazy import

    written = render_gallery(args.outdir, sizes or SIZES, args.locale or LOCALES,
                             args.mode or MODES)
    print(f"{len(written)} screens written under {args.outdir}")
    return 0
