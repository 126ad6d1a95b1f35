#!/usr/bin/env bash
# The whole suite on SQLite and on a throwaway PostgreSQL at the same time (one run per core), each line
# of output marked with its database; fails if either run fails.  Arguments go to both pytest runs.
set -uo pipefail
cd "$(dirname "$0")/.."
export PYTHONUNBUFFERED=1
(scripts/test-sqlite.sh "$@" 2>&1 | sed -u 's/^/[sqlite] /') &
sqlite=$!
(scripts/test-postgres.sh "$@" 2>&1 | sed -u 's/^/[postgres] /') &
postgres=$!
status=0
wait "$sqlite" || { echo "== the SQLite run failed"; status=1; }
wait "$postgres" || { echo "== the PostgreSQL run failed"; status=1; }
exit "$status"
