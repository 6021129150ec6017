#!/usr/bin/env bats
# The OS's HTTP client (src/os/*/http.c) through tests/tools/httpget:
# libcurl natively and, when a Windows build tree is at hand, WinHTTP
# under Wine — the same checks for both, against a real registry
# (docker-registry, plain and with htpasswd) and a server that misbehaves
# on purpose (badhttp.py).

load helpers
load registry

setup_file() {
  export HTTPGET="$WCR_BUILD_DIR/tests/tools/httpget"
  [ -x "$HTTPGET" ] || { echo "no $HTTPGET: build the httpget target" >&2; return 1; }
  # The Windows httpget.exe and the wrapper that runs its tree's Wine.
  if [ -z "${WCR_WIN_TOOLS:-}" ] && [ -n "${WCR_WIN_DIR:-}" ]; then
    WCR_WIN_TOOLS="$WCR_WIN_DIR/tests/tools"
  fi
  export WIN_HTTPGET="" WINE_RUN=""
  if [ -n "${WCR_WIN_TOOLS:-}" ] && [ -f "$WCR_WIN_TOOLS/httpget.exe" ] &&
    [ -x "$WCR_WIN_TOOLS/../../wine-run" ]; then
    WIN_HTTPGET="$WCR_WIN_TOOLS/httpget.exe"
    WINE_RUN="$(cd "$WCR_WIN_TOOLS/../.." && pwd)/wine-run"
  fi

  # A registry with basic auth, kept under other names...
  registry_start htpasswd wcr 'pa:ss w0rd'
  export AUTH_REGISTRY=$REGISTRY AUTH_REG_DIR=$REG_DIR AUTH_CREDS=$REGISTRY_CREDS
  registry_push_busybox private/busybox:v1 >"$BATS_FILE_TMPDIR/auth.digest"
  # ...and the plain one the harness knows as REGISTRY.
  registry_start
  registry_push_busybox busybox:latest 2 >"$BATS_FILE_TMPDIR/bb.digest"
  registry_push_index multi:latest >"$BATS_FILE_TMPDIR/multi.digest"

  export BAD_LOG="$BATS_FILE_TMPDIR/bad.log"
  : >"$BAD_LOG"
  /usr/bin/python3 "$WCR_SOURCE_DIR/tests/integration/badhttp.py" "$BATS_FILE_TMPDIR/bad.port" "$BAD_LOG" \
    2>"$BATS_FILE_TMPDIR/bad.err" 3>&- &
  echo $! >"$BATS_FILE_TMPDIR/bad.pid"
  for _ in $(seq 1 100); do
    [ -f "$BATS_FILE_TMPDIR/bad.port" ] && break
    sleep 0.05
  done
  export BAD="127.0.0.1:$(cat "$BATS_FILE_TMPDIR/bad.port")"
}

teardown_file() {
  kill "$(cat "$BATS_FILE_TMPDIR/bad.pid" 2>/dev/null)" 2>/dev/null || true
  registry_stop
  REG_DIR=${AUTH_REG_DIR:-} registry_stop
}

