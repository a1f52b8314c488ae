# Production image: gunicorn serving the API and the web app (pwa/) from one origin (docs/deployment.md).
# Build:  docker build -t jianzheng-app .                       (base: the official Python image)
#         docker build --build-arg BASE=<a Debian bookworm image with python3 and python3-venv> ...
#         (scripts/docker-base.sh makes one with debootstrap where no image registry can be reached)
# Where the package index is only reached through a private CA, give its bundle as a BuildKit secret:
#         DOCKER_BUILDKIT=1 docker build --secret id=cacert,src=/etc/ssl/certs/ca-certificates.crt ...
# Settings come from the environment and mounted secrets only (`<NAME>_FILE`, README's settings table): nothing
# of instance/ is ever copied in (.dockerignore), no secret is baked into a layer.
ARG BASE=python:3.11-slim-bookworm
FROM ${BASE}
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 LANG=C.UTF-8 \
    VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    PYTHONPATH=/app INSTANCE_PATH=/data/instance KEY_DIR=/data/keys PDF_SIGNING_DIR=/data/pdf-signing PORT=8000
# libzbar0: QR decoding of photos; fonts-*: the certificate PDF's TrueType fonts (embedded as subsets)
RUN --mount=type=secret,id=cacert,target=/etc/ssl/certs/ca-certificates.crt \
    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libzbar0 fonts-wqy-microhei fonts-droid-fallback \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
WORKDIR /app
# Every package pinned with its hashes (scripts/lock.sh makes the lock; scripts/setup.sh installs the same).
# PIP_INDEX_URL: a build argument for a private index; the CA bundle, when one is needed, as the secret above.
COPY requirements.lock ./
ARG PIP_INDEX_URL=
RUN --mount=type=secret,id=cacert,target=/run/secrets/cacert \
    set -e; [ -n "$PIP_INDEX_URL" ] || unset PIP_INDEX_URL; \
    if [ -s /run/secrets/cacert ]; then export PIP_CERT=/run/secrets/cacert; fi; \
    python3 -m venv "$VIRTUAL_ENV"; \
    pip install -q --require-hashes --no-deps -r requirements.lock; \
    pip check
COPY gunicorn.conf.py ./
COPY backend ./backend
COPY pwa ./pwa
# The data directories exist in the image, owned by the app user: a named volume mounted there starts as a copy
# of the directory (owner included). /data/keys: the ES256 signing keys, shared by every replica (made once by
# the migrate service, `python -m backend.crypto.keys init`); /data/pdf-signing: the demo CA's files while
# PDF_DEMO_CA is on (a trial), else unused; /data/instance: the app's scratch space, nothing in it matters.
RUN useradd --system --uid 10001 --home-dir /data --no-create-home --shell /usr/sbin/nologin jz \
    && mkdir -p /data/instance /data/keys /data/pdf-signing \
    && chown -R jz:jz /data && chmod 700 /data/keys /data/pdf-signing
USER 10001
EXPOSE 8000
# gunicorn's settings are in backend/gunicorn_conf.py, each from the environment (WEB_CONCURRENCY,
# GUNICORN_TIMEOUT, FORWARDED_ALLOW_IPS, ...); it binds 0.0.0.0:$PORT unless GUNICORN_CMD_ARGS says --bind.
# With DATABASE_URL set the app refuses to start without SECRET_KEY, AUTH_SECRET and a shared signing key, and
# never migrates (AUTO_INIT off): run `flask --app backend db upgrade` once first (docker-compose.yml: migrate).
CMD ["gunicorn", "-c", "python:backend.gunicorn_conf", "backend:create_app()"]
# /livez answers while the process runs (no database): the container is restarted when it stops answering.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python3", "-c", "import os, urllib.request as u; u.urlopen('http://127.0.0.1:%s/livez' % os.environ.get('PORT', '8000'), timeout=2)"]
