#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine: installs what is
# missing, builds the native, sanitizer (ASan+UBSan), libFuzzer and Windows
# (mingw-w64, run under Wine) trees, and runs every test with one ctest,
# whose summary is the last thing printed.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD

./scripts/deps.sh test

jobs=$(nproc)
configure() { cmake -S "$top" -B "$1" -DWCR_WERROR=ON "${@:2}" >/dev/null; }

configure "$top/build-asan" -DWCR_SANITIZE=ON -DWCR_TEST_PREFIX=asan.
configure "$top/build-win" -DCMAKE_TOOLCHAIN_FILE="$top/cmake/mingw-w64.cmake" -DWCR_TEST_PREFIX=wine.
configure "$top/build-fuzz" -DCMAKE_C_COMPILER=clang -DWCR_FUZZ=ON -DWCR_SANITIZE=ON -DWCR_TEST_PREFIX=fuzz.
configure "$top/build" -DWCR_EXTRA_TEST_DIRS="$top/build-asan;$top/build-win;$top/build-fuzz" \
  -DWCR_WIN_DIR="$top/build-win"

for tree in build build-asan build-win build-fuzz; do
  echo "== building $tree"
  cmake --build "$top/$tree" -j "$jobs" -- --no-print-directory >/dev/null
done

cd "$top/build"
exec ctest -j "$jobs" --output-on-failure
