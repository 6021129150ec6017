/* HPACK (RFC 7541): static and dynamic tables, the decoder's state
 * machine, and a stateless encoder. See hpack.h. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/hpack.h"
#include "core/str.h"

/* ------------------------------------------------------------------ */
/* Static table (RFC 7541 Appendix A)                                  */

typedef struct hpack_field {
    const char *name;
    size_t name_len;
    const char *value;
    size_t value_len;
} hpack_field;

#define S(n, v) { n, sizeof n - 1, v, sizeof v - 1 }
static const hpack_field static_table[WCR_HPACK_STATIC_COUNT] = {
    S(":authority", ""),                  /*  1 */
    S(":method", "GET"),                  /*  2 */
    S(":method", "POST"),                 /*  3 */
    S(":path", "/"),                      /*  4 */
    S(":path", "/index.html"),            /*  5 */
    S(":scheme", "http"),                 /*  6 */
    S(":scheme", "https"),                /*  7 */
    S(":status", "200"),                  /*  8 */
    S(":status", "204"),                  /*  9 */
    S(":status", "206"),                  /* 10 */
    S(":status", "304"),                  /* 11 */
    S(":status", "400"),                  /* 12 */
    S(":status", "404"),                  /* 13 */
    S(":status", "500"),                  /* 14 */
    S("accept-charset", ""),              /* 15 */
    S("accept-encoding", "gzip, deflate"), /* 16 */
    S("accept-language", ""),             /* 17 */
    S("accept-ranges", ""),               /* 18 */
    S("accept", ""),                      /* 19 */
    S("access-control-allow-origin", ""), /* 20 */
    S("age", ""),                         /* 21 */
    S("allow", ""),                       /* 22 */
    S("authorization", ""),               /* 23 */
    S("cache-control", ""),               /* 24 */
    S("content-disposition", ""),         /* 25 */
    S("content-encoding", ""),            /* 26 */
    S("content-language", ""),            /* 27 */
    S("content-length", ""),              /* 28 */
    S("content-location", ""),            /* 29 */
    S("content-range", ""),               /* 30 */
    S("content-type", ""),                /* 31 */
    S("cookie", ""),                      /* 32 */
    S("date", ""),                        /* 33 */
    S("etag", ""),                        /* 34 */
    S("expect", ""),                      /* 35 */
    S("expires", ""),                     /* 36 */
    S("from", ""),                        /* 37 */
    S("host", ""),                        /* 38 */
    S("if-match", ""),                    /* 39 */
    S("if-modified-since", ""),           /* 40 */
    S("if-none-match", ""),               /* 41 */
    S("if-range", ""),                    /* 42 */
    S("if-unmodified-since", ""),         /* 43 */
    S("last-modified", ""),               /* 44 */
    S("link", ""),                        /* 45 */
    S("location", ""),                    /* 46 */
    S("max-forwards", ""),                /* 47 */
    S("proxy-authenticate", ""),          /* 48 */
    S("proxy-authorization", ""),         /* 49 */
    S("range", ""),                       /* 50 */
    S("referer", ""),                     /* 51 */
    S("refresh", ""),                     /* 52 */
    S("retry-after", ""),                 /* 53 */
    S("server", ""),                      /* 54 */
    S("set-cookie", ""),                  /* 55 */
    S("strict-transport-security", ""),   /* 56 */
    S("transfer-encoding", ""),           /* 57 */
    S("user-agent", ""),                  /* 58 */
    S("vary", ""),                        /* 59 */
    S("via", ""),                         /* 60 */
    S("www-authenticate", ""),            /* 61 */
};
#undef S

/* ------------------------------------------------------------------ */
/* Dynamic table (RFC 7541 2.3.2, 4)                                   */

struct wcr_hpack_entry {
    size_t name_len;
    size_t value_len;
    char data[];            /* name, NUL, value, NUL */
};

static size_t entry_size(const wcr_hpack_entry *e)
{
    return e->name_len + e->value_len + WCR_HPACK_ENTRY_OVERHEAD;
}

/* Entry i, 0 being the newest. */
static wcr_hpack_entry *table_at(const wcr_hpack_table *t, size_t i)
{
    return t->ring[(t->head + i) & (t->cap - 1)];
}

