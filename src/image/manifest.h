/* Image documents: OCI image indexes and Docker manifest lists, OCI image
 * manifests and Docker schema 2 manifests, image configs; media types;
 * chain IDs.
 *
 * Every parser takes the document's bytes and a name for messages (its
 * digest, or the reference it was fetched by), checks the size cap before
 * reading, and reports every problem with the document and the field:
 *   manifest sha256:3f...: layers[2].digest: invalid digest "x": not algorithm:hex
 * (WCR_E_PARSE; WCR_E_LIMIT for the caps; WCR_E_UNSUPPORTED for Docker
 * schema 1 and unknown media types). On failure nothing stays allocated.
 *
 * Parsed documents own their strings (one arena each); release them with
 * the matching _dispose. A member that is absent and one that is JSON
 * null read the same (Go writes null for empty lists and maps).
 */
#ifndef WCR_IMAGE_MANIFEST_H
#define WCR_IMAGE_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "image/platform.h"
#include "image/reference.h"
#include "wcr/err.h"

/* Size caps: an index or manifest, and an image config. */
#define WCR_MANIFEST_MAX_SIZE ((size_t)4 << 20)
#define WCR_CONFIG_MAX_SIZE ((size_t)8 << 20)

/* ---- media types ------------------------------------------------------- */

#define WCR_MT_OCI_INDEX "application/vnd.oci.image.index.v1+json"
#define WCR_MT_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define WCR_MT_OCI_CONFIG "application/vnd.oci.image.config.v1+json"
#define WCR_MT_OCI_EMPTY "application/vnd.oci.empty.v1+json"
#define WCR_MT_OCI_LAYER "application/vnd.oci.image.layer.v1.tar"
#define WCR_MT_OCI_LAYER_GZIP "application/vnd.oci.image.layer.v1.tar+gzip"
#define WCR_MT_OCI_LAYER_ZSTD "application/vnd.oci.image.layer.v1.tar+zstd"
/* Deprecated by OCI 1.1 but still met: layers not to be pushed elsewhere. */
#define WCR_MT_OCI_LAYER_ND "application/vnd.oci.image.layer.nondistributable.v1.tar"
#define WCR_MT_OCI_LAYER_ND_GZIP "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"
#define WCR_MT_OCI_LAYER_ND_ZSTD "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd"

#define WCR_MT_DOCKER_LIST "application/vnd.docker.distribution.manifest.list.v2+json"
#define WCR_MT_DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"
#define WCR_MT_DOCKER_CONFIG "application/vnd.docker.container.image.v1+json"
#define WCR_MT_DOCKER_LAYER "application/vnd.docker.image.rootfs.diff.tar"
#define WCR_MT_DOCKER_LAYER_GZIP "application/vnd.docker.image.rootfs.diff.tar.gzip"
#define WCR_MT_DOCKER_LAYER_ZSTD "application/vnd.docker.image.rootfs.diff.tar.zstd"
/* Windows base layers: fetched from the descriptor's urls (Microsoft's
 * servers), not from the registry. */
#define WCR_MT_DOCKER_FOREIGN_LAYER "application/vnd.docker.image.rootfs.foreign.diff.tar"
#define WCR_MT_DOCKER_FOREIGN_LAYER_GZIP "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"
#define WCR_MT_DOCKER_SCHEMA1 "application/vnd.docker.distribution.manifest.v1+json"
#define WCR_MT_DOCKER_SCHEMA1_SIGNED "application/vnd.docker.distribution.manifest.v1+prettyjws"

/* What a registry client puts in Accept when fetching a manifest. */
#define WCR_MANIFEST_ACCEPT                                                    \
    WCR_MT_OCI_INDEX ", " WCR_MT_DOCKER_LIST ", " WCR_MT_OCI_MANIFEST ", "     \
        WCR_MT_DOCKER_MANIFEST

typedef enum wcr_compression {
    WCR_COMPRESSION_UNKNOWN = 0, /* not a layer media type wcr knows */
    WCR_COMPRESSION_NONE,
    WCR_COMPRESSION_GZIP,
    WCR_COMPRESSION_ZSTD
} wcr_compression;

/* Media type tests. The argument may carry parameters ("; charset=...")
 * and is compared without case, as HTTP's Content-Type is. */
bool wcr_media_type_is_index(const char *mt);    /* OCI index, Docker list */
bool wcr_media_type_is_manifest(const char *mt); /* OCI, Docker schema 2 */
bool wcr_media_type_is_config(const char *mt);   /* OCI, Docker image config */
bool wcr_media_type_is_layer(const char *mt);    /* any layer type above */
/* Docker foreign or OCI non-distributable layers. */
bool wcr_media_type_is_foreign_layer(const char *mt);
wcr_compression wcr_layer_compression(const char *mt);

/* ---- documents ---------------------------------------------------------- */

typedef enum wcr_doc_kind {
    WCR_DOC_UNKNOWN = 0,
    WCR_DOC_OCI_INDEX,
    WCR_DOC_DOCKER_LIST,
    WCR_DOC_OCI_MANIFEST,
    WCR_DOC_DOCKER_MANIFEST
} wcr_doc_kind;

bool wcr_doc_kind_is_index(wcr_doc_kind kind);
/* The kind's media type ("" for UNKNOWN). */
const char *wcr_doc_kind_media_type(wcr_doc_kind kind);

