#!/usr/bin/env bash
# Load test (issue 9): a throwaway PostgreSQL, the demo data plus evidence and 40 extra borough
# editors, `make serve` (gunicorn, WEB_CONCURRENCY=4 workers, production settings), then locust headless:
#   1. baseline: the same task mix with 1 borough editor + 1 VRU reviewer + the /healthz probe, BASE_TIME
#      (shorter think time, 0.5-1.5 s, so that every endpoint gets a few samples with two people on)
#   2. load: USERS people (10 VRU reviewers, the rest borough editors) + the probe, spawned at SPAWN/s, RUN_TIME
# then per-endpoint p50/p95/p99 and errors with ratios to the baseline, the lost-update count of the
# quarterly-update saves (client-recorded 302s against the audit trail and versions), and how much
# CPU other work on the machine took meanwhile. Everything is stopped and removed at the end.
#
#   benchmarks/load/run_load.sh            (about 4 minutes: 1.5 min of setup, 30 s + 60 s of load)
# Environment: USERS (50) SPAWN (25) RUN_TIME (60s) BASE_TIME (30s) VRHUB_WAIT (think time "1,5" s)
#              RESULTS (directory for the CSVs and the report; default /tmp/vrhub-load-results.DATE)
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${VRHUB_PG_DATA:-}" ]; then
  exec scripts/with-postgres.sh "$0" "$@"
fi
source benchmarks/load/common.sh

USERS=${USERS:-50} SPAWN=${SPAWN:-25} RUN_TIME=${RUN_TIME:-60s} BASE_TIME=${BASE_TIME:-30s}
export VRHUB_WAIT=${VRHUB_WAIT:-1,5}
RESULTS=${RESULTS:-/tmp/vrhub-load-results.$(date +%Y%m%d-%H%M%S)}
mkdir -p "$RESULTS"
WORK=$(mktemp -d /tmp/vrhub-load.XXXXXX)
cleanup() {
  vrhub_serve_stop
  rm -rf "$WORK"
}
trap cleanup EXIT
vrhub_env "$WORK"
LOCUST=("$ROOT/.venv/bin/locust" -f "$ROOT/benchmarks/load/locustfile.py" --headless -H "$VRHUB_URL"
  --stop-timeout 15 --only-summary --loglevel WARNING)
export VRHUB_SETUP="$WORK/setup.json"

echo "== setup: demo data, evidence, $((USERS - 10)) load editors ($(date -u +%FT%TZ))"
T0=$SECONDS
vrhub_seed
vrhub_load_evidence
"$PY" benchmarks/load/setup_data.py "$VRHUB_SETUP" --editors 40 --boroughs 10
"$PY" benchmarks/load/report.py snapshot "$VRHUB_SETUP" "$WORK/versions-before.json"
vrhub_serve_start
echo "   setup took $((SECONDS - T0)) s; gunicorn master $(cat "$WORK/gunicorn.pid") with $(vrhub_workers | wc -l) workers on $VRHUB_URL"
POSTMASTER=$(head -n 1 "$VRHUB_PG_DATA/postmaster.pid")

echo "== baseline: 1 editor + 1 reviewer + probe for $BASE_TIME (think time 0.5-1.5 s, for more samples)"
VRHUB_WAIT=0.5,1.5 VRHUB_REVIEWERS=1 VRHUB_SAMPLES="$RESULTS/baseline-samples.csv" VRHUB_SAVES="$RESULTS/baseline-saves.jsonl" \
  "${LOCUST[@]}" -u 3 -r 3 -t "$BASE_TIME" --csv "$RESULTS/baseline" >"$RESULTS/baseline-locust.txt" 2>&1 || true

echo "== load: $USERS people ($USERS - 10 editors, 10 reviewers) + probe, spawn $SPAWN/s, $RUN_TIME, think time $VRHUB_WAIT s"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
"$PY" benchmarks/load/cpu.py snap "$WORK/cpu-a.json" $$ "$POSTMASTER"
VRHUB_REVIEWERS=10 VRHUB_SAMPLES="$RESULTS/samples.csv" VRHUB_SAVES="$RESULTS/saves.jsonl" \
  "${LOCUST[@]}" -u $((USERS + 1)) -r "$SPAWN" -t "$RUN_TIME" --csv "$RESULTS/load" >"$RESULTS/load-locust.txt" 2>&1 || true
"$PY" benchmarks/load/cpu.py snap "$WORK/cpu-b.json" $$ "$POSTMASTER"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

{
  echo "## Load run $(date -u +%FT%TZ)"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; load average before / after the run: $LOAD_BEFORE / $LOAD_AFTER."
  "$PY" benchmarks/load/cpu.py diff "$WORK/cpu-a.json" "$WORK/cpu-b.json"
  echo "Command: benchmarks/load/run_load.sh (USERS=$USERS SPAWN=$SPAWN RUN_TIME=$RUN_TIME BASE_TIME=$BASE_TIME VRHUB_WAIT=$VRHUB_WAIT), WEB_CONCURRENCY=$WEB_CONCURRENCY."
  echo
  "$PY" benchmarks/load/report.py latency "$RESULTS/samples.csv" "$RESULTS/baseline-samples.csv" "$RESULTS/load_failures.csv"
  echo
  "$PY" benchmarks/load/report.py check "$VRHUB_SETUP" "$WORK/versions-before.json" \
    "$RESULTS/baseline-saves.jsonl" "$RESULTS/saves.jsonl" || true
  if grep -q "Traceback\|Error" "$WORK/server.log"; then
    echo
    echo "Server log errors (first 20 lines):"
    grep -n "Traceback\|Error\|error" "$WORK/server.log" | head -n 20
  fi
} | tee "$RESULTS/report.md"
cp "$WORK/server.log" "$RESULTS/server.log"
echo "== results in $RESULTS (whole run $((SECONDS - T0)) s)"
