#!/usr/bin/env bash
# wcr pull against ctr images pull: a 512 MiB image of 8 layers from a
# local registry into a fresh containerd each time, alternating, several
# runs; medians of wall time and of peak RSS. Goals: wcr's wall time <=
# 0.9x ctr's, wcr's peak RSS <= 32 MiB.
#   bench/pull.sh [RUNS]      (default 5; needs a built build/src/wcr)
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
runs=${1:-5}
wcr=${WCR:-$top/build/src/wcr}
[ -x "$wcr" ] || { echo "build wcr first (cmake -B build && cmake --build build)" >&2; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (Debian package time)" >&2; exit 1; }

export WCR_SOURCE_DIR=$top BATS_FILE_TMPDIR
BATS_FILE_TMPDIR=$(mktemp -d /tmp/wcr-bench.XXXXXX)
. bench/lib.sh
. tests/integration/containerd.bash
. tests/integration/registry.bash
cleanup() { containerd_stop; registry_stop; rm -rf "$BATS_FILE_TMPDIR"; }
trap cleanup EXIT

registry_start
echo "building a 512 MiB image of 8 layers..."
img="$BATS_FILE_TMPDIR/big"
umoci init --layout "$img" >/dev/null
umoci new --image "$img:big" >/dev/null
for i in $(seq 1 8); do
  b="$BATS_FILE_TMPDIR/bundle$i"
  umoci unpack --rootless --image "$img:big" "$b" >/dev/null
  head -c $((64 << 20)) /dev/urandom >"$b/rootfs/layer-$i.bin"
  umoci repack --image "$img:big" "$b" >/dev/null
  rm -rf "$b"
done
push_image "$img:big" big:latest
ref="$REGISTRY/big:latest"

# One pull into a fresh containerd: prints "SECONDS KIB".
measure() {
  containerd_start >/dev/null
  /usr/bin/time -o "$BATS_FILE_TMPDIR/time" -f '%e %M' "$@" >/dev/null 2>"$BATS_FILE_TMPDIR/stderr" ||
    { cat "$BATS_FILE_TMPDIR/stderr" >&2; exit 1; }
  containerd_stop
  cat "$BATS_FILE_TMPDIR/time"
}

work=$(mktemp -d)
for r in $(seq 1 "$runs"); do
  read -r ws wk < <(measure "$wcr" pull -q "$ref")
  read -r cs ck < <(measure bash -c 'ctr --address "$CONTAINERD_ADDRESS" images pull --plain-http "$0" >/dev/null' "$ref")
  echo "run $r: wcr ${ws}s ${wk} KiB   ctr ${cs}s ${ck} KiB"
  echo "$ws" >>"$work/wt"; echo "$wk" >>"$work/wm"
  echo "$cs" >>"$work/ct"; echo "$ck" >>"$work/cm"
done
wt=$(median "$work/wt"); wm=$(median "$work/wm"); ct=$(median "$work/ct"); cm=$(median "$work/cm")
rm -rf "$work"
echo "median wall time: wcr ${wt}s, ctr ${ct}s, ratio $(awk -v a="$wt" -v b="$ct" 'BEGIN{printf "%.2f", a/b}')"
echo "median peak RSS:  wcr $((wm / 1024)) MiB, ctr $((cm / 1024)) MiB"
awk -v a="$wt" -v b="$ct" 'BEGIN { print (a <= 0.9 * b) ? "goal wall <= 0.9x ctr: met" : "goal wall <= 0.9x ctr: NOT met" }'
[ "$wm" -le $((32 * 1024)) ] && echo "goal RSS <= 32 MiB: met" || echo "goal RSS <= 32 MiB: NOT met"
