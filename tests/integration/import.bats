#!/usr/bin/env bats
# wcr import: OCI image layout and docker save archives into a real
# containerd, built here from Debian's busybox-static with umoci (no
# registry, no Docker).

load helpers
load containerd

PY=/usr/bin/python3

setup_file() {
  containerd_start
  export A="$BATS_FILE_TMPDIR"
  make_layout "$A/lay"
  tar -C "$A/lay" -cf "$A/bb.tar" .
  gzip -c "$A/bb.tar" >"$A/bb.tar.gz"
  make_docker_save "$A/lay" "$A/docker"
  tar -C "$A/docker" -cf "$A/docker.tar" .
}

teardown_file() {
  containerd_stop
}

# make_layout DIR: an OCI layout with one image, ref.name "wcr-import-bb":
# one gzip'd layer holding /bin/busybox and applets as symlinks.
make_layout() {
  local dir=$1 bundle="$BATS_FILE_TMPDIR/bundle"
  umoci init --layout "$dir" >/dev/null
  umoci new --image "$dir:wcr-import-bb" >/dev/null
  umoci unpack --rootless --image "$dir:wcr-import-bb" "$bundle" >/dev/null
  mkdir -p "$bundle/rootfs/bin"
  cp /bin/busybox "$bundle/rootfs/bin/busybox"
  for c in sh echo cat ls true; do ln -sf busybox "$bundle/rootfs/bin/$c"; done
  umoci repack --image "$dir:wcr-import-bb" "$bundle" >/dev/null
  rm -rf "$bundle"
  umoci config --image "$dir:wcr-import-bb" --config.cmd sh --config.env PATH=/bin >/dev/null
  umoci gc --layout "$dir" >/dev/null
}

# jq over a blob of the layout: blob_json DIR DIGEST FILTER
blob_json() { jq -r "$3" "$1/blobs/sha256/${2#sha256:}"; }
manifest_digest() { jq -r '.manifests[0].digest' "$1/index.json"; }

# make_docker_save LAYOUT DIR: what `docker save wcr-test/docker-bb:1`
# writes, from the layout's image: <id>/layer.tar (uncompressed), VERSION,
# json; <config hex>.json; repositories; manifest.json written last.
make_docker_save() {
  local lay=$1 dir=$2 m cfg layer id
  m=$(manifest_digest "$lay")
  cfg=$(blob_json "$lay" "$m" '.config.digest')
  layer=$(blob_json "$lay" "$m" '.layers[0].digest')
  id=$(printf '%s' "$layer" | sha256sum | cut -c1-64)
  mkdir -p "$dir/$id"
  gunzip -c "$lay/blobs/sha256/${layer#sha256:}" >"$dir/$id/layer.tar"
  echo 1.0 >"$dir/$id/VERSION"
  printf '{"id":"%s"}' "$id" >"$dir/$id/json"
  cp "$lay/blobs/sha256/${cfg#sha256:}" "$dir/${cfg#sha256:}.json"
  printf '{"wcr-test/docker-bb":{"1":"%s"}}' "$id" >"$dir/repositories"
  printf '[{"Config":"%s.json","RepoTags":["wcr-test/docker-bb:1"],"Layers":["%s/layer.tar"]}]' \
    "${cfg#sha256:}" "$id" >"$dir/manifest.json"
}

# A copy of the layout tar with one more entry made by Python's tarfile
# (GNU tar will not write these): evil_tar OUT KIND NAME
evil_tar() {
  "$PY" - "$A/bb.tar" "$@" <<'EOF'
import io, sys, tarfile
src, out, kind, name = sys.argv[1:5]
with tarfile.open(src) as t, tarfile.open(out, "w", format=tarfile.GNU_FORMAT) as o:
    for m in t.getmembers():
        o.addfile(m, t.extractfile(m) if m.isfile() else None)
    e = tarfile.TarInfo(name)
    if kind == "file":
        e.size = 4
        o.addfile(e, io.BytesIO(b"evil"))
    else:
        e.type = tarfile.SYMTYPE if kind == "symlink" else tarfile.LNKTYPE
        e.linkname = "../oci-layout" if kind == "hardlink" else "/etc/passwd"
        o.addfile(e)
EOF
}

# Images and content of a namespace, to see that a refused import left
# nothing behind.
state_of() { { ctr_ -n "$1" images ls -q; ctr_ -n "$1" content ls -q; } | sort; }
snapshots_of() { ctr_ -n "$1" snapshots ls | tail -n +2; }