# client native|wine ARG...: httpget ARG... with that build; sets $status,
# $stdout and $stderr (Wine's CRs dropped) and $ms, the time it took.
client() {
  local kind=$1 t0
  shift
  t0=$(date +%s%N)
  if [ "$kind" = wine ]; then
    [ -n "$WIN_HTTPGET" ] || skip "no Windows build tree (configure with -DWCR_WIN_DIR=..., or set WCR_WIN_TOOLS)"
    run_split "$WINE_RUN" "$WIN_HTTPGET" "$@"
  else
    run_split "$HTTPGET" "$@"
  fi
  ms=$((($(date +%s%N) - t0) / 1000000))
  stdout=${stdout//$'\r'/}
  stderr=${stderr//$'\r'/}
}

# The value of response header NAME in $stdout (names without case).
header() {
  printf '%s\n' "$stdout" | awk -v n="$1" 'index($0, ":") { k = substr($0, 1, index($0, ":") - 1);
    if (tolower(k) == tolower(n)) { print substr($0, index($0, ":") + 2); exit } }'
}

# The "body N sha256:HEX" line's length and digest.
body_len() { printf '%s\n' "$stdout" | awk '$1 == "body" { print $2 }'; }
body_digest() { printf '%s\n' "$stdout" | awk '$1 == "body" { print $3 }'; }

# The last request the registry served, as "METHOD PATH".
last_request() { registry_requests | tail -1; }

OCI_MANIFEST=application/vnd.oci.image.manifest.v1+json
OCI_INDEX=application/vnd.oci.image.index.v1+json

t_v2() {
  client "$1" "http://$REGISTRY/v2/"
  [ "$status" -eq 0 ]
  [ "$(printf '%s\n' "$stdout" | head -1)" = "status 200" ]
  [ "$(header Docker-Distribution-Api-Version)" = registry/2.0 ]
  [ "$(body_len)" = 2 ]
  [ "$(last_request)" = "GET /v2/" ]
  tail -1 "$REGISTRY_LOG" | grep -q '"GET /v2/ HTTP/1.1" 200 .*"wcr/'
}
@test "native: GET /v2/ answers 200 with the API version" { t_v2 native; }
@test "wine: GET /v2/ answers 200 with the API version" { t_v2 wine; }

t_auth() {
  client "$1" "http://$AUTH_REGISTRY/v2/"
  [ "$status" -eq 0 ]
  [ "$(printf '%s\n' "$stdout" | head -1)" = "status 401" ]
  [[ "$(header WWW-Authenticate)" == 'Basic realm="wcr-test"' ]]
  client "$1" -H "Authorization: Basic $(printf '%s' "$AUTH_CREDS" | base64 -w0)" "http://$AUTH_REGISTRY/v2/"
  [ "$status" -eq 0 ]
  [ "$(printf '%s\n' "$stdout" | head -1)" = "status 200" ]
  client "$1" -H "Authorization: Basic $(printf 'wcr:wrong' | base64 -w0)" "http://$AUTH_REGISTRY/v2/"
  [ "$(printf '%s\n' "$stdout" | head -1)" = "status 401" ]
  # What was pushed with the credentials is served with them.
  client "$1" -H "Authorization: Basic $(printf '%s' "$AUTH_CREDS" | base64 -w0)" -H "Accept: $OCI_MANIFEST" \
    "http://$AUTH_REGISTRY/v2/private/busybox/manifests/v1"
  [ "$(printf '%s\n' "$stdout" | head -1)" = "status 200" ]
  [ "$(body_digest)" = "$(cat "$BATS_FILE_TMPDIR/auth.digest")" ]
}
@test "native: with htpasswd, /v2/ answers 401 (Basic) and 200 with the credentials" { t_auth native; }
@test "wine: with htpasswd, /v2/ answers 401 (Basic) and 200 with the credentials" { t_auth wine; }

t_manifest() {
  local digest out="$BATS_TEST_TMPDIR/manifest.json"
  digest=$(cat "$BATS_FILE_TMPDIR/bb.digest")
  client "$1" -H "Accept: $OCI_MANIFEST" -o "$out" "http://$REGISTRY/v2/busybox/manifests/latest"
  [ "$status" -eq 0 ]
  [ "$(printf '%s\n' "$stdout" | head -1)" = "status 200" ]
  [ "$(header Content-Type)" = "$OCI_MANIFEST" ]
  [ "$(header Docker-Content-Digest)" = "$digest" ]
  [ "$(body_digest)" = "$digest" ]
  [ "sha256:$(sha256sum "$out" | cut -d' ' -f1)" = "$digest" ]
  [ "$(body_len)" = "$(stat -c %s "$out")" ]
  # The busybox layer and the two extra ones.
  /usr/bin/python3 -c 'import json, sys; m = json.load(open(sys.argv[1]));
assert m["schemaVersion"] == 2 and len(m["layers"]) == 3, m' "$out"
  [ "$(last_request)" = "GET /v2/busybox/manifests/latest" ]
}
@test "native: a manifest by tag, with the Accept header, matches its digest" { t_manifest native; }
@test "wine: a manifest by tag, with the Accept header, matches its digest" { t_manifest wine; }

t_index() {
  local out="$BATS_TEST_TMPDIR/index.json"
  client "$1" -H "Accept: $OCI_INDEX" -o "$out" "http://$REGISTRY/v2/multi/manifests/latest"
  [ "$status" -eq 0 ]
  [ "$(header Content-Type)" = "$OCI_INDEX" ]
  [ "$(body_digest)" = "$(cat "$BATS_FILE_TMPDIR/multi.digest")" ]
  run /usr/bin/python3 -c 'import json, sys
for m in json.load(open(sys.argv[1]))["manifests"]:
    p = m["platform"]
    print(p["os"] + "/" + p["architecture"] + (":" + p["os.version"] if "os.version" in p else ""))' "$out"
  [ "$status" -eq 0 ]
  [ "$output" = "linux/amd64
linux/arm64
windows/amd64:10.0.17763.5458
windows/amd64:10.0.20348.2227
windows/amd64:10.0.20348.2113
windows/amd64:10.0.26100.1742" ]
}
@test "native: a multi-platform index lists Linux and four Windows builds" { t_index native; }
@test "wine: a multi-platform index lists Linux and four Windows builds" { t_index wine; }

t_blob() {
  local layer size out="$BATS_TEST_TMPDIR/layer.tar.gz"
  # The busybox layer: the first and largest.
  read -r layer size < <(curl -s -H "Accept: $OCI_MANIFEST" "http://$REGISTRY/v2/busybox/manifests/latest" |
    /usr/bin/python3 -c 'import json, sys; l = json.load(sys.stdin)["layers"][0]; print(l["digest"], l["size"])')
  [ "$size" -gt 500000 ]
  client "$1" -o "$out" "http://$REGISTRY/v2/busybox/blobs/$layer"
  [ "$status" -eq 0 ]
  [ "$(printf '%s\n' "$stdout" | head -1)" = "status 200" ]
  [ "$(body_digest)" = "$layer" ]
  [ "$(body_len)" = "$size" ]
  [ "sha256:$(sha256sum "$out" | cut -d' ' -f1)" = "$layer" ]
  [ "$(last_request)" = "GET /v2/busybox/blobs/$layer" ]
}
@test "native: a blob arrives whole: its sha256 is its digest" { t_blob native; }
@test "wine: a blob arrives whole: its sha256 is its digest" { t_blob wine; }

t_head() {
  local digest size
  digest=$(cat "$BATS_FILE_TMPDIR/bb.digest")
  size=$(curl -s -H "Accept: $OCI_MANIFEST" "http://$REGISTRY/v2/busybox/manifests/latest" | wc -c)
  client "$1" --head -H "Accept: $OCI_MANIFEST" "http://$REGISTRY/v2/busybox/manifests/latest"
  [ "$status" -eq 0 ]
  [ "$(printf '%s\n' "$stdout" | head -1)" = "status 200" ]
  [ "$(header Docker-Content-Digest)" = "$digest" ]
  [ "$(header Content-Length)" = "$size" ]
  [ "$(body_len)" = 0 ]
  [ "$(last_request)" = "HEAD /v2/busybox/manifests/latest" ]
}
@test "native: HEAD of a manifest gives its digest and length, no body" { t_head native; }
@test "wine: HEAD of a manifest gives its digest and length, no body" { t_head wine; }

t_404() {
  local out="$BATS_TEST_TMPDIR/err.json"
  client "$1" -H "Accept: $OCI_MANIFEST" -o "$out" "http://$REGISTRY/v2/busybox/manifests/nosuchtag"
  [ "$status" -eq 0 ] # an HTTP status is no transport error
  [ "$(printf '%s\n' "$stdout" | head -1)" = "status 404" ]
  grep -q MANIFEST_UNKNOWN "$out"
  client "$1" -o "$out" "http://$REGISTRY/v2/busybox/blobs/sha256:$(printf '%064d' 0)"
  [ "$status" -eq 0 ]
  [ "$(printf '%s\n' "$stdout" | head -1)" = "status 404" ]
}
@test "native: unknown manifests and blobs are 404s, not errors" { t_404 native; }
@test "wine: unknown manifests and blobs are 404s, not errors" { t_404 wine; }

t_tls() {
  client "$1" "https://$REGISTRY/v2/"
  [ "$status" -eq 1 ]
  [[ "$stderr" == "httpget: unavailable: GET https://$REGISTRY/v2/: "* ]]
  [ "$ms" -lt 15000 ]
}
@test "native: https to the registry's plain-http port fails at once as unavailable" { t_tls native; }
@test "wine: https to the registry's plain-http port fails at once as unavailable" { t_tls wine; }

t_refused() {
  local port
  port=$(free_port)
  client "$1" "http://127.0.0.1:$port/v2/"
  [ "$status" -eq 1 ]
  [[ "$stderr" == "httpget: unavailable: GET http://127.0.0.1:$port/v2/: "* ]]
  [ "$ms" -lt 15000 ]
}
@test "native: a refused connection is unavailable" { t_refused native; }
@test "wine: a refused connection is unavailable" { t_refused wine; }

t_redirect() {
  local before
  before=$(wc -l <"$BAD_LOG")
  client "$1" "http://$BAD/redirect"
  [ "$status" -eq 0 ]
  [ "$(printf '%s\n' "$stdout" | head -1)" = "status 302" ]
  [ "$(header Location)" = /elsewhere ]
  [ "$(tail -n +$((before + 1)) "$BAD_LOG")" = "GET /redirect" ] # not followed
}
@test "native: a redirect is reported, not followed" { t_redirect native; }
@test "wine: a redirect is reported, not followed" { t_redirect wine; }

t_interim() {
  local path
  for path in continue interim; do
    client "$1" "http://$BAD/$path"
    [ "$status" -eq 0 ]
    [ "$(printf '%s\n' "$stdout" | grep -c '^status ')" -eq 1 ]
    [ "$(printf '%s\n' "$stdout" | head -1)" = "status 200" ]
    [ "$(header X-Final)" = yes ]
    [ -z "$(header Link)" ]
    [ "$(body_len)" = 5 ]
  done
}
@test "native: 100 Continue and 103 Early Hints are not reported; the final response is" { t_interim native; }
@test "wine: 100 Continue and 103 Early Hints are not reported; the final response is" {
  skip "Wine's WinHTTP rejects an unsolicited 1xx response (ERROR_WINHTTP_INVALID_SERVER_RESPONSE); Windows' skips it"
  t_interim wine
}

t_chunked() {
  client "$1" "http://$BAD/chunked"
  [ "$status" -eq 0 ]
  [ "$(body_len)" = 5 ]
  [ "$(body_digest)" = "sha256:$(printf hello | sha256sum | cut -d' ' -f1)" ]
}
@test "native: a chunked body with a trailer arrives whole" { t_chunked native; }
@test "wine: a chunked body with a trailer arrives whole" { t_chunked wine; }

t_cut() {
  client "$1" "http://$BAD/cut"
  [ "$status" -eq 1 ]
  [[ "$stderr" == "httpget: io: GET http://$BAD/cut: "* ]]
}
@test "native: a body cut short is an I/O error (to retry)" { t_cut native; }
@test "wine: a body cut short is an I/O error (to retry)" { t_cut wine; }

t_stall() {
  local path
  for path in stall-headers stall-body; do
    client "$1" --connect-timeout 1000 --stall-timeout 1000 "http://$BAD/$path"
    [ "$status" -eq 1 ]
    [[ "$stderr" == "httpget: timeout: GET http://$BAD/$path: "* ]]
    [ "$ms" -lt 10000 ]
  done
}
@test "native: a server that stops sending times out after the stall timeout" { t_stall native; }
@test "wine: a server that stops sending times out after the stall timeout" { t_stall wine; }

t_cancel() {
  local path
  for path in stall-headers stall-body; do
    client "$1" --cancel-after 300 "http://$BAD/$path"
    [ "$status" -eq 1 ]
    [[ "$stderr" == "httpget: cancelled: GET http://$BAD/$path: cancelled"* ]]
    [ "$ms" -lt 5000 ] # the stall timeout (60 s) played no part
  done
}
@test "native: a cancel from another thread ends a waiting request" { t_cancel native; }
@test "wine: a cancel from another thread ends a waiting request" { t_cancel wine; }

t_post() {
  local before
  before=$(wc -l <"$BAD_LOG")
  client "$1" -X POST -d 'grant_type=password' "http://$BAD/token"
  [ "$status" -eq 0 ]
  [ "$(printf '%s\n' "$stdout" | head -1)" = "status 200" ]
  [ "$(tail -n +$((before + 1)) "$BAD_LOG")" = "POST /token" ]
}
@test "native: POST sends its body" { t_post native; }
@test "wine: POST sends its body" { t_post wine; }

# Through a proxy from the environment: badhttp.py stands in for it (it
# logs the URL a proxied request names and answers 200 "ok").
t_proxy() {
  export HTTP_PROXY="http://$BAD" http_proxy="http://$BAD" HTTPS_PROXY="http://$BAD" NO_PROXY= no_proxy=
  client "$1" "http://$REGISTRY/v2/via-proxy-$1"
  [ "$status" -eq 0 ]
  [ "$(printf '%s\n' "$stdout" | head -1)" = "status 200" ]
  # the request went to the proxy, not the registry (which has no such
  # path); curl names the absolute URL, Wine's WinHTTP only the path
  grep -Eqx "GET (http://$REGISTRY)?/v2/via-proxy-$1" "$BAD_LOG"
  # NO_PROXY names the host: straight to the registry
  export NO_PROXY=127.0.0.1 no_proxy=127.0.0.1
  client "$1" "http://$REGISTRY/v2/"
  unset HTTP_PROXY http_proxy HTTPS_PROXY NO_PROXY no_proxy
  [ "$status" -eq 0 ]
  [ "$(header Docker-Distribution-Api-Version)" = registry/2.0 ]
}
@test "native: HTTP_PROXY/HTTPS_PROXY are used, and NO_PROXY bypasses them" { t_proxy native; }
@test "wine: HTTP_PROXY/HTTPS_PROXY are used, and NO_PROXY bypasses them" { t_proxy wine; }
