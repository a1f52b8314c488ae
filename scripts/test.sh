#!/usr/bin/env bash
# Set everything up (Debian packages, venv, a throwaway PostgreSQL server), then: ruff (0 findings), the test
# suite on SQLite (with the browser tests) and on PostgreSQL, and a short schemathesis pass over the API as
# every role. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev
pg_url=$(scripts/pg-server.sh start)
trap 'scripts/pg-server.sh stop' EXIT
export PYTHONDONTWRITEBYTECODE=1
status=0
echo "== ruff ==" >&2
.venv/bin/ruff check . || status=$?
echo "== tests on SQLite ==" >&2
.venv/bin/python -m pytest -q "$@" || status=$?
echo "== tests on PostgreSQL ($pg_url) ==" >&2
TEST_DATABASE_URL="$pg_url" .venv/bin/python -m pytest -q -m "not e2e" "$@" || status=$?
echo "== schemathesis: every operation as every role ==" >&2
.venv/bin/python scripts/api_fuzz.py --examples 5 || status=$?
exit $status
