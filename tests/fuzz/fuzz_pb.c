/* Fuzz the protobuf reader (src/core/pb.c, pb_wkt.c).
 *
 * Walks every field of the input, reading each with every accessor its
 * wire type allows and treating each length-delimited field as a possible
 * nested message, packed array, map entry and well-known type (depth
 * limited). Invariants are checked with abort(): accessors of the matching
 * wire type never fail, the others always do; re-encoding the fields read
 * gives the same fields back; the canonical re-encoding is a fixed point.
 */
#include <stdlib.h>
#include <string.h>

#include "core/pb.h"
#include "fuzz.h"

#define WALK_DEPTH 12

#define ENSURE(cond)         \
    do {                     \
        if (!(cond))         \
            abort();         \
    } while (0)

static void touch_varint(const wcr_pb_field *f, wcr_err *err)
{
    int32_t i32;
    int64_t i64;
    uint32_t u32;
    uint64_t u64;
    bool b;
    float fl;
    const char *s;
    size_t len;
    ENSURE(wcr_pb_get_int32(f, &i32, err) == 0 && wcr_pb_get_int64(f, &i64, err) == 0);
    ENSURE(wcr_pb_get_uint32(f, &u32, err) == 0 && wcr_pb_get_uint64(f, &u64, err) == 0);
    ENSURE(wcr_pb_get_sint32(f, &i32, err) == 0 && wcr_pb_get_sint64(f, &i64, err) == 0);
    ENSURE(wcr_pb_get_bool(f, &b, err) == 0 && wcr_pb_get_enum(f, &i32, err) == 0);
    ENSURE(u64 == f->value && b == (u64 != 0));
    ENSURE(wcr_pb_zigzag64(i64) == u64);
    ENSURE(wcr_pb_get_float(f, &fl, err) < 0 && wcr_pb_get_string(f, &s, &len, err) < 0);
    wcr_err_dispose(err);
}

static void touch_fixed(const wcr_pb_field *f, wcr_err *err)
{
    uint32_t u32;
    uint64_t u64;
    int32_t i32;
    int64_t i64;
    float fl;
    double db;
    if (f->wire == WCR_PB_I32) {
        ENSURE(wcr_pb_get_fixed32(f, &u32, err) == 0 && wcr_pb_get_sfixed32(f, &i32, err) == 0);
        ENSURE(wcr_pb_get_float(f, &fl, err) == 0 && (uint32_t)i32 == u32);
        ENSURE(wcr_pb_get_double(f, &db, err) < 0);
    } else {
        ENSURE(wcr_pb_get_fixed64(f, &u64, err) == 0 && wcr_pb_get_sfixed64(f, &i64, err) == 0);
        ENSURE(wcr_pb_get_double(f, &db, err) == 0 && (uint64_t)i64 == u64);
        ENSURE(wcr_pb_get_fixed32(f, &u32, err) < 0);
    }
    ENSURE(wcr_pb_get_uint64(f, &u64, err) < 0);
    wcr_err_dispose(err);
}

/* Iterate the field as packed elements of `elem`; when that works, write
 * the elements again and check they read back the same. */
static void touch_packed(const wcr_pb_field *f, wcr_pb_wire elem, wcr_err *err)
{
    wcr_pb_packed it, again;
    wcr_pb_field e, e2;
    wcr_buf b = WCR_BUF_INIT("fuzz packed", WCR_BUF_NO_LIMIT);
    int rc;
    size_t count = 0;
    ENSURE(wcr_pb_packed_init(&it, f, elem, err) == 0);
    size_t mark = wcr_pb_begin(&b, f->number);
    while ((rc = wcr_pb_packed_next(&it, &e, err)) > 0) {
        ENSURE(e.wire == elem && e.number == f->number);
        if (elem == WCR_PB_VARINT)
            wcr_pb_write_varint(&b, e.value);
        else if (elem == WCR_PB_I32)
            wcr_pb_write_fixed32(&b, (uint32_t)e.value);
        else
            wcr_pb_write_fixed64(&b, e.value);
        count++;
    }
    wcr_pb_end(&b, mark);
    if (elem == WCR_PB_I32)
        ENSURE((rc == 0) == (f->len % 4 == 0));
    if (elem == WCR_PB_I64)
        ENSURE((rc == 0) == (f->len % 8 == 0));
    if (rc == 0) {
        wcr_pb_reader r;
        wcr_pb_field g;
        ENSURE(wcr_buf_check(&b, err) == 0);
        wcr_pb_reader_init(&r, b.data, b.len);
        ENSURE(wcr_pb_next(&r, &g, err) == 1 && wcr_pb_packed_init(&again, &g, elem, err) == 0);
        ENSURE(wcr_pb_packed_init(&it, f, elem, err) == 0);
        while (count-- > 0) {
            ENSURE(wcr_pb_packed_next(&it, &e, err) == 1);
            ENSURE(wcr_pb_packed_next(&again, &e2, err) == 1 && e.value == e2.value);
        }
        ENSURE(wcr_pb_packed_next(&again, &e2, err) == 0);
    }
    wcr_buf_dispose(&b);
    wcr_err_dispose(err);
}

