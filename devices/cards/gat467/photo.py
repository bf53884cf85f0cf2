"""The card photo: 1,024 bytes of WLT data that only a licensed vendor library can decode.

The kiosk keeps those bytes opaque and asks a PhotoDecoder for an image. No decoder ships with
the project (the WLT codec is not public), so NullPhotoDecoder is the default: no image, and the
read goes on. A deployment with a vendor library wraps it in a class with the same ``decode``.
"""

from __future__ import annotations

import logging
from typing import Protocol

log = logging.getLogger(__name__)


class PhotoDecoder(Protocol):
    """Turns WLT bytes into image bytes Qt can load (BMP, PNG, JPEG), or None."""

    name: str

    def decode(self, wlt: bytes) -> bytes | None: ...


class NullPhotoDecoder:
    """Decodes nothing: the photo stays as the card gave it."""

    name = "none"

    def decode(self, wlt: bytes) -> bytes | None:
        return None


def decode_photo(decoder: PhotoDecoder, wlt: bytes) -> bytes | None:
    """A failing decoder costs the image, never the read."""
    try:
        return decoder.decode(wlt)
    except Exception:
        log.warning("photo decoder %s failed; continuing without the image", decoder.name)
        return None
