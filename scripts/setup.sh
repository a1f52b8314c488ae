#!/usr/bin/env bash
# Set up a fresh Debian machine for the app (and, with --dev, for the tests): Debian packages where
# missing, a virtual environment in .venv/ and the Python dependencies. Idempotent and quick when done.
set -euo pipefail
cd "$(dirname "$0")/.."
DEV=0; [ "${1:-}" = "--dev" ] && DEV=1
PY=${PYTHON:-python3}

SUDO=""
if [ "$(id -u)" != 0 ]; then command -v sudo >/dev/null && SUDO="sudo"; fi
apt_updated=0
apt_install() {   # install Debian packages that are not installed yet
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo ">> apt-get install ${missing[*]}" >&2
  if [ $apt_updated = 0 ]; then $SUDO apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

"$PY" -c 'import sys; assert sys.version_info >= (3, 11), sys.version' \
  || { echo "Python 3.11 or newer is needed" >&2; exit 1; }
if ! "$PY" -c 'import venv, ensurepip' 2>/dev/null; then apt_install python3-venv; fi
ldconfig -p 2>/dev/null | grep -q 'libzbar\.so\.0' || apt_install libzbar0
command -v redis-server >/dev/null || apt_install redis-server   # scripts/run.sh: rate-limit counters for all workers
# the certificate PDF's fonts (TrueType, embedded as subsets): WenQuanYi Micro Hei, Droid Sans Fallback behind it
apt_install fonts-wqy-microhei fonts-droid-fallback
if [ $DEV = 1 ]; then
  # poppler-utils, libnss3-tools: pdffonts, and pdfsig with an NSS store trusting the demo CA (a PDF reader's check)
  apt_install postgresql chromium chromium-driver fonts-noto-cjk poppler-utils libnss3-tools
fi

[ -x .venv/bin/python ] || "$PY" -m venv .venv
# The lock files (scripts/lock.sh makes them from requirements*.txt): every package pinned, with its hashes, the
# same set the image installs. requirements-dev.lock holds the runtime's pins too.
hash="$(cat requirements.lock requirements-dev.lock pyproject.toml | sha256sum | cut -c1-16)"
want="$hash-$DEV" have="$(cat .venv/.installed 2>/dev/null || true)"
if [ "$have" != "$want" ] && [ "$have" != "$hash-1" ]; then     # a dev install has the runtime's too
  .venv/bin/python -m pip install -q --upgrade pip
  lock=requirements.lock; [ $DEV = 1 ] && lock=requirements-dev.lock
  .venv/bin/pip install -q --require-hashes -r "$lock"
  .venv/bin/pip install -q --no-deps -e .
  echo "$want" > .venv/.installed
fi
