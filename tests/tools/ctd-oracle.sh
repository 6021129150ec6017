#!/bin/sh
# protoc as the oracle for wcr's containerd message codecs (src/containerd).
# usage: ctd-oracle.sh CTDPB DATADIR      (DATADIR: tests/data/ctdpb)
#
# For every message `ctdpb list` names, against containerd's own .proto
# files (containerd 1.6, as Debian ships them) and DATADIR/ctd2x.proto
# (fields 1.7 and 2.x added):
#   request:  protoc --decode reads our encoding of the sample as
#             KEY.expected says;
#   response: our decoder reads protoc --encode of KEY.txt as KEY.decoded
#             says.
# With CTD_ORACLE_UPDATE=1 the expected files are (re)written from what
# happens instead: review every change before keeping it.
# Exit 0 when all pass, 1 when one fails, 77 (skip) without protoc or the
# .proto files.
set -eu
ctdpb=$1 data=$2
gocode=/usr/share/gocode/src
api=$gocode/github.com/containerd/containerd/api

skip() {
    echo "skip: $1"
    exit 77
}
command -v protoc >/dev/null 2>&1 || skip "protoc not found (Debian: protobuf-compiler)"
[ -f /usr/include/google/protobuf/any.proto ] ||
    skip "/usr/include/google/protobuf/any.proto not found (Debian: libprotobuf-dev)"
[ -f "$api/services/tasks/v1/tasks.proto" ] ||
    skip "$api not found (Debian: golang-github-containerd-containerd-dev)"
[ -f "$gocode/github.com/gogo/protobuf/gogoproto/gogo.proto" ] ||
    skip "gogoproto/gogo.proto not found (Debian: golang-github-gogo-protobuf-dev)"
[ -f "$gocode/github.com/gogo/googleapis/google/rpc/status.proto" ] ||
    skip "google/rpc/status.proto not found (Debian: golang-github-gogo-googleapis-dev)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0 count=0 failed=0

proto() {
    protoc -I"$gocode" -I"$gocode/github.com/gogo/protobuf" \
        -I"$gocode/github.com/gogo/googleapis" -I/usr/include -I"$data" "$@" 2>"$work/protoc.err"
}

# check NAME EXPECTED ACTUAL
check() {
    count=$((count + 1))
    if [ "${CTD_ORACLE_UPDATE:-}" = 1 ] && ! cmp -s "$2" "$3"; then
        cp "$3" "$2"
        echo "updated - $1"
    elif cmp -s "$2" "$3"; then
        echo "ok - $1"
    else
        echo "not ok - $1"
        if [ -f "$2" ]; then
            diff -u "$2" "$3" | head -80 || true
        else
            echo "  (no $2)"
        fi
        status=1 failed=$((failed + 1))
    fi
}

# A step that failed: say so with its error output.
broken() {
    count=$((count + 1))
    echo "not ok - $1"
    sed 's/^/  /' "$work/protoc.err" "$work/ctdpb.err" 2>/dev/null | head -20
    status=1 failed=$((failed + 1))
}

"$ctdpb" list > "$work/list"
: > "$work/ctdpb.err"
while read -r kind key message file; do
    out=$work/$key
    if [ "$kind" = encode ]; then
        if "$ctdpb" encode "$key" > "$out.bin" 2>"$work/ctdpb.err" &&
            proto --decode="$message" "$file" < "$out.bin" > "$out.txt"; then
            check "protoc reads our $key as $key.expected says" "$data/$key.expected" "$out.txt"
        else
            broken "encode $key"
        fi
    else
        if [ ! -f "$data/$key.txt" ]; then
            echo "no $data/$key.txt" > "$work/protoc.err"
            broken "decode $key"
        elif proto --encode="$message" "$file" < "$data/$key.txt" > "$out.bin" &&
            "$ctdpb" decode "$key" < "$out.bin" > "$out.out" 2>"$work/ctdpb.err"; then
            check "we read protoc's $key.txt as $key.decoded says" "$data/$key.decoded" "$out.out"
        else
            broken "decode $key"
        fi
    fi
done < "$work/list"

# Every data file belongs to a message of the list (none left behind).
for f in "$data"/*.expected "$data"/*.txt "$data"/*.decoded; do
    [ -e "$f" ] || continue
    key=$(basename "$f")
    key=${key%.*}
    if ! grep -q " $key " "$work/list"; then
        count=$((count + 1)) failed=$((failed + 1)) status=1
        echo "not ok - $f belongs to no message ctdpb knows"
    fi
done

echo "$count checks, $failed failed"
exit $status
