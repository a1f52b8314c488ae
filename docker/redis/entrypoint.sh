#!/bin/bash
# redis-server with its password from REDIS_PASSWORD or REDIS_PASSWORD_FILE (in a config file of mode 0600,
# never on the command line), port REDIS_PORT, snapshots in /data. `health`: PING answered.
set -euo pipefail
password=${REDIS_PASSWORD:-}
if [ -z "$password" ] && [ -n "${REDIS_PASSWORD_FILE:-}" ]; then password=$(cat "$REDIS_PASSWORD_FILE"); fi
[ -n "$password" ] || { echo "REDIS_PASSWORD (or REDIS_PASSWORD_FILE) is not set" >&2; exit 1; }
if [ "${1:-}" = health ]; then
  REDISCLI_AUTH="$password" redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping | grep -q PONG
  exit
fi
umask 077
cat > /run/redis/redis.conf <<CONF
bind $REDIS_BIND
port $REDIS_PORT
protected-mode no
requirepass "$password"
dir /data
# counters only (rate limits): a snapshot now and then is enough; no append-only file
save 300 1
appendonly no
maxmemory 256mb
maxmemory-policy volatile-ttl
CONF
exec redis-server /run/redis/redis.conf "$@"
