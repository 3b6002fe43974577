#!/usr/bin/env bash
# Assemble a runnable Python conformance charm directory.
#
#   conformance/python/build-charm.sh CHARM OUT_DIR [VENV_DIR]
#
# CHARM is a directory name under conformance/python/charms (kafka-provider,
# kafka-client, probe). OUT_DIR must be absent, empty, or a charm this script
# built before (it is then replaced). VENV_DIR defaults to
# target/conformance-venv; it is bootstrapped if needed and its absolute path
# is written to OUT_DIR/.venv-path, where `dispatch` finds it.
#
# Layout of OUT_DIR: the charm's own files (metadata.yaml, config.yaml,
# reactive/), plus dispatch, lib/conformance_*.py and
# hooks/relations/<interface>/ for every interface under
# conformance/python/interfaces.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [[ $# -lt 2 || $# -gt 3 ]]; then
    echo "usage: $0 CHARM OUT_DIR [VENV_DIR]" >&2
    exit 2
fi
charm=$1
out=$2
src=$here/charms/$charm
if [[ ! -f $src/metadata.yaml ]]; then
    echo "build-charm: no charm '$charm' (expected $src/metadata.yaml)" >&2
    exit 2
fi
marker=.conformance-charm
if [[ -e $out ]]; then
    if [[ -f $out/$marker ]]; then
        rm -rf -- "$out"
    elif [[ -n $(ls -A -- "$out") ]]; then
        echo "build-charm: $out exists and is not a charm built by this script" >&2
        exit 2
    fi
fi

venv=$("$here/../bootstrap-venv.sh" ${3:+"$3"})

mkdir -p "$out/lib" "$out/hooks/relations"
cp -R "$src/." "$out/"
cp "$here/dispatch" "$out/dispatch"
cp "$here"/lib/conformance_*.py "$out/lib/"
for iface in "$here"/interfaces/*/; do
    name=$(basename "$iface")
    mkdir -p "$out/hooks/relations/$name"
    cp "$iface"*.py "$out/hooks/relations/$name/"
done
find "$out" -name __pycache__ -prune -exec rm -rf {} +
chmod +x "$out/dispatch"
echo "$venv" >"$out/.venv-path"
echo "$charm" >"$out/$marker"
echo "$out"
