"""A CUPS filter for the cups-pdf test queue: the kiosk's PDF wrapped as PostScript.

cups-pdf takes PostScript only (it skips everything before ``%!``) and gives it to
Ghostscript's pdfwrite. Converting the proof with pdftops or ps2write loses the fonts'
ToUnicode maps, so the Chinese text of the printed PDF could not be read back. This filter
writes a small PostScript program that carries the PDF itself (hex-encoded) and runs it with
Ghostscript's ``runpdf``: the printed PDF is rebuilt from the original, text and all. It is a
Ghostscript-only PostScript, which is what cups-pdf runs; a real PostScript printer would not
take it, and a kiosk never uses it (its queue is the hall's printer).

Standard library only: cupsd runs it as ``filter job user title copies options [file]``.
"""

from __future__ import annotations

import binascii
import sys
from typing import BinaryIO

HEAD = (b"%!PS-Adobe-3.0\n%%EndComments\n"
        b"/KioskPDF currentfile /ASCIIHexDecode filter /ReusableStreamDecode filter\n")
TAIL = b">\ndef KioskPDF runpdf\n%%EOF\n"


def wrap(pdf: bytes, out: BinaryIO) -> None:
    if not pdf.startswith(b"%PDF-"):
        raise ValueError("the document is not a PDF")
    out.write(HEAD)
    text = binascii.hexlify(pdf)
    for start in range(0, len(text), 128):
        out.write(text[start:start + 128] + b"\n")
    out.write(TAIL)


def main(argv: list[str]) -> int:
    if len(argv) not in (6, 7):
        sys.stderr.write("ERROR: usage: unicode_pdftops job user title copies options [file]\n")
        return 1
    if len(argv) == 7:
        with open(argv[6], "rb") as source:
            pdf = source.read()
    else:
        pdf = sys.stdin.buffer.read()
    try:
        wrap(pdf, sys.stdout.buffer)
    except ValueError as problem:
        sys.stderr.write(f"ERROR: {problem}\n")
        return 1
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
