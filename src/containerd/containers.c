/* containerd.services.containers.v1.Containers: field numbers from
 * api/services/containers/v1/containers.proto. */
#include <stdlib.h>
#include <string.h>

#include "containerd/containers.h"
#include "containerd/rpc.h"

#define SVC "/containerd.services.containers.v1.Containers/"

void wcr_container_dispose(wcr_container *ct)
{
    if (!ct)
        return;
    free(ct->id);
    wcr_labels_dispose(&ct->labels);
    free(ct->image);
    free(ct->runtime_name);
    wcr_ctd_any_dispose(&ct->runtime_options);
    wcr_ctd_any_dispose(&ct->spec);
    free(ct->snapshotter);
    free(ct->snapshot_key);
    wcr_ctd_any_map_dispose(&ct->extensions);
    free(ct->sandbox);
    memset(ct, 0, sizeof *ct);
}

static void write_container(wcr_buf *b, uint32_t field, const wcr_container *ct)
{
    size_t m = wcr_pb_begin(b, field);
    wcr_pb_put_string_opt(b, 1, ct->id);
    wcr_labels_put(b, 2, &ct->labels);
    wcr_pb_put_string_opt(b, 3, ct->image);
    if ((ct->runtime_name && ct->runtime_name[0]) || ct->runtime_options.type_url) {
        size_t rt = wcr_pb_begin(b, 4);
        wcr_pb_put_string_opt(b, 1, ct->runtime_name);
        wcr_ctd_any_put(b, 2, &ct->runtime_options);
        wcr_pb_end(b, rt);
    }
    wcr_ctd_any_put(b, 5, &ct->spec);
    wcr_pb_put_string_opt(b, 6, ct->snapshotter);
    wcr_pb_put_string_opt(b, 7, ct->snapshot_key);
    wcr_ctd_put_timestamp_opt(b, 8, &ct->created_at);
    wcr_ctd_put_timestamp_opt(b, 9, &ct->updated_at);
    wcr_ctd_any_map_put(b, 10, &ct->extensions);
    wcr_pb_put_string_opt(b, 11, ct->sandbox);
    wcr_pb_end(b, m);
}

/* Container.Runtime: name = 1, options = 2. */
static int read_runtime(const wcr_pb_field *field, wcr_container *ct, wcr_err *err)
{
    wcr_pb_reader r;
    wcr_pb_field f;
    int rc;
    if (wcr_pb_get_message(field, &r, err) < 0)
        return wcr_err_wrap(err, "runtime");
    while ((rc = wcr_pb_next(&r, &f, err)) > 0) {
        if (f.number == 1)
            rc = wcr_pb_get_string_dup(&f, &ct->runtime_name, err);
        else if (f.number == 2)
            rc = wcr_ctd_any_get(&f, &ct->runtime_options, err);
        if (rc < 0)
            break;
    }
    return rc < 0 ? wcr_err_wrap(err, "runtime") : 0;
}

static int read_container(wcr_pb_reader *r, void *out, wcr_err *err)
{
    wcr_container *ct = out;
    wcr_pb_field f;
    int rc;
    while ((rc = wcr_pb_next(r, &f, err)) > 0) {
        switch (f.number) {
        case 1: rc = wcr_pb_get_string_dup(&f, &ct->id, err); break;
        case 2: rc = wcr_labels_add_entry(&ct->labels, &f, err); break;
        case 3: rc = wcr_pb_get_string_dup(&f, &ct->image, err); break;
        case 4: rc = read_runtime(&f, ct, err); break;
        case 5: rc = wcr_ctd_any_get(&f, &ct->spec, err); break;
        case 6: rc = wcr_pb_get_string_dup(&f, &ct->snapshotter, err); break;
        case 7: rc = wcr_pb_get_string_dup(&f, &ct->snapshot_key, err); break;
        case 8: rc = wcr_pb_get_timestamp(&f, &ct->created_at, err); break;
        case 9: rc = wcr_pb_get_timestamp(&f, &ct->updated_at, err); break;
        case 10: rc = wcr_ctd_any_map_add_entry(&ct->extensions, &f, err); break;
        case 11: rc = wcr_pb_get_string_dup(&f, &ct->sandbox, err); break;
        default: rc = 0; break;
        }
        if (rc < 0)
            return -1;
    }
    return rc;
}