@test "an OCI layout: REF: DIGEST, listed by ctr, unpacked, and ctr runs it" {
  m=$(manifest_digest "$A/lay")
  run_split "$WCR" import "$A/bb.tar"
  [ "$status" -eq 0 ]
  [ "$stdout" = "docker.io/library/wcr-import-bb:latest: $m" ]
  ctr_ images ls | grep -q "^docker.io/library/wcr-import-bb:latest .*application/vnd.oci.image.manifest.v1+json $m"
  cfg=$(blob_json "$A/lay" "$m" '.config.digest')
  chain=$(blob_json "$A/lay" "$cfg" '.rootfs.diff_ids[0]')
  ctr_ snapshots ls | grep -q "^$chain "
  ctr_ content ls | grep "^$cfg" | grep -q "containerd.io/gc.ref.snapshot.overlayfs=$chain"
  ctr_ content ls | grep "^$m" | grep -q "containerd.io/gc.ref.content.config=$cfg"
  ctr_ content ls | grep "^$m" | grep -q "containerd.io/gc.ref.content.l.0=$(blob_json "$A/lay" "$m" '.layers[0].digest')"
  run ctr_ run --rm docker.io/library/wcr-import-bb:latest wcr-import-run echo hi
  [ "$status" -eq 0 ]
  [ "$output" = hi ]
}

@test "importing the same file twice is fine and changes nothing" {
  "$WCR" import "$A/bb.tar" >/dev/null
  before=$(state_of default)
  run "$WCR" import "$A/bb.tar"
  [ "$status" -eq 0 ]
  [ "$output" = "docker.io/library/wcr-import-bb:latest: $(manifest_digest "$A/lay")" ]
  [ "$(state_of default)" = "$before" ]
}

@test "a gzip-compressed archive gives the same image" {
  run "$WCR" -n gz import "$A/bb.tar.gz"
  [ "$status" -eq 0 ]
  [ "$output" = "docker.io/library/wcr-import-bb:latest: $(manifest_digest "$A/lay")" ]
  run ctr_ -n gz run --rm docker.io/library/wcr-import-bb:latest wcr-import-gz echo hi
  [ "$output" = hi ]
}

@test "names: full references as Docker reads them; io.containerd.image.name wins" {
  lay="$BATS_TEST_TMPDIR/lay"
  cp -r "$A/lay" "$lay"
  "$PY" - "$lay/index.json" <<'EOF'
import json, sys
p = sys.argv[1]
idx = json.load(open(p))
m = idx["manifests"][0]
idx["manifests"] = [dict(m, annotations={"org.opencontainers.image.ref.name": n})
                    for n in ("busybox:1", "localhost:5000/team/bb:v2", "example.com/x@sha256:" + "0" * 64)]
idx["manifests"].append(dict(m, annotations={"org.opencontainers.image.ref.name": "1.36",
                                             "io.containerd.image.name": "quay.io/wcr/bb:1.36"}))
json.dump(idx, open(p, "w"))
EOF
  tar -C "$lay" -cf "$BATS_TEST_TMPDIR/names.tar" .
  run "$WCR" -n names import --no-unpack "$BATS_TEST_TMPDIR/names.tar"
  [ "$status" -eq 0 ]
  m=$(manifest_digest "$A/lay")
  [ "${lines[0]}" = "docker.io/library/busybox:1: $m" ]
  [ "${lines[1]}" = "localhost:5000/team/bb:v2: $m" ]
  [ "${lines[2]}" = "example.com/x@sha256:$(printf '0%.0s' $(seq 64)): $m" ]
  [ "${lines[3]}" = "quay.io/wcr/bb:1.36: $m" ]
  [ "$(ctr_ -n names images ls -q | wc -l)" -eq 4 ]
  [ -z "$(snapshots_of names)" ]
}

@test "a docker save archive: a Docker schema 2 manifest is made, stored and runs" {
  run "$WCR" -n docker import "$A/docker.tar"
  [ "$status" -eq 0 ]
  [[ "$output" =~ ^docker.io/wcr-test/docker-bb:1:\ (sha256:[0-9a-f]{64})$ ]]
  m=${BASH_REMATCH[1]}
  ctr_ -n docker images ls | grep -q "^docker.io/wcr-test/docker-bb:1 .*application/vnd.docker.distribution.manifest.v2+json $m"
  ctr_ -n docker content get "$m" >"$BATS_TEST_TMPDIR/m.json"
  [ "$(sha256sum <"$BATS_TEST_TMPDIR/m.json" | cut -c1-64)" = "${m#sha256:}" ]
  [ "$(jq -r .mediaType "$BATS_TEST_TMPDIR/m.json")" = application/vnd.docker.distribution.manifest.v2+json ]
  [ "$(jq -r .config.mediaType "$BATS_TEST_TMPDIR/m.json")" = application/vnd.docker.container.image.v1+json ]
  [ "$(jq -r '.layers[0].mediaType' "$BATS_TEST_TMPDIR/m.json")" = application/vnd.docker.image.rootfs.diff.tar ]
  layer=$(jq -r '.layers[0].digest' "$BATS_TEST_TMPDIR/m.json")
  [ "$layer" = "sha256:$(sha256sum <"$A/docker/"*/layer.tar | cut -c1-64)" ]
  ctr_ -n docker content ls | grep "^$m" | grep -q "containerd.io/gc.ref.content.l.0=$layer"
  run ctr_ -n docker run --rm docker.io/wcr-test/docker-bb:1 wcr-import-docker echo hi
  [ "$output" = hi ]
}

