#!/usr/bin/env bats
# wcr pull against a real registry (docker-registry) and a real containerd.

load helpers
load containerd
load registry

setup_file() {
  containerd_start
  registry_start
  export IMAGES="$BATS_FILE_TMPDIR/images"
  mkdir -p "$IMAGES"
  image_busybox "$IMAGES/bb" 3
  push_image "$IMAGES/bb:bb" busybox:latest
  push_image "$IMAGES/bb:bb" other/busybox:v1
  push_index "$IMAGES/bb" multi:latest linux/amd64 linux/arm64 windows/amd64:10.0.17763.5458 \
    windows/amd64:10.0.20348.2113 windows/amd64:10.0.20348.2227 windows/amd64:10.0.26100.1742 \
    >"$BATS_FILE_TMPDIR/multi.digest"
}

teardown_file() {
  registry_stop
  containerd_stop
}

# The config digest of REPO:TAG in the registry.
image_config_digest() {
  curl -s -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$REGISTRY/v2/$1/manifests/$2" |
    /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["config"]["digest"])'
}

# Blob downloads the registry served since the given log line count.
blob_gets_since() {
  registry_requests | tail -n +$(($1 + 1)) | grep -c '^GET /v2/.*/blobs/' || true
}

@test "pull by tag: progress, then REF: DIGEST last; ctr sees and runs the image" {
  run_split "$WCR" pull "$REGISTRY/busybox:latest"
  [ "$status" -eq 0 ]
  last=$(printf '%s\n' "$stdout" | tail -1)
  [[ "$last" =~ ^$REGISTRY/busybox:latest:\ sha256:[0-9a-f]{64}$ ]]
  [[ "$stdout" == *"Pull complete"* ]]
  [[ "$stdout" == *"platform linux/amd64"* ]]
  ctr_ images ls -q | grep -qx "$REGISTRY/busybox:latest"
  run ctr_ run --rm "$REGISTRY/busybox:latest" wcr-pull-check echo hello-from-ctr
  [ "$status" -eq 0 ]
  [ "$output" = hello-from-ctr ]
}

@test "the unpacked chain is in the snapshotter and the config holds it for the GC" {
  "$WCR" pull -q "$REGISTRY/busybox:latest" >/dev/null
  chain=$("$WCR" images inspect "$REGISTRY/busybox:latest" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["ChainIDs"][-1])')
  ctr_ snapshots ls | grep -q "^$chain "
  cfg=$("$WCR" images inspect "$REGISTRY/busybox:latest" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["Manifest"]["config"]["digest"])')
  ctr_ content ls | grep "^$cfg" | grep -q "containerd.io/gc.ref.snapshot.overlayfs=$chain"
  ctr_ content ls | grep -q "containerd.io/distribution.source.$REGISTRY=busybox"
}

@test "a second pull downloads nothing" {
  "$WCR" pull -q "$REGISTRY/busybox:latest" >/dev/null
  before=$(registry_requests | wc -l)
  run "$WCR" pull "$REGISTRY/busybox:latest"
  [ "$status" -eq 0 ]
  [ "$(blob_gets_since "$before")" -eq 1 ] # the config, checked against the manifest
  [[ "$output" == *"Already exists"* ]]
}

@test "pull by digest" {
  digest=$(curl -s -I -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    "http://$REGISTRY/v2/other/busybox/manifests/v1" | tr -d '\r' | awk -F': ' 'tolower($1)=="docker-content-digest"{print $2}')
  [ -n "$digest" ]
  run "$WCR" pull "$REGISTRY/other/busybox@$digest"
  [ "$status" -eq 0 ]
  [[ "$(printf '%s\n' "$output" | tail -1)" == "$REGISTRY/other/busybox@$digest: $digest" ]]
}

