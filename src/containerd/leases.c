/* containerd.services.leases.v1.Leases: field numbers from
 * api/services/leases/v1/leases.proto (the same in 1.6, 1.7, 2.x). */
#include <stdlib.h>
#include <string.h>

#include "containerd/leases.h"
#include "containerd/rpc.h"

#define SVC "/containerd.services.leases.v1.Leases/"

void wcr_lease_dispose(wcr_lease *l)
{
    if (!l)
        return;
    free(l->id);
    wcr_labels_dispose(&l->labels);
    memset(l, 0, sizeof *l);
}

/* Lease: id = 1, created_at = 2, labels = 3. */
static int read_lease(wcr_pb_reader *r, void *out, wcr_err *err)
{
    wcr_lease *l = out;
    wcr_pb_field f;
    int rc;
    while ((rc = wcr_pb_next(r, &f, err)) > 0) {
        switch (f.number) {
        case 1: rc = wcr_pb_get_string_dup(&f, &l->id, err); break;
        case 2: rc = wcr_pb_get_timestamp(&f, &l->created_at, err); break;
        case 3: rc = wcr_labels_add_entry(&l->labels, &f, err); break;
        default: rc = 0; break;
        }
        if (rc < 0)
            return -1;
    }
    return rc;
}

static void dispose_lease(void *p)
{
    wcr_lease_dispose(p);
}

static const wcr_ctd_type lease_type = { "lease", sizeof(wcr_lease), read_lease, dispose_lease };

void wcr_leases_dispose(wcr_leases *l)
{
    if (!l)
        return;
    wcr_ctd_list_free(l->items, l->n, &lease_type);
    l->items = NULL;
    l->n = 0;
}

WCR_CTD_DEFINE_LIST_ADD(add_lease, wcr_leases, lease_type)

void wcr_leases_encode_create(wcr_buf *b, const char *id, const wcr_labels *labels)
{
    wcr_pb_put_string_opt(b, 1, id);
    wcr_labels_put(b, 3, labels);
}

void wcr_leases_encode_delete(wcr_buf *b, const char *id, bool sync)
{
    wcr_pb_put_string_opt(b, 1, id);
    wcr_pb_put_bool_opt(b, 2, sync);
}

void wcr_leases_encode_list(wcr_buf *b, const char *const *filters, size_t nfilters)
{
    wcr_ctd_put_strings(b, 1, filters, nfilters);
}

int wcr_leases_decode_create(const void *data, size_t len, wcr_lease *out, wcr_err *err)
{
    return wcr_ctd_decode_field(data, len, 1, &lease_type, out, err);
}

int wcr_leases_decode_list(const void *data, size_t len, wcr_leases *out, wcr_err *err)
{
    if (wcr_ctd_decode_each(data, len, 1, add_lease, out, err) < 0) {
        wcr_leases_dispose(out);
        return -1;
    }
    return 0;
}

static int decode_create(const void *data, size_t len, void *out, wcr_err *err)
{
    return wcr_leases_decode_create(data, len, out, err);
}

static int decode_list(const void *data, size_t len, void *out, wcr_err *err)
{
    return wcr_leases_decode_list(data, len, out, err);
}

int wcr_leases_create(wcr_ctd *c, const char *id, const wcr_labels *labels, wcr_lease *out,
                      wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_leases_encode_create(&req, id, labels);
    if (wcr_ctd_rpc(c, SVC "Create", &req, out ? decode_create : NULL, out, err) < 0)
        return wcr_err_wrap(err, "create lease%s%s", id && id[0] ? " " : "", id ? id : "");
    return 0;
}

int wcr_leases_delete(wcr_ctd *c, const char *id, bool sync, wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_leases_encode_delete(&req, id, sync);
    if (wcr_ctd_rpc(c, SVC "Delete", &req, NULL, NULL, err) < 0)
        return wcr_err_wrap(err, "delete lease %s", id);
    return 0;
}

void wcr_leases_encode_add_resource(wcr_buf *b, const char *id, const char *resource_id,
                                    const char *type)
{
    wcr_pb_put_string_opt(b, 1, id);
    size_t m = wcr_pb_begin(b, 2);
    wcr_pb_put_string_opt(b, 1, resource_id);
    wcr_pb_put_string_opt(b, 2, type);
    wcr_pb_end(b, m);
}

int wcr_leases_add_resource(wcr_ctd *c, const char *id, const char *resource_id,
                            const char *type, wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_leases_encode_add_resource(&req, id, resource_id, type);
    if (wcr_ctd_rpc(c, SVC "AddResource", &req, NULL, NULL, err) < 0)
        return wcr_err_wrap(err, "add %s %s to lease %s", type, resource_id, id);
    return 0;
}

int wcr_leases_list(wcr_ctd *c, const char *const *filters, size_t nfilters, wcr_leases *out,
                    wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_leases_encode_list(&req, filters, nfilters);
    if (wcr_ctd_rpc(c, SVC "List", &req, decode_list, out, err) < 0)
        return wcr_err_wrap(err, "list leases");
    return 0;
}
