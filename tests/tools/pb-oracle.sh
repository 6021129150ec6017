#!/bin/sh
# protoc as the oracle for wcr's protobuf codec (src/core/pb.c).
# usage: pb-oracle.sh PBTOOL DATADIR     (DATADIR: tests/data/pb)
#
#   1. protoc reads our encoding of wcrtest.Sample as sample.txt says;
#   2. protoc's encoding of sample.txt is byte for byte ours (field order,
#      minimal lengths, packing, proto3 defaults left out);
#   3. we read protoc's encoding as sample.decoded says;
#   4. we read a newer peer's message (wcrtest.Future: unknown fields of
#      every wire type, groups, unpacked repeated fields) as future.decoded
#      says.
# Exit 0 when all pass, 1 when one fails, 77 (skip) without protoc.
set -eu
pbtool=$1 data=$2
wkt=/usr/include

if ! command -v protoc >/dev/null 2>&1; then
    echo "skip: protoc not found (Debian: protobuf-compiler)"
    exit 77
fi
if [ ! -f "$wkt/google/protobuf/any.proto" ]; then
    echo "skip: $wkt/google/protobuf/any.proto not found (Debian: libprotobuf-dev)"
    exit 77
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$data"
status=0

proto() {
    protoc -I. -I"$wkt" "$@"
}

# same NAME EXPECTED ACTUAL: report, and show the difference on failure.
same() {
    if cmp -s "$2" "$3"; then
        echo "ok - $1"
        return
    fi
    echo "not ok - $1"
    diff -u "$2" "$3" | head -60 || true
    status=1
}

hex() {
    od -An -tx1 -v "$1" | tr -s ' \n' '\n\n' | sed '/^$/d' > "$2"
}

"$pbtool" encode wcrtest.Sample > "$work/ours.bin"
proto --decode=wcrtest.Sample wcrtest.proto < "$work/ours.bin" > "$work/ours.txt"
same "protoc reads our encoding of wcrtest.Sample" sample.txt "$work/ours.txt"

proto --encode=wcrtest.Sample wcrtest.proto < sample.txt > "$work/theirs.bin"
hex "$work/theirs.bin" "$work/theirs.hex"
hex "$work/ours.bin" "$work/ours.hex"
same "our encoding is protoc's, byte for byte" "$work/theirs.hex" "$work/ours.hex"

"$pbtool" decode wcrtest.Sample < "$work/theirs.bin" > "$work/decoded.txt"
same "we read protoc's encoding of wcrtest.Sample" sample.decoded "$work/decoded.txt"

"$pbtool" decode wcrtest.Sample < "$work/ours.bin" > "$work/self.txt"
same "we read our own encoding the same way" sample.decoded "$work/self.txt"

proto --encode=wcrtest.Future wcrtest_future.proto < future.txt > "$work/future.bin"
"$pbtool" decode wcrtest.Sample < "$work/future.bin" > "$work/future.out"
same "we skip a newer peer's unknown fields and groups" future.decoded "$work/future.out"

exit $status