@test "a multi-platform index resolves to linux/amd64 here; ctr runs it" {
  run "$WCR" pull "$REGISTRY/multi:latest"
  [ "$status" -eq 0 ]
  [[ "$output" == *"platform linux/amd64"* ]]
  [[ "$(printf '%s\n' "$output" | tail -1)" == "$REGISTRY/multi:latest: $(cat "$BATS_FILE_TMPDIR/multi.digest")" ]]
  run ctr_ run --rm "$REGISTRY/multi:latest" wcr-multi-check echo multi-ok
  [ "$output" = multi-ok ]
  run "$WCR" images ls
  [[ "$output" == *"linux/amd64,linux/arm64,windows/amd64:10.0.17763.5458"* ]]
}

# pull_as_host BUILD: pull multi:latest as a simulated Windows host.
pull_as_host() {
  run_split env WCR_HOST_PLATFORM="windows/amd64:10.0.$1" "$WCR" pull "${@:2}" "$REGISTRY/multi:latest"
}

@test "simulated Windows hosts pick the right os.version and do not unpack" {
  pull_as_host 17763.6000
  [ "$status" -eq 0 ]
  [[ "$stdout" == *"platform windows/amd64:10.0.17763.5458"* ]]
  [[ "$stdout" == *"is a windows image: fetched, not unpacked (wcr runs on linux)"* ]]
  pull_as_host 20348.2300
  [[ "$stdout" == *"platform windows/amd64:10.0.20348.2227"* ]]
  pull_as_host 22631.4000
  [[ "$stdout" == *"platform windows/amd64:10.0.20348.2227"* ]]
  pull_as_host 26100.2000
  [[ "$stdout" == *"platform windows/amd64:10.0.26100.1742"* ]]
  [ "$status" -eq 0 ]
}

@test "an incompatible host is refused with what the tag offers, before any blob is fetched" {
  before=$(registry_requests | wc -l)
  pull_as_host 19041.1000
  [ "$status" -eq 125 ]
  [[ "$stderr" == *"it offers: linux/amd64, linux/arm64, windows/amd64 10.0.17763.5458"* ]]
  [[ "$stderr" == *"--isolation hyperv"* ]]
  [ "$(blob_gets_since "$before")" -eq 0 ]
  # With Hyper-V isolation the older image is acceptable.
  pull_as_host 19041.1000 --isolation hyperv
  [ "$status" -eq 0 ]
  [[ "$stdout" == *"platform windows/amd64:10.0.17763.5458"* ]]
}

@test "--all-platforms fetches every platform even when none fits the host, and unpacks none" {
  pull_as_host 19041.1000 --all-platforms --namespace allplat
  [ "$status" -eq 0 ]
  [[ "$stdout" == *"--all-platforms: fetching every platform, unpacking none"* ]]
  # every manifest of the index is in the content store; no snapshot made
  manifests=$(curl -s -H 'Accept: application/vnd.oci.image.index.v1+json' "http://$REGISTRY/v2/multi/manifests/latest" |
    /usr/bin/python3 -c 'import json,sys; print("\n".join(m["digest"] for m in json.load(sys.stdin)["manifests"]))')
  [ "$(printf '%s\n' "$manifests" | wc -l)" -eq 6 ]
  for m in $manifests; do
    ctr_ -n allplat content ls -q | grep -qx "$m"
  done
  [ -z "$(ctr_ -n allplat snapshots ls | tail -n +2)" ]
}

@test "a Linux-only image on a simulated Windows host is refused the same way" {
  before=$(registry_requests | wc -l)
  run_split env WCR_HOST_PLATFORM=windows/amd64:10.0.20348.2113 "$WCR" pull "$REGISTRY/busybox:latest"
  [ "$status" -eq 125 ]
  [[ "$stderr" == *"this is a Linux image; a Windows host cannot run it"* ]]
  # Only the config is read (a lone manifest says its platform there), no layer.
  [ "$(blob_gets_since "$before")" -eq 1 ]
  registry_requests | tail -n +$((before + 1)) | grep '/blobs/' | grep -q "$(image_config_digest busybox latest)"
}

@test "--platform picks another platform; its layers are recorded, not unpacked" {
  run "$WCR" pull --platform linux/arm64 "$REGISTRY/multi:latest"
  [ "$status" -eq 0 ]
  [[ "$output" == *"platform linux/arm64"* ]]
  run "$WCR" pull --platform windows/amd64:10.0.26100 "$REGISTRY/multi:latest"
  [ "$status" -eq 0 ]
  [[ "$output" == *"platform windows/amd64:10.0.26100.1742"* ]]
}

