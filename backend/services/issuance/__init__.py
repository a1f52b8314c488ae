"""Issuance: electronic copies (加注件) of a registration certificate with their signed token and QR code, the
signed status list for offline verification, and the printable certificate PDF.
"""
