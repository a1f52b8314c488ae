"""Site checks (issue 14): what each role on a construction site needs, as data (backend/data/roles.json, read
and checked by `roles.py`), a person's verified certificates evaluated against a role (`evaluate.py`, mirrored in
pwa/js/sitecheck/roles.js for the inspector's app offline; tests/data/role_cases.json holds both to the same
answers), and the inspector's signed inspection record (`inspections.py`, its token `record_token.py`, its PDF and
CSV `record_files.py`). docs/site-checks.md describes the roles' format, the evaluation and the API.
"""
