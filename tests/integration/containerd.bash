# A private containerd for a bats file: its own root, state, sockets and
# config (the CRI plugin off), started in setup_file and stopped, with its
# directories removed, in teardown_file — also when a test failed.
#
#   load containerd
#   setup_file() { containerd_start; }
#   teardown_file() { containerd_stop; }
#
# Exports CONTAINERD_ADDRESS (so wcr and ctr use it) and CTD_DIR.

containerd_start() {
  command -v containerd >/dev/null || { echo "containerd is not installed" >&2; return 1; }
  # Short path: unix socket paths are limited to 107 bytes.
  CTD_DIR=$(mktemp -d /tmp/wcr-ctd.XXXXXX)
  export CTD_DIR
  mkdir -p "$CTD_DIR/root" "$CTD_DIR/state"
  cat >"$CTD_DIR/config.toml" <<CONF
version = 2
root = "$CTD_DIR/root"
state = "$CTD_DIR/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$CTD_DIR/c.sock"
[ttrpc]
  address = "$CTD_DIR/c.sock.ttrpc"
[debug]
  address = "$CTD_DIR/debug.sock"
[metrics]
  address = ""
CONF
  containerd --config "$CTD_DIR/config.toml" >"$CTD_DIR/containerd.log" 2>&1 3>&- &
  echo $! >"$CTD_DIR/pid"
  export CONTAINERD_ADDRESS="$CTD_DIR/c.sock"
  # Wait until it answers (normally well under a second).
  local i
  for i in $(seq 1 100); do
    if ctr --address "$CONTAINERD_ADDRESS" version >/dev/null 2>&1; then
      return 0
    fi
    kill -0 "$(cat "$CTD_DIR/pid")" 2>/dev/null || break
    sleep 0.1
  done
  echo "containerd did not start; its log:" >&2
  cat "$CTD_DIR/containerd.log" >&2
  containerd_stop
  return 1
}

# Stop it (SIGTERM, then SIGKILL) and remove everything it made.
containerd_stop() {
  [ -n "${CTD_DIR:-}" ] && [ -d "$CTD_DIR" ] || return 0
  local pid
  pid=$(cat "$CTD_DIR/pid" 2>/dev/null || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    # Tasks a failed test left running: their shims would outlive the
    # daemon (and keep bats' output open).
    local ns t
    for ns in $(ctr --address "$CTD_DIR/c.sock" namespaces ls -q 2>/dev/null); do
      for t in $(ctr --address "$CTD_DIR/c.sock" -n "$ns" tasks ls -q 2>/dev/null); do
        ctr --address "$CTD_DIR/c.sock" -n "$ns" tasks kill -a -s SIGKILL "$t" >/dev/null 2>&1 || true
        ctr --address "$CTD_DIR/c.sock" -n "$ns" tasks delete -f "$t" >/dev/null 2>&1 || true
      done
    done
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  pkill -9 -f "containerd-shim.* -address $CTD_DIR/" 2>/dev/null || true
  # Snapshot mounts left by a failed test would keep the root busy.
  { grep -o " $CTD_DIR[^ ]*" /proc/mounts 2>/dev/null || true; } | sort -r | while read -r m; do
    umount -l "$m" 2>/dev/null || true
  done
  rm -rf "$CTD_DIR"
}

# Restart the same daemon (same root), e.g. after stopping it mid-call.
containerd_restart() {
  local pid
  pid=$(cat "$CTD_DIR/pid")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  containerd --config "$CTD_DIR/config.toml" >>"$CTD_DIR/containerd.log" 2>&1 3>&- &
  echo $! >"$CTD_DIR/pid"
  for _ in $(seq 1 100); do
    ctr --address "$CONTAINERD_ADDRESS" version >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  return 1
}

ctr_() { ctr --address "$CONTAINERD_ADDRESS" "$@"; }
