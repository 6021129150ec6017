/* The parts of a pull (pull.c: resolve and record; pull_fetch.c: blobs
 * into the content store, the download workers; unpack.c: layers into
 * snapshots), and the state they share. */
#ifndef WCR_IMAGE_PULL_INTERNAL_H
#define WCR_IMAGE_PULL_INTERNAL_H

#include "containerd/types.h"
#include "image/manifest.h"
#include "image/pull.h"
#include "image/reference.h"
#include "image/registry.h"
#include "os/os.h"

typedef enum layer_state { LAYER_PENDING, LAYER_ACTIVE, LAYER_DONE, LAYER_FAILED } layer_state;

/* A blob to download (a layer of some chosen manifest; the same digest
 * appears once). */
typedef struct pull_layer {
    const wcr_descriptor *desc;  /* borrowed from its manifest */
    size_t item;                 /* progress line */
    layer_state state;
} pull_layer;

/* One platform's image: its manifest, config and chain IDs. */
typedef struct pull_target {
    wcr_descriptor desc;         /* from the index (or made for a lone manifest) */
    char digest[WCR_DIGEST_SHA256_LEN + 1];
    wcr_fetched manifest_raw;
    wcr_manifest manifest;
    wcr_buf config_raw;
    wcr_image_config config;
    char (*chain_ids)[WCR_DIGEST_SHA256_LEN + 1];
    bool unpack;                 /* the one that goes into snapshots */
} pull_target;

struct wcr_pull {
    wcr_ctd *ctd;
    const wcr_pull_options *o;
    const char *snapshotter;
    wcr_ref ref;
    char *name;                  /* the image record's name */
    wcr_registry *reg;
    wcr_reg_conn *conn;          /* the main thread's */

    wcr_fetched top;             /* what the tag or digest points at */
    wcr_doc_kind top_kind;
    wcr_index index;             /* when top is an index */
    bool have_index;
    pull_target *targets;
    size_t ntargets;
    wcr_platform chosen;

    /* shared with the workers, under mu */
    wcr_os_mutex *mu;
    wcr_os_cond *changed;
    bool cancelled;
    bool failed;
    wcr_err failure;             /* the first worker failure */
    pull_layer *layers;
    size_t nlayers, next_layer;
    wcr_reg_conn **conns;
    wcr_os_thread **threads;
    size_t nworkers;
    wcr_progress *progress;      /* calls under mu */

    char *lease;
};

/* Labels every blob of the pull carries: where it came from. */
int pull_source_labels(wcr_pull *p, wcr_labels *l, wcr_err *err);

/* Put a small document (index, manifest, config) into the content store
 * under ref "<kind>-<digest>" with labels; an existing blob gets the
 * labels added. */
int pull_store_blob(wcr_pull *p, const char *kind, const char *digest, const void *data,
                    size_t len, const wcr_labels *labels, wcr_err *err);

/* The expiring lease a layer's download runs under: "wcr-ingest-<hex>". */
#define PULL_INGEST_LEASE_MAX 96
void pull_ingest_lease_id(const char *digest, char id[PULL_INGEST_LEASE_MAX]);

/* Start the download workers over p->layers. */
int pull_start_workers(wcr_pull *p, wcr_err *err);
/* Wait for layer i (by its digest) to be in the content store. */
int pull_wait_layer(wcr_pull *p, const char *digest, wcr_err *err);
/* Wait for every download, stop the workers, report the first failure. */
int pull_join_workers(wcr_pull *p, wcr_err *err);

/* Unpack target t's layers in order, each once it is downloaded. */
int pull_unpack(wcr_pull *p, pull_target *t, wcr_err *err);

/* Progress, under the lock. */
void pull_progress_state(wcr_pull *p, size_t item, const char *state, bool announce);
void pull_progress_message(wcr_pull *p, const char *fmt, ...) WCR_PRINTF(2, 3);
size_t pull_layer_item(wcr_pull *p, const char *digest);
bool pull_cancelled(wcr_pull *p);

#endif
