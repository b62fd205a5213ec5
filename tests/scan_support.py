"""Test support: a report's text laid out on A4 page images and wrapped as an image-only PDF (a "scan").

Needs Pillow and a CJK font (Debian fonts-noto-cjk, installed by .ci/run). The text of each page is known exactly,
so a test can say which indicators a page holds. Pages can be degraded like a flatbed scan (a slight rotation,
noise, JPEG). After scratch/ocr/make_scanned.py, which the OCR evaluation used.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFont

A4_INCH = (8.27, 11.69)
MARGIN_INCH = (0.94, 0.98)
FONTS = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),  # face 2: Simplified Chinese
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
)
NO_LINE_START = "，。、；：？！）》”’％%"


def cjk_font() -> tuple[str, int] | None:
    return next(((p, i) for p, i in FONTS if Path(p).exists()), None)


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: float, indent: float) -> list[str]:
    lines, cur, room = [], "", width - indent
    for ch in text:
        if cur and font.getlength(cur + ch) > room and ch not in NO_LINE_START:
            lines.append(cur)
            cur, room = "", width
        cur += ch
    return [*lines, cur] if cur else lines


def layout(text: str, dpi: int = 150, font_pt: float = 12.0) -> tuple[list[Image.Image], list[str]]:
    """Return the text on grey A4 page images (paragraphs indented two characters) and each page's text."""
    path, index = cjk_font()
    px = round(font_pt / 72 * dpi)
    font = ImageFont.truetype(path, px, index=index)
    width, height = round(A4_INCH[0] * dpi), round(A4_INCH[1] * dpi)
    mx, my = round(MARGIN_INCH[0] * dpi), round(MARGIN_INCH[1] * dpi)
    step = round(px * 1.6)
    pages: list[Image.Image] = []
    texts: list[list[str]] = []
    y = height
    for para in (p.strip() for p in text.splitlines()):
        for i, line in enumerate(_wrap(para, font, width - 2 * mx, 2 * px) if para else []):
            if y + step > height - my:
                pages.append(Image.new("L", (width, height), 255))
                texts.append([])
                y = my
            ImageDraw.Draw(pages[-1]).text((mx + (2 * px if i == 0 else 0), y), line, font=font, fill=0)
            texts[-1].append(line)
            y += step
    return pages, ["\n".join(t) for t in texts]


def degrade(page: Image.Image, angle: float = 0.5, noise: float = 12.0) -> Image.Image:
    """Return the page as a flatbed scan would: slightly rotated, with grain."""
    out = page.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
    return ImageChops.add(out, Image.effect_noise(out.size, noise), scale=1.0, offset=-128)


def image_pdf(pages: list[Image.Image], dpi: int = 150) -> bytes:
    """Return the pages as a PDF of JPEG images, with no text layer."""
    jpegs = []
    for page in pages:
        buf = io.BytesIO()
        page.convert("L").save(buf, "JPEG", quality=70)
        buf.seek(0)
        jpegs.append(Image.open(buf))  # Pillow embeds an opened JPEG as it is (DCTDecode)
    out = io.BytesIO()
    jpegs[0].save(out, "PDF", save_all=True, append_images=jpegs[1:], resolution=float(dpi))
    return out.getvalue()


def scanned_page(text: str, page: int, dpi: int = 150) -> tuple[bytes, str]:
    """Return page `page` (1-based) of the text as a degraded one-page scan, and the text on it."""
    pages, texts = layout(text, dpi)
    return image_pdf([degrade(pages[page - 1])], dpi), texts[page - 1]
