/* containerd.services.content.v1.Content: field numbers from
 * api/services/content/v1/content.proto (the same in 1.6, 1.7 and 2.x).
 * The Write stream is in content_writer.c. */
#include <stdlib.h>
#include <string.h>

#include "containerd/content.h"
#include "containerd/rpc.h"

#define SVC "/containerd.services.content.v1.Content/"

/* --- Info ------------------------------------------------------------------------ */

void wcr_blob_info_dispose(wcr_blob_info *i)
{
    if (!i)
        return;
    free(i->digest);
    wcr_labels_dispose(&i->labels);
    memset(i, 0, sizeof *i);
}

/* Info: digest = 1, size = 2, created_at = 3, updated_at = 4, labels = 5. */
static void write_info(wcr_buf *b, uint32_t field, const wcr_blob_info *i)
{
    size_t m = wcr_pb_begin(b, field);
    wcr_pb_put_string_opt(b, 1, i->digest);
    wcr_pb_put_int64_opt(b, 2, i->size);
    wcr_ctd_put_timestamp_opt(b, 3, &i->created_at);
    wcr_ctd_put_timestamp_opt(b, 4, &i->updated_at);
    wcr_labels_put(b, 5, &i->labels);
    wcr_pb_end(b, m);
}

static int read_info(wcr_pb_reader *r, void *out, wcr_err *err)
{
    wcr_blob_info *i = out;
    wcr_pb_field f;
    int rc;
    while ((rc = wcr_pb_next(r, &f, err)) > 0) {
        switch (f.number) {
        case 1: rc = wcr_pb_get_string_dup(&f, &i->digest, err); break;
        case 2: rc = wcr_pb_get_int64(&f, &i->size, err); break;
        case 3: rc = wcr_pb_get_timestamp(&f, &i->created_at, err); break;
        case 4: rc = wcr_pb_get_timestamp(&f, &i->updated_at, err); break;
        case 5: rc = wcr_labels_add_entry(&i->labels, &f, err); break;
        default: rc = 0; break;
        }
        if (rc < 0)
            return -1;
    }
    return rc;
}

static void dispose_info(void *p)
{
    wcr_blob_info_dispose(p);
}

static const wcr_ctd_type info_type = { "blob info", sizeof(wcr_blob_info), read_info,
                                        dispose_info };

void wcr_blob_infos_dispose(wcr_blob_infos *l)
{
    if (!l)
        return;
    wcr_ctd_list_free(l->items, l->n, &info_type);
    l->items = NULL;
    l->n = 0;
}

WCR_CTD_DEFINE_LIST_ADD(add_info, wcr_blob_infos, info_type)

/* --- Status ------------------------------------------------------------------------ */

void wcr_ingest_status_dispose(wcr_ingest_status *s)
{
    if (!s)
        return;
    free(s->ref);
    free(s->expected);
    memset(s, 0, sizeof *s);
}

/* Status: started_at = 1, updated_at = 2, ref = 3, offset = 4, total = 5,
 * expected = 6. */
static int read_status(wcr_pb_reader *r, void *out, wcr_err *err)
{
    wcr_ingest_status *s = out;
    wcr_pb_field f;
    int rc;
    while ((rc = wcr_pb_next(r, &f, err)) > 0) {
        switch (f.number) {
        case 1: rc = wcr_pb_get_timestamp(&f, &s->started_at, err); break;
        case 2: rc = wcr_pb_get_timestamp(&f, &s->updated_at, err); break;
        case 3: rc = wcr_pb_get_string_dup(&f, &s->ref, err); break;
        case 4: rc = wcr_pb_get_int64(&f, &s->offset, err); break;
        case 5: rc = wcr_pb_get_int64(&f, &s->total, err); break;
        case 6: rc = wcr_pb_get_string_dup(&f, &s->expected, err); break;
        default: rc = 0; break;
        }
        if (rc < 0)
            return -1;
    }
    return rc;
}

