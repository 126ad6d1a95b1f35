#!/usr/bin/env bash
# The whole suite again on a throwaway PostgreSQL cluster (scripts/with-postgres.sh starts and stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
exec scripts/with-postgres.sh .venv/bin/python -m pytest -p no:cacheprovider "$@"
