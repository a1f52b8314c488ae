"""The business layer: one package per capability, plain functions that take a SQLAlchemy session and plain
values, and know nothing of Flask or HTTP (tests/test_architecture.py checks both).

    registry/       persons, enterprises, registrations and their changes, qualifications, photos
    issuance/       certificate copies (加注件) with their signed QR, the status list, the printable PDF
    verification/   a scanned QR text or photo -> a verdict with its reasons
    lookup/         the public lookup by name or number, masked and capped
    enterprise/     what an employer sees: roster, warnings, 挂证 signals, the daily digest, bulk checks
    workflows/      applications (申请) from draft to decision, their rules, effects, and the daily lapse job
    accounts/       accounts, logins with their lockout, access-token sessions
    uploads/        what an uploaded file is, checked by its content

Shared by all of them, at this level: errors (the base exception and its shape), clock (time and dates),
dates (the one date parser), settings (the issuer), kinds (the catalogue of certificate kinds), checkdigits,
masking, validation, conflicts (database integrity errors as 409s), row_locks (a row locked for a decision),
event_loops (synchronous calls that run asyncio inside) and audit (the hash-chained trail).
"""
