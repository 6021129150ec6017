#!/usr/bin/env bats
# wcr spec and wcr layers against a real containerd: specs from an image's
# config that validate against the OCI schema and run under runc, layers
# read from real snapshot mounts, layerFolders from a Windows mounts file.

load helpers
load containerd
load registry

SCHEMA_CHECK="$WCR_SOURCE_DIR/tests/tools/spec-schema.sh"

setup_file() {
  containerd_start
  export IMAGES="$BATS_FILE_TMPDIR/images"
  mkdir -p "$IMAGES"
  # busybox in three layers (so snapshots are overlays), Cmd sh, PATH=/bin
  image_busybox "$IMAGES/bb" 2
  tar -C "$IMAGES/bb" -cf "$IMAGES/bb.tar" .
  ctr_ images import --base-name docker.io/wcr/bb "$IMAGES/bb.tar" >/dev/null
  export IMG=docker.io/wcr/bb:bb
  # a "Windows image": the same layers, a Windows config (not unpacked)
  cp -r "$IMAGES/bb" "$IMAGES/win"
  umoci config --image "$IMAGES/win:bb" --os windows --config.cmd 'cmd /S /C echo hi' \
    --config.env 'Path=C:\Windows\system32;C:\Windows' --config.workingdir 'C:\app' \
    --config.user ContainerAdministrator >/dev/null
  tar -C "$IMAGES/win" -cf "$IMAGES/win.tar" .
  ctr_ images import --all-platforms --no-unpack --base-name docker.io/wcr/win "$IMAGES/win.tar" >/dev/null
  export WIN_IMG=docker.io/wcr/win:bb
}

teardown_file() {
  containerd_stop
}

# json FILE EXPR: a Python expression over the document d, printed.
json() {
  /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); r=eval(sys.argv[2]); print(r if isinstance(r, str) else json.dumps(r))' "$1" "$2"
}

schema_ok() {
  run "$SCHEMA_CHECK" --check "$1" "${2:-ok}"
  if [ "$status" -eq 77 ]; then skip "$output"; fi
  echo "$output"
  [ "$status" -eq 0 ]
}

# chain ID of layer N (0: base) of IMG
chain() {
  "$WCR" images inspect "$IMG" --format json >"$BATS_TEST_TMPDIR/inspect.json"
  json "$BATS_TEST_TMPDIR/inspect.json" "d['ChainIDs'][$1]"
}

# A runc bundle with the image's root file system and our config.json.
bundle() {
  local b="$BATS_TEST_TMPDIR/bundle"
  rm -rf "$b"
  umoci unpack --image "$IMAGES/bb:bb" "$b" >/dev/null
  rm -f "$b/config.json"
  echo "$b"
}

runc_run() { # BUNDLE -> the container's output in $output
  run timeout 60 runc --root "$BATS_TEST_TMPDIR/runc" run --bundle "$1" "wcr-spec-$BATS_TEST_NUMBER"
}

@test "wcr spec --image IMG -- echo hi: the image's env, the command, valid against the schema" {
  "$WCR" spec --image "$IMG" -- echo hi >"$BATS_TEST_TMPDIR/config.json"
  schema_ok "$BATS_TEST_TMPDIR/config.json"
  [ "$(json "$BATS_TEST_TMPDIR/config.json" "d['process']['args']")" = '["echo", "hi"]' ]
  [ "$(json "$BATS_TEST_TMPDIR/config.json" "d['process']['env']")" = '["PATH=/bin"]' ]
  [ "$(json "$BATS_TEST_TMPDIR/config.json" "d['root']['path']")" = rootfs ]
  [ "$(json "$BATS_TEST_TMPDIR/config.json" "[n['type'] for n in d['linux']['namespaces']]")" = '["pid", "ipc", "uts", "mount", "network"]' ]
  # without a command: the image's CMD
  "$WCR" spec --image "$IMG" >"$BATS_TEST_TMPDIR/cmd.json"
  [ "$(json "$BATS_TEST_TMPDIR/cmd.json" "d['process']['args']")" = '["sh"]' ]
  # pretty, two spaces, as people keep config.json
  head -2 "$BATS_TEST_TMPDIR/config.json" | tail -1 | grep -q '^  "ociVersion": "1.1.0",$'
}

