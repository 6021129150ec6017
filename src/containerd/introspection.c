/* containerd.services.introspection.v1.Introspection: field numbers from
 * api/services/introspection/v1/introspection.proto. Plugin is the same
 * from 1.6 to 2.x (its Platform grew, see types.h); ServerResponse grew
 * in 1.7 and 2.0 (see introspection.h). The request of Server is Empty in every
 * version. */
#include <stdlib.h>
#include <string.h>

#include "containerd/introspection.h"
#include "containerd/rpc.h"

#define SVC "/containerd.services.introspection.v1.Introspection/"

void wcr_plugin_dispose(wcr_plugin *p)
{
    if (!p)
        return;
    free(p->type);
    free(p->id);
    wcr_strv_dispose(&p->requires);
    wcr_ctd_platforms_dispose(&p->platforms);
    wcr_labels_dispose(&p->exports);
    wcr_strv_dispose(&p->capabilities);
    free(p->init_err_message);
    memset(p, 0, sizeof *p);
}

/* google.rpc.Status: code = 1, message = 2, details = 3. */
static int read_init_err(const wcr_pb_field *field, wcr_plugin *p, wcr_err *err)
{
    wcr_pb_reader r;
    wcr_pb_field f;
    int rc;
    if (wcr_pb_get_message(field, &r, err) < 0)
        return wcr_err_wrap(err, "init_err");
    p->failed = true;
    while ((rc = wcr_pb_next(&r, &f, err)) > 0) {
        if (f.number == 1)
            rc = wcr_pb_get_int32(&f, &p->init_err_code, err);
        else if (f.number == 2)
            rc = wcr_pb_get_string_dup(&f, &p->init_err_message, err);
        if (rc < 0)
            break;
    }
    return rc < 0 ? wcr_err_wrap(err, "init_err") : 0;
}

static int read_plugin(wcr_pb_reader *r, void *out, wcr_err *err)
{
    wcr_plugin *p = out;
    wcr_pb_field f;
    int rc;
    while ((rc = wcr_pb_next(r, &f, err)) > 0) {
        switch (f.number) {
        case 1: rc = wcr_pb_get_string_dup(&f, &p->type, err); break;
        case 2: rc = wcr_pb_get_string_dup(&f, &p->id, err); break;
        case 3: rc = wcr_strv_add_field(&p->requires, &f, err); break;
        case 4: rc = wcr_ctd_platforms_add(&p->platforms, &f, err); break;
        case 5: rc = wcr_labels_add_entry(&p->exports, &f, err); break;
        case 6: rc = wcr_strv_add_field(&p->capabilities, &f, err); break;
        case 7: rc = read_init_err(&f, p, err); break;
        default: rc = 0; break;
        }
        if (rc < 0)
            return -1;
    }
    return rc;
}

static void dispose_plugin(void *p)
{
    wcr_plugin_dispose(p);
}

static const wcr_ctd_type plugin_type = { "plugin", sizeof(wcr_plugin), read_plugin,
                                          dispose_plugin };

void wcr_plugins_dispose(wcr_plugins *l)
{
    if (!l)
        return;
    wcr_ctd_list_free(l->items, l->n, &plugin_type);
    l->items = NULL;
    l->n = 0;
}

WCR_CTD_DEFINE_LIST_ADD(add_plugin, wcr_plugins, plugin_type)

/* --- Server ------------------------------------------------------------------------ */

static int read_deprecation(wcr_pb_reader *r, void *out, wcr_err *err)
{
    wcr_deprecation *d = out;
    wcr_pb_field f;
    int rc;
    while ((rc = wcr_pb_next(r, &f, err)) > 0) {
        switch (f.number) {
        case 1: rc = wcr_pb_get_string_dup(&f, &d->id, err); break;
        case 2: rc = wcr_pb_get_string_dup(&f, &d->message, err); break;
        case 3: rc = wcr_pb_get_timestamp(&f, &d->last_occurrence, err); break;
        default: rc = 0; break;
        }
        if (rc < 0)
            return -1;
    }
    return rc;
}

static void dispose_deprecation(void *p)
{
    wcr_deprecation *d = p;
    free(d->id);
    free(d->message);
    memset(d, 0, sizeof *d);
}

static const wcr_ctd_type deprecation_type = { "deprecation", sizeof(wcr_deprecation),
                                               read_deprecation, dispose_deprecation };

WCR_CTD_DEFINE_LIST_ADD(add_deprecation, wcr_deprecations, deprecation_type)

void wcr_ctd_server_info_dispose(wcr_ctd_server_info *s)
{
    if (!s)
        return;
    free(s->uuid);
    wcr_ctd_list_free(s->deprecations.items, s->deprecations.n, &deprecation_type);
    memset(s, 0, sizeof *s);
}

int wcr_introspection_decode_server(const void *data, size_t len, wcr_ctd_server_info *out,
                                    wcr_err *err)
{
    wcr_pb_reader r;
    wcr_pb_field f;
    int rc;
    wcr_pb_reader_init(&r, data, len);
    while ((rc = wcr_pb_next(&r, &f, err)) > 0) {
        switch (f.number) {
        case 1: rc = wcr_pb_get_string_dup(&f, &out->uuid, err); break;
        case 2: rc = wcr_pb_get_uint64(&f, &out->pid, err); break;
        case 3: rc = wcr_pb_get_uint64(&f, &out->pidns, err); break;
        case 4: rc = add_deprecation(&out->deprecations, &f, err); break;
        default: rc = 0; break;
        }
        if (rc < 0)
            break;
    }
    if (rc < 0) {
        wcr_ctd_server_info_dispose(out);
        return wcr_err_wrap(err, "ServerResponse");
    }
    return 0;
}

/* --- messages and calls ------------------------------------------------------------- */

void wcr_introspection_encode_plugins(wcr_buf *b, const char *const *filters, size_t nfilters)
{
    wcr_ctd_put_strings(b, 1, filters, nfilters);
}

int wcr_introspection_decode_plugins(const void *data, size_t len, wcr_plugins *out,
                                     wcr_err *err)
{
    if (wcr_ctd_decode_each(data, len, 1, add_plugin, out, err) < 0) {
        wcr_plugins_dispose(out);
        return -1;
    }
    return 0;
}

static int decode_plugins(const void *data, size_t len, void *out, wcr_err *err)
{
    return wcr_introspection_decode_plugins(data, len, out, err);
}

static int decode_server(const void *data, size_t len, void *out, wcr_err *err)
{
    return wcr_introspection_decode_server(data, len, out, err);
}

int wcr_introspection_plugins(wcr_ctd *c, const char *const *filters, size_t nfilters,
                              wcr_plugins *out, wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_introspection_encode_plugins(&req, filters, nfilters);
    if (wcr_ctd_rpc(c, SVC "Plugins", &req, decode_plugins, out, err) < 0)
        return wcr_err_wrap(err, "list plugins");
    return 0;
}

int wcr_introspection_server(wcr_ctd *c, wcr_ctd_server_info *out, wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", 0);
    if (wcr_ctd_rpc(c, SVC "Server", &req, decode_server, out, err) < 0)
        return wcr_err_wrap(err, "server info");
    return 0;
}
