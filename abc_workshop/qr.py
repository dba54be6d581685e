"""QR codes for the join link, as PNG bytes (segno writes PNG without Pillow)."""

from __future__ import annotations

import io

import segno


def qr_png(url: str, scale: int = 10) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=scale, border=2, dark="#111111")
    return buffer.getvalue()
