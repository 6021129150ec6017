/* protobuf wire format: encoder and strict reader (see pb.h). */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/pb.h"
#include "core/utf.h"

_Static_assert(sizeof(float) == 4 && sizeof(double) == 8, "IEEE 754 float and double");

/* --- conversions ------------------------------------------------------------
 * Unsigned to signed without implementation-defined casts of values out of
 * range, so sanitizers and odd compilers agree with the wire format. */

static int32_t u32_to_i32(uint32_t u)
{
    if (u <= INT32_MAX)
        return (int32_t)u;
    return (int32_t)(u - UINT32_C(0x80000000)) + INT32_MIN;
}

static int64_t u64_to_i64(uint64_t u)
{
    if (u <= INT64_MAX)
        return (int64_t)u;
    return (int64_t)(u - UINT64_C(0x8000000000000000)) + INT64_MIN;
}

static uint32_t float_bits(float v)
{
    uint32_t u;
    memcpy(&u, &v, sizeof u);
    return u;
}

static uint64_t double_bits(double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return u;
}

const char *wcr_pb_wire_name(unsigned wire)
{
    static const char *const names[] = { "varint", "fixed64", "length-delimited",
                                         "start-group", "end-group", "fixed32" };
    return wire < sizeof names / sizeof names[0] ? names[wire] : "invalid wire type";
}

size_t wcr_pb_varint_size(uint64_t v)
{
    size_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        n++;
    }
    return n;
}

uint32_t wcr_pb_zigzag32(int32_t v)
{
    return ((uint32_t)v << 1) ^ (v < 0 ? UINT32_MAX : 0);
}

uint64_t wcr_pb_zigzag64(int64_t v)
{
    return ((uint64_t)v << 1) ^ (v < 0 ? UINT64_MAX : 0);
}

int32_t wcr_pb_unzigzag32(uint32_t v)
{
    return u32_to_i32((v >> 1) ^ (0u - (v & 1u)));
}

int64_t wcr_pb_unzigzag64(uint64_t v)
{
    return u64_to_i64((v >> 1) ^ (UINT64_C(0) - (v & 1u)));
}

/* --- raw writers ------------------------------------------------------------ */

