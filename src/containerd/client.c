/* The containerd client: connection, namespace and lease metadata. */
#include <stdlib.h>
#include <string.h>

#include "containerd/address.h"
#include "containerd/client.h"
#include "core/str.h"
#include "os/os.h"

#define DEFAULT_TIMEOUT_NS (60ULL * 1000000000ULL)
#define CONNECT_TIMEOUT_MS 5000
#define PEER "containerd"

struct wcr_ctd {
    wcr_channel *ch;
    char *address;  /* as the user gave it (or the default) */
    char *ns;
    char *lease;
    uint64_t timeout_ns;
};

wcr_ctd *wcr_ctd_connect(const wcr_ctd_options *opts, wcr_err *err)
{
    static const wcr_ctd_options defaults = WCR_CTD_OPTIONS_INIT;
    if (!opts)
        opts = &defaults;
    wcr_ctd *c = calloc(1, sizeof *c);
    if (!c) {
        wcr_err_set(err, WCR_E_NOMEM, "connect to containerd: out of memory");
        return NULL;
    }
    const char *address = opts->address && opts->address[0] ? opts->address
                                                            : wcr_os_default_containerd_address();
    c->address = wcr_strdup(address);
    c->ns = wcr_strdup(opts->ns && opts->ns[0] ? opts->ns : "default");
    c->timeout_ns = opts->timeout_ns ? opts->timeout_ns : DEFAULT_TIMEOUT_NS;
    char *path = wcr_ctd_address_resolve(address, err);
    if (!c->address || !c->ns || !path) {
        if (path || !err || err->code == WCR_E_OK)
            wcr_err_set(err, WCR_E_NOMEM, "connect to containerd: out of memory");
        free(path);
        wcr_ctd_close(c);
        return NULL;
    }
    c->ch = wcr_channel_open(path, PEER, CONNECT_TIMEOUT_MS, err);
    free(path);
    if (!c->ch) {
        wcr_err_wrap(err, "cannot reach containerd");
        wcr_err_hint(err, "is containerd running? Linux: systemctl status containerd; Windows: Get-Service containerd");
        wcr_ctd_close(c);
        return NULL;
    }
    return c;
}

void wcr_ctd_close(wcr_ctd *c)
{
    if (!c)
        return;
    wcr_channel_close(c->ch);
    free(c->address);
    free(c->ns);
    free(c->lease);
    free(c);
}

const char *wcr_ctd_namespace(const wcr_ctd *c)
{
    return c->ns;
}

const char *wcr_ctd_address(const wcr_ctd *c)
{
    return c->address;
}

int wcr_ctd_set_lease(wcr_ctd *c, const char *lease_id, wcr_err *err)
{
    char *copy = NULL;
    if (lease_id && !(copy = wcr_strdup(lease_id)))
        return wcr_err_set(err, WCR_E_NOMEM, "lease: out of memory");
    free(c->lease);
    c->lease = copy;
    return 0;
}

const char *wcr_ctd_lease(const wcr_ctd *c)
{
    return c->lease;
}

static size_t metadata_lease(const wcr_ctd *c, const char *lease, wcr_grpc_metadata md[2])
{
    size_t n = 0;
    md[n++] = (wcr_grpc_metadata){ "containerd-namespace", c->ns };
    if (lease && lease[0])
        md[n++] = (wcr_grpc_metadata){ "containerd-lease", lease };
    return n;
}

static size_t metadata(const wcr_ctd *c, wcr_grpc_metadata md[2])
{
    return metadata_lease(c, c->lease, md);
}

int wcr_ctd_unary_timeout(wcr_ctd *c, const char *method, const wcr_buf *req, wcr_buf *resp,
                          uint64_t timeout_ns, wcr_err *err)
{
    wcr_grpc_metadata md[2];
    wcr_call_options o = { .timeout_ns = timeout_ns, .md = md, .nmd = metadata(c, md) };
    if (wcr_buf_check(req, err) < 0)
        return -1;
    return wcr_channel_unary(c->ch, method, req->data, req->len, resp, &o, err);
}

int wcr_ctd_unary(wcr_ctd *c, const char *method, const wcr_buf *req, wcr_buf *resp, wcr_err *err)
{
    return wcr_ctd_unary_timeout(c, method, req, resp, c->timeout_ns, err);
}

int wcr_ctd_call(wcr_ctd *c, const char *method, const wcr_buf *req, wcr_ctd_decode_fn decode,
                 void *out, wcr_err *err)
{
    wcr_buf resp = WCR_BUF_INIT("response", WCR_BUF_NO_LIMIT);
    int rc = wcr_ctd_unary(c, method, req, &resp, err);
    if (rc == 0 && decode)
        rc = decode(resp.data, resp.len, out, err);
    wcr_buf_dispose(&resp);
    return rc < 0 ? -1 : 0;
}

wcr_call *wcr_ctd_stream(wcr_ctd *c, const char *method, wcr_err *err)
{
    wcr_grpc_metadata md[2];
    wcr_call_options o = { .md = md, .nmd = metadata(c, md) };
    return wcr_call_start(c->ch, method, &o, err);
}

wcr_call *wcr_ctd_stream_lease(wcr_ctd *c, const char *method, const char *lease, wcr_err *err)
{
    wcr_grpc_metadata md[2];
    wcr_call_options o = { .md = md, .nmd = metadata_lease(c, lease, md) };
    return wcr_call_start(c->ch, method, &o, err);
}

void wcr_ctd_cancel_all(wcr_ctd *c)
{
    if (c)
        wcr_channel_cancel_all(c->ch);
}