static void touch_strings(const wcr_pb_field *f, wcr_err *err)
{
    const uint8_t *data;
    const char *s;
    size_t len;
    char *copy = NULL;
    ENSURE(wcr_pb_get_bytes(f, &data, &len, err) == 0 && len == f->len);
    if (wcr_pb_get_string(f, &s, &len, err) == 0) {
        bool nul = memchr(s, '\0', len) != NULL;
        ENSURE((wcr_pb_get_string_dup(f, &copy, err) == 0) == !nul);
        ENSURE(nul || (strlen(copy) == len && memcmp(copy, s, len) == 0));
        free(copy);
    } else {
        ENSURE(wcr_pb_get_string_dup(f, &copy, err) < 0 && copy == NULL);
    }
    wcr_err_dispose(err);
}

static void touch_maps_and_wkt(const wcr_pb_field *f, wcr_err *err)
{
    const char *k, *v;
    size_t kl, vl;
    char *dk = NULL, *dv = NULL, **paths = NULL;
    wcr_pb_field key, value;
    wcr_pb_any any;
    wcr_pb_timestamp ts;
    int rc = wcr_pb_get_map_string(f, &k, &kl, &v, &vl, err);
    if (wcr_pb_get_map_string_dup(f, &dk, &dv, err) == 0) {
        ENSURE(rc == 0 && strlen(dk) == kl && strlen(dv) == vl);
        free(dk);
        free(dv);
    }
    (void)wcr_pb_get_map_entry(f, WCR_PB_VARINT, WCR_PB_LEN, &key, &value, err);
    if (wcr_pb_get_any(f, &any, err) == 0)
        (void)wcr_pb_any_is(&any, "type.googleapis.com/x");
    if (wcr_pb_get_timestamp(f, &ts, err) == 0)
        ENSURE(wcr_pb_timestamp_valid(&ts));
    (void)wcr_pb_get_empty(f, err);
    size_t n = 0;
    if (wcr_pb_get_field_mask(f, &paths, &n, err) == 0) {
        ENSURE(paths && paths[n] == NULL);
        wcr_pb_strv_free(paths);
    }
    wcr_err_dispose(err);
}

/* Write the field back as read: same number, wire type, value, payload. */
static void put_raw(wcr_buf *b, const wcr_pb_field *f)
{
    switch (f->wire) {
    case WCR_PB_VARINT: wcr_pb_put_uint64(b, f->number, f->value); break;
    case WCR_PB_I64: wcr_pb_put_fixed64(b, f->number, f->value); break;
    case WCR_PB_I32: wcr_pb_put_fixed32(b, f->number, (uint32_t)f->value); break;
    case WCR_PB_LEN: wcr_pb_put_bytes(b, f->number, f->data, f->len); break;
    default:
        wcr_pb_put_tag(b, f->number, WCR_PB_SGROUP);
        wcr_buf_append(b, f->data, f->len);
        wcr_pb_put_tag(b, f->number, WCR_PB_EGROUP);
    }
}

