/* A gRPC channel: one HTTP/2 connection to containerd (unix socket or
 * named pipe) shared by any number of calls from any number of threads.
 *
 * Threads: a reader thread feeds received bytes to the HTTP/2 session and
 * a writer thread writes what the session queues, so no caller ever
 * blocks the connection. Callers block only in their own call, on a
 * condition variable, with their deadline.
 *
 * Thread-safety rules:
 * - wcr_channel_* and wcr_call_start() may be called from any thread.
 * - A wcr_call belongs to one thread at a time for send/recv/free;
 *   wcr_call_cancel() may be called from any thread, concurrently with
 *   the owner's send or recv (that is how a signal stops a wait).
 * - wcr_call_free() of an unfinished call cancels it.
 * - Close the channel after every call is freed.
 */
#ifndef WCR_CONTAINERD_CHANNEL_H
#define WCR_CONTAINERD_CHANNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/grpc.h"
#include "wcr/err.h"

typedef struct wcr_channel wcr_channel;
typedef struct wcr_call wcr_call;

/* Connect to an OS endpoint path (socket path or pipe name). `peer` names
 * the server in errors ("containerd"). */
wcr_channel *wcr_channel_open(const char *path, const char *peer, unsigned connect_timeout_ms,
                              wcr_err *err);
void wcr_channel_close(wcr_channel *ch);

typedef struct wcr_call_options {
    uint64_t timeout_ns;            /* 0: no deadline */
    const wcr_grpc_metadata *md;    /* extra request metadata */
    size_t nmd;
    size_t max_message;             /* 0: WCR_GRPC_DEFAULT_MAX_MESSAGE */
} wcr_call_options;

/* Start a call to `method` ("/containerd.services.version.v1.Version/
 * Version"). The request stream stays open for wcr_call_send(). */
wcr_call *wcr_call_start(wcr_channel *ch, const char *method, const wcr_call_options *opts,
                         wcr_err *err);

/* Send one request message; `last` ends the request stream. Blocks while
 * more than a few MiB of this call's data wait for the peer's window. */
int wcr_call_send(wcr_call *c, const void *msg, size_t len, bool last, wcr_err *err);

/* End the request stream without a message. */
int wcr_call_close_send(wcr_call *c, wcr_err *err);

/* Wait for the next response message (into msg, replacing its contents).
 * Returns 1 with a message, 0 when the response ended with status OK, -1
 * on error (the status and the server's message, a deadline, a cancel, or
 * the connection's loss). */
int wcr_call_recv(wcr_call *c, wcr_buf *msg, wcr_err *err);

/* Stop the call from any thread: a blocked recv/send returns
 * WCR_E_CANCELLED, the stream is reset. */
void wcr_call_cancel(wcr_call *c);

void wcr_call_free(wcr_call *c);

/* One request, one response. */
int wcr_channel_unary(wcr_channel *ch, const char *method, const void *req, size_t req_len,
                      wcr_buf *resp, const wcr_call_options *opts, wcr_err *err);

/* Cancel every call in progress (Ctrl+C). Safe from any thread. */
void wcr_channel_cancel_all(wcr_channel *ch);

#endif
