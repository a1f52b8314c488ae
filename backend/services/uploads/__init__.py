"""Uploaded files judged by their content, not their name or magic bytes: proof files of applications
(PDF, JPEG, PNG) and the registry's photos and signatures, within fixed limits of size, pixels and time.
"""
