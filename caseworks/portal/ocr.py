"""Reading a pay stub (issue 17): the net pay it shows, as a suggestion for the client to confirm.

Text comes from Debian's tools: `pdftotext` (poppler-utils) for a PDF with a text layer,
`pdftoppm` then `tesseract` (tesseract-ocr) for a scanned PDF, and `tesseract` for a photo. The
amount is only ever pre-filled in the form; nothing is recorded until the client sends it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from caseworks.core.money import parse_dollars_to_cents

TIMEOUT_SECONDS = 30
# "Net pay 1,234.56", "NET PAY: $1 234,56", "Salaire net 1 234,56 $", "Net amount $812.40"
_NET = re.compile(
    r"(?:net\s*(?:pay|amount|earnings)|salaire\s*net|paie\s*nette|montant\s*net)"
    r"[^0-9\n]{0,20}(\d{1,3}(?:[ ,.\u00a0\u202f]\d{3})*(?:[.,]\d{2}))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class StubReading:
    net_pay_cents: int | None
    text_found: bool


def _run(args: list[str], data: bytes | None = None) -> str:
    result = subprocess.run(  # noqa: S603  # fixed tool names, arguments we build
        args, input=data, capture_output=True, timeout=TIMEOUT_SECONDS, check=False
    )
    return result.stdout.decode("utf-8", "replace") if result.returncode == 0 else ""


def _tool(name: str) -> str | None:
    return shutil.which(name)


def _ocr_image(path: Path) -> str:
    tesseract = _tool("tesseract")
    if tesseract is None:
        return ""
    return _run([tesseract, str(path), "stdout", "-l", "eng"])


def stub_text(content: bytes, content_type: str) -> str:
    """The text of a pay stub (PDF, PNG or JPEG), '' when nothing can be read."""
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        if content_type == "application/pdf":
            source = work / "stub.pdf"
            source.write_bytes(content)
            pdftotext = _tool("pdftotext")
            text = _run([pdftotext, "-layout", str(source), "-"]) if pdftotext else ""
            if text.strip():
                return text
            pdftoppm = _tool("pdftoppm")
            if pdftoppm is None:
                return ""
            _run(
                [pdftoppm, "-r", "200", "-png", "-f", "1", "-l", "1", str(source), str(work / "p")]
            )
            pages = sorted(work.glob("p*.png"))
            return _ocr_image(pages[0]) if pages else ""
        suffix = ".png" if content_type == "image/png" else ".jpg"
        image = work / f"stub{suffix}"
        image.write_bytes(content)
        return _ocr_image(image)


def net_pay_cents(text: str) -> int | None:
    """The net pay on the stub, in cents, or None when no line says it."""
    match = _NET.search(text)
    if match is None:
        return None
    raw = match.group(1)
    whole, cents = raw[:-3], raw[-2:]
    digits = re.sub(r"\D", "", whole)
    return parse_dollars_to_cents(f"{int(digits or '0')}.{cents}")


def stub_read(content: bytes, content_type: str) -> StubReading:
    text = stub_text(content, content_type)
    return StubReading(net_pay_cents=net_pay_cents(text), text_found=bool(text.strip()))