static void dispose_container(void *p)
{
    wcr_container_dispose(p);
}

static const wcr_ctd_type container_type = { "container", sizeof(wcr_container),
                                             read_container, dispose_container };

void wcr_containers_dispose(wcr_containers *l)
{
    if (!l)
        return;
    wcr_ctd_list_free(l->items, l->n, &container_type);
    l->items = NULL;
    l->n = 0;
}

WCR_CTD_DEFINE_LIST_ADD(add_container, wcr_containers, container_type)

void wcr_containers_encode_id(wcr_buf *b, const char *id)
{
    wcr_pb_put_string_opt(b, 1, id);
}

void wcr_containers_encode_list(wcr_buf *b, const char *const *filters, size_t nfilters)
{
    wcr_ctd_put_strings(b, 1, filters, nfilters);
}

void wcr_containers_encode_create(wcr_buf *b, const wcr_container *ct)
{
    write_container(b, 1, ct);
}

void wcr_containers_encode_update(wcr_buf *b, const wcr_container *ct, const char *const *paths,
                                  size_t npaths)
{
    write_container(b, 1, ct);
    wcr_pb_put_field_mask(b, 2, paths, npaths);
}

int wcr_containers_decode_container(const void *data, size_t len, wcr_container *out,
                                    wcr_err *err)
{
    return wcr_ctd_decode_field(data, len, 1, &container_type, out, err);
}

int wcr_containers_decode_list(const void *data, size_t len, wcr_containers *out, wcr_err *err)
{
    return wcr_ctd_decode_each(data, len, 1, add_container, out, err);
}

static int decode_container(const void *data, size_t len, void *out, wcr_err *err)
{
    return wcr_containers_decode_container(data, len, out, err);
}

int wcr_containers_get(wcr_ctd *c, const char *id, wcr_container *out, wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_containers_encode_id(&req, id);
    if (wcr_ctd_rpc(c, SVC "Get", &req, decode_container, out, err) < 0) {
        /* containerd's not-found text names the container already. */
        return err && err->code == WCR_E_NOT_FOUND ? -1 : wcr_err_wrap(err, "get container %s", id);
    }
    return 0;
}

/* ListStream: ListContainerMessage {container = 1}, the same shape as a
 * ListContainersResponse holding one. */
static int on_list(void *ud, const void *data, size_t len, wcr_err *err)
{
    return wcr_containers_decode_list(data, len, ud, err);
}

int wcr_containers_list(wcr_ctd *c, const char *const *filters, size_t nfilters,
                        wcr_containers *out, wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_containers_encode_list(&req, filters, nfilters);
    if (wcr_ctd_rpc_stream(c, SVC "ListStream", &req, on_list, out, err) < 0) {
        wcr_containers_dispose(out);
        return wcr_err_wrap(err, "list containers");
    }
    return 0;
}

int wcr_containers_create(wcr_ctd *c, const wcr_container *ct, wcr_container *out,
                          wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_containers_encode_create(&req, ct);
    if (wcr_ctd_rpc(c, SVC "Create", &req, out ? decode_container : NULL, out, err) < 0)
        return wcr_err_wrap(err, "create container %s", ct->id ? ct->id : "");
    return 0;
}

int wcr_containers_update(wcr_ctd *c, const wcr_container *ct, const char *const *paths,
                          size_t npaths, wcr_container *out, wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_containers_encode_update(&req, ct, paths, npaths);
    if (wcr_ctd_rpc(c, SVC "Update", &req, out ? decode_container : NULL, out, err) < 0)
        return wcr_err_wrap(err, "update container %s", ct->id ? ct->id : "");
    return 0;
}

int wcr_containers_delete(wcr_ctd *c, const char *id, wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_containers_encode_id(&req, id);
    if (wcr_ctd_rpc(c, SVC "Delete", &req, NULL, NULL, err) < 0)
        return wcr_err_wrap(err, "delete container %s", id);
    return 0;
}
