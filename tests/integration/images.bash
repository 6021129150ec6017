# Test images as OCI image layouts on disk, without a daemon or root:
# umoci builds a busybox image (Debian's busybox-static), mkindex.py builds
# a multi-platform index with Linux and Windows entries. registry.bash
# pushes them; this file only writes directories.
#
# Needs umoci, /bin/busybox (busybox-static), python3; WCR_SOURCE_DIR for
# mkindex.py (set by ctest; defaults to this checkout).

: "${WCR_SOURCE_DIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"

# The Windows builds the default index offers, oldest first: 2019 (17763),
# 2022 (20348, two revisions) and 2025 (26100).
IMAGES_WINDOWS_VERSIONS=(10.0.17763.5458 10.0.20348.2227 10.0.20348.2113 10.0.26100.1742)

# image_busybox DIR [EXTRA_LAYERS [UMOCI_CONFIG_ARG...]]
# Contract: creates the OCI layout DIR (must not exist yet) holding one
# image tagged "bb": a first layer with /bin/busybox, its applets as
# symlinks (sh ls echo cat true false id env sleep hostname ...),
# /etc/passwd (root, wcruser 1234:4321), /etc/group and /tmp; then
# EXTRA_LAYERS (default 0) more layers, layer N adding /layer-N.bin of
# 4096*N random bytes (so every layer digest is new). Config: Cmd ["sh"],
# Env PATH=/bin, then the given `umoci config` arguments, e.g.
# --config.entrypoint sh --config.workingdir /tmp --config.user 1234:4321
# --config.env FOO=bar. Unreferenced blobs are removed. Returns non-zero
# when a tool fails; leaves nothing behind but DIR.
image_busybox() {
  local dir=$1 extra=${2:-0} bundle i
  shift $(($# < 2 ? $# : 2))
  bundle=$(mktemp -d "${BATS_FILE_TMPDIR:-/tmp}/bundle.XXXXXX") || return 1
  rm -rf "$bundle"
  {
    umoci init --layout "$dir" &&
      umoci new --image "$dir:bb" &&
      umoci unpack --rootless --image "$dir:bb" "$bundle"
  } >/dev/null || { rm -rf "$bundle"; return 1; }
  mkdir -p "$bundle/rootfs/bin" "$bundle/rootfs/etc" "$bundle/rootfs/tmp"
  cp /bin/busybox "$bundle/rootfs/bin/busybox"
  for c in sh ls echo cat true false id env sleep hostname pwd printf grep wc head tr stat touch mkdir rm; do
    ln -sf busybox "$bundle/rootfs/bin/$c"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nwcruser:x:1234:4321:wcr user:/home/wcruser:/bin/sh\n' >"$bundle/rootfs/etc/passwd"
  printf 'root:x:0:\nwcrgroup:x:4321:\n' >"$bundle/rootfs/etc/group"
  umoci repack --image "$dir:bb" "$bundle" >/dev/null || { rm -rf "$bundle"; return 1; }
  rm -rf "$bundle"
  for i in $(seq 1 "$extra"); do
    umoci unpack --rootless --image "$dir:bb" "$bundle.$i" >/dev/null &&
      head -c $((4096 * i)) /dev/urandom >"$bundle.$i/rootfs/layer-$i.bin" &&
      umoci repack --image "$dir:bb" "$bundle.$i" >/dev/null || { rm -rf "$bundle.$i"; return 1; }
    rm -rf "$bundle.$i"
  done
  umoci config --image "$dir:bb" --config.cmd sh --config.env PATH=/bin "$@" >/dev/null &&
    umoci gc --layout "$dir" >/dev/null
}

# image_index OUT_DIR BUSYBOX_LAYOUT [ENTRY...]
# Contract: creates the OCI layout OUT_DIR holding one image index tagged
# "multi" and prints the index's digest (sha256:...). ENTRY is linux/amd64
# (the "bb" image of BUSYBOX_LAYOUT, made by image_busybox, its blobs
# copied), linux/arm64 (a tiny image with one small file; never run), or
# windows/amd64:OSVERSION (a layer in the Windows layout: Files/hello.txt
# and Hives/DefaultUser_Delta; the config's os.version is OSVERSION). In
# that order in the index, each with its platform (os.version for Windows).
# Without ENTRY: linux/amd64, linux/arm64 and windows/amd64 at every
# version in IMAGES_WINDOWS_VERSIONS. Blobs are gzip'd tars and JSON whose
# file names are their sha256 digests.
image_index() {
  local out=$1 busybox=$2
  shift 2
  [ $# -gt 0 ] || set -- linux/amd64 linux/arm64 "${IMAGES_WINDOWS_VERSIONS[@]/#/windows/amd64:}"
  mkdir -p "$out" &&
    (cd "$busybox" && umoci gc --layout . >/dev/null) &&
    /usr/bin/python3 "$WCR_SOURCE_DIR/tests/integration/mkindex.py" "$out" "$busybox" multi "$@"
}