static size_t varint_encode(uint64_t v, uint8_t out[WCR_PB_VARINT_MAX])
{
    size_t n = 0;
    while (v >= 0x80) {
        out[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    out[n++] = (uint8_t)v;
    return n;
}

void wcr_pb_write_varint(wcr_buf *b, uint64_t v)
{
    uint8_t tmp[WCR_PB_VARINT_MAX];
    wcr_buf_append(b, tmp, varint_encode(v, tmp));
}

void wcr_pb_write_fixed32(wcr_buf *b, uint32_t v)
{
    uint8_t tmp[4];
    for (size_t i = 0; i < 4; i++)
        tmp[i] = (uint8_t)(v >> (8 * i));
    wcr_buf_append(b, tmp, sizeof tmp);
}

void wcr_pb_write_fixed64(wcr_buf *b, uint64_t v)
{
    uint8_t tmp[8];
    for (size_t i = 0; i < 8; i++)
        tmp[i] = (uint8_t)(v >> (8 * i));
    wcr_buf_append(b, tmp, sizeof tmp);
}

void wcr_pb_put_tag(wcr_buf *b, uint32_t field, wcr_pb_wire wire)
{
    assert(field >= 1 && field <= WCR_PB_FIELD_MAX);
    wcr_pb_write_varint(b, ((uint64_t)field << 3) | (uint64_t)wire);
}

static void put_varint_field(wcr_buf *b, uint32_t field, uint64_t v)
{
    wcr_pb_put_tag(b, field, WCR_PB_VARINT);
    wcr_pb_write_varint(b, v);
}

static void put_fixed32_field(wcr_buf *b, uint32_t field, uint32_t v)
{
    wcr_pb_put_tag(b, field, WCR_PB_I32);
    wcr_pb_write_fixed32(b, v);
}

static void put_fixed64_field(wcr_buf *b, uint32_t field, uint64_t v)
{
    wcr_pb_put_tag(b, field, WCR_PB_I64);
    wcr_pb_write_fixed64(b, v);
}

/* --- scalar fields ------------------------------------------------------------ */

/* int32 goes through int64 so that negative values are sign-extended. */
void wcr_pb_put_int32(wcr_buf *b, uint32_t field, int32_t v)
{
    put_varint_field(b, field, (uint64_t)(int64_t)v);
}

void wcr_pb_put_int64(wcr_buf *b, uint32_t field, int64_t v)
{
    put_varint_field(b, field, (uint64_t)v);
}

void wcr_pb_put_uint32(wcr_buf *b, uint32_t field, uint32_t v)
{
    put_varint_field(b, field, v);
}

void wcr_pb_put_uint64(wcr_buf *b, uint32_t field, uint64_t v)
{
    put_varint_field(b, field, v);
}

void wcr_pb_put_sint32(wcr_buf *b, uint32_t field, int32_t v)
{
    put_varint_field(b, field, wcr_pb_zigzag32(v));
}

void wcr_pb_put_sint64(wcr_buf *b, uint32_t field, int64_t v)
{
    put_varint_field(b, field, wcr_pb_zigzag64(v));
}

void wcr_pb_put_bool(wcr_buf *b, uint32_t field, bool v)
{
    put_varint_field(b, field, v ? 1 : 0);
}

void wcr_pb_put_enum(wcr_buf *b, uint32_t field, int32_t v)
{
    wcr_pb_put_int32(b, field, v);
}

void wcr_pb_put_fixed32(wcr_buf *b, uint32_t field, uint32_t v)
{
    put_fixed32_field(b, field, v);
}

void wcr_pb_put_fixed64(wcr_buf *b, uint32_t field, uint64_t v)
{
    put_fixed64_field(b, field, v);
}

void wcr_pb_put_sfixed32(wcr_buf *b, uint32_t field, int32_t v)
{
    put_fixed32_field(b, field, (uint32_t)v);
}

void wcr_pb_put_sfixed64(wcr_buf *b, uint32_t field, int64_t v)
{
    put_fixed64_field(b, field, (uint64_t)v);
}

void wcr_pb_put_float(wcr_buf *b, uint32_t field, float v)
{
    put_fixed32_field(b, field, float_bits(v));
}

void wcr_pb_put_double(wcr_buf *b, uint32_t field, double v)
{
    put_fixed64_field(b, field, double_bits(v));
}

void wcr_pb_put_bytes(wcr_buf *b, uint32_t field, const void *data, size_t len)
{
    wcr_pb_put_tag(b, field, WCR_PB_LEN);
    wcr_pb_write_varint(b, len);
    wcr_buf_append(b, data, len);
}

void wcr_pb_put_string(wcr_buf *b, uint32_t field, const char *s)
{
    wcr_pb_put_bytes(b, field, s ? s : "", s ? strlen(s) : 0);
}

void wcr_pb_put_string_len(wcr_buf *b, uint32_t field, const char *s, size_t len)
{
    wcr_pb_put_bytes(b, field, s, len);
}

/* --- proto3 defaults left out -------------------------------------------------- */

void wcr_pb_put_int32_opt(wcr_buf *b, uint32_t field, int32_t v)
{
    if (v != 0)
        wcr_pb_put_int32(b, field, v);
}

void wcr_pb_put_int64_opt(wcr_buf *b, uint32_t field, int64_t v)
{
    if (v != 0)
        wcr_pb_put_int64(b, field, v);
}

void wcr_pb_put_uint32_opt(wcr_buf *b, uint32_t field, uint32_t v)
{
    if (v != 0)
        wcr_pb_put_uint32(b, field, v);
}

void wcr_pb_put_uint64_opt(wcr_buf *b, uint32_t field, uint64_t v)
{
    if (v != 0)
        wcr_pb_put_uint64(b, field, v);
}

void wcr_pb_put_sint32_opt(wcr_buf *b, uint32_t field, int32_t v)
{
    if (v != 0)
        wcr_pb_put_sint32(b, field, v);
}

void wcr_pb_put_sint64_opt(wcr_buf *b, uint32_t field, int64_t v)
{
    if (v != 0)
        wcr_pb_put_sint64(b, field, v);
}

void wcr_pb_put_bool_opt(wcr_buf *b, uint32_t field, bool v)
{
    if (v)
        wcr_pb_put_bool(b, field, v);
}

void wcr_pb_put_enum_opt(wcr_buf *b, uint32_t field, int32_t v)
{
    if (v != 0)
        wcr_pb_put_enum(b, field, v);
}

void wcr_pb_put_fixed32_opt(wcr_buf *b, uint32_t field, uint32_t v)
{
    if (v != 0)
        wcr_pb_put_fixed32(b, field, v);
}

void wcr_pb_put_fixed64_opt(wcr_buf *b, uint32_t field, uint64_t v)
{
    if (v != 0)
        wcr_pb_put_fixed64(b, field, v);
}

void wcr_pb_put_sfixed32_opt(wcr_buf *b, uint32_t field, int32_t v)
{
    if (v != 0)
        wcr_pb_put_sfixed32(b, field, v);
}

void wcr_pb_put_sfixed64_opt(wcr_buf *b, uint32_t field, int64_t v)
{
    if (v != 0)
        wcr_pb_put_sfixed64(b, field, v);
}

/* Compared as bits: -0.0 differs from the default and is sent. */
void wcr_pb_put_float_opt(wcr_buf *b, uint32_t field, float v)
{
    if (float_bits(v) != 0)
        wcr_pb_put_float(b, field, v);
}

void wcr_pb_put_double_opt(wcr_buf *b, uint32_t field, double v)
{
    if (double_bits(v) != 0)
        wcr_pb_put_double(b, field, v);
}

void wcr_pb_put_bytes_opt(wcr_buf *b, uint32_t field, const void *data, size_t len)
{
    if (len != 0)
        wcr_pb_put_bytes(b, field, data, len);
}

void wcr_pb_put_string_opt(wcr_buf *b, uint32_t field, const char *s)
{
    if (s && *s)
        wcr_pb_put_string(b, field, s);
}

/* --- nested messages ------------------------------------------------------------ */

size_t wcr_pb_begin(wcr_buf *b, uint32_t field)
{
    size_t mark = b->len;
    wcr_pb_put_tag(b, field, WCR_PB_LEN);
    wcr_buf_putc(b, 0); /* the length's first byte, filled in by end */
    return mark;
}

/* Where the length byte kept by wcr_pb_begin() is: just after the tag. */
static size_t length_slot(const wcr_buf *b, size_t mark)
{
    assert(mark < b->len);
    size_t at = mark;
    while ((unsigned char)b->data[at] & 0x80)
        at++;
    return at + 1;
}

void wcr_pb_end(wcr_buf *b, size_t mark)
{
    if (b->failed)
        return;
    size_t slot = length_slot(b, mark);
    size_t body = slot + 1, n = b->len - body;
    uint8_t len[WCR_PB_VARINT_MAX];
    size_t k = varint_encode(n, len);
    if (k > 1) {
        if (wcr_buf_reserve(b, k - 1) < 0)
            return;
        memmove(b->data + body + k - 1, b->data + body, n);
        b->len += k - 1;
        b->data[b->len] = '\0';
    }
    memcpy(b->data + slot, len, k);
}

void wcr_pb_end_opt(wcr_buf *b, size_t mark)
{
    if (b->failed)
        return;
    if (length_slot(b, mark) + 1 == b->len)
        wcr_buf_truncate(b, mark);
    else
        wcr_pb_end(b, mark);
}

/* --- packed repeated fields ------------------------------------------------------ */

#define PACKED_WRITER(name, type, write)                                        \
    void wcr_pb_put_packed_##name(wcr_buf *b, uint32_t field, const type *v,  \
                                  size_t n)                                    \
    {                                                                          \
        if (n == 0)                                                            \
            return;                                                            \
        size_t mark = wcr_pb_begin(b, field);                                  \
        for (size_t i = 0; i < n; i++)                                         \
            write;                                                             \
        wcr_pb_end(b, mark);                                                   \
    }

PACKED_WRITER(int32, int32_t, wcr_pb_write_varint(b, (uint64_t)(int64_t)v[i]))
PACKED_WRITER(int64, int64_t, wcr_pb_write_varint(b, (uint64_t)v[i]))
PACKED_WRITER(uint32, uint32_t, wcr_pb_write_varint(b, v[i]))
PACKED_WRITER(uint64, uint64_t, wcr_pb_write_varint(b, v[i]))
PACKED_WRITER(sint32, int32_t, wcr_pb_write_varint(b, wcr_pb_zigzag32(v[i])))
PACKED_WRITER(sint64, int64_t, wcr_pb_write_varint(b, wcr_pb_zigzag64(v[i])))
PACKED_WRITER(bool, bool, wcr_pb_write_varint(b, v[i] ? 1 : 0))
PACKED_WRITER(fixed32, uint32_t, wcr_pb_write_fixed32(b, v[i]))
PACKED_WRITER(fixed64, uint64_t, wcr_pb_write_fixed64(b, v[i]))
PACKED_WRITER(sfixed32, int32_t, wcr_pb_write_fixed32(b, (uint32_t)v[i]))
PACKED_WRITER(sfixed64, int64_t, wcr_pb_write_fixed64(b, (uint64_t)v[i]))
PACKED_WRITER(float, float, wcr_pb_write_fixed32(b, float_bits(v[i])))
PACKED_WRITER(double, double, wcr_pb_write_fixed64(b, double_bits(v[i])))

void wcr_pb_put_map_string(wcr_buf *b, uint32_t field, const char *key, const char *value)
{
    size_t mark = wcr_pb_begin(b, field);
    wcr_pb_put_string(b, 1, key);
    wcr_pb_put_string(b, 2, value);
    wcr_pb_end(b, mark);
}

/* --- reading ---------------------------------------------------------------------- */

enum { VARINT_OK, VARINT_TRUNCATED, VARINT_TOO_LONG, VARINT_OVERFLOW };

/* The 10th byte holds only bit 63: anything more is too long or overflows
 * (as Go's protowire, which containerd uses, decides). */
static int varint_decode(const uint8_t **pp, const uint8_t *end, uint64_t *out)
{
    const uint8_t *p = *pp;
    uint64_t v = 0;
    for (unsigned i = 0; i < WCR_PB_VARINT_MAX; i++) {
        if (p == end)
            return VARINT_TRUNCATED;
        uint8_t byte = *p++;
        if (i == WCR_PB_VARINT_MAX - 1 && byte > 1)
            return byte & 0x80 ? VARINT_TOO_LONG : VARINT_OVERFLOW;
        v |= (uint64_t)(byte & 0x7f) << (7 * i);
        if (!(byte & 0x80)) {
            *pp = p;
            *out = v;
            return VARINT_OK;
        }
    }
    return VARINT_TOO_LONG; /* not reached: the 10th byte decides */
}

static size_t offset_at(const wcr_pb_reader *r, const uint8_t *p)
{
    return (size_t)(p - r->base);
}

static int varint_error(const wcr_pb_reader *r, const uint8_t *at, int why,
                        const char *what, wcr_err *err)
{
    static const char *const reasons[] = { "", "truncated varint", "varint longer than 10 bytes",
                                           "varint overflows 64 bits" };
    return wcr_err_set(err, WCR_E_PARSE, "protobuf: %s%s at byte %zu", what, reasons[why],
                       offset_at(r, at));
}

/* A varint of field `field` (0: a tag). */
static int read_varint(wcr_pb_reader *r, uint32_t field, uint64_t *out, wcr_err *err)
{
    const uint8_t *at = r->p;
    int why = varint_decode(&r->p, r->end, out);
    if (why == VARINT_OK)
        return 0;
    if (field == 0)
        return varint_error(r, at, why, "tag: ", err);
    char what[32];
    snprintf(what, sizeof what, "field %u: ", (unsigned)field);
    return varint_error(r, at, why, what, err);
}

static int read_fixed(wcr_pb_reader *r, uint32_t field, size_t size, uint64_t *out,
                      wcr_err *err)
{
    if ((size_t)(r->end - r->p) < size)
        return wcr_err_set(err, WCR_E_PARSE, "protobuf: field %u: truncated %s at byte %zu",
                           (unsigned)field, size == 4 ? "fixed32" : "fixed64",
                           offset_at(r, r->p));
    uint64_t v = 0;
    for (size_t i = size; i-- > 0;)
        v = (v << 8) | r->p[i];
    r->p += size;
    *out = v;
    return 0;
}

static int read_len(wcr_pb_reader *r, uint32_t field, const uint8_t **data, size_t *len,
                    wcr_err *err)
{
    uint64_t n;
    if (read_varint(r, field, &n, err) < 0)
        return -1;
    size_t left = (size_t)(r->end - r->p);
    if (n > left)
        return wcr_err_set(err, WCR_E_PARSE,
                           "protobuf: field %u: length %llu runs past the end at byte %zu "
                           "(%zu bytes left)",
                           (unsigned)field, (unsigned long long)n, offset_at(r, r->p), left);
    *data = r->p;
    *len = (size_t)n;
    r->p += n;
    return 0;
}

static int read_tag(wcr_pb_reader *r, uint32_t *number, unsigned *wire, wcr_err *err)
{
    const uint8_t *at = r->p;
    uint64_t tag;
    if (read_varint(r, 0, &tag, err) < 0)
        return -1;
    uint64_t num = tag >> 3;
    if (num == 0 || num > WCR_PB_FIELD_MAX)
        return wcr_err_set(err, WCR_E_PARSE,
                           "protobuf: field number %llu out of range 1..536870911 at byte %zu",
                           (unsigned long long)num, offset_at(r, at));
    *number = (uint32_t)num;
    *wire = (unsigned)(tag & 7);
    if (*wire > WCR_PB_I32)
        return wcr_err_set(err, WCR_E_PARSE,
                           "protobuf: field %u: invalid wire type %u at byte %zu",
                           (unsigned)num, *wire, offset_at(r, at));
    return 0;
}

static int depth_error(uint32_t field, wcr_err *err)
{
    return wcr_err_set(err, WCR_E_LIMIT,
                       "protobuf: field %u: nested deeper than %d levels", (unsigned)field,
                       WCR_PB_MAX_DEPTH);
}

/* The value of a varint, fixed or length-delimited field. */
static int read_value(wcr_pb_reader *r, uint32_t number, unsigned wire, wcr_pb_field *f,
                      wcr_err *err)
{
    switch (wire) {
    case WCR_PB_VARINT:
        return read_varint(r, number, &f->value, err);
    case WCR_PB_I64:
        return read_fixed(r, number, 8, &f->value, err);
    case WCR_PB_I32:
        return read_fixed(r, number, 4, &f->value, err);
    case WCR_PB_LEN:
        return read_len(r, number, &f->data, &f->len, err);
    default:
        return wcr_err_set(err, WCR_E_INTERNAL, "protobuf: read_value: wire type %u", wire);
    }
}

/* Skip a group whose start tag was just read, up to its matching end-group;
 * *body_end gets where that end tag begins. Iterative, with the open group
 * numbers on a stack as deep as the depth limit allows. */
static int skip_group(wcr_pb_reader *r, uint32_t number, const uint8_t **body_end,
                      wcr_err *err)
{
    uint32_t open[WCR_PB_MAX_DEPTH];
    size_t n = 0;
    if (r->depth + 1 > WCR_PB_MAX_DEPTH)
        return depth_error(number, err);
    open[n++] = number;
    while (n > 0) {
        if (r->p == r->end)
            return wcr_err_set(err, WCR_E_PARSE,
                               "protobuf: field %u: group not closed at byte %zu",
                               (unsigned)open[n - 1], offset_at(r, r->p));
        const uint8_t *tag_at = r->p;
        uint32_t num;
        unsigned wire;
        if (read_tag(r, &num, &wire, err) < 0)
            return -1;
        if (wire == WCR_PB_EGROUP) {
            if (num != open[n - 1])
                return wcr_err_set(err, WCR_E_PARSE,
                                   "protobuf: field %u: end-group inside group %u at byte %zu",
                                   (unsigned)num, (unsigned)open[n - 1],
                                   offset_at(r, tag_at));
            if (--n == 0)
                *body_end = tag_at;
        } else if (wire == WCR_PB_SGROUP) {
            if (r->depth + n + 1 > WCR_PB_MAX_DEPTH)
                return depth_error(num, err);
            open[n++] = num;
        } else {
            wcr_pb_field scratch;
            if (read_value(r, num, wire, &scratch, err) < 0)
                return -1;
        }
    }
    return 0;
}

void wcr_pb_reader_init(wcr_pb_reader *r, const void *data, size_t len)
{
    static const uint8_t nothing[1];
    r->base = r->p = data ? data : nothing; /* no arithmetic on NULL */
    r->end = r->p + len;
    r->depth = 0;
}

int wcr_pb_next(wcr_pb_reader *r, wcr_pb_field *f, wcr_err *err)
{
    if (r->p >= r->end)
        return 0;
    wcr_pb_field tmp = { 0 };
    tmp.base = r->base;
    tmp.depth = r->depth;
    const uint8_t *tag_at = r->p;
    unsigned wire;
    if (read_tag(r, &tmp.number, &wire, err) < 0)
        return -1;
    tmp.wire = (wcr_pb_wire)wire;
    if (wire == WCR_PB_EGROUP)
        return wcr_err_set(err, WCR_E_PARSE,
                           "protobuf: field %u: end-group without a start-group at byte %zu",
                           (unsigned)tmp.number, offset_at(r, tag_at));
    if (wire == WCR_PB_SGROUP) {
        const uint8_t *body_end = NULL;
        tmp.data = r->p;
        if (skip_group(r, tmp.number, &body_end, err) < 0)
            return -1;
        tmp.len = (size_t)(body_end - tmp.data);
    } else if (read_value(r, tmp.number, wire, &tmp, err) < 0) {
        return -1;
    }
    *f = tmp;
    return 1;
}

int wcr_pb_skip_all(wcr_pb_reader *r, wcr_err *err)
{
    wcr_pb_field f;
    int rc;
    while ((rc = wcr_pb_next(r, &f, err)) > 0)
        ;
    return rc;
}

/* --- accessors ------------------------------------------------------------------- */

static int want(const wcr_pb_field *f, wcr_pb_wire wire, const char *type, wcr_err *err)
{
    if (f->wire == wire)
        return 0;
    return wcr_err_set(err, WCR_E_PARSE, "protobuf: field %u: expected %s for %s, found %s",
                       (unsigned)f->number, wcr_pb_wire_name(wire), type,
                       wcr_pb_wire_name(f->wire));
}

int wcr_pb_get_int32(const wcr_pb_field *f, int32_t *out, wcr_err *err)
{
    if (want(f, WCR_PB_VARINT, "int32", err) < 0)
        return -1;
    *out = u32_to_i32((uint32_t)f->value);
    return 0;
}

int wcr_pb_get_int64(const wcr_pb_field *f, int64_t *out, wcr_err *err)
{
    if (want(f, WCR_PB_VARINT, "int64", err) < 0)
        return -1;
    *out = u64_to_i64(f->value);
    return 0;
}

int wcr_pb_get_uint32(const wcr_pb_field *f, uint32_t *out, wcr_err *err)
{
    if (want(f, WCR_PB_VARINT, "uint32", err) < 0)
        return -1;
    *out = (uint32_t)f->value;
    return 0;
}

int wcr_pb_get_uint64(const wcr_pb_field *f, uint64_t *out, wcr_err *err)
{
    if (want(f, WCR_PB_VARINT, "uint64", err) < 0)
        return -1;
    *out = f->value;
    return 0;
}

int wcr_pb_get_sint32(const wcr_pb_field *f, int32_t *out, wcr_err *err)
{
    if (want(f, WCR_PB_VARINT, "sint32", err) < 0)
        return -1;
    *out = wcr_pb_unzigzag32((uint32_t)f->value);
    return 0;
}

int wcr_pb_get_sint64(const wcr_pb_field *f, int64_t *out, wcr_err *err)
{
    if (want(f, WCR_PB_VARINT, "sint64", err) < 0)
        return -1;
    *out = wcr_pb_unzigzag64(f->value);
    return 0;
}

int wcr_pb_get_bool(const wcr_pb_field *f, bool *out, wcr_err *err)
{
    if (want(f, WCR_PB_VARINT, "bool", err) < 0)
        return -1;
    *out = f->value != 0;
    return 0;
}

int wcr_pb_get_enum(const wcr_pb_field *f, int32_t *out, wcr_err *err)
{
    if (want(f, WCR_PB_VARINT, "enum", err) < 0)
        return -1;
    *out = u32_to_i32((uint32_t)f->value);
    return 0;
}

int wcr_pb_get_fixed32(const wcr_pb_field *f, uint32_t *out, wcr_err *err)
{
    if (want(f, WCR_PB_I32, "fixed32", err) < 0)
        return -1;
    *out = (uint32_t)f->value;
    return 0;
}

int wcr_pb_get_fixed64(const wcr_pb_field *f, uint64_t *out, wcr_err *err)
{
    if (want(f, WCR_PB_I64, "fixed64", err) < 0)
        return -1;
    *out = f->value;
    return 0;
}

int wcr_pb_get_sfixed32(const wcr_pb_field *f, int32_t *out, wcr_err *err)
{
    if (want(f, WCR_PB_I32, "sfixed32", err) < 0)
        return -1;
    *out = u32_to_i32((uint32_t)f->value);
    return 0;
}

int wcr_pb_get_sfixed64(const wcr_pb_field *f, int64_t *out, wcr_err *err)
{
    if (want(f, WCR_PB_I64, "sfixed64", err) < 0)
        return -1;
    *out = u64_to_i64(f->value);
    return 0;
}

int wcr_pb_get_float(const wcr_pb_field *f, float *out, wcr_err *err)
{
    if (want(f, WCR_PB_I32, "float", err) < 0)
        return -1;
    uint32_t bits = (uint32_t)f->value;
    memcpy(out, &bits, sizeof bits);
    return 0;
}

int wcr_pb_get_double(const wcr_pb_field *f, double *out, wcr_err *err)
{
    if (want(f, WCR_PB_I64, "double", err) < 0)
        return -1;
    memcpy(out, &f->value, sizeof f->value);
    return 0;
}

int wcr_pb_get_bytes(const wcr_pb_field *f, const uint8_t **data, size_t *len, wcr_err *err)
{
    if (want(f, WCR_PB_LEN, "bytes", err) < 0)
        return -1;
    *data = f->data;
    *len = f->len;
    return 0;
}

/* Offset of the first byte that is not valid UTF-8, or len. */
static size_t utf8_bad_at(const uint8_t *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = wcr_utf8_decode(s + i, len - i, &cp);
        if (n == 0)
            return i;
        i += n;
    }
    return len;
}