static void dispose_status(void *p)
{
    wcr_ingest_status_dispose(p);
}

static const wcr_ctd_type status_type = { "ingest status", sizeof(wcr_ingest_status),
                                          read_status, dispose_status };

void wcr_ingest_statuses_dispose(wcr_ingest_statuses *l)
{
    if (!l)
        return;
    wcr_ctd_list_free(l->items, l->n, &status_type);
    l->items = NULL;
    l->n = 0;
}

WCR_CTD_DEFINE_LIST_ADD(add_status, wcr_ingest_statuses, status_type)

/* --- messages ------------------------------------------------------------------------ */

void wcr_content_encode_key(wcr_buf *b, const char *key)
{
    wcr_pb_put_string_opt(b, 1, key);
}

void wcr_content_encode_update(wcr_buf *b, const wcr_blob_info *info, const char *const *paths,
                               size_t npaths)
{
    write_info(b, 1, info);
    wcr_pb_put_field_mask(b, 2, paths, npaths);
}

void wcr_content_encode_filters(wcr_buf *b, const char *const *filters, size_t nfilters)
{
    wcr_ctd_put_strings(b, 1, filters, nfilters);
}

void wcr_content_encode_read(wcr_buf *b, const char *digest, int64_t offset, int64_t size)
{
    wcr_pb_put_string_opt(b, 1, digest);
    wcr_pb_put_int64_opt(b, 2, offset);
    wcr_pb_put_int64_opt(b, 3, size);
}

int wcr_content_decode_info(const void *data, size_t len, wcr_blob_info *out, wcr_err *err)
{
    return wcr_ctd_decode_field(data, len, 1, &info_type, out, err);
}

int wcr_content_decode_list(const void *data, size_t len, wcr_blob_infos *out, wcr_err *err)
{
    return wcr_ctd_decode_each(data, len, 1, add_info, out, err);
}

int wcr_content_decode_read(const void *data, size_t len, int64_t *offset, const uint8_t **chunk,
                            size_t *chunk_len, wcr_err *err)
{
    int64_t off = 0;
    const uint8_t *p = NULL;
    size_t n = 0;
    wcr_pb_reader r;
    wcr_pb_field f;
    int rc;
    wcr_pb_reader_init(&r, data, len);
    while ((rc = wcr_pb_next(&r, &f, err)) > 0) {
        if (f.number == 1)
            rc = wcr_pb_get_int64(&f, &off, err);
        else if (f.number == 2)
            rc = wcr_pb_get_bytes(&f, &p, &n, err);
        if (rc < 0)
            break;
    }
    if (rc < 0)
        return wcr_err_wrap(err, "read response");
    *offset = off;
    *chunk = p;
    *chunk_len = n;
    return 0;
}

int wcr_content_decode_status(const void *data, size_t len, wcr_ingest_status *out,
                              wcr_err *err)
{
    return wcr_ctd_decode_field(data, len, 1, &status_type, out, err);
}

int wcr_content_decode_statuses(const void *data, size_t len, wcr_ingest_statuses *out,
                                wcr_err *err)
{
    if (wcr_ctd_decode_each(data, len, 1, add_status, out, err) < 0) {
        wcr_ingest_statuses_dispose(out);
        return -1;
    }
    return 0;
}

static int decode_info(const void *data, size_t len, void *out, wcr_err *err)
{
    return wcr_content_decode_info(data, len, out, err);
}

static int decode_status(const void *data, size_t len, void *out, wcr_err *err)
{
    return wcr_content_decode_status(data, len, out, err);
}

static int decode_statuses(const void *data, size_t len, void *out, wcr_err *err)
{
    return wcr_content_decode_statuses(data, len, out, err);
}

/* --- calls ------------------------------------------------------------------------- */

int wcr_content_info(wcr_ctd *c, const char *digest, wcr_blob_info *out, wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_content_encode_key(&req, digest);
    if (wcr_ctd_rpc(c, SVC "Info", &req, decode_info, out, err) < 0)
        return wcr_err_wrap(err, "content %s", digest);
    return 0;
}

