#!/usr/bin/env bash
# Fault runs (issue 9): a throwaway PostgreSQL with the demo data and the load benchmark's users, then
# benchmarks/faults/faults.py, which starts gunicorn (`make serve`, production settings, 4 workers)
# and runs each scenario: kill -9 of a worker mid workbook import and mid sign-off, a PostgreSQL
# restart under locust traffic, and a full disk on document upload (tmpfs mounts: needs root).
#
#   benchmarks/faults/run_faults.sh [all|kill-import|kill-sign|pg-restart|disk-full]    (about 3 minutes)
#
# Prints one result line per check; exits 0 whatever they say (read them). Everything it started
# (gunicorn, PostgreSQL, the tmpfs mounts) is stopped or removed at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${VRHUB_PG_DATA:-}" ]; then
  exec scripts/with-postgres.sh "$0" "$@"
fi
source benchmarks/load/common.sh
[ "$(id -u)" -eq 0 ] || echo "run_faults.sh: not root: the disk-full scenario cannot mount its tmpfs" >&2

WORK=$(mktemp -d /tmp/vrhub-faults.XXXXXX)
RESULTS=${RESULTS:-/tmp/vrhub-fault-results.$(date +%Y%m%d-%H%M%S)}
mkdir -p "$RESULTS"
cleanup() {
  if [ -f "$WORK/gunicorn.pid" ]; then
    M=$(cat "$WORK/gunicorn.pid")
    kill -TERM "$M" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$M" 2>/dev/null || break; sleep 0.5; done
  fi
  for d in "$WORK/small-media" "$WORK/small-tmp"; do
    if mountpoint -q "$d" 2>/dev/null; then umount "$d" || true; fi
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
vrhub_env "$WORK"
export VRHUB_WORK="$WORK"
# The server log keeps each request line here: the faults are few and the lines show what happened.
export GUNICORN_ACCESS_LOG=-

echo "== setup: demo data and users ($(date -u +%FT%TZ))"
T0=$SECONDS
vrhub_seed
"$PY" benchmarks/load/setup_data.py "$WORK/setup.json" --editors 20 --boroughs 5
timeout 420 "$PY" benchmarks/faults/faults.py "$WORK/setup.json" "${1:-all}" || echo "faults.py exited with $?"
cp "$WORK/faults-server.log" "$RESULTS/server.log"
echo "== server log: each traceback, without the frames inside Django and the libraries"
awk '/^Traceback/{p=1} !p{next} /^ +[~^ ]+$/{next} /site-packages/{skip=1; next} skip{skip=0; next} {print}
     /^[A-Za-z_.]+(Error|Exception)/{print "--"; p=0}' \
  "$WORK/faults-server.log" | head -n 150
echo "== whole run $((SECONDS - T0)) s; server log kept in $RESULTS/server.log"