int wcr_pb_get_string(const wcr_pb_field *f, const char **s, size_t *len, wcr_err *err)
{
    if (want(f, WCR_PB_LEN, "string", err) < 0)
        return -1;
    size_t bad = utf8_bad_at(f->data, f->len);
    if (bad < f->len)
        return wcr_err_set(err, WCR_E_PARSE,
                           "protobuf: field %u: string is not valid UTF-8 at byte %zu",
                           (unsigned)f->number, (size_t)(f->data + bad - f->base));
    *s = (const char *)f->data;
    *len = f->len;
    return 0;
}

/* A new C string with the field's text. */
static int string_copy(const wcr_pb_field *f, char **out, wcr_err *err)
{
    const char *s;
    size_t len;
    if (wcr_pb_get_string(f, &s, &len, err) < 0)
        return -1;
    if (memchr(s, '\0', len))
        return wcr_err_set(err, WCR_E_PARSE, "protobuf: field %u: string contains a NUL byte",
                           (unsigned)f->number);
    char *copy = malloc(len + 1);
    if (!copy)
        return wcr_err_set(err, WCR_E_NOMEM, "protobuf: field %u: out of memory",
                           (unsigned)f->number);
    memcpy(copy, s, len);
    copy[len] = '\0';
    *out = copy;
    return 0;
}

