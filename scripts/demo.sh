#!/usr/bin/env bash
# The demo, from a fresh Debian 12 machine (as root, or a user with sudo):
# installs what is missing, builds wcr into build/, then shows it at work
# against a private containerd and a private registry on 127.0.0.1 —
# pull with progress, images, run with --net none and --net host, a
# detached container with ps, logs and rm -f.
#
# Nothing outside a few temporary directories is touched: containerd has
# its own root, state and socket (not /run/containerd), wcr its own state
# (WCR_ROOT), and everything is stopped and removed on exit, also after a
# failure or Ctrl+C.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD

# Not root: install and build as this user, then run the rest with sudo
# (containerd, runc and wcr's mounts need root). WCR=PATH runs that wcr
# instead of building one.
./scripts/deps.sh demo
if [ -z "${WCR:-}" ]; then
  echo "building wcr into build/ ..."
  cmake -S "$top" -B "$top/build" >/dev/null
  cmake --build "$top/build" -j "$(nproc)" --target wcr -- --no-print-directory >/dev/null
fi
wcr=$(realpath "${WCR:-$top/build/src/wcr}")
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "demo: needs root (or sudo)" >&2; exit 1; }
  exec sudo env WCR="$wcr" "$top/scripts/demo.sh"
fi

# Containers still running when the demo stops (a failure, Ctrl+C) would
# keep their shims, which outlive containerd: remove them through wcr, then
# ctr for anything wcr did not make; a shim of our containerd still there
# after that is killed by its pid, with its container, and runc's record
# of it deleted.
cleanup() {
  local rc=$? id d
  trap - EXIT INT TERM
  if [ -n "${CONTAINERD_ADDRESS:-}" ] && [ -S "$CONTAINERD_ADDRESS" ]; then
    for id in $("$wcr" ps -aq 2>/dev/null); do "$wcr" rm -f "$id" >/dev/null 2>&1 || true; done
    for id in $(ctr_ tasks ls -q 2>/dev/null); do ctr_ tasks rm -f "$id" >/dev/null 2>&1 || true; done
  fi
  kill_shims
  containerd_stop
  registry_stop
  rm -rf "$BATS_FILE_TMPDIR"
  if [ -n "${CONTAINERD_NAMESPACE:-}" ]; then
    for d in /run/containerd/runc/"$CONTAINERD_NAMESPACE" /sys/fs/cgroup/"$CONTAINERD_NAMESPACE" \
             /sys/fs/cgroup/*/"$CONTAINERD_NAMESPACE"; do
      [ -d "$d" ] && rmdir "$d" 2>/dev/null || true
    done
  fi
  exit "$rc"
}
kill_shims() {
  [ -n "${CTD_DIR:-}" ] || return 0
  local f pid exe args id
  for f in /proc/[0-9]*/cmdline; do
    pid=${f#/proc/}; pid=${pid%/cmdline}
    exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || continue
    case ${exe##*/} in containerd-shim*) ;; *) continue ;; esac
    args=$(tr '\0' ' ' <"$f" 2>/dev/null) || continue
    case $args in *" $CTD_DIR/"*) ;; *) continue ;; esac
    id=$(sed -n 's/.* -id \([^ ]*\) .*/\1/p' <<<"$args")
    kill -9 $(cat /proc/"$pid"/task/*/children 2>/dev/null) "$pid" 2>/dev/null || true
    [ -z "$id" ] || runc --root "/run/containerd/runc/$CONTAINERD_NAMESPACE" delete --force "$id" >/dev/null 2>&1 || true
  done
}

# The helpers the integration tests use: a private containerd
# (containerd.bash), a private docker-registry (registry.bash) and a
# busybox image built with umoci (images.bash). wcr's own state (logs,
# FIFOs) goes under WCR_ROOT instead of /var/lib/wcr and /run/wcr.
export WCR_SOURCE_DIR=$top BATS_FILE_TMPDIR WCR_ROOT
. tests/integration/containerd.bash
. tests/integration/registry.bash
BATS_FILE_TMPDIR=$(mktemp -d /tmp/wcr-demo.XXXXXX)
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
WCR_ROOT=$BATS_FILE_TMPDIR/wcr
mkdir -p "$WCR_ROOT"

# A namespace of our own: runc keeps its state in /run/containerd/runc/NS
# and wcr puts containers in the cgroup /NS/ID, whichever containerd runs
# them, so a private namespace keeps the demo apart from anything else on
# the machine (and lets the cleanup remove those directories).
export CONTAINERD_NAMESPACE=wcr-demo-${BATS_FILE_TMPDIR##*.}

# show ARG...: print "$ wcr ARG..." (shell-quoted where needed), run it.
show() {
  local line='$ wcr' a
  for a in "$@"; do
    if [[ $a =~ ^[A-Za-z0-9_./:=@%+,-]+$ ]]; then line+=" $a"; else line+=" '${a//\'/\'\\\'\'}'"; fi
  done
  echo
  echo "$line"
  "$wcr" "$@"
}

echo "starting a private containerd and a private registry under $BATS_FILE_TMPDIR ..."
# In process groups of their own (set -m), so that Ctrl+C reaches the demo
# and the command it runs, not the daemons the cleanup still needs.
set -m
containerd_start
registry_start
set +m
registry_push_busybox busybox:latest >/dev/null
img=$REGISTRY/busybox:latest
echo "containerd: $CONTAINERD_ADDRESS (CONTAINERD_ADDRESS); registry: $REGISTRY, holding busybox:latest"
echo "networks: --net none and --net host for now; CNI networks (bridge, NAT) are a later issue."

show version
show pull "$img"
show images ls
# The interfaces a container sees, by name, from /proc/net/dev.
ifaces='echo "interfaces ($(grep -c : /proc/net/dev)): $(grep -o "^ *[^ :]*:" /proc/net/dev | tr -d " :" | tr "\n" " ")"'
show run --rm --net none "$img" sh -c "echo \"hostname: \$(hostname)\"; echo \"id: \$(id)\"; $ifaces"
echo
echo "# the host's interfaces ($(ls /sys/class/net | wc -l)): $(ls /sys/class/net | tr '\n' ' ')"
show run --rm --net host "$img" sh -c "echo \"hostname: \$(hostname)\"; $ifaces"
show run -d --name demo-ticker "$img" sh -c \
  'i=1; while true; do echo "tick $i"; i=$((i + 1)); sleep 0.2; done'
show ps
sleep 1
show logs demo-ticker
show rm -f demo-ticker
show ps -a
echo
echo "demo done; stopping containerd and the registry, removing $BATS_FILE_TMPDIR"
