#!/usr/bin/env bash
# Run the Python reference charms' tests on fakejuju.
#
#   conformance/python/tests/run.sh [VENV_DIR] [unittest args...]
#
# Bootstraps the conformance virtualenv first (quick when it is ready).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
venv_arg=()
if [[ $# -gt 0 && $1 != -* ]]; then
    venv_arg=("$1")
    shift
fi
CONFORMANCE_VENV=$("$here/../../bootstrap-venv.sh" "${venv_arg[@]}")
export CONFORMANCE_VENV
exec "$CONFORMANCE_VENV/bin/python" "$here/run.py" "$@"
