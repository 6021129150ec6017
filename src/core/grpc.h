/* gRPC over HTTP/2, the protocol part (no I/O, no threads): request
 * headers, the length-prefixed message framing, and reading a response's
 * headers, messages and trailers into a status.
 * See https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md. */
#ifndef WCR_CORE_GRPC_H
#define WCR_CORE_GRPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/h2.h"
#include "wcr/err.h"

/* gRPC status codes. */
enum {
    WCR_GRPC_OK = 0,
    WCR_GRPC_CANCELLED = 1,
    WCR_GRPC_UNKNOWN = 2,
    WCR_GRPC_INVALID_ARGUMENT = 3,
    WCR_GRPC_DEADLINE_EXCEEDED = 4,
    WCR_GRPC_NOT_FOUND = 5,
    WCR_GRPC_ALREADY_EXISTS = 6,
    WCR_GRPC_PERMISSION_DENIED = 7,
    WCR_GRPC_RESOURCE_EXHAUSTED = 8,
    WCR_GRPC_FAILED_PRECONDITION = 9,
    WCR_GRPC_ABORTED = 10,
    WCR_GRPC_OUT_OF_RANGE = 11,
    WCR_GRPC_UNIMPLEMENTED = 12,
    WCR_GRPC_INTERNAL = 13,
    WCR_GRPC_UNAVAILABLE = 14,
    WCR_GRPC_DATA_LOSS = 15,
    WCR_GRPC_UNAUTHENTICATED = 16,
};

/* The largest message we accept unless told otherwise (containerd's own
 * client allows 16 MiB). */
#define WCR_GRPC_DEFAULT_MAX_MESSAGE ((size_t)16 << 20)

/* The wcr error code a gRPC status maps to (NOT_FOUND → WCR_E_NOT_FOUND,
 * ...; anything without a closer match → WCR_E_REMOTE). */
wcr_err_code wcr_grpc_status_code(int status);

/* Set err from a status and the server's message, keeping both as the
 * cause: the formatted error reads "<context>: <server message>". */
int wcr_grpc_status_error(wcr_err *err, int status, const char *message, const char *who);

/* Request metadata beyond the fixed gRPC headers. */
typedef struct wcr_grpc_metadata {
    const char *name;  /* lower case, e.g. "containerd-namespace" */
    const char *value;
} wcr_grpc_metadata;

#define WCR_GRPC_MAX_HEADERS 16

/* The header block of a call to `path` ("/containerd.services.version.v1.
 * Version/Version"). timeout_ns 0 means no deadline. The names and values
 * point into `storage` and the arguments; both must outlive the headers.
 * Returns the number of headers, or -1 (too much metadata). */
typedef struct wcr_grpc_header_storage {
    char timeout[16];
} wcr_grpc_header_storage;

int wcr_grpc_request_headers(wcr_h2_header *out, size_t cap, const char *path,
                             const char *authority, uint64_t timeout_ns,
                             const wcr_grpc_metadata *md, size_t nmd,
                             wcr_grpc_header_storage *storage, wcr_err *err);

/* grpc-timeout text for a duration: at most 8 digits and a unit. */
void wcr_grpc_timeout_text(uint64_t ns, char out[16]);

/* Append one length-prefixed message (uncompressed). */
int wcr_grpc_frame(wcr_buf *out, const void *msg, size_t len, wcr_err *err);

/* A response being read. */
typedef int (*wcr_grpc_message_fn)(void *ud, const uint8_t *msg, size_t len, wcr_err *err);

typedef struct wcr_grpc_response {
    size_t max_message;
    int http_status;        /* :status, 0 until seen */
    bool grpc_content;      /* content-type is application/grpc[+...] */
    bool headers_done;      /* the first header block is complete */
    bool ended;             /* the peer ended the stream */
    bool have_status;
    int status;             /* grpc-status */
    char *message;          /* grpc-message, percent-decoded; may be NULL */
    /* the message being reassembled */
    uint8_t prefix[5];
    size_t prefix_len;
    uint32_t msg_len;
    wcr_buf msg;
} wcr_grpc_response;

void wcr_grpc_response_init(wcr_grpc_response *r, size_t max_message);
void wcr_grpc_response_dispose(wcr_grpc_response *r);

/* A header or trailer field of the response. */
int wcr_grpc_response_header(wcr_grpc_response *r, const char *name, size_t name_len,
                             const char *value, size_t value_len, wcr_err *err);

/* A header block ended. Checks :status and content-type on the first. */
int wcr_grpc_response_headers_done(wcr_grpc_response *r, bool end_stream, wcr_err *err);

/* Body bytes: each complete message goes to `fn`. */
int wcr_grpc_response_data(wcr_grpc_response *r, const uint8_t *data, size_t len,
                           wcr_grpc_message_fn fn, void *ud, wcr_err *err);

/* After the stream ended: 0 for status OK, else -1 with the status as the
 * error (a missing status, or a message cut off, is an error too). */
int wcr_grpc_response_finish(const wcr_grpc_response *r, const char *who, wcr_err *err);

#endif
