# A private registry (Debian's docker-registry) on 127.0.0.1 for a bats
# file, optional htpasswd basic auth, a fault-injecting proxy in front of
# it (regproxy.py), and pushing test images (built by images.bash) with
# skopeo.
#
#   load registry
#   setup_file() { registry_start; }        # or: registry_start htpasswd USER PASS
#   teardown_file() { registry_stop; }
#
# Exports REGISTRY (127.0.0.1:PORT), REG_DIR (private, removed by
# registry_stop), REGISTRY_LOG (= REG_LOG: the access log, one line per
# request), and in htpasswd mode REGISTRY_CREDS (USER:PASS).

source "$(dirname "${BASH_SOURCE[0]}")/images.bash"

# A TCP port nothing listens on right now (the kernel's choice). Another
# process may take it before the registry does: registry_start retries.
free_port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# registry_start [htpasswd USER PASS]
# Contract: starts docker-registry serving 127.0.0.1:PORT from a new
# private directory (REG_DIR: data, config.yml, logs), waits until /v2/
# answers, and exports REGISTRY, REG_DIR, REGISTRY_LOG/REG_LOG. With
# htpasswd, every request needs basic auth as USER:PASS (bcrypt entry made
# by htpasswd -B from apache2-utils; /v2/ answers 401 without it) and
# REGISTRY_CREDS is exported for the push helpers. A port taken meanwhile
# is retried with another. On failure: prints the registry's log, cleans
# up (registry_stop) and returns 1.
registry_start() {
  command -v docker-registry >/dev/null || { echo "docker-registry is not installed" >&2; return 1; }
  REG_DIR=$(mktemp -d /tmp/wcr-reg.XXXXXX)
  export REG_DIR
  mkdir -p "$REG_DIR/data"
  local auth="" port pid
  unset REGISTRY_CREDS
  if [ "${1:-}" = htpasswd ]; then
    htpasswd -Bbn "$2" "$3" >"$REG_DIR/htpasswd" 2>/dev/null || { echo "htpasswd failed" >&2; registry_stop; return 1; }
    export REGISTRY_CREDS="$2:$3"
    auth="auth:
  htpasswd:
    realm: wcr-test
    path: $REG_DIR/htpasswd"
  fi
  # The access log is the registry's stdout (one line per request); its
  # own messages go to stderr.
  export REG_LOG="$REG_DIR/access.log" REGISTRY_LOG="$REG_DIR/access.log"
  for _ in 1 2 3 4 5; do
    port=$(free_port)
    cat >"$REG_DIR/config.yml" <<CONF
version: 0.1
log:
  level: info
  accesslog:
    disabled: false
storage:
  filesystem:
    rootdirectory: $REG_DIR/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
  secret: wcr-test-secret
$auth
CONF
    : >"$REG_DIR/registry.err"
    # docker-registry takes REGISTRY_<KEY> variables as configuration
    # (REGISTRY_LOG would replace the log section): none of ours reach it.
    (
      for v in $(compgen -e REGISTRY_); do unset "$v"; done
      exec docker-registry serve "$REG_DIR/config.yml" >"$REG_LOG" 2>"$REG_DIR/registry.err" 3>&-
    ) &
    pid=$!
    echo "$pid" >"$REG_DIR/pid"
    export REGISTRY="127.0.0.1:$port"
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      if curl -s -m 2 -o /dev/null "http://$REGISTRY/v2/"; then
        return 0
      fi
      sleep 0.1
    done
    # Only a port taken since free_port looked is worth another try; a
    # registry that runs but does not answer is given up on.
    if kill -0 "$pid" 2>/dev/null || ! grep -q "address already in use" "$REG_DIR/registry.err"; then
      break
    fi
  done
  echo "the registry did not start; its log:" >&2
  cat "$REG_DIR/registry.err" "$REG_LOG" >&2
  registry_stop
  return 1
}