@test "a spec from wcr spec runs under runc: env, cwd, uid:gid, args, loopback-only network" {
  b=$(bundle)
  "$WCR" spec --image "$IMG" -e GREETING=hello -w /tmp -u 1234:4321 -- \
    sh -c 'echo "$GREETING"; id -u; id -g; pwd; tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " "' \
    >"$b/config.json"
  schema_ok "$b/config.json"
  runc_run "$b"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = hello ]
  [ "${lines[1]}" = 1234 ]
  [ "${lines[2]}" = 4321 ]
  [ "${lines[3]}" = /tmp ]
  [ "${lines[4]}" = lo ]
  [ "${#lines[@]}" -eq 5 ]
}

@test "runc: --net host shares the host's interfaces and its resolv.conf, read-only" {
  b=$(bundle)
  "$WCR" spec --image "$IMG" --net host -- \
    sh -c 'tail -n +3 /proc/net/dev | wc -l; cat /etc/resolv.conf | wc -c; touch /etc/resolv.conf 2>/dev/null && echo writable || echo read-only' \
    >"$b/config.json"
  schema_ok "$b/config.json"
  runc_run "$b"
  echo "$output"
  [ "$status" -eq 0 ]
  host_ifaces=$(tail -n +3 /proc/net/dev | wc -l)
  [ "${lines[0]}" -eq "$host_ifaces" ]
  [ "${lines[1]}" -eq "$(wc -c </etc/resolv.conf)" ]
  [ "${lines[2]}" = read-only ]
}

@test "runc: --entrypoint replaces the image's, binds and env files reach the container" {
  b=$(bundle)
  mkdir -p "$BATS_TEST_TMPDIR/shared"
  echo from-host >"$BATS_TEST_TMPDIR/shared/file"
  printf '# settings\nFROM_FILE=file value\nOVERRIDDEN=file\n' >"$BATS_TEST_TMPDIR/env"
  "$WCR" spec --image "$IMG" --entrypoint /bin/sh --env-file "$BATS_TEST_TMPDIR/env" -e OVERRIDDEN=flag \
    -v "$BATS_TEST_TMPDIR/shared:/shared:ro" -- \
    -c 'cat /shared/file; echo "$FROM_FILE/$OVERRIDDEN"; (echo x >/shared/new) 2>/dev/null || echo ro' \
    >"$b/config.json"
  [ "$(json "$b/config.json" "d['process']['args'][:2]")" = '["/bin/sh", "-c"]' ]
  runc_run "$b"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = from-host ]
  [ "${lines[1]}" = "file value/flag" ]
  [ "${lines[2]}" = ro ]
  [ ! -e "$BATS_TEST_TMPDIR/shared/new" ]
}

@test "ctr run --rm --config runs a spec from wcr spec --rootfs" {
  b=$(bundle)
  "$WCR" spec --image "$IMG" --rootfs "$b/rootfs" -e WHO=ctr -- sh -c 'echo "hello $WHO"; id -u' \
    >"$BATS_TEST_TMPDIR/config.json"
  [ "$(json "$BATS_TEST_TMPDIR/config.json" "d['root']['path']")" = "$b/rootfs" ]
  run timeout 60 ctr --address "$CONTAINERD_ADDRESS" run --rm --config "$BATS_TEST_TMPDIR/config.json" ctr-config-run
  echo "$output"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "hello ctr" ]
  [ "${lines[1]}" = 0 ]
}

