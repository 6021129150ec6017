/* containerd.services.namespaces.v1.Namespaces: field numbers from
 * api/services/namespaces/v1/namespace.proto (the same in 1.6, 1.7, 2.x). */
#include <stdlib.h>

#include "containerd/namespaces.h"
#include "containerd/rpc.h"

#define SVC "/containerd.services.namespaces.v1.Namespaces/"

void wcr_namespace_dispose(wcr_namespace *ns)
{
    if (!ns)
        return;
    free(ns->name);
    wcr_labels_dispose(&ns->labels);
    ns->name = NULL;
}

/* Namespace: name = 1, labels = 2. */
static void write_namespace(wcr_buf *b, uint32_t field, const char *name,
                            const wcr_labels *labels)
{
    size_t m = wcr_pb_begin(b, field);
    wcr_pb_put_string_opt(b, 1, name);
    wcr_labels_put(b, 2, labels);
    wcr_pb_end(b, m);
}

static int read_namespace(wcr_pb_reader *r, void *out, wcr_err *err)
{
    wcr_namespace *ns = out;
    wcr_pb_field f;
    int rc;
    while ((rc = wcr_pb_next(r, &f, err)) > 0) {
        if (f.number == 1)
            rc = wcr_pb_get_string_dup(&f, &ns->name, err);
        else if (f.number == 2)
            rc = wcr_labels_add_entry(&ns->labels, &f, err);
        if (rc < 0)
            return -1;
    }
    return rc;
}

static void dispose_namespace(void *p)
{
    wcr_namespace_dispose(p);
}

static const wcr_ctd_type namespace_type = {
    "namespace", sizeof(wcr_namespace), read_namespace, dispose_namespace
};

void wcr_namespaces_dispose(wcr_namespaces *l)
{
    if (!l)
        return;
    wcr_ctd_list_free(l->items, l->n, &namespace_type);
    l->items = NULL;
    l->n = 0;
}

WCR_CTD_DEFINE_LIST_ADD(add_namespace, wcr_namespaces, namespace_type)

void wcr_namespaces_encode_name(wcr_buf *b, const char *name)
{
    wcr_pb_put_string_opt(b, 1, name);
}

void wcr_namespaces_encode_list(wcr_buf *b, const char *filter)
{
    wcr_pb_put_string_opt(b, 1, filter);
}

void wcr_namespaces_encode_create(wcr_buf *b, const char *name, const wcr_labels *labels)
{
    write_namespace(b, 1, name, labels);
}

void wcr_namespaces_encode_update(wcr_buf *b, const wcr_namespace *ns,
                                  const char *const *paths, size_t npaths)
{
    write_namespace(b, 1, ns->name, &ns->labels);
    wcr_pb_put_field_mask(b, 2, paths, npaths);
}

int wcr_namespaces_decode_namespace(const void *data, size_t len, wcr_namespace *out,
                                    wcr_err *err)
{
    return wcr_ctd_decode_field(data, len, 1, &namespace_type, out, err);
}

int wcr_namespaces_decode_list(const void *data, size_t len, wcr_namespaces *out, wcr_err *err)
{
    if (wcr_ctd_decode_each(data, len, 1, add_namespace, out, err) < 0) {
        wcr_namespaces_dispose(out);
        return -1;
    }
    return 0;
}

static int decode_namespace(const void *data, size_t len, void *out, wcr_err *err)
{
    return wcr_namespaces_decode_namespace(data, len, out, err);
}

static int decode_list(const void *data, size_t len, void *out, wcr_err *err)
{
    return wcr_namespaces_decode_list(data, len, out, err);
}

int wcr_namespaces_list(wcr_ctd *c, const char *filter, wcr_namespaces *out, wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_namespaces_encode_list(&req, filter);
    if (wcr_ctd_rpc(c, SVC "List", &req, decode_list, out, err) < 0)
        return wcr_err_wrap(err, "list namespaces");
    return 0;
}

int wcr_namespaces_get(wcr_ctd *c, const char *name, wcr_namespace *out, wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_namespaces_encode_name(&req, name);
    if (wcr_ctd_rpc(c, SVC "Get", &req, decode_namespace, out, err) < 0)
        return wcr_err_wrap(err, "get namespace %s", name);
    return 0;
}

int wcr_namespaces_create(wcr_ctd *c, const char *name, const wcr_labels *labels,
                          wcr_namespace *out, wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_namespaces_encode_create(&req, name, labels);
    if (wcr_ctd_rpc(c, SVC "Create", &req, out ? decode_namespace : NULL, out, err) < 0)
        return wcr_err_wrap(err, "create namespace %s", name);
    return 0;
}

int wcr_namespaces_update(wcr_ctd *c, const wcr_namespace *ns, const char *const *paths,
                          size_t npaths, wcr_namespace *out, wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_namespaces_encode_update(&req, ns, paths, npaths);
    if (wcr_ctd_rpc(c, SVC "Update", &req, out ? decode_namespace : NULL, out, err) < 0)
        return wcr_err_wrap(err, "update namespace %s", ns->name ? ns->name : "");
    return 0;
}

int wcr_namespaces_delete(wcr_ctd *c, const char *name, wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_namespaces_encode_name(&req, name);
    if (wcr_ctd_rpc(c, SVC "Delete", &req, NULL, NULL, err) < 0)
        return wcr_err_wrap(err, "delete namespace %s", name);
    return 0;
}
