#!/usr/bin/env bash
# The whole suite on SQLite and on a throwaway PostgreSQL at the same time, each line of output marked with
# its database; fails if either run fails.  Arguments go to both pytest runs.
# The PostgreSQL run takes about twice the SQLite run's time (every query is a round trip to the server), so
# it has two pytest-xdist workers (whole test files each, in their own test databases) beside the SQLite run.
set -uo pipefail
cd "$(dirname "$0")/.."
export PYTHONUNBUFFERED=1
(scripts/test-sqlite.sh --durations=15 "$@" 2>&1 | sed -u 's/^/[sqlite] /') &
sqlite=$!
(scripts/test-postgres.sh -n 2 --dist loadfile --durations=15 "$@" 2>&1 | sed -u 's/^/[postgres] /') &
postgres=$!
status=0
wait "$sqlite" || { echo "== the SQLite run failed"; status=1; }
wait "$postgres" || { echo "== the PostgreSQL run failed"; status=1; }
exit "$status"
