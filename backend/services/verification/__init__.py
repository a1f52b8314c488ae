"""Verification: from a scanned QR text (URL, packed URL or bare token) or a photo to one verdict with its
reasons and a status per specialty; what the public may see of the holder, and the short-lived photo link.
"""
