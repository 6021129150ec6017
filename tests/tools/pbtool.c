/* pbtool: wcr's protobuf codec on the command line, so that protoc can be
 * the oracle for it (tests/tools/pb-oracle.sh).
 *
 *   pbtool encode [MESSAGE]   write our encoding of MESSAGE's sample
 *   pbtool decode [MESSAGE]   read MESSAGE from stdin, print its fields
 *   pbtool list               the messages pbtool knows
 *
 * MESSAGE defaults to wcrtest.Sample (tests/data/pb/wcrtest.proto).
 * Decoding is driven by a table per message (number, name, type), printed
 * in a fixed text form: one line per scalar (repeated ones once per
 * element, packed or not), nested messages in braces, unknown fields as
 * "# ..." lines. To teach pbtool another message, add its table to
 * `messages` and, for encode, a sample writer. Binary goes through stdio,
 * so use it on POSIX (the oracle test runs natively only).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/pb.h"

/* --- message descriptions ------------------------------------------------------ */

typedef enum pb_type {
    T_INT32, T_INT64, T_UINT32, T_UINT64, T_SINT32, T_SINT64, T_BOOL, T_ENUM,
    T_FIXED32, T_FIXED64, T_SFIXED32, T_SFIXED64, T_FLOAT, T_DOUBLE,
    T_STRING, T_BYTES, T_MESSAGE,
    T_MAP_SS,  /* map<string,string> */
    T_MAP_SM,  /* map<string,sub> */
    T_ANY, T_TIMESTAMP, T_FIELD_MASK, T_EMPTY
} pb_type;

typedef struct pb_msg pb_msg;

typedef struct pb_desc {
    uint32_t number;
    const char *name;
    pb_type type;
    bool repeated;
    const pb_msg *sub; /* T_MESSAGE, T_MAP_SM */
} pb_desc;

