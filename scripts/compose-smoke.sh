#!/usr/bin/env bash
# The production shape, proven: installs the Docker engine if missing (Debian's docker.io, docker-compose,
# debootstrap) and starts it if it is not running, builds the local Debian base (scripts/docker-base.sh, cached
# by a content key) and the four images, brings the compose stack up (nginx, two app replicas, migrate,
# PostgreSQL, Redis) with throwaway secrets, and runs the checks of scripts/compose_smoke.py through the proxy
# and on each replica. Prints its figures; exits non-zero on any failure. Removes the stack and its volumes at
# the end (KEEP=1 keeps them) and stops a Docker daemon it started. Run as root (CI does).
#   scripts/compose-smoke.sh
set -euo pipefail
cd "$(dirname "$0")/.."
t_start=$(date +%s)
say() { echo ">> $*" >&2; }
[ "$(id -u)" = 0 ] || { echo "run as root: it installs and starts the Docker engine" >&2; exit 2; }

# --- the engine ------------------------------------------------------------------------------------------
missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if ! command -v docker-compose >/dev/null && ! docker compose version >/dev/null 2>&1; then missing+=(docker-compose); fi
if [ ${#missing[@]} -gt 0 ]; then
  say "apt-get install ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian's client (BuildKit built in) rather than any other docker on the PATH
DOCKER=docker
[ -x /usr/bin/docker ] && DOCKER=/usr/bin/docker
export DOCKER
if docker compose version >/dev/null 2>&1; then COMPOSE_BIN=(docker compose); else COMPOSE_BIN=(docker-compose); fi

dockerd_pid=""
if ! "$DOCKER" info >/dev/null 2>&1; then
  say "starting dockerd (vfs storage, host network only)"
  dockerd_log=$(mktemp /tmp/jz-dockerd.XXXXXX.log)
  setsid dockerd --storage-driver=vfs --iptables=false --bridge=none >"$dockerd_log" 2>&1 &
  dockerd_pid=$!
  for _ in $(seq 120); do "$DOCKER" info >/dev/null 2>&1 && break; sleep 0.5; done
  "$DOCKER" info >/dev/null 2>&1 || { tail -n 30 "$dockerd_log" >&2; exit 1; }
fi

# --- the stack's settings: throwaway secrets, ports of its own ----------------------------------------------
project=jzsmoke
envfile=$(mktemp /tmp/jz-smoke-env.XXXXXX)
hex() { python3 -c 'import secrets; print(secrets.token_hex(32))'; }
admin=$(hex)
cat > "$envfile" <<EOF
POSTGRES_PASSWORD=$(hex)
REDIS_PASSWORD=$(hex)
SECRET_KEY=$(hex)
AUTH_SECRET=$(hex)
ADMIN_TOKEN=$admin
PDF_DEMO_CA=1
ISSUER_USCC=11100000000013338W
ISSUER_NAME=建证冒烟测试发证机关
JZ_TAG=smoke
JZ_HTTP_PORT=${JZ_HTTP_PORT:-18080}
JZ_APP1_PORT=${JZ_APP1_PORT:-18001}
JZ_APP2_PORT=${JZ_APP2_PORT:-18002}
JZ_PG_PORT=${JZ_PG_PORT:-15432}
JZ_REDIS_PORT=${JZ_REDIS_PORT:-16379}
PUBLIC_BASE_URL=http://127.0.0.1:${JZ_HTTP_PORT:-18080}
WEB_CONCURRENCY=2
EOF
set -a; . "$envfile"; set +a
compose=("${COMPOSE_BIN[@]}" -p "$project" --env-file "$envfile")

cleanup() {
  local rc=$?
  trap - EXIT
  if [ "${KEEP:-0}" != 1 ]; then
    "${compose[@]}" down -v --remove-orphans >/dev/null 2>&1 || true
  else
    say "KEEP=1: the stack stays up ($(printf '%q ' "${compose[@]}"))"
  fi
  rm -f "$envfile"
  if [ -n "$dockerd_pid" ] && [ "${KEEP:-0}" != 1 ]; then
    kill "$dockerd_pid" 2>/dev/null || true
    wait "$dockerd_pid" 2>/dev/null || true
  fi
  say "compose smoke: $([ $rc = 0 ] && echo passed || echo FAILED) in $(( $(date +%s) - t_start )) s"
  exit $rc
}
trap cleanup EXIT

"${compose[@]}" down -v --remove-orphans >/dev/null 2>&1 || true     # what an interrupted run left
for port in "$JZ_HTTP_PORT" "$JZ_APP1_PORT" "$JZ_APP2_PORT" "$JZ_PG_PORT" "$JZ_REDIS_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port is in use: set JZ_HTTP_PORT, JZ_APP1_PORT, ... to free ones" >&2; exit 1
  fi
done

# --- images --------------------------------------------------------------------------------------------
t0=$(date +%s)
base=$(scripts/docker-base.sh)
t_base=$(( $(date +%s) - t0 ))
# The package indexes as this machine reaches them: its CA bundle (a BuildKit secret, never in a layer) and
# pip's index setting, read here at run time.
build=("$DOCKER" build --network host --progress plain)
[ -s /etc/ssl/certs/ca-certificates.crt ] && build+=(--secret id=cacert,src=/etc/ssl/certs/ca-certificates.crt)
pip_index=${PIP_INDEX_URL:-$(python3 -m pip config get global.index-url 2>/dev/null || true)}
t0=$(date +%s)
buildlog=$(mktemp /tmp/jz-smoke-build.XXXXXX.log)
for img in app nginx postgres redis; do
  file=Dockerfile; [ $img = app ] || file=docker/$img/Dockerfile
  args=(--build-arg "BASE=$base")
  [ $img = app ] && [ -n "$pip_index" ] && args+=(--build-arg "PIP_INDEX_URL=$pip_index")
  say "docker build jianzheng-$img:$JZ_TAG"
  if ! DOCKER_BUILDKIT=1 "${build[@]}" "${args[@]}" -f "$file" -t "jianzheng-$img:$JZ_TAG" . >"$buildlog" 2>&1; then
    tail -n 40 "$buildlog" >&2; exit 1
  fi
done
rm -f "$buildlog"
t_images=$(( $(date +%s) - t0 ))
say "images: $("$DOCKER" images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep ":$JZ_TAG " | tr '\n' ' ')"

# --- up, checks ----------------------------------------------------------------------------------------
t0=$(date +%s)
if ! "${compose[@]}" up -d --no-build; then
  "${compose[@]}" ps >&2 || true
  "${compose[@]}" logs --tail 60 migrate app1 app2 nginx >&2 || true
  exit 1
fi
t_up=$(( $(date +%s) - t0 ))
status=0
python3 scripts/compose_smoke.py --proxy "http://127.0.0.1:$JZ_HTTP_PORT" \
  --app1 "http://127.0.0.1:$JZ_APP1_PORT" --app2 "http://127.0.0.1:$JZ_APP2_PORT" --admin-token "$admin" \
  --compose "$(printf '%q ' "${compose[@]}")" --docker "$DOCKER" || status=$?
if [ $status != 0 ]; then
  "${compose[@]}" ps >&2 || true
  "${compose[@]}" logs --tail 40 >&2 || true
fi
echo "wall time: base ${t_base} s, images ${t_images} s, first up ${t_up} s, total $(( $(date +%s) - t_start )) s" >&2
exit $status