/* memcmp's arguments may not be NULL, even for zero bytes. */
static bool same_bytes(const wcr_buf *a, const wcr_buf *b)
{
    return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

static bool same_field(const wcr_pb_field *a, const wcr_pb_field *b)
{
    return a->number == b->number && a->wire == b->wire && a->value == b->value &&
           a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

/* Re-encode a well-formed message field by field; it must read back the
 * same, and re-encoding that must give the very same bytes. */
static void check_round_trip(const uint8_t *data, size_t len)
{
    wcr_buf once = WCR_BUF_INIT("fuzz once", WCR_BUF_NO_LIMIT);
    wcr_buf twice = WCR_BUF_INIT("fuzz twice", WCR_BUF_NO_LIMIT);
    wcr_pb_reader r, r2;
    wcr_pb_field f, g;
    wcr_pb_reader_init(&r, data, len);
    while (wcr_pb_next(&r, &f, NULL) > 0)
        put_raw(&once, &f);
    ENSURE(wcr_buf_check(&once, NULL) == 0);
    wcr_pb_reader_init(&r, data, len);
    wcr_pb_reader_init(&r2, once.data, once.len);
    while (wcr_pb_next(&r, &f, NULL) > 0) {
        ENSURE(wcr_pb_next(&r2, &g, NULL) == 1 && same_field(&f, &g));
        put_raw(&twice, &g);
    }
    ENSURE(wcr_pb_next(&r2, &g, NULL) == 0);
    ENSURE(same_bytes(&once, &twice));
    wcr_buf_dispose(&once);
    wcr_buf_dispose(&twice);
}

/* Canonical form: every length-delimited field that reads as a message is
 * rewritten through wcr_pb_begin/end, recursively (nesting moves). */
static bool is_message(const wcr_pb_field *f, unsigned depth)
{
    wcr_pb_reader sub;
    return depth < WALK_DEPTH && wcr_pb_get_message(f, &sub, NULL) == 0 &&
           wcr_pb_skip_all(&sub, NULL) == 0;
}

static void canon(wcr_buf *b, wcr_pb_reader *r, unsigned depth)
{
    wcr_pb_field f;
    wcr_pb_reader sub;
    while (wcr_pb_next(r, &f, NULL) > 0) {
        if (f.wire == WCR_PB_LEN && is_message(&f, depth)) {
            size_t mark = wcr_pb_begin(b, f.number);
            ENSURE(wcr_pb_get_message(&f, &sub, NULL) == 0);
            canon(b, &sub, depth + 1);
            wcr_pb_end(b, mark);
        } else {
            put_raw(b, &f);
        }
    }
}

static void check_canon_fixed_point(const uint8_t *data, size_t len)
{
    wcr_buf one = WCR_BUF_INIT("fuzz canon", WCR_BUF_NO_LIMIT);
    wcr_buf two = WCR_BUF_INIT("fuzz canon 2", WCR_BUF_NO_LIMIT);
    wcr_pb_reader r;
    wcr_pb_reader_init(&r, data, len);
    canon(&one, &r, 0);
    ENSURE(wcr_buf_check(&one, NULL) == 0);
    wcr_pb_reader_init(&r, one.data, one.len);
    canon(&two, &r, 0);
    ENSURE(same_bytes(&one, &two));
    wcr_buf_dispose(&one);
    wcr_buf_dispose(&two);
}

static int walk(wcr_pb_reader *r, unsigned depth)
{
    wcr_err err = WCR_ERR_INIT;
    wcr_pb_field f;
    wcr_pb_reader sub;
    int rc;
    while ((rc = wcr_pb_next(r, &f, &err)) > 0) {
        ENSURE(f.number >= 1 && f.number <= WCR_PB_FIELD_MAX);
        if (f.wire == WCR_PB_VARINT) {
            touch_varint(&f, &err);
            touch_packed(&f, WCR_PB_VARINT, &err);
        } else if (f.wire == WCR_PB_I32 || f.wire == WCR_PB_I64) {
            touch_fixed(&f, &err);
        } else if (f.wire == WCR_PB_LEN) {
            touch_strings(&f, &err);
            touch_packed(&f, WCR_PB_VARINT, &err);
            touch_packed(&f, WCR_PB_I32, &err);
            touch_packed(&f, WCR_PB_I64, &err);
            touch_maps_and_wkt(&f, &err);
            if (depth < WALK_DEPTH && wcr_pb_get_message(&f, &sub, &err) == 0)
                (void)walk(&sub, depth + 1);
        } else {
            ENSURE(f.wire == WCR_PB_SGROUP);
            ENSURE(wcr_pb_get_message(&f, &sub, &err) < 0);
        }
        wcr_err_dispose(&err);
    }
    if (rc < 0)
        ENSURE(err.code == WCR_E_PARSE || err.code == WCR_E_LIMIT);
    wcr_err_dispose(&err);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wcr_pb_reader r;
    wcr_pb_reader_init(&r, data, size);
    if (walk(&r, 0) == 0) {
        check_round_trip(data, size);
        check_canon_fixed_point(data, size);
    }
    return 0;
}