int wcr_content_update(wcr_ctd *c, const wcr_blob_info *info, const char *const *paths,
                       size_t npaths, wcr_blob_info *out, wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_content_encode_update(&req, info, paths, npaths);
    if (wcr_ctd_rpc(c, SVC "Update", &req, out ? decode_info : NULL, out, err) < 0)
        return wcr_err_wrap(err, "update content %s", info->digest ? info->digest : "");
    return 0;
}

/* List streams ListContentResponse messages, each with some of the infos. */
static int on_list(void *ud, const void *data, size_t len, wcr_err *err)
{
    return wcr_content_decode_list(data, len, ud, err);
}

int wcr_content_list(wcr_ctd *c, const char *const *filters, size_t nfilters,
                     wcr_blob_infos *out, wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_content_encode_filters(&req, filters, nfilters);
    if (wcr_ctd_rpc_stream(c, SVC "List", &req, on_list, out, err) < 0) {
        wcr_blob_infos_dispose(out);
        return wcr_err_wrap(err, "list content");
    }
    return 0;
}

int wcr_content_delete(wcr_ctd *c, const char *digest, wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_content_encode_key(&req, digest);
    if (wcr_ctd_rpc(c, SVC "Delete", &req, NULL, NULL, err) < 0)
        return wcr_err_wrap(err, "delete content %s", digest);
    return 0;
}

typedef struct read_state {
    wcr_content_read_fn fn;
    void *ud;
    int64_t start; /* the offset asked for */
    int64_t done;  /* bytes delivered */
} read_state;

static int on_read(void *ud, const void *data, size_t len, wcr_err *err)
{
    read_state *st = ud;
    int64_t off;
    const uint8_t *chunk;
    size_t n;
    if (wcr_content_decode_read(data, len, &off, &chunk, &n, err) < 0)
        return -1;
    /* containerd (1.6 to 2.x) counts a response's offset from the start of
     * the read, not of the blob; take either, refuse a gap. */
    if (off != st->done && off != st->start + st->done)
        return wcr_err_set(err, WCR_E_PROTO, "data for offset %lld arrived at %lld",
                           (long long)(st->start + st->done), (long long)off);
    int rc = n ? st->fn(st->ud, st->start + st->done, chunk, n, err) : 0;
    st->done += (int64_t)n;
    return rc;
}

int wcr_content_read(wcr_ctd *c, const char *digest, int64_t offset, int64_t size,
                     wcr_content_read_fn fn, void *ud, wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    read_state st = { fn, ud, offset > 0 ? offset : 0, 0 };
    wcr_content_encode_read(&req, digest, offset, size);
    if (wcr_ctd_rpc_stream(c, SVC "Read", &req, on_read, &st, err) < 0)
        return wcr_err_wrap(err, "read content %s", digest);
    return 0;
}

int wcr_content_status(wcr_ctd *c, const char *ref, wcr_ingest_status *out, wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_content_encode_key(&req, ref);
    if (wcr_ctd_rpc(c, SVC "Status", &req, decode_status, out, err) < 0)
        return wcr_err_wrap(err, "ingest %s", ref);
    return 0;
}

int wcr_content_list_statuses(wcr_ctd *c, const char *const *filters, size_t nfilters,
                              wcr_ingest_statuses *out, wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_content_encode_filters(&req, filters, nfilters);
    if (wcr_ctd_rpc(c, SVC "ListStatuses", &req, decode_statuses, out, err) < 0)
        return wcr_err_wrap(err, "list ingests");
    return 0;
}

int wcr_content_abort(wcr_ctd *c, const char *ref, wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_content_encode_key(&req, ref);
    if (wcr_ctd_rpc(c, SVC "Abort", &req, NULL, NULL, err) < 0)
        return wcr_err_wrap(err, "abort ingest %s", ref);
    return 0;
}
