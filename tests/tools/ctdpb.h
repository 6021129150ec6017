/* ctdpb (see ctdpb.c): the tables of messages it knows, filled by
 * ctdpb_encode.c (requests: our encoding of a fixed sample) and
 * ctdpb_decode.c (responses: our decoder's result, printed). */
#ifndef WCR_TESTS_CTDPB_H
#define WCR_TESTS_CTDPB_H

#include <stddef.h>

#include "core/buf.h"
#include "wcr/err.h"

/* KEY is "<service>.<Message>" (a suffix names a second sample of the
 * same message); MESSAGE the protobuf name; PROTO the file defining it,
 * relative to the include root, or to tests/data/ctdpb for ctd2x.proto. */
typedef struct ctdpb_request {
    const char *key;
    const char *message;
    const char *proto;
    void (*encode)(wcr_buf *b);
} ctdpb_request;

typedef struct ctdpb_response {
    const char *key;
    const char *message;
    const char *proto;
    int (*decode)(const void *data, size_t len, wcr_err *err);
} ctdpb_response;

extern const ctdpb_request ctdpb_requests[];
extern const size_t ctdpb_nrequests;
extern const ctdpb_response ctdpb_responses[];
extern const size_t ctdpb_nresponses;

#define CTDPB_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Packages and files of containerd's messages. */
#define CTDPB_API "github.com/containerd/containerd/api/"
#define PKG_NS "containerd.services.namespaces.v1."
#define FILE_NS CTDPB_API "services/namespaces/v1/namespace.proto"
#define PKG_LS "containerd.services.leases.v1."
#define FILE_LS CTDPB_API "services/leases/v1/leases.proto"
#define PKG_CT "containerd.services.content.v1."
#define FILE_CT CTDPB_API "services/content/v1/content.proto"
#define PKG_IM "containerd.services.images.v1."
#define FILE_IM CTDPB_API "services/images/v1/images.proto"
#define PKG_DF "containerd.services.diff.v1."
#define FILE_DF CTDPB_API "services/diff/v1/diff.proto"
#define PKG_CO "containerd.services.containers.v1."
#define FILE_CO CTDPB_API "services/containers/v1/containers.proto"
#define PKG_TK "containerd.services.tasks.v1."
#define FILE_TK CTDPB_API "services/tasks/v1/tasks.proto"
#define PKG_IN "containerd.services.introspection.v1."
#define FILE_IN CTDPB_API "services/introspection/v1/introspection.proto"
#define PKG_EV "containerd.services.events.v1."
#define FILE_EV CTDPB_API "services/events/v1/events.proto"
#define PKG_X2 "wcrtest.ctd2x."
#define FILE_X2 "ctd2x.proto"

#endif
