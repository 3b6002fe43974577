#!/usr/bin/env bash
# The packing tests' tools, installed once and kept under target/:
# charmcraft, cargo-zigbuild and zig in a virtualenv, and debootstrap (for
# a Debian 11 root filesystem). Run by .ci/run, and by the tests of
# cargo-charm and kafka-examples on first use, so `cargo test --workspace`
# works on a clean checkout. Prints the virtualenv's bin directory.
# Idempotent: returns at once when the pins are installed.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=$repo_root/target/charm-tools/venv
pins="charmcraft==4.5.0 cargo-zigbuild==0.24.1 ziglang==0.17.1"

installed() { [[ "$(cat "$venv/pins" 2>/dev/null)" == "$pins" ]]; }

mkdir -p "$(dirname "$venv")"
if ! installed; then
    # Tests run in parallel: one install at a time, the others wait for it.
    exec 9>"$venv.lock"
    flock 9
    if ! installed; then
        echo "charm-tools: installing $pins into $venv" >&2
        python3 -m venv "$venv"
        # shellcheck disable=SC2086
        "$venv/bin/pip" install --quiet --disable-pip-version-check $pins >&2
        echo "$pins" >"$venv/pins"
    fi
fi
if ! command -v debootstrap >/dev/null; then
    exec 8>"$repo_root/target/charm-tools/apt.lock"
    flock 8
    if ! command -v debootstrap >/dev/null; then
        echo "charm-tools: installing debootstrap" >&2
        apt-get update -q >&2
        apt-get install -y -q debootstrap >&2
    fi
fi
echo "$venv/bin"
