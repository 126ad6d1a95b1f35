#!/usr/bin/env bash
# Production smoke test: a throwaway PostgreSQL, collectstatic, `make serve` (gunicorn, 4 workers,
# production settings), then sign in and fetch a page of each app (scripts/smoke_production.py).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${DATABASE_URL:-}" ]; then
  exec scripts/with-postgres.sh "$0" "$@"
fi

WORK=$(mktemp -d /tmp/vrhub-smoke.XXXXXX)
PORT=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export DJANGO_SETTINGS_MODULE=vrhub.settings.production
export SECRET_KEY=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(64))')
export ALLOWED_HOSTS=127.0.0.1 STATIC_ROOT="$WORK/static" MEDIA_ROOT="$WORK/media"
export EVIDENCE_DUCKDB="$WORK/evidence.duckdb" SECURE_SSL_REDIRECT=false BIND="127.0.0.1:$PORT" WEB_CONCURRENCY=4
export EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend GUNICORN_PIDFILE="$WORK/gunicorn.pid"
SERVER=""
cleanup() {
  if [ -f "$WORK/gunicorn.pid" ]; then kill -TERM "$(cat "$WORK/gunicorn.pid")" 2>/dev/null || true; fi
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== production smoke: demo data on PostgreSQL"
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py seed_demo --force >/dev/null
make --no-print-directory serve > "$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 120); do
  if .venv/bin/python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$PORT/healthz', timeout=2)" 2>/dev/null; then
    break
  fi
  if ! kill -0 "$SERVER" 2>/dev/null; then cat "$WORK/server.log"; echo "make serve exited" >&2; exit 1; fi
  sleep 0.5
done
MASTER=$(cat "$WORK/gunicorn.pid")
echo "== gunicorn master $MASTER with $(pgrep -P "$MASTER" | wc -l) workers"
if ! SMOKE_URL="http://127.0.0.1:$PORT" PYTHONPATH=. .venv/bin/python scripts/smoke_production.py; then
  echo "--- server log" >&2; tail -n 50 "$WORK/server.log" >&2
  exit 1
fi