static void table_evict_to(wcr_hpack_table *t, size_t max)
{
    while (t->size > max) {
        wcr_hpack_entry *oldest = table_at(t, t->count - 1);
        t->size -= entry_size(oldest);
        t->count--;
        free(oldest);
    }
}

static int table_grow(wcr_hpack_table *t, wcr_err *err)
{
    size_t cap = t->cap ? t->cap * 2 : 16;
    wcr_hpack_entry **ring = malloc(cap * sizeof *ring);
    if (!ring)
        return wcr_err_set(err, WCR_E_NOMEM, "HPACK: out of memory");
    for (size_t i = 0; i < t->count; i++)
        ring[i] = table_at(t, i);
    free(t->ring);
    t->ring = ring;
    t->cap = cap;
    t->head = 0;
    return 0;
}

/* Add a field as the newest entry, evicting the oldest ones to make room
 * (RFC 7541 4.4). The field may be one of the entries about to be
 * evicted, so it is copied first. */
static int table_add(wcr_hpack_table *t, const hpack_field *f, wcr_err *err)
{
    size_t size = f->name_len + f->value_len + WCR_HPACK_ENTRY_OVERHEAD;
    if (size > t->max_size) {
        /* Not an error: the table just ends up empty. */
        table_evict_to(t, 0);
        return 0;
    }
    wcr_hpack_entry *e = malloc(sizeof *e + f->name_len + f->value_len + 2);
    if (!e)
        return wcr_err_set(err, WCR_E_NOMEM, "HPACK: out of memory");
    e->name_len = f->name_len;
    e->value_len = f->value_len;
    memcpy(e->data, f->name, f->name_len);
    e->data[f->name_len] = '\0';
    memcpy(e->data + f->name_len + 1, f->value, f->value_len);
    e->data[f->name_len + 1 + f->value_len] = '\0';

    table_evict_to(t, t->max_size - size);
    if (t->count == t->cap && table_grow(t, err) < 0) {
        free(e);
        return -1;
    }
    t->head = (t->head - 1) & (t->cap - 1);
    t->ring[t->head] = e;
    t->count++;
    t->size += size;
    return 0;
}

static void table_dispose(wcr_hpack_table *t)
{
    table_evict_to(t, 0);
    free(t->ring);
    t->ring = NULL;
    t->cap = t->head = 0;
}

/* ------------------------------------------------------------------ */
/* Decoder                                                             */

/* Where the decoder is in the block. */
enum hpack_state {
    HP_OPCODE,    /* the first octet of a representation */
    HP_INT,       /* continuation octets of an integer; int_role says which */
    HP_NAME_LEN,  /* the first octet of a literal name's length (H bit) */
    HP_NAME,      /* the name's octets */
    HP_VALUE_LEN, /* the first octet of the value's length */
    HP_VALUE      /* the value's octets */
};

/* The representation being decoded (RFC 7541 6). */
enum hpack_rep {
    REP_INDEXED,     /* 1xxxxxxx */
    REP_INCREMENTAL, /* 01xxxxxx literal with incremental indexing */
    REP_SIZE_UPDATE, /* 001xxxxx */
    REP_NEVER,       /* 0001xxxx literal never indexed */
    REP_PLAIN        /* 0000xxxx literal without indexing */
};

/* What the integer being read is. */
enum hpack_int_role {
    INT_INDEX,      /* an indexed field */
    INT_NAME_INDEX, /* a literal's name index, 0 for a literal name */
    INT_SIZE,       /* a dynamic table size update */
    INT_NAME_LEN,   /* a string length */
    INT_VALUE_LEN
};

/* Larger integers are refused (RFC 7541 5.1 allows such a limit). Nothing
 * HPACK counts comes near: lengths and sizes are capped far lower. */
#define HPACK_INT_MAX UINT32_MAX

int wcr_hpack_decoder_init(wcr_hpack_decoder *d, size_t max_table_size,
                           size_t max_header_list_size, wcr_err *err)
{
    (void)err;
    memset(d, 0, sizeof *d);
    d->table.max_size = max_table_size;
    d->settings_max = max_table_size;
    d->required_max = SIZE_MAX;
    d->max_list = max_header_list_size;
    d->state = HP_OPCODE;
    wcr_buf_init(&d->name, "HPACK header name", max_header_list_size);
    wcr_buf_init(&d->value, "HPACK header value", max_header_list_size);
    d->max_string = max_header_list_size;
    return 0;
}