int wcr_pb_get_string_dup(const wcr_pb_field *f, char **out, wcr_err *err)
{
    char *copy;
    if (string_copy(f, &copy, err) < 0)
        return -1;
    free(*out);
    *out = copy;
    return 0;
}

int wcr_pb_get_message(const wcr_pb_field *f, wcr_pb_reader *sub, wcr_err *err)
{
    if (want(f, WCR_PB_LEN, "a message", err) < 0)
        return -1;
    if (f->depth + 1 > WCR_PB_MAX_DEPTH)
        return depth_error(f->number, err);
    sub->p = f->data;
    sub->end = f->data + f->len;
    sub->base = f->base;
    sub->depth = f->depth + 1;
    return 0;
}

/* --- packed repeated fields ------------------------------------------------------ */

int wcr_pb_packed_init(wcr_pb_packed *it, const wcr_pb_field *f, wcr_pb_wire elem,
                       wcr_err *err)
{
    if (elem != WCR_PB_VARINT && elem != WCR_PB_I32 && elem != WCR_PB_I64)
        return wcr_err_set(err, WCR_E_INVALID,
                           "protobuf: packed fields hold varint, fixed32 or fixed64 values");
    if (f->wire != elem && f->wire != WCR_PB_LEN)
        return wcr_err_set(err, WCR_E_PARSE,
                           "protobuf: field %u: expected %s or length-delimited (packed) "
                           "for a repeated field, found %s",
                           (unsigned)f->number, wcr_pb_wire_name(elem),
                           wcr_pb_wire_name(f->wire));
    static const uint8_t nothing[1];
    it->single = *f;
    it->elem = elem;
    it->has_single = f->wire == elem;
    it->r.base = f->base;
    it->r.depth = f->depth;
    /* An unpacked element has no body: an empty range that is not NULL. */
    it->r.p = it->r.end = it->has_single ? nothing : f->data;
    if (!it->has_single)
        it->r.end = f->data + f->len;
    return 0;
}

