#!/usr/bin/env bats
# wcr against a real containerd (Debian's 1.6), side by side with ctr.

load helpers
load containerd

setup_file() {
  containerd_start
}

teardown_file() {
  containerd_stop
}

@test "version shows the same server version and revision as ctr" {
  run "$WCR" version
  [ "$status" -eq 0 ]
  want_version=$(ctr_ version | awk '/^Server:/{s=1} s && /Version:/{print $2; exit}')
  want_revision=$(ctr_ version | awk '/^Server:/{s=1} s && /Revision:/{print $2; exit}')
  [[ "$output" == *"Server:"* ]]
  [[ "$output" == *"Version:   $want_version"* ]]
  [[ "$output" == *"Revision:  $want_revision"* ]]
}

@test "version --format json has client and server" {
  "$WCR" version --format json >"$BATS_TEST_TMPDIR/v.json"
  "$JSONCHECK" "$BATS_TEST_TMPDIR/v.json"
  grep -q '"server"' "$BATS_TEST_TMPDIR/v.json"
}

@test "with no containerd: the client part, then one clear error, exit 125" {
  run_split env CONTAINERD_ADDRESS="$CTD_DIR/nothing.sock" "$WCR" version
  [ "$status" -eq 125 ]
  [[ "$stdout" == *"Client:"* ]]
  [[ "$stdout" != *"Server:"* ]]
  [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
  [[ "$stderr" == "wcr: cannot reach containerd: connect to $CTD_DIR/nothing.sock: No such file or directory (is containerd running? Linux: systemctl status containerd; Windows: Get-Service containerd)" ]]
}

@test "--address beats CONTAINERD_ADDRESS, and unix:// works" {
  run env CONTAINERD_ADDRESS=/nonexistent.sock "$WCR" --address "unix://$CONTAINERD_ADDRESS" version
  [ "$status" -eq 0 ]
  [[ "$output" == *"Server:"* ]]
}

@test "a tcp:// address is refused with a reason" {
  run_split "$WCR" --address tcp://127.0.0.1:1 version
  [ "$status" -eq 125 ]
  [[ "$stderr" == *"only unix:// and npipe:// addresses are supported"* ]]
}

@test "a snapshot prepared by wcr is seen by ctr, and its mounts JSON equals ctr's" {
  "$WCR" snapshots prepare wcr-made "" >"$BATS_TEST_TMPDIR/wcr.json"
  ctr_ snapshots ls | grep -q '^wcr-made '
  ctr_ snapshots prepare --mounts ctr-made "" >"$BATS_TEST_TMPDIR/ctr.json"
  "$WCR" snapshots mounts ctr-made >"$BATS_TEST_TMPDIR/wcr-of-ctr.json"
  diff -u "$BATS_TEST_TMPDIR/ctr.json" "$BATS_TEST_TMPDIR/wcr-of-ctr.json"
  "$JSONCHECK" "$BATS_TEST_TMPDIR/wcr.json"
  "$WCR" snapshots ls | grep -q '^ctr-made '
}

@test "snapshot lifecycle: prepare, commit, view, info, usage, rm" {
  "$WCR" snapshots prepare life-active "" >/dev/null
  mnt=$("$WCR" snapshots mounts life-active | awk -F'"' '/"Source"/{print $4}')
  [ -d "$mnt" ]
  echo hello >"$mnt/file"
  "$WCR" snapshots commit life-base life-active --label wcr.test=1
  run "$WCR" snapshots info life-base
  [ "$status" -eq 0 ]
  [[ "$output" == *'"Kind": "Committed"'* ]]
  [[ "$output" == *'"wcr.test": "1"'* ]]
  "$WCR" snapshots view life-view life-base >"$BATS_TEST_TMPDIR/view.json"
  grep -q '"ro"' "$BATS_TEST_TMPDIR/view.json"
  # GC roots, so that containerd's garbage collection keeps what was made by hand
  "$WCR" snapshots info life-view | grep -q '"containerd.io/gc.root"'
  "$WCR" snapshots info life-base | grep -q '"containerd.io/gc.root"'
  run "$WCR" snapshots ls
  [[ "$output" == *"life-view"*"life-base"*"View"* ]] || [[ "$output" =~ life-view\ +life-base\ +View ]]
  run "$WCR" snapshots usage life-base
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" =~ ^KEY\ +SIZE\ +INODES$ ]]
  [[ "${lines[1]}" =~ ^life-base\  ]]
  "$WCR" snapshots rm life-view
  "$WCR" snapshots rm life-base
  run ctr_ snapshots ls
  [[ "$output" != *life-base* ]]
}

@test "snapshots ls --format json is valid JSON" {
  "$WCR" snapshots ls --format json >"$BATS_TEST_TMPDIR/ls.json"
  "$JSONCHECK" "$BATS_TEST_TMPDIR/ls.json"
}

@test "a group given no command runs its ls: snapshots, namespaces, images, containers, plugins" {
  "$WCR" snapshots prepare bare-snap "" >/dev/null
  for group in snapshots namespaces images containers plugins; do
    run "$WCR" "$group"
    [ "$status" -eq 0 ]
    bare=$output
    run "$WCR" "$group" ls
    [ "$output" = "$bare" ]
  done
  [[ "$("$WCR" snapshots)" == *bare-snap* ]]
  "$WCR" snapshots rm bare-snap
}

@test "an unknown snapshot gives containerd's not-found message and exit 125" {
  run_split "$WCR" snapshots info no-such-snapshot
  [ "$status" -eq 125 ]
  [[ "$stderr" == 'wcr: snapshot no-such-snapshot: containerd: snapshot no-such-snapshot does not exist: not found' ]]
  run_split "$WCR" snapshots rm no-such-snapshot
  [ "$status" -eq 125 ]
  [[ "$stderr" == *"not found"* ]]
}

@test "namespaces are honoured (--namespace and CONTAINERD_NAMESPACE)" {
  "$WCR" --namespace wcr-other snapshots prepare ns-snap "" >/dev/null
  run "$WCR" snapshots ls
  [[ "$output" != *ns-snap* ]]
  run env CONTAINERD_NAMESPACE=wcr-other "$WCR" snapshots ls
  [[ "$output" == *ns-snap* ]]
  ctr_ -n wcr-other snapshots ls | grep -q ns-snap
  "$WCR" -n wcr-other snapshots rm ns-snap
}

@test "containerd stopped in the middle of a call: a clear error, no hang" {
  pid=$(cat "$CTD_DIR/pid")
  # Frozen, containerd still accepts the connection (the kernel does) but
  # never answers; then it dies with the call in flight.
  kill -STOP "$pid"
  ( rc=0; timeout 20 "$WCR" snapshots ls >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" || rc=$?
    echo "$rc" >"$BATS_TEST_TMPDIR/rc" ) &
  sleep 0.5
  kill -9 "$pid"
  kill -CONT "$pid" 2>/dev/null || true
  wait
  [ "$(cat "$BATS_TEST_TMPDIR/rc")" -eq 125 ]
  grep -q "containerd closed the connection (did it stop?)" "$BATS_TEST_TMPDIR/err"
  [ "$(wc -l <"$BATS_TEST_TMPDIR/err")" -eq 1 ]
  containerd_restart
  run "$WCR" snapshots ls
  [ "$status" -eq 0 ]
}
