# A private registry (Debian's docker-registry) on 127.0.0.1 for a bats
# file, optional htpasswd basic auth, a fault-injecting proxy in front of
# it (regproxy.py), and test images built with umoci and skopeo.
#
#   load registry
#   setup_file() { registry_start; }        # or: registry_start htpasswd USER PASS
#   teardown_file() { registry_stop; }
#
# Exports REGISTRY (127.0.0.1:PORT), REG_DIR, REG_LOG (one line per request).

free_port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# registry_start [htpasswd USER PASS]
registry_start() {
  REG_DIR=$(mktemp -d /tmp/wcr-reg.XXXXXX)
  export REG_DIR
  mkdir -p "$REG_DIR/data"
  local port auth=""
  port=$(free_port)
  if [ "${1:-}" = htpasswd ]; then
    htpasswd -Bbn "$2" "$3" >"$REG_DIR/htpasswd" 2>/dev/null
    auth="auth:
  htpasswd:
    realm: wcr-test
    path: $REG_DIR/htpasswd"
  fi
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
$auth
CONF
  docker-registry serve "$REG_DIR/config.yml" >"$REG_DIR/registry.log" 2>&1 3>&- &
  echo $! >"$REG_DIR/pid"
  export REGISTRY="127.0.0.1:$port"
  export REG_LOG="$REG_DIR/registry.log"
  for _ in $(seq 1 100); do
    curl -s -o /dev/null "http://$REGISTRY/v2/" && return 0
    sleep 0.1
  done
  echo "the registry did not start:" >&2
  cat "$REG_LOG" >&2
  registry_stop
  return 1
}

registry_stop() {
  proxy_stop
  [ -n "${REG_DIR:-}" ] && [ -d "$REG_DIR" ] || return 0
  kill "$(cat "$REG_DIR/pid" 2>/dev/null)" 2>/dev/null || true
  rm -rf "$REG_DIR"
}

# Requests the registry served, as "METHOD PATH" lines.
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

# image_busybox DIR [EXTRA_LAYERS]: an OCI layout DIR holding image "bb"
# (busybox from busybox-static, sh as Cmd, PATH set), with EXTRA_LAYERS
# more layers of one small file each.
image_busybox() {
  local dir=$1 extra=${2:-0} bundle
  bundle=$(mktemp -d "${BATS_FILE_TMPDIR:-/tmp}/bundle.XXXXXX")
  rm -rf "$bundle"
  umoci init --layout "$dir" >/dev/null
  umoci new --image "$dir:bb" >/dev/null
  umoci unpack --rootless --image "$dir:bb" "$bundle" >/dev/null
  mkdir -p "$bundle/rootfs/bin" "$bundle/rootfs/etc" "$bundle/rootfs/tmp"
  cp /bin/busybox "$bundle/rootfs/bin/busybox"
  for c in sh ls echo cat true false id env sleep hostname pwd printf grep wc head tr stat touch mkdir rm; do
    ln -sf busybox "$bundle/rootfs/bin/$c"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nwcruser:x:1234:4321:wcr user:/home/wcruser:/bin/sh\n' >"$bundle/rootfs/etc/passwd"
  printf 'root:x:0:\nwcrgroup:x:4321:\n' >"$bundle/rootfs/etc/group"
  umoci repack --image "$dir:bb" "$bundle" >/dev/null
  local i
  for i in $(seq 1 "$extra"); do
    umoci unpack --rootless --image "$dir:bb" "$bundle.$i" >/dev/null
    head -c $((4096 * i)) /dev/urandom >"$bundle.$i/rootfs/layer-$i.bin"
    umoci repack --image "$dir:bb" "$bundle.$i" >/dev/null
    rm -rf "$bundle.$i"
  done
  umoci config --image "$dir:bb" --config.cmd sh --config.env PATH=/bin >/dev/null
  umoci gc --layout "$dir" >/dev/null
  rm -rf "$bundle"
}

# push_image LAYOUT:TAG NAME:TAG [REGISTRY]: push a single image.
push_image() {
  skopeo copy -q --dest-tls-verify=false "oci:$1" "docker://${3:-$REGISTRY}/$2" >/dev/null
}

# push_index BUSYBOX_LAYOUT NAME:TAG ENTRY...: a multi-platform index (see
# mkindex.py) pushed as NAME:TAG. Prints the index digest.
push_index() {
  local busybox=$1 name=$2 dir
  shift 2
  dir=$(mktemp -d "${BATS_FILE_TMPDIR:-/tmp}/index.XXXXXX")
  rm -rf "$dir" && mkdir -p "$dir"
  (cd "$busybox" && umoci gc --layout . >/dev/null)
  local digest
  digest=$(/usr/bin/python3 "$WCR_SOURCE_DIR/tests/integration/mkindex.py" "$dir" "$busybox" multi "$@")
  skopeo copy -q --all --dest-tls-verify=false "oci:$dir:multi" "docker://$REGISTRY/$name" >/dev/null
  rm -rf "$dir"
  echo "$digest"
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
