/* Calls as the service files make them: the request buffer is built by
 * the caller and released here in every case, the response is decoded by
 * a callback. Context for errors is the caller's to add. */
#ifndef WCR_CONTAINERD_RPC_H
#define WCR_CONTAINERD_RPC_H

#include "containerd/client.h"

/* A unary call with the client's deadline (decode may be NULL for Empty). */
int wcr_ctd_rpc(wcr_ctd *c, const char *method, wcr_buf *req, wcr_ctd_decode_fn decode,
                void *out, wcr_err *err);

/* The same without a deadline, for calls that last as long as the work
 * (Diff.Apply unpacking a layer, Tasks.Wait); Ctrl+C still ends them
 * through wcr_ctd_cancel_all(). */
int wcr_ctd_rpc_wait(wcr_ctd *c, const char *method, wcr_buf *req, wcr_ctd_decode_fn decode,
                     void *out, wcr_err *err);

/* A server-streaming call: each response message goes to fn, which
 * returns 0 to go on, > 0 to stop early (the call is then cancelled and
 * wcr_ctd_rpc_stream returns 0), or < 0 to fail with err set. Returns 0
 * when the stream ended with status OK. No deadline. */
typedef int (*wcr_ctd_message_fn)(void *ud, const void *data, size_t len, wcr_err *err);
int wcr_ctd_rpc_stream(wcr_ctd *c, const char *method, wcr_buf *req, wcr_ctd_message_fn fn,
                       void *ud, wcr_err *err);

#endif