@test "bad references and registries give clear errors" {
  run_split "$WCR" pull "Busybox"
  [ "$status" -eq 125 ]
  [[ "$stderr" == *'repository name must be lowercase'* ]]
  run_split "$WCR" pull "$REGISTRY/no-such-image:latest"
  [ "$status" -eq 125 ]
  [[ "$stderr" == *"the registry answered 404"* ]]
  [[ "$stderr" == *"MANIFEST_UNKNOWN"* ]]
  run_split "$WCR" pull "127.0.0.1:1/busybox:latest"
  [ "$status" -eq 125 ]
  [[ "$stderr" == *"127.0.0.1:1"* ]]
  # a local registry is tried over https, then http: both reasons are told
  [[ "$stderr" == *"GET http://127.0.0.1:1/"*"(over https first: GET https://127.0.0.1:1/"* ]]
}

@test "a registry that answers 500 at first is retried" {
  proxy_start
  proxy_plan '{"fail_manifest": 1, "fail_blob": 2}'
  run "$WCR" pull "$PROXY/busybox:latest"
  proxy_stop
  [ "$status" -eq 0 ]
}

@test "a blob cut off mid-transfer is resumed with Range" {
  unique_image cut
  proxy_start
  proxy_plan '{"cut_blob_after": 100000}'
  run "$WCR" -n cut pull "$PROXY/cut:latest"
  proxy_stop
  [ "$status" -eq 0 ]
  grep -q 'range=bytes=100000-' "$PROXY_LOG"
  run ctr_ -n cut run --rm "$PROXY/cut:latest" wcr-cut-check cat /etc/passwd
  [[ "$output" == root:* ]]
}

@test "a blob with the wrong digest is refused; nothing committed, no image record" {
  unique_image corrupt
  proxy_start
  proxy_plan '{"corrupt_blobs": true}'
  run_split "$WCR" -n corrupt pull "$PROXY/corrupt:latest"
  proxy_stop
  [ "$status" -eq 125 ]
  [[ "$stderr" == *"does not match"* ]]
  [ -z "$(ctr_ -n corrupt images ls -q)" ]
  [ -z "$(ctr_ -n corrupt content ls -q)" ]
}

@test "bearer tokens from a token server, with -u and from ~/.docker/config.json" {
  proxy_start
  proxy_plan '{"token_auth": true, "user": "alice", "password": "s3cret", "repo": "busybox"}'
  run_split "$WCR" -n auth pull "$PROXY/busybox:latest"
  [ "$status" -eq 125 ]
  [[ "$stderr" == *"401"* || "$stderr" == *"authenticate"* ]]
  [[ "$stderr" == *"-u USER:PASSWORD"* ]]
  run "$WCR" -n auth pull -u alice:s3cret "$PROXY/busybox:latest"
  [ "$status" -eq 0 ]
  run_split "$WCR" -n auth pull -u alice:wrong "$PROXY/busybox:latest"
  [ "$status" -eq 125 ]
  mkdir -p "$BATS_TEST_TMPDIR/docker"
  printf '{"auths":{"%s":{"auth":"%s"}}}' "$PROXY" "$(printf 'alice:s3cret' | base64)" >"$BATS_TEST_TMPDIR/docker/config.json"
  run env DOCKER_CONFIG="$BATS_TEST_TMPDIR/docker" "$WCR" -n auth pull "$PROXY/busybox:latest"
  [ "$status" -eq 0 ]
  proxy_stop
  # The password never shows in the debug output.
  ! grep -q s3cret "$PROXY_LOG" || false
}