void wcr_hpack_decoder_dispose(wcr_hpack_decoder *d)
{
    if (!d)
        return;
    table_dispose(&d->table);
    wcr_buf_dispose(&d->name);
    wcr_buf_dispose(&d->value);
}

void wcr_hpack_decoder_set_max_string(wcr_hpack_decoder *d, size_t max_string)
{
    d->max_string = max_string;
    d->name.limit = max_string;
    d->value.limit = max_string;
}

void wcr_hpack_decoder_set_max_table_size(wcr_hpack_decoder *d, size_t size)
{
    d->settings_max = size;
    if (size < d->table.max_size && size < d->required_max)
        d->required_max = size;
}

size_t wcr_hpack_decoder_table_count(const wcr_hpack_decoder *d)
{
    return d->table.count;
}

size_t wcr_hpack_decoder_table_size(const wcr_hpack_decoder *d)
{
    return d->table.size;
}

size_t wcr_hpack_decoder_table_max(const wcr_hpack_decoder *d)
{
    return d->table.max_size;
}

bool wcr_hpack_decoder_table_entry(const wcr_hpack_decoder *d, size_t i,
                                   const char **name, size_t *name_len,
                                   const char **value, size_t *value_len)
{
    if (i >= d->table.count)
        return false;
    const wcr_hpack_entry *e = table_at(&d->table, i);
    *name = e->data;
    *name_len = e->name_len;
    *value = e->data + e->name_len + 1;
    *value_len = e->value_len;
    return true;
}

/* The field at an HPACK index: static entries first, then dynamic ones
 * from the newest (RFC 7541 2.3.3). */
static int lookup(const wcr_hpack_decoder *d, uint64_t index, hpack_field *f,
                  wcr_err *err)
{
    if (index == 0)
        return wcr_err_set(err, WCR_E_PROTO, "HPACK: index 0 is not valid");
    if (index <= WCR_HPACK_STATIC_COUNT) {
        *f = static_table[index - 1];
        return 0;
    }
    if (index - WCR_HPACK_STATIC_COUNT > d->table.count)
        return wcr_err_set(err, WCR_E_PROTO,
                           "HPACK: index %llu is beyond the tables (%d static + %zu dynamic %s)",
                           (unsigned long long)index, WCR_HPACK_STATIC_COUNT, d->table.count,
                           d->table.count == 1 ? "entry" : "entries");
    const wcr_hpack_entry *e = table_at(&d->table, (size_t)index - WCR_HPACK_STATIC_COUNT - 1);
    *f = (hpack_field){ e->data, e->name_len, e->data + e->name_len + 1, e->value_len };
    return 0;
}

/* Start an integer with an N-bit prefix from its first octet; true when
 * the prefix holds all of it. */
static bool int_start(wcr_hpack_decoder *d, uint8_t b, unsigned prefix)
{
    uint8_t mask = (uint8_t)((1u << prefix) - 1);
    d->int_value = b & mask;
    d->int_shift = 0;
    return d->int_value < mask;
}

/* A continuation octet: 1 when the integer is complete, 0 when more
 * follow, -1 when it grows too large or too long. */
static int int_more(wcr_hpack_decoder *d, uint8_t b, wcr_err *err)
{
    /* Five octets carry 35 bits, all a 32-bit limit can use; more octets
     * could only be zero padding, which nobody sends but an attacker. */
    if (d->int_shift > 28)
        return wcr_err_set(err, WCR_E_PROTO, "HPACK: integer has too many octets");
    d->int_value += (uint64_t)(b & 0x7f) << d->int_shift;
    if (d->int_value > HPACK_INT_MAX)
        return wcr_err_set(err, WCR_E_PROTO, "HPACK: integer exceeds %lu",
                           (unsigned long)HPACK_INT_MAX);
    d->int_shift += 7;
    return (b & 0x80) ? 0 : 1;
}

/* Pass a complete field on, after the header list cap. */
static int emit_field(wcr_hpack_decoder *d, const hpack_field *f,
                      wcr_hpack_emit_fn emit, void *ud, wcr_err *err)
{
    size_t size = f->name_len + f->value_len + WCR_HPACK_ENTRY_OVERHEAD;
    if (size > d->max_list - d->list_size)
        return wcr_err_set(err, WCR_E_LIMIT,
                           "HPACK: header list exceeds the limit of %zu bytes "
                           "(SETTINGS_MAX_HEADER_LIST_SIZE)", d->max_list);
    d->list_size += size;
    if (emit && emit(ud, f->name, f->name_len, f->value, f->value_len, err) != 0) {
        if (err && err->code == WCR_E_OK)
            wcr_err_set(err, WCR_E_INTERNAL, "HPACK: the header callback failed");
        return -1;
    }
    return 0;
}