@test "wcr layers on an overlay snapshot: lowerdirs, upperdir and workdir of its mount" {
  top=$(chain 2)
  "$WCR" snapshots prepare s1 "$top" >"$BATS_TEST_TMPDIR/mounts.json"
  opt() { json "$BATS_TEST_TMPDIR/mounts.json" "[o.split('=',1)[1] for o in d[0]['Options'] if o.startswith('$1=')][0]"; }
  lower=$(opt lowerdir)
  upper=$(opt upperdir)
  work=$(opt workdir)
  "$WCR" layers s1 --format json >"$BATS_TEST_TMPDIR/layers.json"
  [ "$(json "$BATS_TEST_TMPDIR/layers.json" "d['type']")" = overlay ]
  [ "$(json "$BATS_TEST_TMPDIR/layers.json" "':'.join(d['lowerdir'])")" = "$lower" ]
  [ "$(json "$BATS_TEST_TMPDIR/layers.json" "len(d['lowerdir'])")" = 3 ]
  [ "$(json "$BATS_TEST_TMPDIR/layers.json" "d['upperdir']")" = "$upper" ]
  [ "$(json "$BATS_TEST_TMPDIR/layers.json" "d['workdir']")" = "$work" ]
  run "$WCR" layers s1
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" =~ ^ROLE\ +PATH$ ]]
  [[ "${lines[1]}" =~ ^lowerdir\ +${lower%%:*}$ ]]
  [[ "${lines[4]}" =~ ^upperdir\ +$upper$ ]]
  [[ "${lines[5]}" =~ ^workdir\ +$work$ ]]
  # the lowerdirs are the image's layers, topmost first: the top has the
  # file of the last layer
  [ -f "${lower%%:*}/layer-2.bin" ]
}

@test "wcr layers on a single-layer snapshot (a bind mount) and on a container" {
  "$WCR" snapshots prepare s-base "" >/dev/null
  run "$WCR" layers s-base
  [ "$status" -eq 0 ]
  [[ "${lines[1]}" =~ ^upperdir\ +/.*/snapshots/[0-9]+/fs$ ]]
  "$WCR" snapshots view s-view "$(chain 0)" >/dev/null
  run "$WCR" layers s-view --format json
  [ "$status" -eq 0 ]
  [[ "$output" == *'"type": "bind"'* ]]
  [[ "$output" == *'"lowerdir": ['* ]]
  [[ "$output" != *upperdir* ]]
  # a container: its snapshot's layers
  ctr_ containers create "$IMG" c-layers >/dev/null
  "$WCR" snapshots mounts c-layers >"$BATS_TEST_TMPDIR/c.json"
  "$WCR" layers c-layers --format json >"$BATS_TEST_TMPDIR/cl.json"
  want=$(json "$BATS_TEST_TMPDIR/c.json" "[o for o in d[0]['Options'] if o.startswith('upperdir=')][0][9:]")
  [ "$(json "$BATS_TEST_TMPDIR/cl.json" "d['upperdir']")" = "$want" ]
  ctr_ containers rm c-layers
}

@test "wcr layers: an unknown name says there is no such container or snapshot" {
  run_split "$WCR" layers no-such-thing
  [ "$status" -eq 125 ]
  [[ "$stderr" == *"snapshot no-such-thing"*"no container or overlayfs snapshot of that name"* ]]
}

