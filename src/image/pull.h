/* Pulling an image into containerd: choose the manifest for the platform
 * (refusing before any layer is downloaded when nothing fits), download
 * the blobs in parallel into the content store under a lease, unpack each
 * layer into the snapshotter as soon as it and its parents are in, and
 * record the image. Interrupted pulls leave their partial downloads in
 * containerd's ingests, so the next pull resumes them. */
#ifndef WCR_IMAGE_PULL_H
#define WCR_IMAGE_PULL_H

#include <stdbool.h>

#include "containerd/client.h"
#include "core/progress.h"
#include "image/auth.h"
#include "image/platform.h"

typedef struct wcr_pull_options {
    unsigned version;                    /* WCR_PULL_OPTIONS_VERSION */
    const char *ref;                     /* as the user wrote it */
    const char *platform;                /* --platform; NULL: the host's */
    bool all_platforms;                  /* fetch every platform's content */
    wcr_isolation isolation;
    const wcr_creds *creds;              /* -u; NULL: docker config or none */
    const char *const *insecure;         /* registries that may use plain http */
    size_t n_insecure;
    bool no_unpack;
    const char *snapshotter;             /* NULL: the OS default */
    unsigned max_downloads;              /* 0: 3 */
    wcr_progress_mode progress;
    unsigned width;                      /* terminal columns, for bars */
    wcr_progress_write_fn write;         /* where progress goes */
    void *write_ud;
    const char *docker_config;           /* credentials file (tests); NULL: default */
} wcr_pull_options;

#define WCR_PULL_OPTIONS_VERSION 1
#define WCR_PULL_OPTIONS_INIT { .version = WCR_PULL_OPTIONS_VERSION }

typedef struct wcr_pull_result {
    char *name;        /* the image record, e.g. docker.io/library/busybox:latest */
    char *digest;      /* of what the record points to (index or manifest) */
    char *platform;    /* the platform chosen */
    char *chain_id;    /* the top layer's chain ID: the snapshot to run from */
    bool unpacked;
} wcr_pull_result;

void wcr_pull_result_dispose(wcr_pull_result *r);

typedef struct wcr_pull wcr_pull;

wcr_pull *wcr_pull_new(wcr_ctd *c, const wcr_pull_options *o, wcr_err *err);
int wcr_pull_run(wcr_pull *p, wcr_pull_result *out, wcr_err *err);
/* Stop the pull from any thread (Ctrl+C): downloads and containerd calls
 * end, the run returns WCR_E_CANCELLED after releasing its lease. */
void wcr_pull_cancel(wcr_pull *p);
void wcr_pull_free(wcr_pull *p);

#endif