static int size_update(wcr_hpack_decoder *d, uint64_t size, wcr_err *err)
{
    if (size > d->settings_max)
        return wcr_err_set(err, WCR_E_PROTO,
                           "HPACK: dynamic table size update to %llu exceeds the "
                           "limit of %zu (SETTINGS_HEADER_TABLE_SIZE)",
                           (unsigned long long)size, d->settings_max);
    if (size <= d->required_max)
        d->required_max = SIZE_MAX;
    d->table.max_size = (size_t)size;
    table_evict_to(&d->table, d->table.max_size);
    return 0;
}

static int string_end(wcr_hpack_decoder *d, wcr_hpack_emit_fn emit, void *ud,
                      wcr_err *err);

/* A string's length is known: get ready for its octets. */
static int string_start(wcr_hpack_decoder *d, uint64_t len, wcr_hpack_emit_fn emit,
                        void *ud, wcr_err *err)
{
    bool is_name = d->int_role == INT_NAME_LEN;
    wcr_buf *b = is_name ? &d->name : &d->value;
    if (len > d->max_string) {
        char limit[32];
        wcr_str_human_size(d->max_string, limit, sizeof limit);
        return wcr_err_set(err, WCR_E_LIMIT, "%s: %llu bytes exceed the limit of %s",
                           b->name, (unsigned long long)len, limit);
    }
    wcr_buf_reset(b);
    /* Room for the decoded string at once; Huffman codes are at least 5
     * bits, so it decodes to at most 8/5 of its length. */
    size_t room = (size_t)len;
    if (d->huffman) {
        room = room / 5 * 8 + 8;
        if (room > d->max_string)
            room = d->max_string;
    }
    /* The empty append NUL-terminates a buffer that was just allocated. */
    if (wcr_buf_reserve(b, room) < 0 || wcr_buf_append(b, "", 0) < 0)
        return wcr_buf_check(b, err);
    d->str_left = (size_t)len;
    d->huff = (wcr_hpack_huff)WCR_HPACK_HUFF_INIT;
    d->state = is_name ? HP_NAME : HP_VALUE;
    return len == 0 ? string_end(d, emit, ud, err) : 0;
}

/* A string's last octet came: go on to the value, or finish the field. */
static int string_end(wcr_hpack_decoder *d, wcr_hpack_emit_fn emit, void *ud,
                      wcr_err *err)
{
    if (d->huffman && wcr_hpack_huff_finish(&d->huff, err) < 0)
        return -1;
    if (d->state == HP_NAME) {
        d->state = HP_VALUE_LEN;
        return 0;
    }
    hpack_field f;
    if (d->name_index) {
        /* The tables have not changed since the index was checked. */
        if (lookup(d, d->name_index, &f, err) < 0)
            return -1;
    } else {
        f.name = wcr_buf_cstr(&d->name);
        f.name_len = d->name.len;
    }
    f.value = wcr_buf_cstr(&d->value);
    f.value_len = d->value.len;
    d->state = HP_OPCODE;
    if (emit_field(d, &f, emit, ud, err) < 0)
        return -1;
    return d->rep == REP_INCREMENTAL ? table_add(&d->table, &f, err) : 0;
}

/* An integer is complete: act on it according to its role. */
static int int_done(wcr_hpack_decoder *d, wcr_hpack_emit_fn emit, void *ud, wcr_err *err)
{
    uint64_t v = d->int_value;
    hpack_field f;
    switch (d->int_role) {
    case INT_INDEX:
        if (lookup(d, v, &f, err) < 0)
            return -1;
        d->state = HP_OPCODE;
        return emit_field(d, &f, emit, ud, err);
    case INT_NAME_INDEX:
        if (v != 0 && lookup(d, v, &f, err) < 0)
            return -1;
        d->name_index = (size_t)v;
        d->state = v ? HP_VALUE_LEN : HP_NAME_LEN;
        return 0;
    case INT_SIZE:
        d->state = HP_OPCODE;
        return size_update(d, v, err);
    default: /* INT_NAME_LEN, INT_VALUE_LEN */
        return string_start(d, v, emit, ud, err);
    }
}