typedef struct wcr_kv {
    const char *key, *value;
} wcr_kv;

typedef struct wcr_descriptor {
    const char *media_type;
    const char *digest;           /* valid (wcr_digest_valid) */
    int64_t size;                 /* >= 0 */
    const char *artifact_type;    /* or NULL */
    const char *const *urls;      /* foreign layers' sources */
    size_t n_urls;
    const wcr_kv *annotations;
    size_t n_annotations;
    /* Index entries: the platform, when the entry has one. */
    bool has_platform;
    wcr_platform platform;        /* normalised */
    const char *const *os_features;
    size_t n_os_features;
} wcr_descriptor;

/* The value of annotation `key`, or NULL. */
const char *wcr_descriptor_annotation(const wcr_descriptor *d, const char *key);

/* Tell what a fetched document is. media_type is what the registry said
 * (Content-Type) or the descriptor's mediaType, or NULL. The document's
 * own mediaType field wins; without one (OCI allows that), a known
 * media_type decides, then the members: "manifests" makes an index,
 * "layers" or "config" a manifest. Docker schema 1 is refused
 * (WCR_E_UNSUPPORTED: "unsupported: Docker schema 1 image; rebuild or
 * re-push with a current client"), as is any other media type. */
int wcr_manifest_detect(wcr_doc_kind *kind, const char *name, const char *media_type,
                        const char *data, size_t len, wcr_err *err);

typedef struct wcr_index {
    wcr_doc_kind kind;
    wcr_descriptor *manifests;
    size_t n_manifests;
    const wcr_kv *annotations;
    size_t n_annotations;
    wcr_arena arena; /* owns everything above */
} wcr_index;

/* Parse an OCI image index or a Docker manifest list (after detecting its
 * kind the same way as wcr_manifest_detect; a manifest is an error). */
int wcr_index_parse(wcr_index *out, const char *name, const char *media_type, const char *data,
                    size_t len, wcr_err *err);
void wcr_index_dispose(wcr_index *idx);

/* Choose the entry for a platform (wcr_platform_choose's rules and
 * messages) among the entries that have a platform and are manifests or
 * indexes. */
int wcr_index_choose(const wcr_index *idx, const wcr_platform *want, bool want_is_host,
                     wcr_isolation isolation, size_t *chosen, wcr_err *err);

typedef struct wcr_manifest {
    wcr_doc_kind kind;
    wcr_descriptor config;
    wcr_descriptor *layers;
    size_t n_layers;
    const char *artifact_type;  /* or NULL */
    bool has_subject;
    wcr_descriptor subject;
    const wcr_kv *annotations;
    size_t n_annotations;
    wcr_arena arena;
} wcr_manifest;

/* Parse an OCI image manifest or a Docker schema 2 manifest. */
int wcr_manifest_parse(wcr_manifest *out, const char *name, const char *media_type,
                       const char *data, size_t len, wcr_err *err);
void wcr_manifest_dispose(wcr_manifest *m);

/* Whether a parsed manifest is a container image wcr can unpack: an image
 * config and layers of known types; otherwise WCR_E_UNSUPPORTED naming
 * the field, so a pull stops before it downloads anything. */
int wcr_manifest_check_image(const wcr_manifest *m, const char *name, wcr_err *err);

/* ---- image config -------------------------------------------------------- */

typedef struct wcr_image_config {
    wcr_platform platform; /* os, architecture, variant, os.version */
    const char *const *os_features;
    size_t n_os_features;
    /* "config": what a container runs. Lists are empty when absent. */
    const char *user;        /* or NULL */
    const char *working_dir; /* or NULL */
    const char *stop_signal; /* or NULL */
    const char *const *env;
    size_t n_env;
    const char *const *entrypoint;
    size_t n_entrypoint;
    const char *const *cmd;
    size_t n_cmd;
    bool args_escaped; /* Windows: Cmd[0] is a whole command line */
    const wcr_kv *labels;
    size_t n_labels;
    const char *const *exposed_ports; /* keys: "80/tcp" */
    size_t n_exposed_ports;
    const char *const *volumes;       /* keys: "C:\\data" */
    size_t n_volumes;
    /* "rootfs": type "layers", the uncompressed layers' digests in order */
    const char *const *diff_ids;
    size_t n_diff_ids;
    wcr_arena arena;
} wcr_image_config;

int wcr_image_config_parse(wcr_image_config *out, const char *name, const char *data, size_t len,
                           wcr_err *err);
void wcr_image_config_dispose(wcr_image_config *c);

/* A manifest and its config agree: as many diff_ids as layers. */
int wcr_image_check(const wcr_manifest *m, const wcr_image_config *c, const char *name,
                    wcr_err *err);

/* Chain IDs (OCI image spec, config.md): ChainID(L0) = DiffID(L0),
 * ChainID(Ln) = "sha256:" + hex(SHA-256(ChainID(Ln-1) + " " + DiffID(Ln))).
 * The snapshotter names committed layers by them. out has n entries; the
 * diff IDs must be sha256 digests. */
int wcr_image_chain_ids(const char *const *diff_ids, size_t n,
                        char (*out)[WCR_DIGEST_SHA256_LEN + 1], wcr_err *err);

#endif
