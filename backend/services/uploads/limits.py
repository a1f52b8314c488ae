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

# 入库登记 (docs/onboarding.md): the holder's standard colour ID photo and handwritten signature image
ONBOARDING_MAX_BYTES = 5 * 1024 * 1024     # a phone camera's photo, as proof files
ONBOARDING_MAX_PIXELS = 50_000_000         # decoded at a reduced scale all the same (CHECK_PIXELS)
ONBOARDING_WORK_PIXELS = 4_000_000         # the rules work on a copy of at most this many pixels
PHOTO_MIN_SIZE = (358, 441)                # the national standard ID photo (二代证, 26 x 32 mm at 350 dpi)
PHOTO_SIZE = (358, 441)                    # every approved photo is this, cut to 358:441 about its centre
PHOTO_ASPECT = (0.60, 0.85)                # width / height: 2:3 (0.67), 1寸 and 2寸 (0.71), 3:4 (0.75), 358:441 (0.81)
PHOTO_MIN_COLOURFULNESS = 8.0              # Hasler and Süsstrunk's metric: 0 for grey, 15 "slightly colourful"
PHOTO_MIN_CONTRAST = 12.0                  # standard deviation of the luma: below it, one flat colour
PHOTO_LUMA = (40.0, 235.0)                 # mean luma: darker or brighter is a failed exposure
SIGNATURE_HEIGHT = 150                     # px of every approved signature image (15 mm on the PDF: 254 dpi)
SIGNATURE_MAX_WIDTH = 900                  # a wider one is scaled to this width
SIGNATURE_MIN_CONTRAST = 60.0              # grey levels between paper and ink (0-255, after the light is evened)
SIGNATURE_MIN_INK_HEIGHT = 40              # px of the upload: smaller ink is too small or too far away to keep
SIGNATURE_MIN_ASPECT = 1.0                 # width / height of the ink: written across, not down
SIGNATURE_MAX_COVERAGE = 0.25              # ink on at most a quarter of the picture...
SIGNATURE_MAX_DENSITY = 0.45               # ... and on less than half of its own box: else a photo, not a signature
SIGNATURE_MAX_PIECES = 150                 # separate marks: a page of text has hundreds
SIGNATURE_MAX_STROKE = 0.25                # pen width / ink height (99th percentile): a broad felt pen stays under 0.2
