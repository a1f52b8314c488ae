#!/bin/bash
# Write the listen port and the replicas into the config (NGINX_LISTEN, APP_UPSTREAMS), then run nginx in the
# foreground. `health`: the container's health check (nginx answers on its port; no curl in the image).
set -euo pipefail
listen=${NGINX_LISTEN:-8080}
if [ "${1:-}" = health ]; then
  exec 3<>"/dev/tcp/127.0.0.1/$listen"
  printf 'GET /nginx-healthz HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
  head -n 1 <&3 | grep -q ' 200 '
  exit
fi
[ -n "${APP_UPSTREAMS:-}" ] || { echo "APP_UPSTREAMS is empty" >&2; exit 1; }
mkdir -p /etc/nginx/conf.d
{
  echo "# written by $0 from APP_UPSTREAMS at start"
  echo "upstream jianzheng_app {"
  # a failed connection takes a replica out for 10 s (passive health): nginx tries the next one meanwhile
  for u in $APP_UPSTREAMS; do echo "    server $u max_fails=1 fail_timeout=10s;"; done
  echo "}"
} > /etc/nginx/conf.d/upstream.conf
sed "s/@LISTEN@/$listen/" /etc/nginx/jianzheng/jianzheng.conf > /etc/nginx/conf.d/jianzheng.conf
nginx -t -q
exec nginx -g 'daemon off;' "$@"
