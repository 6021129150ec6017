#!/usr/bin/env bash
# Install, with apt-get, the Debian packages wcr needs that are missing.
# usage: scripts/deps.sh build|demo|test
# Quiet and idempotent: nothing happens when everything is there.
set -euo pipefail

build=(cmake make gcc pkg-config git libc6-dev libcurl4-openssl-dev libssl-dev zlib1g-dev)
# What running containers needs, and what the demo and the tests use to
# stand up a private containerd and registry (tests/integration/*.bash:
# python3 picks a free port, curl waits for the registry).
runtime=(containerd runc docker-registry skopeo umoci busybox-static
         containernetworking-plugins iproute2 util-linux python3 curl)
testing=(gcc-mingw-w64-x86-64 libz-mingw-w64-dev wine64 bats clang libclang-rt-14-dev
         protobuf-compiler libprotobuf-dev golang-github-containerd-containerd-dev
         golang-github-opencontainers-specs-dev python3-jsonschema valgrind
         tmux procps apache2-utils time)

case "${1:-}" in
  build) want=("${build[@]}") ;;
  demo) want=("${build[@]}" "${runtime[@]}") ;;
  test) want=("${build[@]}" "${runtime[@]}" "${testing[@]}") ;;
  *) echo "usage: $0 build|demo|test" >&2; exit 2 ;;
esac

missing=()
for pkg in "${want[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${missing[@]}" >/dev/null