@test "a docker save archive whose layer is a symbolic link to another layer's (as docker save and skopeo write a repeated layer)" {
  d="$BATS_TEST_TMPDIR/linked"
  cp -a "$A/docker" "$d"
  id=$(basename "$(dirname "$(ls "$d"/*/layer.tar)")")
  mkdir "$d/second"
  ln -s "../$id/layer.tar" "$d/second/layer.tar"
  jq -c '.[0].Layers = ["second/layer.tar"]' "$d/manifest.json" >"$d/m" && mv "$d/m" "$d/manifest.json"
  tar -C "$d" -cf "$BATS_TEST_TMPDIR/linked.tar" .
  run_split "$WCR" -n linked import "$BATS_TEST_TMPDIR/linked.tar"
  [ "$status" -eq 0 ]
  run ctr_ -n linked run --rm docker.io/wcr-test/docker-bb:1 wcr-import-linked echo linked
  [ "$output" = linked ]
}

@test "a docker save archive gives the manifest containerd's own import makes" {
  run "$WCR" -n docker2 import --no-unpack "$A/docker.tar"
  [ "$status" -eq 0 ]
  ours=${output##*: }
  ctr_ -n ctrimport images import --no-unpack "$A/docker.tar" >/dev/null
  theirs=$(ctr_ -n ctrimport images ls | awk 'NR > 1 { print $3 }')
  [ "$ours" = "$theirs" ]
}

@test "entries that could escape, and links out of the archive, are refused by name; nothing is recorded" {
  before=$(state_of evil)
  for spec in "file ../evil" "file /etc/x" "file a/../../evil" "symlink link-to-passwd" "hardlink hard"; do
    set -- $spec
    evil_tar "$BATS_TEST_TMPDIR/evil.tar" "$1" "$2"
    run_split "$WCR" -n evil import "$BATS_TEST_TMPDIR/evil.tar"
    [ "$status" -eq 125 ]
    [[ "$stderr" == *"archive entry \"$2\""* ]]
    [ "$(state_of evil)" = "$before" ]
  done
  evil_tar "$BATS_TEST_TMPDIR/evil.tar" file ../evil
  run_split "$WCR" -n evil import "$BATS_TEST_TMPDIR/evil.tar"
  [ "$stderr" = "wcr: import $BATS_TEST_TMPDIR/evil.tar: archive entry \"../evil\" climbs out of the archive with \"..\"" ]
  evil_tar "$BATS_TEST_TMPDIR/evil.tar" symlink link-to-passwd
  run_split "$WCR" -n evil import "$BATS_TEST_TMPDIR/evil.tar"
  [[ "$stderr" == *"archive entry \"link-to-passwd\" is a symbolic link to \"/etc/passwd\", outside the archive; refused" ]]
}

@test "a truncated tar, a bad or truncated gzip, and a file that is no archive are clear errors" {
  before=$(state_of broken)
  head -c 700000 "$A/bb.tar" >"$BATS_TEST_TMPDIR/cut.tar"
  run_split "$WCR" -n broken import "$BATS_TEST_TMPDIR/cut.tar"
  [ "$status" -eq 125 ]
  [[ "$stderr" == *"tar: truncated: the archive ends at byte 700000 inside \"./blobs/sha256/"* ]]
  size=$(stat -c %s "$A/bb.tar.gz")
  head -c $((size / 2)) "$A/bb.tar.gz" >"$BATS_TEST_TMPDIR/cut.tar.gz"
  run_split "$WCR" -n broken import "$BATS_TEST_TMPDIR/cut.tar.gz"
  [ "$status" -eq 125 ]
  [[ "$stderr" == *"gzip: truncated: the data ends at byte $((size / 2)) inside a member"* ]]
  # Corrupt the deflate data a little after the gzip header.
  cp "$A/bb.tar.gz" "$BATS_TEST_TMPDIR/bad.tar.gz"
  printf '\377\377\377\377\377\377\377\377' | dd of="$BATS_TEST_TMPDIR/bad.tar.gz" bs=1 seek=40 conv=notrunc 2>/dev/null
  run_split "$WCR" -n broken import "$BATS_TEST_TMPDIR/bad.tar.gz"
  [ "$status" -eq 125 ]
  [[ "$stderr" == *"gzip: corrupt data near byte"* ]]
  echo "just text" >"$BATS_TEST_TMPDIR/text"
  run_split "$WCR" -n broken import "$BATS_TEST_TMPDIR/text"
  [ "$status" -eq 125 ]
  [[ "$stderr" == *"tar: truncated: the archive ends at byte 10 inside a header"* ]]
  head -c 4096 /dev/urandom | xz >"$BATS_TEST_TMPDIR/x.tar.xz"
  run_split "$WCR" -n broken import "$BATS_TEST_TMPDIR/x.tar.xz"
  [[ "$stderr" == *"xz-compressed archives are not supported"* ]]
  run_split "$WCR" -n broken import "$BATS_TEST_TMPDIR/none.tar"
  [[ "$stderr" == *"open $BATS_TEST_TMPDIR/none.tar: No such file or directory"* ]]
  [ "$(state_of broken)" = "$before" ]
}

@test "a blob whose bytes do not match its digest is refused before anything is stored" {
  lay="$BATS_TEST_TMPDIR/lay"
  cp -r "$A/lay" "$lay"
  cfg=$(blob_json "$lay" "$(manifest_digest "$lay")" '.config.digest')
  f="$lay/blobs/sha256/${cfg#sha256:}"
  sed -i 's/"architecture"/"Architecture"/' "$f"
  tar -C "$lay" -cf "$BATS_TEST_TMPDIR/bad.tar" .
  before=$(state_of baddigest)
  run_split "$WCR" -n baddigest import "$BATS_TEST_TMPDIR/bad.tar"
  [ "$status" -eq 125 ]
  [[ "$stderr" == *"config $cfg: blobs/sha256/${cfg#sha256:} does not match its digest: its content hashes to sha256:"* ]]
  [ "$(state_of baddigest)" = "$before" ]
  # In a docker save archive: a layer that is not the config's diff_id.
  cp -r "$A/docker" "$BATS_TEST_TMPDIR/docker"
  echo extra >>"$(ls "$BATS_TEST_TMPDIR"/docker/*/layer.tar)"
  tar -C "$BATS_TEST_TMPDIR/docker" -cf "$BATS_TEST_TMPDIR/bad-docker.tar" .
  run_split "$WCR" -n baddigest import "$BATS_TEST_TMPDIR/bad-docker.tar"
  [ "$status" -eq 125 ]
  [[ "$stderr" == *"manifest.json[0]: Layers[0]: "*"/layer.tar hashes to sha256:"*", but the config's diff_id is sha256:"* ]]
  [ "$(state_of baddigest)" = "$before" ]
}

@test "an archive without names needs --index-name, which records the whole index" {
  lay="$BATS_TEST_TMPDIR/lay"
  cp -r "$A/lay" "$lay"
  jq -c 'del(.manifests[0].annotations)' "$A/lay/index.json" >"$lay/index.json"
  tar -C "$lay" -cf "$BATS_TEST_TMPDIR/noname.tar" .
  run_split "$WCR" -n noname import "$BATS_TEST_TMPDIR/noname.tar"
  [ "$status" -eq 125 ]
  [[ "$stderr" == *"the archive names no image"*"(give it a name with --index-name NAME)" ]]
  run "$WCR" -n noname import --index-name wcr-whole "$BATS_TEST_TMPDIR/noname.tar"
  [ "$status" -eq 0 ]
  [ "$output" = "docker.io/library/wcr-whole:latest: sha256:$(sha256sum <"$lay/index.json" | cut -c1-64)" ]
  ctr_ -n noname images ls | grep -q "^docker.io/library/wcr-whole:latest .*application/vnd.oci.image.index.v1+json"
  run ctr_ -n noname run --rm docker.io/library/wcr-whole:latest wcr-import-whole echo hi
  [ "$output" = hi ]
}

@test "--no-unpack records the image without snapshots" {
  run "$WCR" -n nounpack import --no-unpack "$A/bb.tar"
  [ "$status" -eq 0 ]
  [ -z "$(snapshots_of nounpack)" ]
  ctr_ -n nounpack images ls -q | grep -qx docker.io/library/wcr-import-bb:latest
}

@test "--platform: another platform is refused as a pull would; --all-platforms imports it, not unpacked" {
  before=$(state_of plat)
  run_split "$WCR" -n plat import --platform linux/arm64 "$A/bb.tar"
  [ "$status" -eq 125 ]
  [[ "$stderr" == *"no image for linux/arm64"* ]]
  [ "$(state_of plat)" = "$before" ]
  run "$WCR" -n plat import --platform linux/arm64 --all-platforms "$A/bb.tar"
  [ "$status" -eq 0 ]
  ctr_ -n plat images ls -q | grep -qx docker.io/library/wcr-import-bb:latest
  [ -z "$(snapshots_of plat)" ]
}
