#!/bin/sh
# Every runtime spec wcr writes, held against the OCI runtime-spec JSON
# schema (Debian: golang-github-opencontainers-specs-dev), with
# python3-jsonschema as the validator.
# usage: spec-schema.sh SPECGEN WCR [SCHEMA_DIR]
#        spec-schema.sh --check FILE [ok|run|bad]   (one file, for bats)
#
#   1. each specgen scenario (Linux and Windows, see specgen list);
#   2. wcr spec itself, with flags and a mounts JSON file;
#   3. the validator is not a rubber stamp: broken specs fail.
# Windows scenarios named *-run are the form wcr run gives containerd:
# the layers travel as the rootfs mount, so windows.layerFolders is left
# out, and that missing required property must be the one complaint.
# Exit 0 when all pass, 1 when one fails, 77 (skip) without the tools.
set -eu
schema=/usr/share/gocode/src/github.com/opencontainers/runtime-spec/schema
if [ "${1:-}" = --check ]; then
    mode=check file=$2 expect=${3:-ok}
else
    mode=all specgen=$1 wcr=$2
    schema=${3:-$schema}
fi
py=/usr/bin/python3

if [ ! -x "$py" ] || ! "$py" -c 'import jsonschema' 2>/dev/null; then
    echo "skip: /usr/bin/python3 with jsonschema not found (Debian: python3-jsonschema)"
    exit 77
fi
if [ ! -f "$schema/config-schema.json" ]; then
    echo "skip: $schema/config-schema.json not found (Debian: golang-github-opencontainers-specs-dev)"
    exit 77
fi

# validate FILE [EXPECT]: EXPECT "run" allows exactly the missing
# windows.layerFolders; "bad" expects at least one error.
validate() {
    "$py" -c '
import json, sys, jsonschema
schema_dir, path, expect = sys.argv[1], sys.argv[2], sys.argv[3]
with open(schema_dir + "/config-schema.json") as f:
    schema = json.load(f)
resolver = jsonschema.RefResolver(base_uri="file://" + schema_dir + "/", referrer=schema)
validator = jsonschema.Draft4Validator(schema, resolver=resolver)
with open(path) as f:
    doc = json.load(f)
errors = ["%s: %s" % ("/".join(str(p) for p in e.absolute_path) or "(root)", e.message)
          for e in validator.iter_errors(doc)]
if expect == "run":
    want = ["windows: '"'"'layerFolders'"'"' is a required property"]
    if errors != want:
        print("\n".join(errors) or "no error, but layerFolders should be missing")
        sys.exit(1)
    sys.exit(0)
if expect == "bad":
    sys.exit(0 if errors else 1)
if errors:
    print("\n".join(errors))
    sys.exit(1)
' "$schema" "$1" "${2:-ok}"
}

if [ "$mode" = check ]; then
    validate "$file" "$expect"
    exit $?
fi

check() { # NAME FILE [EXPECT]
    if out=$(validate "$2" "${3:-ok}" 2>&1); then
        echo "ok - $1"
    else
        echo "not ok - $1"
        printf '%s\n' "$out" | sed 's/^/#   /'
        status=1
    fi
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0

# 1. the scenarios
n=0
for name in $("$specgen" list); do
    n=$((n + 1))
    if ! "$specgen" "$name" >"$work/$name.json"; then
        echo "not ok - $name: specgen failed"
        status=1
        continue
    fi
    case $name in
    windows-*-run | windows-run) check "$name (no layerFolders: rootfs mount form)" "$work/$name.json" run ;;
    *) check "$name" "$work/$name.json" ;;
    esac
done
[ "$n" -ge 12 ] || { echo "not ok - only $n scenarios"; status=1; }

# 2. wcr spec with flags (no containerd needed)
cat >"$work/mounts.json" <<'EOF'
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
printf 'A=1\n# comment\nB=two words\n' >"$work/env"
spec_case() { # NAME WCR-ARGS...
    name=$1
    shift
    if ! "$wcr" spec "$@" >"$work/cli.json" 2>"$work/cli.err"; then
        echo "not ok - wcr spec $name: $(cat "$work/cli.err")"
        status=1
        return
    fi
    check "wcr spec $name" "$work/cli.json"
}
spec_case "linux plain" --os linux -- true
spec_case "linux all flags" --os linux -t -e A=1 -e HOME --env-file "$work/env" -w /tmp -u 1000:1000 \
    --hostname box --net host -v /tmp:/data:ro --mount type=bind,src=/var,dst=/v,readonly \
    --entrypoint /bin/sh -- -c 'echo hi'
spec_case "windows servercore" --os windows --mounts-json "$work/mounts.json" -- cmd /c echo hi
spec_case "windows all flags" --os windows --mounts-json "$work/mounts.json" --isolation hyperv \
    -v 'D:\cache:C:\cache' -v 'C:\data:C:\data:ro' -u ContainerAdministrator -w 'C:\work' \
    -e A=1 --hostname builder -t -- cmd /c dir

# 3. broken specs fail
"$specgen" linux-minimal | sed 's/"uid": 0/"uid": -1/' >"$work/bad1.json"
check "a negative uid is rejected" "$work/bad1.json" bad
"$specgen" windows-servercore | sed 's/"layerFolders": \[/"layerFolders": 1, "x": [/' >"$work/bad2.json"
check "layerFolders that is not an array is rejected" "$work/bad2.json" bad
"$specgen" windows-run | sed 's/"windows": {/"windows": {"layerFolders": [],/' >"$work/bad3.json"
check "an empty layerFolders is rejected" "$work/bad3.json" bad

exit $status
