#!/usr/bin/python3
"""Build a multi-platform OCI image layout for the tests.

usage: mkindex.py OUT_DIR BUSYBOX_LAYOUT TAG [ENTRY...]
ENTRY is linux/amd64 (the busybox image, copied from BUSYBOX_LAYOUT),
linux/arm64 (a tiny image that is never run), or windows/amd64:OSVERSION
(a small layer in the Windows layout: Files/... and Hives/...).
The layout's index.json names the new image index TAG, for
`skopeo copy --all oci:OUT_DIR:TAG docker://...`.
"""
import gzip
import hashlib
import io
import json
import os
import shutil
import sys
import tarfile

out, busybox, tag, entries = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
blobs = os.path.join(out, "blobs", "sha256")
os.makedirs(blobs, exist_ok=True)


def put(data):
    d = hashlib.sha256(data).hexdigest()
    with open(os.path.join(blobs, d), "wb") as f:
        f.write(data)
    return "sha256:" + d, len(data)


def tar_of(files):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, content in files:
            if content is None:
                info = tarfile.TarInfo(name)
                info.type = tarfile.DIRTYPE
                info.mode = 0o755
                t.addfile(info)
            else:
                info = tarfile.TarInfo(name)
                info.size = len(content)
                info.mode = 0o644
                info.mtime = 0
                t.addfile(info, io.BytesIO(content))
    plain = raw.getvalue()
    return plain, gzip.compress(plain, mtime=0)


def image(os_name, arch, files, os_version=None):
    plain, packed = tar_of(files)
    layer, layer_size = put(packed)
    config = {"architecture": arch, "os": os_name,
              "config": {"Cmd": ["cmd" if os_name == "windows" else "sh"]},
              "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(plain).hexdigest()]}}
    if os_version:
        config["os.version"] = os_version
    cfg, cfg_size = put(json.dumps(config).encode())
    manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cfg, "size": cfg_size},
                "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                            "digest": layer, "size": layer_size}]}
    return put(json.dumps(manifest).encode())


def busybox_manifest():
    src = os.path.join(busybox, "blobs", "sha256")
    for name in os.listdir(src):
        shutil.copy(os.path.join(src, name), os.path.join(blobs, name))
    with open(os.path.join(busybox, "index.json")) as f:
        d = json.load(f)["manifests"][0]
    return d["digest"], d["size"]


manifests = []
for e in entries:
    plat, _, version = e.partition(":")
    os_name, arch = plat.split("/")[:2]
    if plat == "linux/amd64":
        digest, size = busybox_manifest()
    elif os_name == "windows":
        files = [("Files", None), ("Files/hello.txt", ("windows %s\r\n" % version).encode()),
                 ("Hives", None), ("Hives/DefaultUser_Delta", b"\0" * 64)]
        digest, size = image("windows", arch, files, version)
    else:
        digest, size = image(os_name, arch, [("hello-%s" % arch, b"hello\n")])
    platform = {"architecture": arch, "os": os_name}
    if version:
        platform["os.version"] = version
    manifests.append({"mediaType": "application/vnd.oci.image.manifest.v1+json",
                      "digest": digest, "size": size, "platform": platform})

index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": manifests}
idx, idx_size = put(json.dumps(index).encode())
with open(os.path.join(out, "oci-layout"), "w") as f:
    json.dump({"imageLayoutVersion": "1.0.0"}, f)
with open(os.path.join(out, "index.json"), "w") as f:
    json.dump({"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.index.v1+json", "digest": idx, "size": idx_size,
        "annotations": {"org.opencontainers.image.ref.name": tag}}]}, f)
print(idx)
