# Production image: gunicorn serving the API and the web app (pwa/) from one origin.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    INSTANCE_PATH=/data/instance KEY_DIR=/data/instance/keys PYTHONPATH=/app
# fonts-*: the certificate PDF's TrueType fonts (embedded as subsets in every PDF)
RUN apt-get update && apt-get install -y --no-install-recommends libzbar0 fonts-wqy-microhei fonts-droid-fallback \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY backend ./backend
COPY pwa ./pwa
# The keys directory exists in the image, owned by the app user: a named volume mounted there starts as a
# copy of it (owner included), so the non-root process can write its keys on first start. Nothing of instance/
# is ever copied in (.dockerignore): the signing keys, the PDF-signing CA and seal are made in the volume.
RUN useradd --system --uid 10001 --home /data jz && mkdir -p /data/instance/keys \
    && chown -R jz /data && chmod 700 /data/instance/keys
USER jz
VOLUME ["/data"]
EXPOSE 8000
# Each worker applies pending migrations under a file lock on start (create_app); keys are made once.
# No gunicorn access log (it writes query strings: /lookup?q=<name>): the app logs each request itself.
CMD ["gunicorn", "-c", "python:backend.gunicorn_conf", "--workers", "2", "--threads", "4", "--bind", "0.0.0.0:8000", \
     "--forwarded-allow-ips", "*", "backend:create_app()"]
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/healthz')"
