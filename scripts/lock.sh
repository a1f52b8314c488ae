#!/usr/bin/env bash
# Regenerate the lock files from the pinned ranges: requirements.txt -> requirements.lock (what the image and
# scripts/setup.sh install, every package pinned with its hashes), requirements-dev.txt -> requirements-dev.lock
# (the tests' tools, constrained to the runtime lock so both agree). pip-tools runs in a throwaway venv; pip's
# index settings are the machine's own (pip.conf, PIP_* variables). Commit the two .lock files.
# Usage: scripts/lock.sh [--upgrade] [--upgrade-package NAME ...]    (other arguments go to pip-compile)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
"$PY" -c 'import sys; assert sys.version_info[:2] == (3, 11), sys.version' \
  || { echo "lock with Python 3.11, the image's version" >&2; exit 1; }
tools=${LOCK_VENV:-${TMPDIR:-/tmp}/jz-pip-tools}
if [ ! -x "$tools/bin/pip-compile" ]; then
  "$PY" -m venv "$tools"
  "$tools/bin/pip" install -q 'pip-tools>=7.4,<8'
fi
common=(--quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
        --no-emit-trusted-host --annotate --header)
export CUSTOM_COMPILE_COMMAND="scripts/lock.sh"
"$tools/bin/pip-compile" "${common[@]}" "$@" --output-file requirements.lock requirements.txt
# the dev lock takes the runtime lock's versions as constraints (pip-tools' layered workflow)
printf -- '-c requirements.lock\n-r requirements-dev.txt\n' > .requirements-dev.in
trap 'rm -f .requirements-dev.in' EXIT
"$tools/bin/pip-compile" "${common[@]}" "$@" --output-file requirements-dev.lock .requirements-dev.in
echo "requirements.lock: $(grep -c '^[a-z0-9]' requirements.lock) packages; requirements-dev.lock: $(grep -c '^[a-z0-9]' requirements-dev.lock)" >&2
