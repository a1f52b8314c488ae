#!/usr/bin/env bash
# Set everything up and serve the app on the embedded default: SQLite under instance/, signing keys
# and 10,000 demo registrations made on first start. http://127.0.0.1:5000
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export FLASK_APP=backend
echo ">> 首次启动会创建数据库、签名密钥和演示数据 / first start creates the database, keys and demo data" >&2
exec .venv/bin/flask --app backend run --host "${HOST:-127.0.0.1}" --port "${PORT:-5000}" "$@"
