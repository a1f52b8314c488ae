"""Imports of the existing register: enterprises, persons, qualifications and registrations from a CSV (UTF-8
with or without BOM, or GB18030) or XLSX file in the documented templates (docs/import.md).

`templates` names each template's columns (a Chinese header with a stable English key); `reader` streams
a file's rows under its header; `rows` checks each row alone with the registry's own rules (check digits,
number formats, kinds and specialties, dates); `kinds_*` check each batch of rows against the database
(references, one employer per person) and write it (upsert by natural key, superseding copies where the
registry's rules say so, audited); `runner` drives a file through, batch by batch, with its progress in
import_batches; `report` makes the refused rows' report. Every error it raises is in errors.py.
"""
