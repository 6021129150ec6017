/* The containerd client: a channel to containerd plus what every call
 * carries (the namespace, the lease held by the current operation) and
 * errors that say what to do when containerd is not there.
 *
 * Thread-safety: calls may be made from any number of threads at once.
 * The lease is read by every call: set it before starting the threads of
 * an operation and clear it after they are done. */
#ifndef WCR_CONTAINERD_CLIENT_H
#define WCR_CONTAINERD_CLIENT_H

#include <stdint.h>

#include "containerd/channel.h"
#include "core/buf.h"
#include "wcr/err.h"

typedef struct wcr_ctd wcr_ctd;

typedef struct wcr_ctd_options {
    unsigned version;         /* WCR_CTD_OPTIONS_VERSION */
    const char *address;      /* NULL: the OS default */
    const char *ns;           /* NULL: "default" */
    uint64_t timeout_ns;      /* of ordinary unary calls; 0: 60 s */
} wcr_ctd_options;

#define WCR_CTD_OPTIONS_VERSION 1
#define WCR_CTD_OPTIONS_INIT { WCR_CTD_OPTIONS_VERSION, NULL, NULL, 0 }

/* Connect. Fails fast, naming the address and the reason, with a hint
 * (is containerd running? Linux: systemctl status containerd; Windows: Get-Service containerd). */
wcr_ctd *wcr_ctd_connect(const wcr_ctd_options *opts, wcr_err *err);
void wcr_ctd_close(wcr_ctd *c);

const char *wcr_ctd_namespace(const wcr_ctd *c);
const char *wcr_ctd_address(const wcr_ctd *c);

/* The lease every later call carries (NULL: none). */
int wcr_ctd_set_lease(wcr_ctd *c, const char *lease_id, wcr_err *err);
const char *wcr_ctd_lease(const wcr_ctd *c);

/* A unary call to "/containerd.services.X.v1.Service/Method" with the
 * client's timeout (timeout_ns 0 in _timeout means none). */
int wcr_ctd_unary(wcr_ctd *c, const char *method, const wcr_buf *req, wcr_buf *resp,
                  wcr_err *err);
int wcr_ctd_unary_timeout(wcr_ctd *c, const char *method, const wcr_buf *req, wcr_buf *resp,
                          uint64_t timeout_ns, wcr_err *err);

/* A unary call whose response is decoded by `decode` into `out` (decode
 * may be NULL when the response is Empty). The request buffer's failure,
 * if any, is reported first. */
typedef int (*wcr_ctd_decode_fn)(const void *data, size_t len, void *out, wcr_err *err);
int wcr_ctd_call(wcr_ctd *c, const char *method, const wcr_buf *req, wcr_ctd_decode_fn decode,
                 void *out, wcr_err *err);

/* A streaming call (no deadline) carrying the client's metadata. */
wcr_call *wcr_ctd_stream(wcr_ctd *c, const char *method, wcr_err *err);

/* The same under another lease than the client's ("" for none). */
wcr_call *wcr_ctd_stream_lease(wcr_ctd *c, const char *method, const char *lease, wcr_err *err);

/* Cancel every call in progress (Ctrl+C); from any thread. */
void wcr_ctd_cancel_all(wcr_ctd *c);

#endif
