# Shared by benchmarks/load/run_load.sh and benchmarks/faults/run_faults.sh (source it; bash only).
# Production settings on the throwaway PostgreSQL that scripts/with-postgres.sh started, the demo
# data, and gunicorn started with `make serve` in the background, the way scripts/smoke-production.sh
# does it. Everything lives in $WORK, a temporary directory removed by vrhub_cleanup.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PY="$ROOT/.venv/bin/python"
SERVER_PID=""

vrhub_env() {  # vrhub_env WORK: the production environment, served on a free loopback port
  WORK=$1
  mkdir -p "$WORK/media" "$WORK/static"
  PORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  export DJANGO_SETTINGS_MODULE=vrhub.settings.production
  export SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(64))')
  export ALLOWED_HOSTS=127.0.0.1 STATIC_ROOT="$WORK/static" MEDIA_ROOT="$WORK/media"
  export EVIDENCE_DUCKDB="$WORK/evidence.duckdb" SECURE_SSL_REDIRECT=false BIND="127.0.0.1:$PORT"
  export WEB_CONCURRENCY=${WEB_CONCURRENCY:-4} GUNICORN_PIDFILE="$WORK/gunicorn.pid"
  export EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend
  # The access log of ~20,000 requests would only slow the server down; errors still go to the log.
  export GUNICORN_ACCESS_LOG=${GUNICORN_ACCESS_LOG:-/dev/null}
  export VRHUB_URL="http://127.0.0.1:$PORT"
}

vrhub_seed() {  # migrations, the demo, then benchmarks/load/setup_data.py writes $WORK/setup.json
  (cd "$ROOT" && "$PY" manage.py migrate --noinput -v0 && "$PY" manage.py seed_demo --force >/dev/null)
}

vrhub_load_evidence() {  # the open data `make run` loads, and a small synthetic ISTV extract
  (
    cd "$ROOT"
    "$PY" manage.py load_boundaries data/boundaries --quiet
    "$PY" manage.py load_police_uk data/police-uk --quiet
    "$PY" manage.py load_mps data/mps --quiet
    "$PY" manage.py load_imd data/imd/imd2025_england_lsoa21.csv data/imd/imd2019_england_lsoa11.csv --quiet
    "$PY" manage.py generate_istv --out "$WORK/istv-synthetic.csv" --months 24 --seed 1 >/dev/null
    "$PY" manage.py load_istv "$WORK/istv-synthetic.csv" --quiet
  ) >"$WORK/evidence-load.log" 2>&1
}

vrhub_serve_start() {  # `make serve` in the background; waits for /healthz
  (cd "$ROOT" && exec make --no-print-directory serve) >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 120); do
    if "$PY" -c "import urllib.request; urllib.request.urlopen('$VRHUB_URL/healthz', timeout=2)" 2>/dev/null; then
      return 0
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      cat "$WORK/server.log" >&2
      echo "make serve exited" >&2
      return 1
    fi
    sleep 0.5
  done
  echo "gunicorn did not answer /healthz within 60 s" >&2
  return 1
}

vrhub_serve_stop() {
  if [ -f "$WORK/gunicorn.pid" ]; then kill -TERM "$(cat "$WORK/gunicorn.pid")" 2>/dev/null || true; fi
  if [ -n "$SERVER_PID" ]; then
    # gunicorn's graceful stop waits for running requests (graceful_timeout 30 s) at most.
    for _ in $(seq 1 70); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
  rm -f "$WORK/gunicorn.pid"
}

vrhub_workers() {  # the gunicorn worker pids, one a line
  pgrep -P "$(cat "$WORK/gunicorn.pid")" || true
}
