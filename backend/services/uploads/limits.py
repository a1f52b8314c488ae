"""What uploads may be: their types and the limits of the checks (checks.py), in one place."""
from __future__ import annotations

PDF = "application/pdf"
PROOF_TYPES = (PDF, "image/jpeg", "image/png")
PHOTO_TYPES = ("image/jpeg", "image/png")
LABELS = {PDF: "PDF", "image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WebP"}
PROOF_MAX_PIXELS = 50_000_000
PROOF_MIN_SIDE = 300
DECODE_BUDGET = 80 * 1024 * 1024   # bytes an image check may hold at once
CHECK_PIXELS = 4_000_000           # a JPEG is checked decoded at a scale that gives at most this many pixels
PDF_MAX_PAGES = 500
PDF_SECONDS = 4                    # wall time of the child, start-up (~0.2 s) included
