#!/usr/bin/env bash
# wcr version against ctr version on the same private containerd: repeated
# runs, alternating, medians and their ratio. Goal: wcr's median round trip
# <= 5 ms.
#   bench/version.sh [RUNS]      (default 200; needs a built build/src/wcr)
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
runs=${1:-200}
wcr=${WCR:-$top/build/src/wcr}
[ -x "$wcr" ] || { echo "build wcr first (cmake -B build && cmake --build build)" >&2; exit 1; }

. bench/lib.sh
. tests/integration/containerd.bash
containerd_start
trap containerd_stop EXIT

work=$(mktemp -d)
for _ in 1 2 3; do "$wcr" version >/dev/null; ctr_ version >/dev/null; done  # warm caches
for _ in $(seq 1 "$runs"); do
  time_ms "$wcr" version >>"$work/wcr"
  time_ms ctr --address "$CONTAINERD_ADDRESS" version >>"$work/ctr"
  time_ms /bin/true >>"$work/true"
done
w=$(median "$work/wcr")
c=$(median "$work/ctr")
t=$(median "$work/true")
rm -rf "$work"
echo "runs: $runs each, alternating, containerd $(ctr_ version | awk '/^Server:/{s=1} s && /Version:/{print $2; exit}')"
echo "wcr version: median $w ms"
echo "ctr version: median $c ms"
echo "/bin/true:   median $t ms (what starting any program costs on this machine)"
awk -v w="$w" -v c="$c" 'BEGIN { printf "ratio wcr/ctr: %.3f\n", w / c }'
awk -v w="$w" 'BEGIN { if (w <= 5.0) print "goal (<= 5 ms): met"; else print "goal (<= 5 ms): NOT met" }'
