/* Unary and server-streaming calls for the service files. */
#include "containerd/rpc.h"

int wcr_ctd_rpc(wcr_ctd *c, const char *method, wcr_buf *req, wcr_ctd_decode_fn decode,
                void *out, wcr_err *err)
{
    int rc = wcr_ctd_call(c, method, req, decode, out, err);
    wcr_buf_dispose(req);
    return rc;
}

int wcr_ctd_rpc_wait(wcr_ctd *c, const char *method, wcr_buf *req, wcr_ctd_decode_fn decode,
                     void *out, wcr_err *err)
{
    wcr_buf resp = WCR_BUF_INIT("response", WCR_BUF_NO_LIMIT);
    int rc = wcr_ctd_unary_timeout(c, method, req, &resp, 0, err);
    if (rc == 0 && decode)
        rc = decode(resp.data, resp.len, out, err);
    wcr_buf_dispose(&resp);
    wcr_buf_dispose(req);
    return rc < 0 ? -1 : 0;
}

int wcr_ctd_rpc_stream(wcr_ctd *c, const char *method, wcr_buf *req, wcr_ctd_message_fn fn,
                       void *ud, wcr_err *err)
{
    wcr_buf msg = WCR_BUF_INIT("response", WCR_BUF_NO_LIMIT);
    wcr_call *call = NULL;
    int rc = wcr_buf_check(req, err);
    if (rc == 0 && !(call = wcr_ctd_stream(c, method, err)))
        rc = -1;
    if (rc == 0)
        rc = wcr_call_send(call, req->data, req->len, true, err);
    while (rc == 0 && (rc = wcr_call_recv(call, &msg, err)) == 1)
        rc = fn(ud, msg.data, msg.len, err);
    /* rc > 0: the callback stopped early; freeing the unfinished call
     * cancels it. */
    wcr_call_free(call);
    wcr_buf_dispose(&msg);
    wcr_buf_dispose(req);
    return rc < 0 ? -1 : 0;
}