@test "wcr spec --os windows --mounts-json: layerFolders are the parents in order, then the scratch" {
  cat >"$BATS_TEST_TMPDIR/m.json" <<'EOF'
[
    {
        "Type": "windows-layer",
        "Source": "C:\\ProgramData\\containerd\\root\\io.containerd.snapshotter.v1.windows\\snapshots\\25",
        "Target": "",
        "Options": [
            "rw",
            "parentLayerPaths=[\"C:\\\\ProgramData\\\\containerd\\\\root\\\\io.containerd.snapshotter.v1.windows\\\\snapshots\\\\24\",\"C:\\\\ProgramData\\\\containerd\\\\root\\\\io.containerd.snapshotter.v1.windows\\\\snapshots\\\\23\"]"
        ]
    }
]
EOF
  "$WCR" spec --os windows --mounts-json "$BATS_TEST_TMPDIR/m.json" -v 'D:\cache:C:\cache' -- cmd /c echo hi \
    >"$BATS_TEST_TMPDIR/w.json"
  schema_ok "$BATS_TEST_TMPDIR/w.json"
  [ "$(json "$BATS_TEST_TMPDIR/w.json" "[p.rsplit(chr(92),1)[1] for p in d['windows']['layerFolders']]")" = '["24", "23", "25"]' ]
  [ "$(json "$BATS_TEST_TMPDIR/w.json" "d['process']['user']['username']")" = ContainerUser ]
  [ "$(json "$BATS_TEST_TMPDIR/w.json" "d['process']['cwd']")" = 'C:\' ]
  [ "$(json "$BATS_TEST_TMPDIR/w.json" "d['mounts']")" = '[{"destination": "C:\\cache", "source": "D:\\cache", "options": ["rw"]}]' ]
  [ "$(json "$BATS_TEST_TMPDIR/w.json" "d['windows']['network']['allowUnqualifiedDNSQuery']")" = true ]
  [ "$(json "$BATS_TEST_TMPDIR/w.json" "d['windows']['ignoreFlushesDuringBoot']")" = true ]
}

@test "wcr spec --os windows --image: a Windows image's config on a Linux host" {
  printf '[{"Type":"windows-layer","Source":"C:\\\\s\\\\21","Options":["rw","parentLayerPaths=[\\"C:\\\\\\\\s\\\\\\\\20\\"]"]}]' \
    >"$BATS_TEST_TMPDIR/m.json"
  "$WCR" spec --os windows --image "$WIN_IMG" --mounts-json "$BATS_TEST_TMPDIR/m.json" --isolation hyperv \
    >"$BATS_TEST_TMPDIR/w.json"
  schema_ok "$BATS_TEST_TMPDIR/w.json"
  [ "$(json "$BATS_TEST_TMPDIR/w.json" "d['process']['args']")" = '["cmd /S /C echo hi"]' ]
  [ "$(json "$BATS_TEST_TMPDIR/w.json" "d['process']['user']['username']")" = ContainerAdministrator ]
  [ "$(json "$BATS_TEST_TMPDIR/w.json" "d['process']['cwd']")" = 'C:\app' ]
  [ "$(json "$BATS_TEST_TMPDIR/w.json" "d['windows']['layerFolders']")" = '["C:\\s\\20", "C:\\s\\21"]' ]
  [ "$(json "$BATS_TEST_TMPDIR/w.json" "d['windows']['hyperv']")" = '{}' ]
  # the host's OS by default: the Windows image does not fit, and wcr says how to ask
  run_split "$WCR" spec --image "$WIN_IMG"
  [ "$status" -eq 125 ]
  [[ "$stderr" == *"this is a Windows image"*"--os windows"* ]]
}

@test "wcr spec refuses what cannot work, with the reason" {
  run_split "$WCR" spec --os windows -- cmd
  [ "$status" -eq 125 ]
  [[ "$stderr" == *"a Windows spec needs its layers: give --snapshot KEY"* ]]
  printf '[{"Type":"windows-layer","Source":"C:\\\\s\\\\14","Options":["rw"]}]' >"$BATS_TEST_TMPDIR/p.json"
  run_split "$WCR" spec --os windows --mounts-json "$BATS_TEST_TMPDIR/p.json" -- cmd
  [ "$status" -eq 125 ]
  [[ "$stderr" == *"needs at least two entries"* ]]
  run_split "$WCR" spec --os windows --net host --mounts-json "$BATS_TEST_TMPDIR/p.json" -- cmd
  [ "$status" -eq 125 ]
  [[ "$stderr" == *"cannot use host mode networking with Windows containers"* ]]
  "$WCR" snapshots prepare s-linux "$(chain 2)" >/dev/null
  run_split "$WCR" spec --image "$IMG" --snapshot s-linux
  [ "$status" -eq 125 ]
  [[ "$stderr" == *"a Linux spec's root is the directory root.path"* ]]
  run_split "$WCR" spec --os windows --snapshot s-linux -- cmd
  [ "$status" -eq 125 ]
  [[ "$stderr" == *'mount is of type "overlay", not windows-layer'* ]]
  run_split "$WCR" spec --image "$IMG" -u nobody
  [ "$status" -eq 125 ]
  [[ "$stderr" == *'user "nobody": cannot look up a name without the image'"'"'s /etc/passwd'* ]]
  run_split "$WCR" spec --image "$IMG" --entrypoint ""
  [ "$status" -eq 125 ]
  [[ "$stderr" == *"no command specified"* ]]
}
