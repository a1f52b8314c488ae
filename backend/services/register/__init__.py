"""The register as the authority reads it (issue 13): search by name, ID number, registration or seal number,
copy identifier or employer, with filters and honest totals (`search.py`), and the dossiers of a person and
of an enterprise with everything that touched them (`dossiers.py`, the audit trail in `trail.py`).

Full data: only authority staff reach these functions (backend/api/admin_register.py). Read only: acting on
a record is backend.services.authority's."""
