/* Test support: a small HTTP/2 + gRPC server on a real local endpoint (a
 * unix socket, or a named pipe under Wine), run on its own thread. It
 * answers each request through a handler, honours flow control both ways,
 * and can misbehave on purpose (reset, GOAWAY, hang up, never answer). */
#ifndef WCR_TEST_H2_SERVER_H
#define WCR_TEST_H2_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

typedef enum srv_action {
    SRV_REPLY,       /* headers, messages, trailers */
    SRV_RESET,       /* RST_STREAM (CANCEL) instead of an answer */
    SRV_GOAWAY,      /* GOAWAY naming the stream before this one as last */
    SRV_HANG_UP,     /* close the connection without a word */
    SRV_NO_ANSWER,   /* never answer this stream */
} srv_action;

typedef struct srv_reply {
    srv_action action;
    wcr_buf messages;     /* gRPC-framed messages (wcr_grpc_frame) */
    int status;           /* grpc-status */
    const char *message;  /* grpc-message, may be NULL */
} srv_reply;

/* Called on the server thread for each complete request. body holds the
 * request's gRPC-framed messages. */
typedef void (*srv_handler)(void *ud, const char *path, const uint8_t *body, size_t len,
                            srv_reply *reply);

typedef struct h2srv h2srv;

/* Serve at a fresh endpoint; NULL on failure (the reason is printed). */
h2srv *h2srv_start(srv_handler fn, void *ud);
/* The address to connect to (a socket path or pipe name). */
const char *h2srv_path(const h2srv *s);
/* Requests answered so far. */
unsigned h2srv_requests(h2srv *s);
void h2srv_stop(h2srv *s);

#endif
