/* containerd.services.containers.v1.Containers: container records (the
 * runtime spec, runtime, snapshot and image of a container; no process). */
#ifndef WCR_CONTAINERD_CONTAINERS_H
#define WCR_CONTAINERD_CONTAINERS_H

#include "containerd/client.h"
#include "containerd/types.h"

/* The spec's Any type URL; its value is the spec's JSON. */
#define WCR_CTD_SPEC_TYPE_URL "types.containerd.io/opencontainers/runtime-spec/1/Spec"

typedef struct wcr_container {
    char *id;
    wcr_labels labels;
    char *image;
    char *runtime_name;          /* "io.containerd.runhcs.v1", "io.containerd.runc.v2" */
    wcr_ctd_any runtime_options; /* unset: none */
    wcr_ctd_any spec;
    char *snapshotter;
    char *snapshot_key;
    wcr_pb_timestamp created_at, updated_at;
    wcr_ctd_any_map extensions;
    /* containerd 1.7+ (sandbox = 11): read when sent; written only when
     * set (1.6 would ignore it). */
    char *sandbox;
} wcr_container;

typedef struct wcr_containers {
    wcr_container *items;
    size_t n;
} wcr_containers;

void wcr_container_dispose(wcr_container *ct);
void wcr_containers_dispose(wcr_containers *l);

int wcr_containers_get(wcr_ctd *c, const char *id, wcr_container *out, wcr_err *err);
/* Uses ListStream (one container per message, in 1.6 too), so that many
 * large specs never make one oversized message. */
int wcr_containers_list(wcr_ctd *c, const char *const *filters, size_t nfilters,
                        wcr_containers *out, wcr_err *err);
/* out (may be NULL) gets the stored record. */
int wcr_containers_create(wcr_ctd *c, const wcr_container *ct, wcr_container *out,
                          wcr_err *err);
/* Update the fields named by paths ("labels", "spec", "extensions",
 * "snapshotkey", ...; none: all). */
int wcr_containers_update(wcr_ctd *c, const wcr_container *ct, const char *const *paths,
                          size_t npaths, wcr_container *out, wcr_err *err);
int wcr_containers_delete(wcr_ctd *c, const char *id, wcr_err *err);

/* Messages, for tests against protoc. Container: id = 1, labels = 2,
 * image = 3, runtime = 4 {name = 1, options = 2}, spec = 5, snapshotter =
 * 6, snapshot_key = 7, created_at = 8, updated_at = 9, extensions = 10,
 * sandbox = 11 (1.7+). */
/* GetContainerRequest, DeleteContainerRequest: id = 1. */
void wcr_containers_encode_id(wcr_buf *b, const char *id);
/* ListContainersRequest: filters = 1. */
void wcr_containers_encode_list(wcr_buf *b, const char *const *filters, size_t nfilters);
/* CreateContainerRequest: container = 1. */
void wcr_containers_encode_create(wcr_buf *b, const wcr_container *ct);
/* UpdateContainerRequest: container = 1, update_mask = 2. */
void wcr_containers_encode_update(wcr_buf *b, const wcr_container *ct, const char *const *paths,
                                  size_t npaths);
/* Get-, Create- and UpdateContainerResponse: container = 1. */
int wcr_containers_decode_container(const void *data, size_t len, wcr_container *out,
                                    wcr_err *err);
/* ListContainersResponse (containers = 1, repeated) and ListStream's
 * ListContainerMessage (container = 1): appends to out; on failure out
 * keeps what came before (dispose it). */
int wcr_containers_decode_list(const void *data, size_t len, wcr_containers *out, wcr_err *err);

#endif