struct pb_msg {
    const char *name;
    const pb_desc *fields;
    size_t count;
    void (*sample)(wcr_buf *b); /* for encode; may be NULL */
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* wcrtest.Inner refers to itself. */
static const pb_msg msg_inner;

static const pb_desc inner_fields[] = {
    { 1, "name", T_STRING, false, NULL },
    { 2, "value", T_INT64, false, NULL },
    { 3, "child", T_MESSAGE, false, &msg_inner },
};

static const pb_msg msg_inner = { "wcrtest.Inner", inner_fields, COUNT(inner_fields), NULL };

static const pb_desc sample_fields[] = {
    { 1, "f_int32", T_INT32, false, NULL },
    { 2, "f_int64", T_INT64, false, NULL },
    { 3, "f_uint32", T_UINT32, false, NULL },
    { 4, "f_uint64", T_UINT64, false, NULL },
    { 5, "f_sint32", T_SINT32, false, NULL },
    { 6, "f_sint64", T_SINT64, false, NULL },
    { 7, "f_bool", T_BOOL, false, NULL },
    { 8, "f_enum", T_ENUM, false, NULL },
    { 9, "f_fixed32", T_FIXED32, false, NULL },
    { 10, "f_fixed64", T_FIXED64, false, NULL },
    { 11, "f_sfixed32", T_SFIXED32, false, NULL },
    { 12, "f_sfixed64", T_SFIXED64, false, NULL },
    { 13, "f_float", T_FLOAT, false, NULL },
    { 14, "f_double", T_DOUBLE, false, NULL },
    { 15, "f_string", T_STRING, false, NULL },
    { 16, "f_bytes", T_BYTES, false, NULL },
    { 17, "inner", T_MESSAGE, false, &msg_inner },
    { 18, "packed_int32", T_INT32, true, NULL },
    { 19, "unpacked_int32", T_INT32, true, NULL },
    { 20, "packed_sint64", T_SINT64, true, NULL },
    { 21, "packed_fixed32", T_FIXED32, true, NULL },
    { 22, "packed_double", T_DOUBLE, true, NULL },
    { 23, "packed_bool", T_BOOL, true, NULL },
    { 24, "unpacked_uint64", T_UINT64, true, NULL },
    { 25, "names", T_STRING, true, NULL },
    { 26, "inners", T_MESSAGE, true, &msg_inner },
    { 27, "labels", T_MAP_SS, true, NULL },
    { 28, "inner_map", T_MAP_SM, true, &msg_inner },
    { 29, "any", T_ANY, false, NULL },
    { 30, "created_at", T_TIMESTAMP, false, NULL },
    { 31, "mask", T_FIELD_MASK, false, NULL },
    { 32, "empty", T_EMPTY, false, NULL },
    { 33, "zero_int32", T_INT32, false, NULL },
    { 34, "empty_string", T_STRING, false, NULL },
    { 35, "empty_bytes", T_BYTES, false, NULL },
    { 36, "zero_double", T_DOUBLE, false, NULL },
    { WCR_PB_FIELD_MAX, "last", T_UINT64, false, NULL },
};

/* --- samples (fields in number order, as protoc writes them) -------------------- */

static const char long_name[] =
    "0123456789012345678901234567890123456789012345678901234567890123456789"
    "0123456789012345678901234567890123456789012345678901234567890123456789"
    "012345678901234567890123456789012345678901234567890123456789";

/* Three levels, the deepest with a 200-byte name, so every length in the
 * chain takes two bytes and wcr_pb_end() has to move each body. */
static void sample_inner_chain(wcr_buf *b)
{
    size_t outer = wcr_pb_begin(b, 17);
    wcr_pb_put_string_opt(b, 1, "outer");
    wcr_pb_put_int64_opt(b, 2, 150);
    size_t middle = wcr_pb_begin(b, 3);
    wcr_pb_put_string_opt(b, 1, "middle");
    size_t inner = wcr_pb_begin(b, 3);
    wcr_pb_put_string_opt(b, 1, long_name);
    wcr_pb_put_int64_opt(b, 2, -1);
    wcr_pb_end(b, inner);
    wcr_pb_end(b, middle);
    wcr_pb_end(b, outer);
}

static void sample_repeated(wcr_buf *b)
{
    wcr_pb_put_packed_int32(b, 18, (const int32_t[]){ 1, -1, 300 }, 3);
    wcr_pb_put_int32(b, 19, 7);
    wcr_pb_put_int32(b, 19, -7);
    wcr_pb_put_packed_sint64(b, 20, (const int64_t[]){ 0, -1, 1, INT64_MIN }, 4);
    wcr_pb_put_packed_fixed32(b, 21, (const uint32_t[]){ 1, UINT32_MAX }, 2);
    wcr_pb_put_packed_double(b, 22, (const double[]){ 0.5, -2.0 }, 2);
    wcr_pb_put_packed_bool(b, 23, (const bool[]){ true, false }, 2);
    wcr_pb_put_uint64(b, 24, 0);
    wcr_pb_put_uint64(b, 24, UINT64_MAX);
    wcr_pb_put_string(b, 25, "a");
    wcr_pb_put_string(b, 25, "");
    wcr_pb_put_string(b, 25, "c");
    size_t first = wcr_pb_begin(b, 26);
    wcr_pb_put_string_opt(b, 1, "first");
    wcr_pb_end(b, first);
    wcr_pb_end(b, wcr_pb_begin(b, 26));
}

static void sample_maps(wcr_buf *b)
{
    wcr_pb_put_map_string(b, 27, "empty", "");
    wcr_pb_put_map_string(b, 27, "io.containerd.image.name", "docker.io/library/busybox:latest");
    size_t entry = wcr_pb_begin(b, 28);
    wcr_pb_put_string(b, 1, "k");
    size_t value = wcr_pb_begin(b, 2);
    wcr_pb_put_string_opt(b, 1, "v");
    wcr_pb_put_int64_opt(b, 2, 2);
    wcr_pb_end(b, value);
    wcr_pb_end(b, entry);
}

static void sample_wkt(wcr_buf *b)
{
    wcr_pb_put_any(b, 29, "type.googleapis.com/wcrtest.Inner", "\n\003abc", 5);
    wcr_pb_timestamp ts = { 1700000000, 123456789 };
    wcr_pb_put_timestamp(b, 30, &ts);
    const char *paths[] = { "labels", "inner.name" };
    wcr_pb_put_field_mask(b, 31, paths, COUNT(paths));
    wcr_pb_put_empty(b, 32);
}

static void sample(wcr_buf *b)
{
    wcr_pb_put_int32_opt(b, 1, -1);
    wcr_pb_put_int64_opt(b, 2, INT64_MIN);
    wcr_pb_put_uint32_opt(b, 3, UINT32_MAX);
    wcr_pb_put_uint64_opt(b, 4, UINT64_MAX);
    wcr_pb_put_sint32_opt(b, 5, INT32_MIN);
    wcr_pb_put_sint64_opt(b, 6, INT64_C(-1234567890123));
    wcr_pb_put_bool_opt(b, 7, true);
    wcr_pb_put_enum_opt(b, 8, 2);
    wcr_pb_put_fixed32_opt(b, 9, UINT32_C(0xdeadbeef));
    wcr_pb_put_fixed64_opt(b, 10, UINT64_C(0x0123456789abcdef));
    wcr_pb_put_sfixed32_opt(b, 11, -2);
    wcr_pb_put_sfixed64_opt(b, 12, INT64_MIN);
    wcr_pb_put_float_opt(b, 13, 1.5f);
    wcr_pb_put_double_opt(b, 14, -0.1);
    wcr_pb_put_string_opt(b, 15, "testing \"q\" \\ \xe2\x9c\x93 \xc3\xa9\n");
    wcr_pb_put_bytes_opt(b, 16, "\0\1\377abc", 6);
    sample_inner_chain(b);
    sample_repeated(b);
    sample_maps(b);
    sample_wkt(b);
    /* Defaults: proto3 sends nothing for these. */
    wcr_pb_put_int32_opt(b, 33, 0);
    wcr_pb_put_string_opt(b, 34, "");
    wcr_pb_put_bytes_opt(b, 35, NULL, 0);
    wcr_pb_put_double_opt(b, 36, 0.0);
    wcr_pb_put_uint64_opt(b, WCR_PB_FIELD_MAX, 150);
}

static const pb_msg msg_sample = { "wcrtest.Sample", sample_fields, COUNT(sample_fields),
                                   sample };

static const pb_msg *const messages[] = { &msg_sample, &msg_inner };

/* --- printing ------------------------------------------------------------------- */

static void indent(int depth)
{
    for (int i = 0; i < depth; i++)
        fputs("  ", stdout);
}

/* Quoted, with C escapes; bytes >= 0x80 kept as they are in UTF-8 text
 * (already checked) and escaped in binary. */
static void print_quoted(const void *data, size_t len, bool text)
{
    const uint8_t *s = data;
    putchar('"');
    for (size_t i = 0; i < len; i++) {
        uint8_t c = s[i];
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c == '\n')
            fputs("\\n", stdout);
        else if (c == '\t')
            fputs("\\t", stdout);
        else if (c < 0x20 || c == 0x7f || (c >= 0x80 && !text))
            printf("\\%03o", c);
        else
            putchar(c);
    }
    putchar('"');
}

