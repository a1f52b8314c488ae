"""The registry: persons (with their photo and signature images), enterprises, registrations by specialty with
their own validity, qualifications, and every change to them (each audited; a change of employer, name or
specialties supersedes earlier copies). Every error it raises is in errors.py.
"""
