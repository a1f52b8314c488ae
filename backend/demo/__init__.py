"""Synthetic demo data, kept apart from the business rules: a fast seeder for up to millions of persons
(seed.py, rows.py, numbers.py, vocab.py), one sample copy per verdict and the demo logins (samples.py), and
the first start of the embedded default (first_start.py).
"""
