#!/usr/bin/env bash
# Runs a command with DATABASE_URL pointing at a throwaway PostgreSQL cluster that this script
# starts on a free loopback port and removes afterwards:  scripts/with-postgres.sh CMD [ARGS...]
set -euo pipefail
cd "$(dirname "$0")/.."

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$PG_BIN" ]; then
  echo "PostgreSQL server binaries not found; run scripts/system-deps.sh" >&2
  exit 1
fi
PORT=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
DATA=$(mktemp -d /tmp/vrhub-pg.XXXXXX)

# PostgreSQL refuses to run as root: run it as the postgres user when we are root.
if [ "$(id -u)" -eq 0 ]; then
  chown postgres:postgres "$DATA"
  AS=(runuser -u postgres --)
else
  AS=()
fi

cleanup() {
  "${AS[@]}" "$PG_BIN/pg_ctl" -D "$DATA" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DATA"
}
trap cleanup EXIT

# A throwaway cluster: nothing need survive a crash, and tests' many small queries should not pay for
# JIT compilation, WAL for replication or background vacuuming.
THROWAWAY="-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c wal_level=minimal -c max_wal_senders=0"
THROWAWAY="$THROWAWAY -c jit=off -c autovacuum=off -c shared_buffers=256MB"

"${AS[@]}" "$PG_BIN/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${AS[@]}" "$PG_BIN/pg_ctl" -D "$DATA" -w -l "$DATA/server.log" \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DATA -c max_connections=200 $THROWAWAY" \
  start >/dev/null
"${AS[@]}" "$PG_BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres vrhub

export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/vrhub"
export VRHUB_PG_BIN="$PG_BIN" VRHUB_PG_DATA="$DATA" VRHUB_PG_PORT="$PORT"
echo "== PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on port $PORT"
"$@"
