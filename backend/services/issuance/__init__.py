"""Issuance: electronic copies (加注件) of a registration certificate with their signed token and QR code, who
may have them, the signed status list for offline verification, and the printable certificate PDF. Every error
it raises is in errors.py.
"""