static const pb_desc *find_desc(const pb_msg *m, uint32_t number)
{
    for (size_t i = 0; i < m->count; i++)
        if (m->fields[i].number == number)
            return &m->fields[i];
    return NULL;
}

static int print_message(const pb_msg *m, wcr_pb_reader *r, int depth, wcr_err *err);

typedef int (*get_i32)(const wcr_pb_field *, int32_t *, wcr_err *);
typedef int (*get_i64)(const wcr_pb_field *, int64_t *, wcr_err *);
typedef int (*get_u32)(const wcr_pb_field *, uint32_t *, wcr_err *);
typedef int (*get_u64)(const wcr_pb_field *, uint64_t *, wcr_err *);

static int print_i32(get_i32 get, const wcr_pb_field *f, wcr_err *err)
{
    int32_t v;
    if (get(f, &v, err) < 0)
        return -1;
    printf("%" PRId32, v);
    return 0;
}

static int print_i64(get_i64 get, const wcr_pb_field *f, wcr_err *err)
{
    int64_t v;
    if (get(f, &v, err) < 0)
        return -1;
    printf("%" PRId64, v);
    return 0;
}

static int print_u32(get_u32 get, const wcr_pb_field *f, wcr_err *err)
{
    uint32_t v;
    if (get(f, &v, err) < 0)
        return -1;
    printf("%" PRIu32, v);
    return 0;
}

