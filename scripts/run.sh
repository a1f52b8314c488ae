#!/usr/bin/env bash
# Set everything up and serve the app on the embedded default: SQLite under instance/, signing keys
# and 10,000 demo registrations made on first start. http://127.0.0.1:5000
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export FLASK_APP=backend
echo ">> 首次启动会创建数据库、签名密钥和演示数据 / first start creates the database, keys and demo data" >&2
echo ">> 打开 / open http://${HOST:-127.0.0.1}:${PORT:-5000}  (API 文档 / docs: /api/docs; 演示样例与登录 / samples and logins: instance/demo-samples.json)" >&2
# gunicorn, as in production: 2 worker processes; the first to start does the first-start work under a
# file lock, the other waits for it. `flask --app backend run` serves the same app on the same defaults.
exec .venv/bin/gunicorn --workers "${WORKERS:-2}" --threads 4 --timeout 300 --bind "${HOST:-127.0.0.1}:${PORT:-5000}" \
  --access-logfile - "$@" 'backend:create_app()'