@test "credential helpers named by credsStore and credHelpers are asked, as Docker asks them" {
  bin="$BATS_TEST_TMPDIR/bin" cfg="$BATS_TEST_TMPDIR/docker"
  mkdir -p "$bin" "$cfg"
  # docker-credential-NAME get: the server on stdin, JSON on stdout.
  {
    echo '#!/bin/sh'
    echo '[ "$1" = get ] || exit 2'
    echo 'server=$(cat)'
    echo "echo \"\$server\" >>'$BATS_TEST_TMPDIR/helper.log'"
    echo 'case "$server" in'
    echo '  127.0.0.1:*) printf "{\"ServerURL\":\"%s\",\"Username\":\"alice\",\"Secret\":\"s3cret\"}" "$server" ;;'
    echo '  *) echo "credentials not found in native keychain"; exit 1 ;;'
    echo 'esac'
  } >"$bin/docker-credential-wcrtest"
  printf '#!/bin/sh\necho "credentials not found in native keychain"; exit 1\n' >"$bin/docker-credential-empty"
  printf '#!/bin/sh\necho %s\n' "'{\"Username\":\"<token>\",\"Secret\":\"r3fr3sh\"}'" >"$bin/docker-credential-token"
  printf '#!/bin/sh\necho "the keychain is locked"; exit 3\n' >"$bin/docker-credential-broken"
  chmod +x "$bin"/docker-credential-*
  proxy_start
  proxy_plan '{"token_auth": true, "user": "alice", "password": "s3cret", "repo": "busybox", "refresh_token": "r3fr3sh"}'
  helper_pull() {
    printf '%s' "$1" >"$cfg/config.json"
    run_split env PATH="$bin:$PATH" DOCKER_CONFIG="$cfg" "$WCR" -n helpers pull "$PROXY/busybox:latest"
  }
  helper_pull '{"credsStore":"wcrtest"}'
  [ "$status" -eq 0 ]
  [ "$(cat "$BATS_TEST_TMPDIR/helper.log")" = "$PROXY" ]
  # credHelpers for this registry wins over credsStore and over auths
  wrong=$(printf 'alice:wrong' | base64)
  helper_pull "{\"credsStore\":\"empty\",\"credHelpers\":{\"$PROXY\":\"wcrtest\"},\"auths\":{\"$PROXY\":{\"auth\":\"$wrong\"}}}"
  [ "$status" -eq 0 ]
  # nothing stored: anonymous, and the registry's refusal says what to do
  helper_pull '{"credsStore":"empty"}'
  [ "$status" -eq 125 ]
  [[ "$stderr" == *"-u USER:PASSWORD"* ]]
  helper_pull '{"credsStore":"missing"}'
  [ "$status" -eq 125 ]
  [[ "$stderr" == *"docker-credential-missing is not on PATH"* ]]
  helper_pull '{"credsStore":"broken"}'
  [ "$status" -eq 125 ]
  [[ "$stderr" == *"docker-credential-broken get $PROXY: exit status 3: the keychain is locked"* ]]
  # an identity token (az acr login) is traded for an access token with
  # the OAuth2 POST, from a helper and from config.json's identitytoken
  : >"$PROXY_LOG"
  helper_pull '{"credsStore":"token"}'
  [ "$status" -eq 0 ]
  grep -q '^POST /token grant=refresh_token' "$PROXY_LOG"
  helper_pull "{\"auths\":{\"$PROXY\":{\"identitytoken\":\"r3fr3sh\"}}}"
  [ "$status" -eq 0 ]
  helper_pull "{\"auths\":{\"$PROXY\":{\"identitytoken\":\"stale\"}}}"
  [ "$status" -eq 125 ]
  [[ "$stderr" == *"refused the identity token"* ]]
  proxy_stop
  ! grep -q r3fr3sh "$PROXY_LOG" || false  # the token is in the form body only
  ! grep -q s3cret "$PROXY_LOG" || false
}

@test "a redirect to another host gets no Authorization header" {
  proxy_start
  proxy_plan '{"token_auth": true, "user": "alice", "password": "s3cret", "repo": "busybox", "redirect_blobs": true}'
  run "$WCR" -n redirect pull -u alice:s3cret "$PROXY/busybox:latest"
  proxy_stop
  [ "$status" -eq 0 ]
  grep -q 'host=127.0.0.2.*auth=-' "$PROXY_LOG"
  ! grep -q 'host=127.0.0.2.*auth=Bearer' "$PROXY_LOG" || false
}

