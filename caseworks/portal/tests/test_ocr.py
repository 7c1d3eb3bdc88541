from __future__ import annotations

import io
import shutil

import pytest
from PIL import Image, ImageDraw, ImageFont

from caseworks.portal.ocr import net_pay_cents, stub_read


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("Gross pay 900.00\nNet pay 1,234.56\n", 123_456),
        ("NET PAY: $612.34", 61_234),
        ("Salaire net 1 234,56 $", 123_456),
        ("Paie nette : 812,40", 81_240),
        ("Hours 40", None),
    ],
)
def test_net_pay_cents_reads_english_and_french_stubs(text: str, cents: int | None) -> None:
    assert net_pay_cents(text) == cents


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract-ocr not installed")
def test_stub_read_finds_the_net_pay_on_a_photographed_stub() -> None:
    image = Image.new("RGB", (900, 300), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 40)
    draw.text((30, 40), "MAPLE BAKERY", fill="black", font=font)
    draw.text((30, 150), "Net pay 745.20", fill="black", font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    reading = stub_read(buffer.getvalue(), "image/png")
    assert reading.text_found
    assert reading.net_pay_cents == 74_520
