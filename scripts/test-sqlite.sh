#!/usr/bin/env bash
# The whole suite on the embedded default, SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
unset DATABASE_URL
echo "== pytest on SQLite"
.venv/bin/python -m pytest -p no:cacheprovider "$@"