@test "basic auth with an htpasswd registry" {
  # A second registry, in a subshell so the first one's variables stay.
  (
    trap registry_stop EXIT
    registry_start htpasswd bob hunter2
    skopeo copy -q --dest-tls-verify=false --dest-creds bob:hunter2 "oci:$IMAGES/bb:bb" \
      "docker://$REGISTRY/private:1" >/dev/null
    run_split "$WCR" -n basic pull "$REGISTRY/private:1"
    [ "$status" -eq 125 ]
    [[ "$stderr" == *"requires a user name and password"* ]]
    run_split "$WCR" -n basic pull -u bob:hunter2 "$REGISTRY/private:1"
    [ "$status" -eq 0 ]
  )
}

@test "Ctrl+C mid-pull stops promptly, releases the lease, and the next pull resumes" {
  unique_image intr
  proxy_start
  # Only the 2 MiB random layer is slow: the busybox layer is in when Ctrl+C comes.
  proxy_plan '{"slow_blob_bytes_per_second": 200000, "slow_min_size": 1500000}'
  "$WCR" -n intr pull "$PROXY/intr:latest" >"$BATS_TEST_TMPDIR/out" 2>&1 &
  pid=$!
  sleep 2.5
  kill -INT "$pid"
  t0=$(date +%s%N)
  rc=0
  wait "$pid" || rc=$?
  t1=$(date +%s%N)
  [ "$rc" -eq 130 ]
  [ $(((t1 - t0) / 1000000)) -lt 3000 ]
  grep -q "interrupted" "$BATS_TEST_TMPDIR/out"
  ! ctr_ -n intr leases ls -q | grep -q wcr-pull- || false  # the pull's own lease is gone
  [ -z "$(ctr_ -n intr images ls -q)" ]
  # The finished layer is kept (by its download's expiring lease).
  kept=$(ctr_ -n intr content ls -q)
  [ -n "$kept" ]
  proxy_plan '{}'
  : >"$PROXY_LOG"
  run "$WCR" -n intr pull "$PROXY/intr:latest"
  proxy_stop
  [ "$status" -eq 0 ]
  grep -q 'range=bytes=[1-9]' "$PROXY_LOG"
  for d in $kept; do
    ! grep -q "GET .*/blobs/$d" "$PROXY_LOG" || false
  done
  # A completed pull leaves no download lease behind.
  ! ctr_ -n intr leases ls -q | grep -q wcr-ingest- || false
}

@test "containerd restarted mid-pull: the pull fails clearly, the next one completes" {
  unique_image restart
  proxy_start
  proxy_plan '{"slow_blob_bytes_per_second": 300000}'
  "$WCR" -n restart pull "$PROXY/restart:latest" >"$BATS_TEST_TMPDIR/out" 2>&1 &
  pid=$!
  sleep 2
  containerd_restart
  rc=0
  wait "$pid" || rc=$?
  [ "$rc" -eq 125 ]
  grep -q "containerd" "$BATS_TEST_TMPDIR/out"
  proxy_plan '{}'
  run "$WCR" -n restart pull "$PROXY/restart:latest"
  proxy_stop
  [ "$status" -eq 0 ]
  run ctr_ -n restart run --rm "$PROXY/restart:latest" wcr-restart-check echo after-restart
  [ "$output" = after-restart ]
}

@test "the WinHTTP client under Wine fetches a manifest and a blob from the registry" {
  [ -n "${WCR_WIN_DIR:-}" ] && [ -x "$WCR_WIN_DIR/wine-run" ] || skip "no Windows build tree (WCR_WIN_DIR)"
  layer=$(curl -s -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$REGISTRY/v2/busybox/manifests/latest" |
    /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["layers"][0]["digest"])')
  run "$WCR_WIN_DIR/wine-run" "$WCR_WIN_DIR/tests/tools/regfetch.exe" "$REGISTRY" busybox latest "$layer"
  [ "$status" -eq 0 ]
  [[ "$output" == *"manifest sha256:"* ]]
  [[ "$output" == *"blob $layer "* ]]
}
