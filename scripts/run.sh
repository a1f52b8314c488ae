#!/usr/bin/env bash
# Set everything up and serve the app on the embedded default: SQLite under instance/, signing keys
# and 10,000 demo registrations made on first start. http://127.0.0.1:5000
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export FLASK_APP=backend
inst=${INSTANCE_PATH:-$PWD/instance}
mkdir -p "$inst"
redis_pid="" app_pid="" sock=""

stop() {   # on exit, Ctrl-C or TERM: the app first (graceful), then its Redis
  trap - EXIT INT TERM
  if [ -n "$app_pid" ]; then kill -TERM "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; fi
  if [ -n "$redis_pid" ]; then kill -TERM "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true; fi
  [ -n "$sock" ] && rm -f "$sock"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Rate limits (lookups, logins, verifications) must hold for the whole server, not per worker: the workers
# count in a Redis of their own on a unix socket under instance/ (no TCP port, no persistence), started and
# stopped with the app. A REDIS_URL given by the user is used instead.
if [ -z "${REDIS_URL:-}" ]; then
  sock="$inst/redis.sock"
  if redis-cli -s "$sock" ping >/dev/null 2>&1; then
    echo ">> $sock 已有 Redis 在运行:该实例已启动? / a Redis already answers there: is this instance running already?" >&2
    sock=""; exit 1
  fi
  redis-server --port 0 --unixsocket "$sock" --unixsocketperm 700 --save "" --appendonly no \
    --dir "$inst" --logfile "$inst/redis.log" &
  redis_pid=$!
  for _ in $(seq 100); do
    redis-cli -s "$sock" ping 2>/dev/null | grep -q PONG && break
    kill -0 "$redis_pid" 2>/dev/null || { echo ">> redis-server 未能启动 / did not start: $inst/redis.log" >&2; exit 1; }
    sleep 0.05
  done
  export REDIS_URL="unix://$sock"
fi

echo ">> 首次启动会创建数据库、签名密钥和演示数据 / first start creates the database, keys and demo data" >&2
echo ">> 打开 / open http://${HOST:-127.0.0.1}:${PORT:-5000}  (API 文档 / docs: /api/docs; 演示样例与登录 / samples and logins: instance/demo-samples.json)" >&2
# Without PUBLIC_BASE_URL the links in QR codes and PDFs follow the address gunicorn binds (gunicorn_conf.py).
if [ -z "${PUBLIC_BASE_URL:-}" ]; then
  echo ">> 二维码链接跟随绑定的端口;手机扫码请设 PUBLIC_BASE_URL=http://<本机局域网地址>:${PORT:-5000} / QR links follow the bound port; for phones set PUBLIC_BASE_URL to this machine's LAN address" >&2
fi
# gunicorn, as in production: 2 worker processes; the first to start does the first-start work under a
# file lock, the other waits for it. `flask --app backend run` serves the same app on the same defaults
# (with in-memory rate-limit counters: one process). No gunicorn access log: it would write query strings
# (`/lookup?q=<name>`); the app logs one line per request itself, with its path and request id.
.venv/bin/gunicorn -c python:backend.gunicorn_conf --workers "${WORKERS:-2}" --threads 4 --timeout 300 \
  --bind "${HOST:-127.0.0.1}:${PORT:-5000}" "$@" 'backend:create_app()' &
app_pid=$!
status=0
wait "$app_pid" || status=$?
app_pid=""
exit "$status"
