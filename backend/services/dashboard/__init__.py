"""The province at a glance (概览): the whole register's numbers, aggregated in the database (GROUP BY in
SQL, never rows pulled into Python): registrations by kind, status and the employer's city; registrations
expiring soon; applications by type and state with the median decision time; 挂证 signals; copies issued
and verifications per day (`charts.py`); each chart's numbers as CSV (`export.py`); the persistent daily
count of verifications, batched in memory per process (`tally.py`); prefecture names (`regions.py`).
"""
