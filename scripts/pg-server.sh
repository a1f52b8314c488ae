#!/usr/bin/env bash
# Start (or reuse) a throwaway PostgreSQL server for tests and benchmarks, from Debian's packages.
# Prints the DATABASE_URL on stdout. Usage: scripts/pg-server.sh [start|stop] [port]
# PGTEST_DIR: the data directory (default /tmp/jz-pg-PORT); PGTEST_OPTS: more server settings ("-c name=value ...").
set -euo pipefail
cmd=${1:-start}
port=${2:-${PGTEST_PORT:-54329}}
dir=${PGTEST_DIR:-/tmp/jz-pg-$port}
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ]; then
  echo "PostgreSQL server binaries not found: apt-get install -y postgresql" >&2
  exit 1
fi
as_pg() {   # initdb and postgres refuse to run as root
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
  stop)
    [ -d "$dir" ] && as_pg "$bindir/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
    exit 0 ;;
  start) ;;
  *) echo "usage: $0 [start|stop] [port]" >&2; exit 2 ;;
esac
if ! as_pg "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" 2>/dev/null; then
  if [ ! -f "$dir/PG_VERSION" ]; then
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    as_pg "$bindir/initdb" -D "$dir" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  fi
  as_pg "$bindir/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=512MB ${PGTEST_OPTS:-}" \
    start >/dev/null
fi
echo "postgresql://postgres@127.0.0.1:$port/postgres"
