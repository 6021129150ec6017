#!/usr/bin/env bash
# wcr run against ctr run: how long a container takes from the command to
# its exit and removal, on the same private containerd, with the same
# busybox image (imported once, unpacked in overlayfs) and the same runtime
# (io.containerd.runc.v2).
#
# Compared: `wcr run --rm IMAGE true` and `ctr run --rm IMAGE ID true`,
# each with its default network — for both a new network namespace with
# only loopback (wcr's default is --net none for now; ctr makes one unless
# --net-host) — no TTY, stdio through FIFOs.
#
#   1. one at a time, alternating wcr and ctr, RUNS runs each after a
#      warm-up: median wall time of each and the ratio wcr/ctr.
#      Goal: <= 0.85.
#   2. PAR runs started at once, waiting for all: total wall time;
#      alternating wcr and ctr for ROUNDS rounds: medians and the ratio.
#      Goal: <= 0.9.
#
#   bench/run.sh [RUNS [ROUNDS [PAR]]]   (defaults 20, 3, 20; needs root
#                                          and a built build/src/wcr, or WCR=)
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
runs=${1:-20}
rounds=${2:-3}
par=${3:-20}
wcr=$(realpath "${WCR:-$top/build/src/wcr}")
[ -x "$wcr" ] || { echo "build wcr first (cmake -B build && cmake --build build)" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "run as root (containerd and runc need it)" >&2; exit 1; }

export WCR_SOURCE_DIR=$top BATS_FILE_TMPDIR WCR_ROOT CONTAINERD_NAMESPACE
. bench/lib.sh
. tests/integration/containerd.bash
. tests/integration/images.bash
BATS_FILE_TMPDIR=$(mktemp -d /tmp/wcr-bench.XXXXXX)
# wcr's state and a namespace of our own (runc's state and the cgroups are
# per namespace, whichever containerd runs them).
WCR_ROOT=$BATS_FILE_TMPDIR/wcr
CONTAINERD_NAMESPACE=wcr-bench-${BATS_FILE_TMPDIR##*.}

cleanup() {
  local rc=$? id d
  trap - EXIT INT TERM
  if [ -n "${CONTAINERD_ADDRESS:-}" ] && [ -S "$CONTAINERD_ADDRESS" ]; then
    for id in $(ctr_ tasks ls -q 2>/dev/null); do ctr_ tasks rm -f "$id" >/dev/null 2>&1 || true; done
    for id in $(ctr_ containers ls -q 2>/dev/null); do ctr_ containers rm "$id" >/dev/null 2>&1 || true; done
  fi
  # Shims of our containerd that are still there (it was killed under them).
  if [ -n "${CTD_DIR:-}" ]; then
    for d in /proc/[0-9]*; do
      case $(readlink "$d/exe" 2>/dev/null) in */containerd-shim*) ;; *) continue ;; esac
      tr '\0' ' ' <"$d/cmdline" 2>/dev/null | grep -qF -- " $CTD_DIR/" || continue
      kill -9 $(cat "$d"/task/*/children 2>/dev/null) "${d#/proc/}" 2>/dev/null || true
    done
  fi
  containerd_stop
  rm -rf "$BATS_FILE_TMPDIR"
  for d in /run/containerd/runc/"$CONTAINERD_NAMESPACE" /sys/fs/cgroup/"$CONTAINERD_NAMESPACE" \
           /sys/fs/cgroup/*/"$CONTAINERD_NAMESPACE"; do
    [ -d "$d" ] && rmdir "$d" 2>/dev/null || true
  done
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p "$WCR_ROOT"

# Daemons in process groups of their own: Ctrl+C stops the benchmark, and
# the cleanup still has a containerd to talk to.
set -m
containerd_start
set +m

echo "importing a busybox image..."
image_busybox "$BATS_FILE_TMPDIR/bb"
tar -C "$BATS_FILE_TMPDIR/bb" -cf "$BATS_FILE_TMPDIR/bb.tar" .
img=$("$wcr" import "$BATS_FILE_TMPDIR/bb.tar" | sed -n '1s/: sha256:.*//p')
[ -n "$img" ] || { echo "wcr import named no image" >&2; exit 1; }
rm -rf "$BATS_FILE_TMPDIR/bb" "$BATS_FILE_TMPDIR/bb.tar"

wcr_one() { "$wcr" run --rm "$img" true; }
# Runs in a subshell of its own (time_ms, &): its pid is a unique ID.
ctr_one() { ctr_ run --rm "$img" "bench-$BASHPID" true; }
# PAR at once; fails when any of them failed.
many() {
  local kind=$1 i pids=() rc=0
  for i in $(seq 1 "$par"); do
    "${kind}_one" >/dev/null 2>&1 &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i" || rc=1; done
  return $rc
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
goal() { awk -v a="$1" -v b="$2" -v g="$3" 'BEGIN { print (a <= g * b) ? "met" : "NOT met" }'; }

echo "image $img; wcr $wcr; $(ctr version 2>/dev/null | sed -n 's/^ *Version: *//p' | head -1 | sed 's/^/ctr /')"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)"

# Warm-up: page cache, the shim binary, containerd's first snapshot calls.
for _ in 1 2 3; do time_ms wcr_one >/dev/null; time_ms ctr_one >/dev/null; done

work=$BATS_FILE_TMPDIR/times
mkdir -p "$work"
echo "one at a time, $runs runs each, alternating:"
for r in $(seq 1 "$runs"); do
  w=$(time_ms wcr_one); c=$(time_ms ctr_one)
  echo "$w" >>"$work/w1"; echo "$c" >>"$work/c1"
  printf '  run %2d: wcr %8.1f ms   ctr %8.1f ms\n' "$r" "$w" "$c"
done
w1=$(median "$work/w1"); c1=$(median "$work/c1")

echo "$par at once, $rounds rounds, alternating:"
for r in $(seq 1 "$rounds"); do
  w=$(time_ms many wcr); c=$(time_ms many ctr)
  echo "$w" >>"$work/wp"; echo "$c" >>"$work/cp"
  printf '  round %d: wcr %8.1f ms   ctr %8.1f ms\n' "$r" "$w" "$c"
done
wp=$(median "$work/wp"); cp=$(median "$work/cp")

echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "median, one at a time: wcr ${w1} ms, ctr ${c1} ms, ratio $(ratio "$w1" "$c1")"
echo "median, $par at once:  wcr ${wp} ms, ctr ${cp} ms, ratio $(ratio "$wp" "$cp")"
echo "goal one at a time <= 0.85x ctr: $(goal "$w1" "$c1" 0.85)"
echo "goal $par at once <= 0.9x ctr:   $(goal "$wp" "$cp" 0.9)"
