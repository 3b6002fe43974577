#!/usr/bin/env bash
# Create the virtualenv that runs the Python reference charms of the
# conformance suite (charms.reactive 1.5.3 + charmhelpers 1.2.1 from PyPI).
#
#   conformance/bootstrap-venv.sh [VENV_DIR]
#
# VENV_DIR defaults to target/conformance-venv under the repository root; a
# relative VENV_DIR is taken from the current directory. Set PYTHON to choose
# the interpreter (default: python3). Prints the venv's absolute path on
# stdout. Idempotent: when the stamp file matches the requirements, the shim
# and the interpreter, it returns at once without touching the network.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$here/.." && pwd)
venv=${1:-$repo_root/target/conformance-venv}
mkdir -p "$(dirname "$venv")"
venv=$(cd "$(dirname "$venv")" && pwd)/$(basename "$venv")
python=${PYTHON:-python3}

requirements=$here/python/venv/requirements.txt
shim=$here/python/venv/_conformance_platform.py
stamp_file=$venv/.conformance-stamp

py_version=$("$python" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')
stamp=$(cat "$requirements" "$shim" | sha256sum | cut -d' ' -f1)-py$py_version

if [[ -f $stamp_file && $(cat "$stamp_file") == "$stamp" && -x $venv/bin/python ]]; then
    echo "$venv"
    exit 0
fi

log() { echo "bootstrap-venv: $*" >&2; }

# One bootstrap at a time per venv (charms may be built in parallel); the
# one that waited finds the stamp written.
exec 9>"$venv.lock"
flock 9
if [[ -f $stamp_file && $(cat "$stamp_file") == "$stamp" && -x $venv/bin/python ]]; then
    echo "$venv"
    exit 0
fi

# A venv made by another interpreter version cannot be upgraded in place.
if [[ -x $venv/bin/python ]] &&
    [[ $("$venv/bin/python" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null) != "$py_version" ]]; then
    log "interpreter changed, recreating $venv"
    rm -rf -- "$venv"
fi
if [[ ! -x $venv/bin/python ]]; then
    log "creating $venv with $python ($py_version)"
    "$python" -m venv "$venv"
fi

log "installing $(grep -cv '^\s*\(#\|$\)' "$requirements") pinned requirements"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    --requirement "$requirements" >&2

site=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')
cp "$shim" "$site/_conformance_platform.py"
echo "import _conformance_platform" >"$site/_conformance_platform.pth"

# The check that matters: both frameworks import on this machine.
"$venv/bin/python" -c 'import charms.reactive, charmhelpers.core.host, ops, dpcharmlibs.interfaces' >&2

echo "$stamp" >"$stamp_file"
log "ready"
echo "$venv"
