#!/usr/bin/env bash
# Set everything up (Debian packages, venv, a throwaway PostgreSQL server) and run the test suite twice:
# on SQLite, then on PostgreSQL. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev
pg_url=$(scripts/pg-server.sh start)
trap 'scripts/pg-server.sh stop' EXIT
export PYTHONDONTWRITEBYTECODE=1
status=0
echo "== tests on SQLite ==" >&2
.venv/bin/python -m pytest -q "$@" || status=$?
echo "== tests on PostgreSQL ($pg_url) ==" >&2
TEST_DATABASE_URL="$pg_url" .venv/bin/python -m pytest -q -m "not e2e" "$@" || status=$?
exit $status