int wcr_pb_packed_next(wcr_pb_packed *it, wcr_pb_field *e, wcr_err *err)
{
    if (it->has_single) {
        it->has_single = false;
        *e = it->single;
        return 1;
    }
    if (it->r.p >= it->r.end)
        return 0;
    wcr_pb_field tmp = it->single;
    tmp.wire = it->elem;
    tmp.data = NULL;
    tmp.len = 0;
    if (read_value(&it->r, tmp.number, it->elem, &tmp, err) < 0)
        return -1;
    *e = tmp;
    return 1;
}

/* --- maps ------------------------------------------------------------------------- */

static void map_default(wcr_pb_field *f, uint32_t number, wcr_pb_wire wire,
                        const wcr_pb_field *entry)
{
    *f = (wcr_pb_field){ 0 };
    f->number = number;
    f->wire = wire;
    f->data = entry->data; /* an empty payload that still points somewhere */
    f->base = entry->base;
    f->depth = entry->depth + 1;
}

int wcr_pb_get_map_entry(const wcr_pb_field *f, wcr_pb_wire key_wire,
                         wcr_pb_wire value_wire, wcr_pb_field *key,
                         wcr_pb_field *value, wcr_err *err)
{
    wcr_pb_reader sub;
    if (wcr_pb_get_message(f, &sub, err) < 0)
        return -1;
    wcr_pb_field k, v, g;
    map_default(&k, 1, key_wire, f);
    map_default(&v, 2, value_wire, f);
    int rc;
    while ((rc = wcr_pb_next(&sub, &g, err)) > 0) {
        if (g.number == 1) {
            if (want(&g, key_wire, "a map key", err) < 0)
                return -1;
            k = g;
        } else if (g.number == 2) {
            if (want(&g, value_wire, "a map value", err) < 0)
                return -1;
            v = g;
        }
    }
    if (rc < 0)
        return -1;
    *key = k;
    *value = v;
    return 0;
}

int wcr_pb_get_map_string(const wcr_pb_field *f, const char **key, size_t *key_len,
                          const char **value, size_t *value_len, wcr_err *err)
{
    wcr_pb_field k, v;
    const char *ks, *vs;
    size_t kl, vl;
    if (wcr_pb_get_map_entry(f, WCR_PB_LEN, WCR_PB_LEN, &k, &v, err) < 0 ||
        wcr_pb_get_string(&k, &ks, &kl, err) < 0 || wcr_pb_get_string(&v, &vs, &vl, err) < 0)
        return -1;
    *key = ks;
    *key_len = kl;
    *value = vs;
    *value_len = vl;
    return 0;
}

int wcr_pb_get_map_string_dup(const wcr_pb_field *f, char **key, char **value,
                              wcr_err *err)
{
    wcr_pb_field k, v;
    char *ks = NULL, *vs = NULL;
    if (wcr_pb_get_map_entry(f, WCR_PB_LEN, WCR_PB_LEN, &k, &v, err) < 0 ||
        string_copy(&k, &ks, err) < 0)
        return -1;
    if (string_copy(&v, &vs, err) < 0) {
        free(ks);
        return -1;
    }
    free(*key);
    free(*value);
    *key = ks;
    *value = vs;
    return 0;
}