/* The first octet of a representation. */
static int opcode(wcr_hpack_decoder *d, uint8_t b, wcr_hpack_emit_fn emit, void *ud,
                  wcr_err *err)
{
    unsigned prefix;
    if (b & 0x80) {
        d->rep = REP_INDEXED;
        d->int_role = INT_INDEX;
        prefix = 7;
    } else if (b & 0x40) {
        d->rep = REP_INCREMENTAL;
        d->int_role = INT_NAME_INDEX;
        prefix = 6;
    } else if (b & 0x20) {
        d->rep = REP_SIZE_UPDATE;
        d->int_role = INT_SIZE;
        prefix = 5;
    } else {
        d->rep = (b & 0x10) ? REP_NEVER : REP_PLAIN;
        d->int_role = INT_NAME_INDEX;
        prefix = 4;
    }
    if (d->rep == REP_SIZE_UPDATE) {
        if (d->field_seen)
            return wcr_err_set(err, WCR_E_PROTO,
                               "HPACK: dynamic table size update after the first "
                               "field of a header block");
    } else {
        if (d->required_max != SIZE_MAX)
            return wcr_err_set(err, WCR_E_PROTO,
                               "HPACK: header block does not start with a dynamic "
                               "table size update to %zu or less "
                               "(SETTINGS_HEADER_TABLE_SIZE was lowered)",
                               d->required_max);
        d->field_seen = true;
    }
    if (int_start(d, b, prefix))
        return int_done(d, emit, ud, err);
    d->state = HP_INT;
    return 0;
}