static int print_u64(get_u64 get, const wcr_pb_field *f, wcr_err *err)
{
    uint64_t v;
    if (get(f, &v, err) < 0)
        return -1;
    printf("%" PRIu64, v);
    return 0;
}

/* Floats with enough digits to tell every value apart. */
static int print_real(pb_type t, const wcr_pb_field *f, wcr_err *err)
{
    float fl;
    double db;
    if (t == T_FLOAT) {
        if (wcr_pb_get_float(f, &fl, err) < 0)
            return -1;
        printf("%.9g", (double)fl);
    } else {
        if (wcr_pb_get_double(f, &db, err) < 0)
            return -1;
        printf("%.17g", db);
    }
    return 0;
}

static int print_scalar(const pb_desc *d, const wcr_pb_field *f, wcr_err *err)
{
    bool b;
    switch (d->type) {
    case T_INT32: return print_i32(wcr_pb_get_int32, f, err);
    case T_ENUM: return print_i32(wcr_pb_get_enum, f, err);
    case T_SINT32: return print_i32(wcr_pb_get_sint32, f, err);
    case T_SFIXED32: return print_i32(wcr_pb_get_sfixed32, f, err);
    case T_INT64: return print_i64(wcr_pb_get_int64, f, err);
    case T_SINT64: return print_i64(wcr_pb_get_sint64, f, err);
    case T_SFIXED64: return print_i64(wcr_pb_get_sfixed64, f, err);
    case T_UINT32: return print_u32(wcr_pb_get_uint32, f, err);
    case T_FIXED32: return print_u32(wcr_pb_get_fixed32, f, err);
    case T_UINT64: return print_u64(wcr_pb_get_uint64, f, err);
    case T_FIXED64: return print_u64(wcr_pb_get_fixed64, f, err);
    case T_FLOAT:
    case T_DOUBLE: return print_real(d->type, f, err);
    case T_BOOL:
        if (wcr_pb_get_bool(f, &b, err) < 0)
            return -1;
        fputs(b ? "true" : "false", stdout);
        return 0;
    default: return wcr_err_set(err, WCR_E_INTERNAL, "pbtool: %s is not a scalar", d->name);
    }
}

static wcr_pb_wire scalar_wire(pb_type t)
{
    switch (t) {
    case T_FIXED32: case T_SFIXED32: case T_FLOAT: return WCR_PB_I32;
    case T_FIXED64: case T_SFIXED64: case T_DOUBLE: return WCR_PB_I64;
    default: return WCR_PB_VARINT;
    }
}

/* One line per element, whether the field came packed or not. */
static int print_repeated_scalar(const pb_desc *d, const wcr_pb_field *f, int depth,
                                 wcr_err *err)
{
    wcr_pb_packed it;
    wcr_pb_field e;
    int rc;
    if (wcr_pb_packed_init(&it, f, scalar_wire(d->type), err) < 0)
        return -1;
    while ((rc = wcr_pb_packed_next(&it, &e, err)) > 0) {
        indent(depth);
        printf("%s: ", d->name);
        if (print_scalar(d, &e, err) < 0)
            return -1;
        putchar('\n');
    }
    return rc;
}

