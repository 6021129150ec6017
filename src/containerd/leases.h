/* containerd.services.leases.v1.Leases: a lease keeps containerd's
 * garbage collector off the content and snapshots made while it is held
 * (see wcr_ctd_set_lease). */
#ifndef WCR_CONTAINERD_LEASES_H
#define WCR_CONTAINERD_LEASES_H

#include <stdbool.h>

#include "containerd/client.h"
#include "containerd/types.h"

typedef struct wcr_lease {
    char *id;
    wcr_pb_timestamp created_at;
    wcr_labels labels;
} wcr_lease;

typedef struct wcr_leases {
    wcr_lease *items;
    size_t n;
} wcr_leases;

void wcr_lease_dispose(wcr_lease *l);
void wcr_leases_dispose(wcr_leases *l);

/* id NULL or "": containerd makes one up. labels may be NULL (containerd's
 * own client sets "containerd.io/gc.expire" so a lease left by a crash
 * expires). */
int wcr_leases_create(wcr_ctd *c, const char *id, const wcr_labels *labels, wcr_lease *out,
                      wcr_err *err);
/* sync: return only after the garbage collection the delete triggers. */
int wcr_leases_delete(wcr_ctd *c, const char *id, bool sync, wcr_err *err);
/* Make the lease hold a resource: type "content" (id: a digest),
 * "ingests", or "snapshots/<snapshotter>" (id: a key). */
int wcr_leases_add_resource(wcr_ctd *c, const char *id, const char *resource_id,
                            const char *type, wcr_err *err);
int wcr_leases_list(wcr_ctd *c, const char *const *filters, size_t nfilters, wcr_leases *out,
                    wcr_err *err);

/* Messages, for tests against protoc. */
/* CreateRequest: id = 1, labels = 3. */
void wcr_leases_encode_create(wcr_buf *b, const char *id, const wcr_labels *labels);
/* DeleteRequest: id = 1, sync = 2. */
void wcr_leases_encode_delete(wcr_buf *b, const char *id, bool sync);
/* ListRequest: filters = 1. */
/* AddResourceRequest: id = 1, resource = 2 {id = 1, type = 2}. */
void wcr_leases_encode_add_resource(wcr_buf *b, const char *id, const char *resource_id,
                                    const char *type);
void wcr_leases_encode_list(wcr_buf *b, const char *const *filters, size_t nfilters);
/* CreateResponse: lease = 1. */
int wcr_leases_decode_create(const void *data, size_t len, wcr_lease *out, wcr_err *err);
/* ListResponse: leases = 1. */
int wcr_leases_decode_list(const void *data, size_t len, wcr_leases *out, wcr_err *err);

#endif