int wcr_hpack_decode(wcr_hpack_decoder *d, const uint8_t *in, size_t len,
                     bool end_of_block, wcr_hpack_emit_fn emit, void *ud, wcr_err *err)
{
    if (d->failed)
        return wcr_err_set(err, WCR_E_INVALID,
                           "HPACK: the decoder failed earlier and cannot go on");
    const uint8_t *p = in, *end = len ? in + len : in; /* NULL + 0 is UB */
    int rc = 0;
    while (rc == 0 && p < end) {
        switch (d->state) {
        case HP_OPCODE:
            rc = opcode(d, *p++, emit, ud, err);
            break;
        case HP_INT:
            rc = int_more(d, *p++, err);
            rc = rc == 1 ? int_done(d, emit, ud, err) : rc;
            break;
        case HP_NAME_LEN:
        case HP_VALUE_LEN:
            d->int_role = d->state == HP_NAME_LEN ? INT_NAME_LEN : INT_VALUE_LEN;
            d->huffman = (*p & 0x80) != 0;
            if (int_start(d, *p++, 7))
                rc = int_done(d, emit, ud, err);
            else
                d->state = HP_INT;
            break;
        case HP_NAME:
        case HP_VALUE: {
            wcr_buf *b = d->state == HP_NAME ? &d->name : &d->value;
            size_t n = (size_t)(end - p) < d->str_left ? (size_t)(end - p) : d->str_left;
            if (d->huffman)
                rc = wcr_hpack_huff_decode(&d->huff, p, n, b, err);
            else if (wcr_buf_append(b, p, n) < 0)
                rc = wcr_buf_check(b, err);
            p += n;
            d->str_left -= n;
            if (rc == 0 && d->str_left == 0)
                rc = string_end(d, emit, ud, err);
            break;
        }
        default:
            rc = wcr_err_set(err, WCR_E_INTERNAL, "HPACK: bad decoder state %d", d->state);
            break;
        }
    }
    if (rc == 0 && end_of_block) {
        if (d->state != HP_OPCODE)
            rc = wcr_err_set(err, WCR_E_PROTO,
                             "HPACK: header block ends inside a field representation");
        d->list_size = 0;
        d->field_seen = false;
    }
    if (rc < 0) {
        d->failed = true;
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Encoder                                                             */

void wcr_hpack_encode_int(wcr_buf *out, uint8_t first, unsigned prefix, uint64_t value)
{
    uint8_t bytes[16];
    size_t n = 0;
    uint8_t mask = (uint8_t)((1u << prefix) - 1);
    if (value < mask) {
        bytes[n++] = (uint8_t)(first | value);
    } else {
        bytes[n++] = (uint8_t)(first | mask);
        value -= mask;
        while (value >= 0x80) {
            bytes[n++] = (uint8_t)(0x80 | (value & 0x7f));
            value >>= 7;
        }
        bytes[n++] = (uint8_t)value;
    }
    wcr_buf_append(out, bytes, n);
}

/* A string literal (RFC 7541 5.2), Huffman-coded when that is shorter. */
static void encode_string(wcr_buf *out, const char *s, size_t len, unsigned flags)
{
    size_t huff = (flags & WCR_HPACK_NO_HUFFMAN) ? len : wcr_hpack_huff_encoded_len(s, len);
    if (huff < len) {
        wcr_hpack_encode_int(out, 0x80, 7, huff);
        wcr_hpack_huff_encode(out, s, len);
    } else {
        wcr_hpack_encode_int(out, 0x00, 7, len);
        wcr_buf_append(out, s, len);
    }
}

/* RFC 9113 8.2.1: what an HTTP/2 field may not contain. */
static int check_field(const char *name, size_t name_len, const char *value,
                       size_t value_len, wcr_err *err)
{
    if (name_len == 0)
        return wcr_err_set(err, WCR_E_INVALID, "HPACK: header name is empty");
    for (size_t i = 0; i < name_len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c >= 'A' && c <= 'Z')
            return wcr_err_set(err, WCR_E_INVALID,
                               "HPACK: header name \"%.*s\" has upper-case letters; "
                               "HTTP/2 needs lower case", (int)name_len, name);
        if (c <= 0x20 || c >= 0x7f)
            return wcr_err_set(err, WCR_E_INVALID,
                               "HPACK: header name contains the octet 0x%02x, "
                               "which HTTP/2 forbids", c);
    }
    for (size_t i = 0; i < value_len; i++) {
        char c = value[i];
        if (c == '\0' || c == '\r' || c == '\n')
            return wcr_err_set(err, WCR_E_INVALID,
                               "HPACK: value of header \"%.*s\" contains NUL, CR or LF",
                               (int)name_len, name);
    }
    return 0;
}

/* The static index of the exact field, or else of its name, or 0. */
static size_t static_find(const char *name, size_t name_len, const char *value,
                          size_t value_len, bool *exact)
{
    size_t by_name = 0;
    *exact = false;
    for (size_t i = 0; i < WCR_HPACK_STATIC_COUNT; i++) {
        const hpack_field *f = &static_table[i];
        if (f->name_len != name_len || memcmp(f->name, name, name_len) != 0)
            continue;
        if (!by_name)
            by_name = i + 1;
        if (f->value_len == value_len && memcmp(f->value, value, value_len) == 0) {
            *exact = true;
            return i + 1;
        }
    }
    return by_name;
}

int wcr_hpack_encode_field(wcr_buf *out, const char *name, size_t name_len,
                           const char *value, size_t value_len, unsigned flags,
                           wcr_err *err)
{
    if (check_field(name, name_len, value, value_len, err) < 0)
        return -1;
    size_t old_len = out->len;
    bool exact;
    size_t index = static_find(name, name_len, value, value_len, &exact);
    bool never = (flags & WCR_HPACK_NEVER_INDEX) != 0;
    if (exact && !never) {
        /* Indexed field (6.1): never-indexed fields carry the literal
         * value so that intermediaries see the flag. */
        wcr_hpack_encode_int(out, 0x80, 7, index);
    } else {
        /* Literal without indexing (6.2.2) or never indexed (6.2.3). */
        wcr_hpack_encode_int(out, never ? 0x10 : 0x00, 4, index);
        if (!index)
            encode_string(out, name, name_len, flags);
        encode_string(out, value, value_len, flags);
    }
    if (wcr_buf_check(out, err) < 0) {
        if (out->len > old_len)
            wcr_buf_truncate(out, old_len);
        return -1;
    }
    return 0;
}

int wcr_hpack_encode_size_update(wcr_buf *out, size_t size, wcr_err *err)
{
    size_t old_len = out->len;
    wcr_hpack_encode_int(out, 0x20, 5, size);
    if (wcr_buf_check(out, err) < 0) {
        if (out->len > old_len)
            wcr_buf_truncate(out, old_len);
        return -1;
    }
    return 0;
}