# registry_stop
# Contract: stops the proxy and the registry (TERM, then KILL after 5 s)
# and removes REG_DIR with everything in it. Safe to call twice, after a
# failed start, or when nothing was started; always returns 0.
registry_stop() {
  proxy_stop
  [ -n "${REG_DIR:-}" ] && [ -d "$REG_DIR" ] || return 0
  local pid
  pid=$(cat "$REG_DIR/pid" 2>/dev/null || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -rf "$REG_DIR"
  return 0
}

# registry_requests: the requests the registry has served so far, one
# "METHOD PATH" line each, oldest first (from REGISTRY_LOG). Count lines
# before an action and look at the tail after it to see what it fetched.
registry_requests() {
  sed -n 's/.*"\(GET\|HEAD\|PUT\|POST\|PATCH\) \([^ ]*\) HTTP.*/\1 \2/p' "$REG_LOG"
}

# proxy_start: regproxy.py in front of the registry; exports PROXY and
# PROXY_PLAN (write JSON there to change its behaviour), PROXY_LOG.
proxy_start() {
  PROXY_PLAN="$REG_DIR/plan.json"
  PROXY_LOG="$REG_DIR/proxy.log"
  export PROXY_PLAN PROXY_LOG
  echo '{}' >"$PROXY_PLAN"
  : >"$PROXY_LOG"
  rm -f "$REG_DIR/proxy.port"
  /usr/bin/python3 "$WCR_SOURCE_DIR/tests/integration/regproxy.py" "$REGISTRY" "$PROXY_PLAN" "$PROXY_LOG" \
    "$REG_DIR/proxy.port" >/dev/null 2>"$REG_DIR/proxy.err" 3>&- &
  echo $! >"$REG_DIR/proxy.pid"
  for _ in $(seq 1 100); do
    [ -f "$REG_DIR/proxy.port" ] && break
    sleep 0.05
  done
  [ -f "$REG_DIR/proxy.port" ] || { cat "$REG_DIR/proxy.err" >&2; return 1; }
  export PROXY="127.0.0.1:$(cat "$REG_DIR/proxy.port")"
}

proxy_stop() {
  [ -n "${REG_DIR:-}" ] && [ -f "$REG_DIR/proxy.pid" ] || return 0
  kill "$(cat "$REG_DIR/proxy.pid")" 2>/dev/null || true
  rm -f "$REG_DIR/proxy.pid"
}

proxy_plan() { echo "$1" >"$PROXY_PLAN"; }

# The skopeo arguments that reach the test registry (plain http, and
# REGISTRY_CREDS in htpasswd mode).
skopeo_dest_args() {
  printf '%s\n' --dest-tls-verify=false
  [ -z "${REGISTRY_CREDS:-}" ] || printf '%s\n' --dest-creds "$REGISTRY_CREDS"
}

# push_image LAYOUT:TAG NAME:TAG [REGISTRY]: push a single image.
push_image() {
  local args
  mapfile -t args < <(skopeo_dest_args)
  skopeo copy -q "${args[@]}" "oci:$1" "docker://${3:-$REGISTRY}/$2" >/dev/null
}

# push_index BUSYBOX_LAYOUT NAME:TAG [ENTRY...]: a multi-platform index
# (image_index in images.bash) pushed as NAME:TAG with all its images.
# Prints the index digest.
push_index() {
  local busybox=$1 name=$2 dir digest args
  shift 2
  dir=$(mktemp -d "${BATS_FILE_TMPDIR:-/tmp}/index.XXXXXX") || return 1
  mapfile -t args < <(skopeo_dest_args)
  digest=$(image_index "$dir" "$busybox" "$@") &&
    skopeo copy -q --all "${args[@]}" "oci:$dir:multi" "docker://$REGISTRY/$name" >/dev/null ||
    { rm -rf "$dir"; return 1; }
  rm -rf "$dir"
  echo "$digest"
}

# registry_push_busybox NAME:TAG [LAYERS [UMOCI_CONFIG_ARG...]]
# Contract: builds a busybox image (image_busybox: one busybox layer plus
# LAYERS small extra layers, default 0; config Cmd sh, Env PATH=/bin, then
# the given umoci config arguments such as --config.entrypoint,
# --config.workingdir, --config.user, --config.env) and pushes it to the
# registry as NAME:TAG. Prints the pushed manifest's digest (sha256:...),
# which is what GET /v2/NAME/manifests/TAG with the OCI manifest type in
# Accept answers. Leaves nothing behind but the registry's copy.
registry_push_busybox() {
  local ref=$1 layers=${2:-0} dir args
  shift $(($# < 2 ? $# : 2))
  dir=$(mktemp -d "${BATS_FILE_TMPDIR:-/tmp}/busybox.XXXXXX") || return 1
  rm -rf "$dir"
  mapfile -t args < <(skopeo_dest_args)
  image_busybox "$dir" "$layers" "$@" &&
    skopeo copy -q "${args[@]}" --digestfile "$dir.digest" "oci:$dir:bb" "docker://$REGISTRY/$ref" >/dev/null ||
    { rm -rf "$dir" "$dir.digest"; return 1; }
  cat "$dir.digest" && echo
  rm -rf "$dir" "$dir.digest"
}

# registry_push_index NAME:TAG [ENTRY...]
# Contract: pushes a multi-platform OCI image index as NAME:TAG with every
# image it lists (skopeo copy --all) and prints the index digest. ENTRY as
# for image_index: linux/amd64 (busybox, runnable), linux/arm64 (tiny,
# never run), windows/amd64:OSVERSION (a small Windows-layout layer);
# without ENTRY: linux/amd64, linux/arm64 and windows/amd64 at
# 10.0.17763.5458, 10.0.20348.2227, 10.0.20348.2113 and 10.0.26100.1742.
registry_push_index() {
  local ref=$1 bb
  shift
  bb=$(mktemp -d "${BATS_FILE_TMPDIR:-/tmp}/index-bb.XXXXXX") || return 1
  rm -rf "$bb"
  image_busybox "$bb" 0 && push_index "$bb" "$ref" "$@" || { rm -rf "$bb"; return 1; }
  rm -rf "$bb"
}

# unique_image NAME: push NAME:latest, the busybox image of $IMAGES/bb
# plus a 2 MiB layer of random bytes no other image has, so a test sees
# its own downloads (containerd shares blobs and ingests between
# namespaces).
unique_image() {
  local dir="$BATS_TEST_TMPDIR/unique" bundle="$BATS_TEST_TMPDIR/unique-bundle"
  rm -rf "$dir" "$bundle"
  cp -r "$IMAGES/bb" "$dir"
  umoci unpack --rootless --image "$dir:bb" "$bundle" >/dev/null
  head -c $((2 << 20)) /dev/urandom >"$bundle/rootfs/unique.bin"
  umoci repack --image "$dir:bb" "$bundle" >/dev/null
  push_image "$dir:bb" "$1:latest"
  rm -rf "$dir" "$bundle"
}