static int print_sub(const pb_desc *d, const char *label, const wcr_pb_field *f, int depth,
                     wcr_err *err)
{
    wcr_pb_reader sub;
    if (wcr_pb_get_message(f, &sub, err) < 0)
        return -1;
    indent(depth);
    printf("%s {\n", label);
    if (print_message(d->sub, &sub, depth + 1, err) < 0)
        return -1;
    indent(depth);
    puts("}");
    return 0;
}

static int print_map(const pb_desc *d, const wcr_pb_field *f, int depth, wcr_err *err)
{
    const char *k, *v;
    size_t kl, vl;
    indent(depth);
    if (d->type == T_MAP_SS) {
        if (wcr_pb_get_map_string(f, &k, &kl, &v, &vl, err) < 0)
            return -1;
        printf("%s[", d->name);
        print_quoted(k, kl, true);
        fputs("]: ", stdout);
        print_quoted(v, vl, true);
        putchar('\n');
        return 0;
    }
    wcr_pb_field key, value;
    if (wcr_pb_get_map_entry(f, WCR_PB_LEN, WCR_PB_LEN, &key, &value, err) < 0 ||
        wcr_pb_get_string(&key, &k, &kl, err) < 0)
        return -1;
    printf("%s[", d->name);
    print_quoted(k, kl, true);
    fputs("] {\n", stdout);
    wcr_pb_reader sub;
    if (wcr_pb_get_message(&value, &sub, err) < 0 ||
        print_message(d->sub, &sub, depth + 1, err) < 0)
        return -1;
    indent(depth);
    puts("}");
    return 0;
}

static int print_wkt(const pb_desc *d, const wcr_pb_field *f, int depth, wcr_err *err)
{
    wcr_pb_any any;
    wcr_pb_timestamp ts;
    char **paths = NULL;
    indent(depth);
    printf("%s: ", d->name);
    switch (d->type) {
    case T_ANY:
        if (wcr_pb_get_any(f, &any, err) < 0)
            return -1;
        fputs("{type_url: ", stdout);
        print_quoted(any.type_url, any.type_url_len, true);
        fputs(", value: ", stdout);
        print_quoted(any.value, any.value_len, false);
        puts("}");
        return 0;
    case T_TIMESTAMP:
        if (wcr_pb_get_timestamp(f, &ts, err) < 0)
            return -1;
        printf("{seconds: %" PRId64 ", nanos: %" PRId32 "}\n", ts.seconds, ts.nanos);
        return 0;
    case T_FIELD_MASK:
        if (wcr_pb_get_field_mask(f, &paths, NULL, err) < 0)
            return -1;
        putchar('[');
        for (size_t i = 0; paths[i]; i++) {
            fputs(i ? ", " : "", stdout);
            print_quoted(paths[i], strlen(paths[i]), true);
        }
        puts("]");
        wcr_pb_strv_free(paths);
        return 0;
    default:
        if (wcr_pb_get_empty(f, err) < 0)
            return -1;
        puts("{}");
        return 0;
    }
}

static void print_unknown(const wcr_pb_field *f, int depth)
{
    indent(depth);
    printf("# field %" PRIu32 ": unknown %s", f->number, wcr_pb_wire_name(f->wire));
    if (f->wire == WCR_PB_LEN || f->wire == WCR_PB_SGROUP)
        printf(", %zu bytes", f->len);
    puts(", skipped");
}

