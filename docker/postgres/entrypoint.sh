#!/bin/bash
# First start (an empty PGDATA): initdb, then the role POSTGRES_USER with POSTGRES_PASSWORD (or the file named
# by POSTGRES_PASSWORD_FILE) owning the database POSTGRES_DB. Every start: postgres in the foreground with
# /etc/postgresql/jianzheng.conf, listening on PGPORT. `health`: ready for the app's role and database.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
if [ "${1:-}" = health ]; then
  exec "$bin/pg_isready" -q -h 127.0.0.1 -p "$PGPORT" -U "$POSTGRES_USER" -d "$POSTGRES_DB"
fi
password=${POSTGRES_PASSWORD:-}
if [ -z "$password" ] && [ -n "${POSTGRES_PASSWORD_FILE:-}" ]; then password=$(cat "$POSTGRES_PASSWORD_FILE"); fi
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  [ -n "$password" ] || { echo "POSTGRES_PASSWORD (or POSTGRES_PASSWORD_FILE) is not set: the first start needs it" >&2; exit 1; }
  echo ">> initdb $PGDATA" >&2
  "$bin/initdb" -D "$PGDATA" -U postgres --auth-local=peer --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 \
    --data-checksums >/dev/null
  # the app's role may not create roles or databases; its password never appears on a command line
  "$bin/pg_ctl" -D "$PGDATA" -w -o "-c listen_addresses='' -c unix_socket_directories=/run/postgresql" start >/dev/null
  "$bin/psql" -h /run/postgresql -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
    -v user="$POSTGRES_USER" -v db="$POSTGRES_DB" -v pw="$password" <<'SQL'
SET password_encryption = 'scram-sha-256';
CREATE ROLE :"user" LOGIN PASSWORD :'pw';
CREATE DATABASE :"db" OWNER :"user" ENCODING 'UTF8' TEMPLATE template0;
SQL
  "$bin/pg_ctl" -D "$PGDATA" -w -m fast stop >/dev/null
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
fi
# the image's settings (docker/postgres/jianzheng.conf) after the cluster's own; `-c` arguments win over both
grep -q '^include_if_exists = .*/etc/postgresql/jianzheng.conf' "$PGDATA/postgresql.conf" \
  || echo "include_if_exists = '/etc/postgresql/jianzheng.conf'" >> "$PGDATA/postgresql.conf"
exec "$bin/postgres" -D "$PGDATA" -p "$PGPORT" "$@"
