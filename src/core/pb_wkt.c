/* protobuf well-known types wcr meets in containerd's API: Any, Timestamp,
 * Empty, FieldMask (see pb.h). */
#include <stdlib.h>
#include <string.h>

#include "core/pb.h"

/* --- Any ---------------------------------------------------------------------- */

void wcr_pb_write_any(wcr_buf *b, const char *type_url, const void *value, size_t len)
{
    wcr_pb_put_string_opt(b, 1, type_url);
    wcr_pb_put_bytes_opt(b, 2, value, len);
}

void wcr_pb_put_any(wcr_buf *b, uint32_t field, const char *type_url, const void *value,
                    size_t len)
{
    size_t mark = wcr_pb_begin(b, field);
    wcr_pb_write_any(b, type_url, value, len);
    wcr_pb_end(b, mark);
}

int wcr_pb_read_any(wcr_pb_reader *r, wcr_pb_any *out, wcr_err *err)
{
    wcr_pb_any any = { "", 0, (const uint8_t *)"", 0 };
    wcr_pb_field f;
    int rc;
    while ((rc = wcr_pb_next(r, &f, err)) > 0) {
        if (f.number == 1 && wcr_pb_get_string(&f, &any.type_url, &any.type_url_len, err) < 0)
            return -1;
        if (f.number == 2 && wcr_pb_get_bytes(&f, &any.value, &any.value_len, err) < 0)
            return -1;
    }
    if (rc < 0)
        return -1;
    *out = any;
    return 0;
}

int wcr_pb_get_any(const wcr_pb_field *f, wcr_pb_any *out, wcr_err *err)
{
    wcr_pb_reader sub;
    if (wcr_pb_get_message(f, &sub, err) < 0)
        return -1;
    return wcr_pb_read_any(&sub, out, err);
}

bool wcr_pb_any_is(const wcr_pb_any *a, const char *type_url)
{
    size_t n = strlen(type_url);
    return a->type_url_len == n && memcmp(a->type_url, type_url, n) == 0;
}

/* --- Timestamp ----------------------------------------------------------------- */

bool wcr_pb_timestamp_valid(const wcr_pb_timestamp *ts)
{
    return ts->seconds >= WCR_PB_TIMESTAMP_MIN_SECONDS &&
           ts->seconds <= WCR_PB_TIMESTAMP_MAX_SECONDS && ts->nanos >= 0 &&
           ts->nanos <= 999999999;
}

void wcr_pb_write_timestamp(wcr_buf *b, const wcr_pb_timestamp *ts)
{
    wcr_pb_put_int64_opt(b, 1, ts->seconds);
    wcr_pb_put_int32_opt(b, 2, ts->nanos);
}

void wcr_pb_put_timestamp(wcr_buf *b, uint32_t field, const wcr_pb_timestamp *ts)
{
    size_t mark = wcr_pb_begin(b, field);
    wcr_pb_write_timestamp(b, ts);
    wcr_pb_end(b, mark);
}

int wcr_pb_read_timestamp(wcr_pb_reader *r, wcr_pb_timestamp *out, wcr_err *err)
{
    wcr_pb_timestamp ts = { 0, 0 };
    wcr_pb_field f;
    int rc;
    while ((rc = wcr_pb_next(r, &f, err)) > 0) {
        if (f.number == 1 && wcr_pb_get_int64(&f, &ts.seconds, err) < 0)
            return -1;
        if (f.number == 2 && wcr_pb_get_int32(&f, &ts.nanos, err) < 0)
            return -1;
    }
    if (rc < 0)
        return -1;
    if (!wcr_pb_timestamp_valid(&ts))
        return wcr_err_set(err, WCR_E_PARSE,
                           "protobuf: timestamp %lld s %ld ns is outside "
                           "0001-01-01..9999-12-31 or has nanos outside 0..999999999",
                           (long long)ts.seconds, (long)ts.nanos);
    *out = ts;
    return 0;
}

int wcr_pb_get_timestamp(const wcr_pb_field *f, wcr_pb_timestamp *out, wcr_err *err)
{
    wcr_pb_reader sub;
    if (wcr_pb_get_message(f, &sub, err) < 0)
        return -1;
    return wcr_pb_read_timestamp(&sub, out, err);
}

/* --- Empty ---------------------------------------------------------------------- */

void wcr_pb_put_empty(wcr_buf *b, uint32_t field)
{
    wcr_pb_end(b, wcr_pb_begin(b, field));
}

int wcr_pb_get_empty(const wcr_pb_field *f, wcr_err *err)
{
    wcr_pb_reader sub;
    if (wcr_pb_get_message(f, &sub, err) < 0)
        return -1;
    return wcr_pb_skip_all(&sub, err);
}

/* --- FieldMask -------------------------------------------------------------------- */

void wcr_pb_write_field_mask(wcr_buf *b, const char *const *paths, size_t n)
{
    for (size_t i = 0; i < n; i++)
        wcr_pb_put_string(b, 1, paths[i]);
}

void wcr_pb_put_field_mask(wcr_buf *b, uint32_t field, const char *const *paths, size_t n)
{
    size_t mark = wcr_pb_begin(b, field);
    wcr_pb_write_field_mask(b, paths, n);
    wcr_pb_end(b, mark);
}

void wcr_pb_strv_free(char **v)
{
    if (!v)
        return;
    for (char **p = v; *p; p++)
        free(*p);
    free(v);
}

/* First pass: check every field and count the paths, so that the second
 * pass only copies. */
static int count_paths(wcr_pb_reader r, size_t *count, wcr_err *err)
{
    wcr_pb_field f;
    int rc;
    size_t n = 0;
    while ((rc = wcr_pb_next(&r, &f, err)) > 0) {
        if (f.number != 1)
            continue;
        const char *s;
        size_t len;
        if (wcr_pb_get_string(&f, &s, &len, err) < 0)
            return -1;
        if (memchr(s, '\0', len))
            return wcr_err_set(err, WCR_E_PARSE,
                               "protobuf: field 1: field mask path contains a NUL byte");
        n++;
    }
    *count = n;
    return rc;
}

int wcr_pb_read_field_mask(wcr_pb_reader *r, char ***paths, size_t *n, wcr_err *err)
{
    size_t count = 0;
    if (count_paths(*r, &count, err) < 0)
        return -1;
    char **v = calloc(count + 1, sizeof *v);
    if (!v)
        return wcr_err_set(err, WCR_E_NOMEM, "protobuf: field mask: out of memory");
    wcr_pb_field f;
    size_t i = 0;
    while (wcr_pb_next(r, &f, NULL) > 0) {
        if (f.number == 1 && wcr_pb_get_string_dup(&f, &v[i++], err) < 0) {
            wcr_pb_strv_free(v);
            return -1;
        }
    }
    wcr_pb_strv_free(*paths);
    *paths = v;
    if (n)
        *n = count;
    return 0;
}

int wcr_pb_get_field_mask(const wcr_pb_field *f, char ***paths, size_t *n, wcr_err *err)
{
    wcr_pb_reader sub;
    if (wcr_pb_get_message(f, &sub, err) < 0)
        return -1;
    return wcr_pb_read_field_mask(&sub, paths, n, err);
}