static int print_field(const pb_desc *d, const wcr_pb_field *f, int depth, wcr_err *err)
{
    const char *s;
    const uint8_t *data;
    size_t len;
    switch (d->type) {
    case T_STRING:
    case T_BYTES:
        if (d->type == T_STRING ? wcr_pb_get_string(f, &s, &len, err)
                                : wcr_pb_get_bytes(f, &data, &len, err))
            return -1;
        indent(depth);
        printf("%s: ", d->name);
        print_quoted(d->type == T_STRING ? (const void *)s : data, len, d->type == T_STRING);
        putchar('\n');
        return 0;
    case T_MESSAGE:
        return print_sub(d, d->name, f, depth, err);
    case T_MAP_SS:
    case T_MAP_SM:
        return print_map(d, f, depth, err);
    case T_ANY:
    case T_TIMESTAMP:
    case T_FIELD_MASK:
    case T_EMPTY:
        return print_wkt(d, f, depth, err);
    default:
        if (d->repeated)
            return print_repeated_scalar(d, f, depth, err);
        indent(depth);
        printf("%s: ", d->name);
        if (print_scalar(d, f, err) < 0)
            return -1;
        putchar('\n');
        return 0;
    }
}

static int print_message(const pb_msg *m, wcr_pb_reader *r, int depth, wcr_err *err)
{
    wcr_pb_field f;
    int rc;
    while ((rc = wcr_pb_next(r, &f, err)) > 0) {
        const pb_desc *d = find_desc(m, f.number);
        if (!d)
            print_unknown(&f, depth);
        else if (print_field(d, &f, depth, err) < 0)
            return -1;
    }
    return rc;
}

/* --- commands --------------------------------------------------------------------- */

static const pb_msg *find_msg(const char *name)
{
    for (size_t i = 0; i < COUNT(messages); i++)
        if (strcmp(messages[i]->name, name) == 0)
            return messages[i];
    fprintf(stderr, "pbtool: unknown message %s (try: pbtool list)\n", name);
    return NULL;
}

static int fail(wcr_err *err)
{
    char *msg = wcr_err_format(err, false);
    fprintf(stderr, "pbtool: %s\n", msg ? msg : "out of memory");
    free(msg);
    wcr_err_dispose(err);
    return 1;
}

static int cmd_encode(const pb_msg *m)
{
    if (!m->sample) {
        fprintf(stderr, "pbtool: no sample for %s\n", m->name);
        return 2;
    }
    wcr_err err = WCR_ERR_INIT;
    wcr_buf b = WCR_BUF_INIT("sample", WCR_BUF_NO_LIMIT);
    m->sample(&b);
    if (wcr_buf_check(&b, &err) < 0)
        return fail(&err);
    int rc = fwrite(b.data, 1, b.len, stdout) == b.len && fflush(stdout) == 0 ? 0 : 1;
    wcr_buf_dispose(&b);
    return rc;
}

static int cmd_decode(const pb_msg *m)
{
    wcr_err err = WCR_ERR_INIT;
    wcr_buf in = WCR_BUF_INIT("stdin", (size_t)64 << 20);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
        wcr_buf_append(&in, chunk, n);
    if (ferror(stdin)) {
        fprintf(stderr, "pbtool: cannot read stdin\n");
        return 2;
    }
    if (wcr_buf_check(&in, &err) < 0)
        return fail(&err);
    wcr_pb_reader r;
    wcr_pb_reader_init(&r, in.data, in.len);
    int rc = print_message(m, &r, 0, &err);
    wcr_buf_dispose(&in);
    return rc < 0 ? fail(&err) : 0;
}

int main(int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : "";
    const pb_msg *m = find_msg(argc > 2 ? argv[2] : "wcrtest.Sample");
    if (strcmp(cmd, "list") == 0) {
        for (size_t i = 0; i < COUNT(messages); i++)
            printf("%s%s\n", messages[i]->name, messages[i]->sample ? " (sample)" : "");
        return 0;
    }
    if (!m || argc > 3 || (strcmp(cmd, "encode") != 0 && strcmp(cmd, "decode") != 0)) {
        fprintf(stderr, "usage: pbtool encode|decode [MESSAGE] | pbtool list\n");
        return 2;
    }
    return strcmp(cmd, "encode") == 0 ? cmd_encode(m) : cmd_decode(m);
}
