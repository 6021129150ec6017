#!/usr/bin/env bash
# The demo, from a fresh Debian 12 machine: installs what is missing,
# builds wcr, and shows it at work.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD

./scripts/deps.sh demo
cmake -S "$top" -B "$top/build" >/dev/null
cmake --build "$top/build" -j "$(nproc)" --target wcr -- --no-print-directory >/dev/null
wcr="$top/build/src/wcr"

echo "\$ wcr version"
"$wcr" version
