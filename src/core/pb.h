/* protobuf wire format: an encoder into a wcr_buf and a strict reader.
 *
 * This is the wire codec only; the messages wcr exchanges with containerd
 * are written by hand on top of it, with field numbers taken from
 * containerd's .proto files. No I/O, no allocation except where a function
 * says it returns malloc'd memory.
 *
 * Encoding. Every writer appends to a wcr_buf, whose failures are sticky,
 * so a message is written whole and checked once with wcr_buf_check():
 *
 *   wcr_pb_put_string_opt(&b, 1, id);          // proto3: "" is not sent
 *   size_t m = wcr_pb_begin(&b, 2);            // nested message
 *   wcr_pb_put_map_string(&b, 1, "k", "v");
 *   wcr_pb_end(&b, m);                         // its length goes in front
 *   if (wcr_buf_check(&b, err) < 0) ...
 *
 * wcr_pb_put_X always writes the field (repeated unpacked elements, oneof
 * members, map entries); wcr_pb_put_X_opt leaves out the proto3 default
 * (0, false, "", no bytes), as proto3 fields without presence are sent.
 * Field numbers must be 1..WCR_PB_FIELD_MAX: they are constants of the
 * caller's code, so anything else is a bug (an assert in debug builds),
 * not an input error.
 * Strings are sent as given; proto3 requires UTF-8, which the caller owns.
 *
 * Decoding. A wcr_pb_reader walks one message, handing out one field at a
 * time; the caller switches on the field number and ignores numbers it does
 * not know, which skips unknown fields. Accessors check the wire type
 * (reading a string from a varint is WCR_E_PARSE naming the field).
 *
 *   wcr_pb_reader r;
 *   wcr_pb_field f;
 *   int rc;
 *   wcr_pb_reader_init(&r, data, len);
 *   while ((rc = wcr_pb_next(&r, &f, err)) > 0) {
 *       switch (f.number) {
 *       case 1: if (wcr_pb_get_string_dup(&f, &x->id, err) < 0) ...; break;
 *       case 2: if (wcr_pb_get_message(&f, &sub, err) < 0) ...; break;
 *       }
 *   }
 *   if (rc < 0) ...
 *
 * The reader is strict: truncated varints, varints over 10 bytes or 64
 * bits, lengths past the end, field number 0 or above 2^29-1 and wire
 * types 6 and 7 are WCR_E_PARSE errors with the byte offset. Groups (wire
 * types 3 and 4, proto2 only) are skipped correctly: a start-group is
 * returned as one field spanning its contents up to the matching end-group,
 * nesting counted against WCR_PB_MAX_DEPTH; no accessor reads them. A
 * stray or mismatched end-group is an error. Nested messages deeper than
 * WCR_PB_MAX_DEPTH are WCR_E_LIMIT.
 *
 * Scalar conversions follow the protobuf language guide: a varint read as
 * a 32-bit type keeps its low 32 bits, bool is "not zero". Non-minimal
 * varints are accepted (the spec allows them). A field that occurs more
 * than once is the caller's to handle; protobuf's rule is "last one wins",
 * which the _dup accessors implement by replacing their output (a message
 * field sent twice would be merged by protobuf; the well-known-type
 * readers below simply take the last).
 *
 * Strings are checked to be UTF-8 (proto3 requires it); U+0000 is valid
 * UTF-8 and is allowed in (pointer, length) form, but the _dup accessors,
 * which give C strings, refuse it rather than silently cutting the text.
 * Accessors that fail leave their outputs unchanged and allocate nothing.
 */
#ifndef WCR_CORE_PB_H
#define WCR_CORE_PB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "wcr/err.h"

typedef enum wcr_pb_wire {
    WCR_PB_VARINT = 0,
    WCR_PB_I64 = 1,    /* fixed64, sfixed64, double */
    WCR_PB_LEN = 2,    /* string, bytes, message, packed repeated */
    WCR_PB_SGROUP = 3, /* proto2 groups: skipped, never read */
    WCR_PB_EGROUP = 4,
    WCR_PB_I32 = 5     /* fixed32, sfixed32, float */
} wcr_pb_wire;

#define WCR_PB_FIELD_MAX 536870911u /* 2^29 - 1 */
#define WCR_PB_MAX_DEPTH 100        /* nested messages and groups */
#define WCR_PB_VARINT_MAX 10        /* bytes in the longest varint */

/* "varint", "fixed64", "length-delimited", ... for messages. */
const char *wcr_pb_wire_name(unsigned wire);

/* --- plumbing -------------------------------------------------------------- */

size_t wcr_pb_varint_size(uint64_t v);
uint32_t wcr_pb_zigzag32(int32_t v);
uint64_t wcr_pb_zigzag64(int64_t v);
int32_t wcr_pb_unzigzag32(uint32_t v);
int64_t wcr_pb_unzigzag64(uint64_t v);

/* Raw values without a tag (packed bodies, hand-made frames). */
void wcr_pb_write_varint(wcr_buf *b, uint64_t v);
void wcr_pb_write_fixed32(wcr_buf *b, uint32_t v);
void wcr_pb_write_fixed64(wcr_buf *b, uint64_t v);
void wcr_pb_put_tag(wcr_buf *b, uint32_t field, wcr_pb_wire wire);

/* --- scalar fields --------------------------------------------------------- */

/* Negative int32 and enum values are sign-extended to 10 bytes, as
 * protobuf requires. */
void wcr_pb_put_int32(wcr_buf *b, uint32_t field, int32_t v);
void wcr_pb_put_int64(wcr_buf *b, uint32_t field, int64_t v);
void wcr_pb_put_uint32(wcr_buf *b, uint32_t field, uint32_t v);
void wcr_pb_put_uint64(wcr_buf *b, uint32_t field, uint64_t v);
void wcr_pb_put_sint32(wcr_buf *b, uint32_t field, int32_t v);
void wcr_pb_put_sint64(wcr_buf *b, uint32_t field, int64_t v);
void wcr_pb_put_bool(wcr_buf *b, uint32_t field, bool v);
void wcr_pb_put_enum(wcr_buf *b, uint32_t field, int32_t v);
void wcr_pb_put_fixed32(wcr_buf *b, uint32_t field, uint32_t v);
void wcr_pb_put_fixed64(wcr_buf *b, uint32_t field, uint64_t v);
void wcr_pb_put_sfixed32(wcr_buf *b, uint32_t field, int32_t v);
void wcr_pb_put_sfixed64(wcr_buf *b, uint32_t field, int64_t v);
void wcr_pb_put_float(wcr_buf *b, uint32_t field, float v);
void wcr_pb_put_double(wcr_buf *b, uint32_t field, double v);
void wcr_pb_put_bytes(wcr_buf *b, uint32_t field, const void *data, size_t len);
/* s == NULL is written as "". */
void wcr_pb_put_string(wcr_buf *b, uint32_t field, const char *s);
void wcr_pb_put_string_len(wcr_buf *b, uint32_t field, const char *s, size_t len);

/* proto3 implicit presence: nothing is written for the default value.
 * Floats count as default only when all bits are zero (-0.0 and NaN are
 * sent), as protobuf's own encoders do. */
void wcr_pb_put_int32_opt(wcr_buf *b, uint32_t field, int32_t v);
void wcr_pb_put_int64_opt(wcr_buf *b, uint32_t field, int64_t v);
void wcr_pb_put_uint32_opt(wcr_buf *b, uint32_t field, uint32_t v);
void wcr_pb_put_uint64_opt(wcr_buf *b, uint32_t field, uint64_t v);
void wcr_pb_put_sint32_opt(wcr_buf *b, uint32_t field, int32_t v);
void wcr_pb_put_sint64_opt(wcr_buf *b, uint32_t field, int64_t v);
void wcr_pb_put_bool_opt(wcr_buf *b, uint32_t field, bool v);
void wcr_pb_put_enum_opt(wcr_buf *b, uint32_t field, int32_t v);
void wcr_pb_put_fixed32_opt(wcr_buf *b, uint32_t field, uint32_t v);
void wcr_pb_put_fixed64_opt(wcr_buf *b, uint32_t field, uint64_t v);
void wcr_pb_put_sfixed32_opt(wcr_buf *b, uint32_t field, int32_t v);
void wcr_pb_put_sfixed64_opt(wcr_buf *b, uint32_t field, int64_t v);
void wcr_pb_put_float_opt(wcr_buf *b, uint32_t field, float v);
void wcr_pb_put_double_opt(wcr_buf *b, uint32_t field, double v);
void wcr_pb_put_bytes_opt(wcr_buf *b, uint32_t field, const void *data, size_t len);
/* Nothing for NULL or "". */
void wcr_pb_put_string_opt(wcr_buf *b, uint32_t field, const char *s);

/* --- nested messages and packed fields -------------------------------------- */

/* Start a length-delimited field whose body the caller writes next; the
 * returned mark goes to wcr_pb_end(). One byte is kept for the length, so
 * bodies under 128 bytes are never moved; longer ones move once per
 * level. Marks nest; the buffer must not be consumed in between. */
size_t wcr_pb_begin(wcr_buf *b, uint32_t field);
void wcr_pb_end(wcr_buf *b, size_t mark);
/* As wcr_pb_end, but a field whose body stayed empty is removed whole
 * (for packed fields with no elements). */
void wcr_pb_end_opt(wcr_buf *b, size_t mark);

/* Packed repeated scalars; nothing is written for n == 0. */
void wcr_pb_put_packed_int32(wcr_buf *b, uint32_t field, const int32_t *v, size_t n);
void wcr_pb_put_packed_int64(wcr_buf *b, uint32_t field, const int64_t *v, size_t n);
void wcr_pb_put_packed_uint32(wcr_buf *b, uint32_t field, const uint32_t *v, size_t n);
void wcr_pb_put_packed_uint64(wcr_buf *b, uint32_t field, const uint64_t *v, size_t n);
void wcr_pb_put_packed_sint32(wcr_buf *b, uint32_t field, const int32_t *v, size_t n);
void wcr_pb_put_packed_sint64(wcr_buf *b, uint32_t field, const int64_t *v, size_t n);
void wcr_pb_put_packed_bool(wcr_buf *b, uint32_t field, const bool *v, size_t n);
void wcr_pb_put_packed_fixed32(wcr_buf *b, uint32_t field, const uint32_t *v, size_t n);
void wcr_pb_put_packed_fixed64(wcr_buf *b, uint32_t field, const uint64_t *v, size_t n);
void wcr_pb_put_packed_sfixed32(wcr_buf *b, uint32_t field, const int32_t *v, size_t n);
void wcr_pb_put_packed_sfixed64(wcr_buf *b, uint32_t field, const int64_t *v, size_t n);
void wcr_pb_put_packed_float(wcr_buf *b, uint32_t field, const float *v, size_t n);
void wcr_pb_put_packed_double(wcr_buf *b, uint32_t field, const double *v, size_t n);

/* One entry of a map<string,string> (containerd's labels): a message with
 * key = 1 and value = 2, both always written, as protobuf does. Other maps
 * are written with wcr_pb_begin/end around their key and value. */
void wcr_pb_put_map_string(wcr_buf *b, uint32_t field, const char *key, const char *value);

/* --- reading ------------------------------------------------------------------ */

typedef struct wcr_pb_reader {
    const uint8_t *p;    /* next unread byte */
    const uint8_t *end;
    const uint8_t *base; /* start of the outermost message, for offsets */
    unsigned depth;      /* 0 for the outermost message */
} wcr_pb_reader;

typedef struct wcr_pb_field {
    uint32_t number;
    wcr_pb_wire wire;
    uint64_t value;      /* VARINT: the value; I32, I64: the raw bits */
    const uint8_t *data; /* LEN: the payload; SGROUP: the group's body */
    size_t len;
    const uint8_t *base; /* as in the reader that returned the field */
    unsigned depth;
} wcr_pb_field;

/* Read `len` bytes as one message. The data must outlive the reader and
 * every field and string taken from it. */
void wcr_pb_reader_init(wcr_pb_reader *r, const void *data, size_t len);

/* The next field: 1 when *f was filled, 0 at the end of the message, -1
 * on malformed input (err says what and at which byte; the rest of the
 * message cannot be read). */
int wcr_pb_next(wcr_pb_reader *r, wcr_pb_field *f, wcr_err *err);

/* Walk the rest of the message, checking it is well-formed. */
int wcr_pb_skip_all(wcr_pb_reader *r, wcr_err *err);

/* Accessors: -1 (WCR_E_PARSE naming the field) when the wire type does
 * not fit the requested type. */
int wcr_pb_get_int32(const wcr_pb_field *f, int32_t *out, wcr_err *err);
int wcr_pb_get_int64(const wcr_pb_field *f, int64_t *out, wcr_err *err);
int wcr_pb_get_uint32(const wcr_pb_field *f, uint32_t *out, wcr_err *err);
int wcr_pb_get_uint64(const wcr_pb_field *f, uint64_t *out, wcr_err *err);
int wcr_pb_get_sint32(const wcr_pb_field *f, int32_t *out, wcr_err *err);
int wcr_pb_get_sint64(const wcr_pb_field *f, int64_t *out, wcr_err *err);
int wcr_pb_get_bool(const wcr_pb_field *f, bool *out, wcr_err *err);
/* proto3 enums are open: any int32 value comes through. */
int wcr_pb_get_enum(const wcr_pb_field *f, int32_t *out, wcr_err *err);
int wcr_pb_get_fixed32(const wcr_pb_field *f, uint32_t *out, wcr_err *err);
int wcr_pb_get_fixed64(const wcr_pb_field *f, uint64_t *out, wcr_err *err);
int wcr_pb_get_sfixed32(const wcr_pb_field *f, int32_t *out, wcr_err *err);
int wcr_pb_get_sfixed64(const wcr_pb_field *f, int64_t *out, wcr_err *err);
int wcr_pb_get_float(const wcr_pb_field *f, float *out, wcr_err *err);
int wcr_pb_get_double(const wcr_pb_field *f, double *out, wcr_err *err);

/* Borrowed payload of a length-delimited field. */
int wcr_pb_get_bytes(const wcr_pb_field *f, const uint8_t **data, size_t *len, wcr_err *err);
/* Borrowed text, checked to be UTF-8; not NUL-terminated. */
int wcr_pb_get_string(const wcr_pb_field *f, const char **s, size_t *len, wcr_err *err);
/* The text as a malloc'd C string, replacing *out (which must be NULL or
 * malloc'd; the old value is freed). Refuses invalid UTF-8 and NUL. */
int wcr_pb_get_string_dup(const wcr_pb_field *f, char **out, wcr_err *err);
/* A reader over a nested message, one level deeper (WCR_E_LIMIT past
 * WCR_PB_MAX_DEPTH). */
int wcr_pb_get_message(const wcr_pb_field *f, wcr_pb_reader *sub, wcr_err *err);

/* Repeated scalars, packed or not: proto3 senders pack by default but a
 * reader must take both forms, even mixed. For every occurrence of the
 * field, start an iterator with the element's wire type (VARINT, I32 or
 * I64); it yields each element as a field of that wire type, to be read
 * with the accessors above:
 *
 *   wcr_pb_packed it;  wcr_pb_field e;  uint32_t pid;
 *   if (wcr_pb_packed_init(&it, &f, WCR_PB_VARINT, err) < 0) ...
 *   while ((rc = wcr_pb_packed_next(&it, &e, err)) > 0)
 *       if (wcr_pb_get_uint32(&e, &pid, err) < 0) ...
 */
typedef struct wcr_pb_packed {
    wcr_pb_reader r;     /* the packed body, or empty */
    wcr_pb_field single; /* an unpacked element, yielded once */
    wcr_pb_wire elem;
    bool has_single;
} wcr_pb_packed;

int wcr_pb_packed_init(wcr_pb_packed *it, const wcr_pb_field *f, wcr_pb_wire elem,
                       wcr_err *err);
/* 1 when *e was filled, 0 when done, -1 on a truncated element. */
int wcr_pb_packed_next(wcr_pb_packed *it, wcr_pb_field *e, wcr_err *err);

/* A map entry: its key (1) and value (2) fields. An absent one is given
 * as the default of the wire type named for it (0, or an empty payload),
 * as protobuf reads it; a present one must have that wire type. */
int wcr_pb_get_map_entry(const wcr_pb_field *f, wcr_pb_wire key_wire,
                         wcr_pb_wire value_wire, wcr_pb_field *key,
                         wcr_pb_field *value, wcr_err *err);
/* map<string,string> entries, borrowed (UTF-8 checked) or as malloc'd C
 * strings that replace *key and *value (both or neither). */
int wcr_pb_get_map_string(const wcr_pb_field *f, const char **key, size_t *key_len,
                          const char **value, size_t *value_len, wcr_err *err);
int wcr_pb_get_map_string_dup(const wcr_pb_field *f, char **key, char **value,
                              wcr_err *err);

/* --- well-known types (pb_wkt.c) ---------------------------------------------
 * wcr_pb_write_X writes the message's body (for a top-level message),
 * wcr_pb_put_X a field holding it; wcr_pb_read_X reads the rest of a reader
 * as the message, wcr_pb_get_X a field holding it. Unknown fields inside
 * are skipped; proto3 defaults are left out when writing. */

/* google.protobuf.Any: type_url = 1, value = 2. */
typedef struct wcr_pb_any {
    const char *type_url; /* borrowed, UTF-8, not NUL-terminated */
    size_t type_url_len;
    const uint8_t *value; /* borrowed */
    size_t value_len;
} wcr_pb_any;

void wcr_pb_write_any(wcr_buf *b, const char *type_url, const void *value, size_t len);
void wcr_pb_put_any(wcr_buf *b, uint32_t field, const char *type_url,
                    const void *value, size_t len);
int wcr_pb_read_any(wcr_pb_reader *r, wcr_pb_any *out, wcr_err *err);
int wcr_pb_get_any(const wcr_pb_field *f, wcr_pb_any *out, wcr_err *err);
bool wcr_pb_any_is(const wcr_pb_any *a, const char *type_url);

/* google.protobuf.Timestamp: seconds = 1 (int64), nanos = 2 (int32). Valid
 * from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z with nanos
 * in [0, 999999999]; reading anything else is WCR_E_PARSE. Writing does
 * not check (wcr_pb_timestamp_valid does). */
typedef struct wcr_pb_timestamp {
    int64_t seconds;
    int32_t nanos;
} wcr_pb_timestamp;

#define WCR_PB_TIMESTAMP_MIN_SECONDS INT64_C(-62135596800)
#define WCR_PB_TIMESTAMP_MAX_SECONDS INT64_C(253402300799)

bool wcr_pb_timestamp_valid(const wcr_pb_timestamp *ts);
void wcr_pb_write_timestamp(wcr_buf *b, const wcr_pb_timestamp *ts);
void wcr_pb_put_timestamp(wcr_buf *b, uint32_t field, const wcr_pb_timestamp *ts);
int wcr_pb_read_timestamp(wcr_pb_reader *r, wcr_pb_timestamp *out, wcr_err *err);
int wcr_pb_get_timestamp(const wcr_pb_field *f, wcr_pb_timestamp *out, wcr_err *err);

/* google.protobuf.Empty: a field with no body; reading checks that the
 * body is a well-formed message (whose fields are all unknown). */
void wcr_pb_put_empty(wcr_buf *b, uint32_t field);
int wcr_pb_get_empty(const wcr_pb_field *f, wcr_err *err);

/* google.protobuf.FieldMask: paths = 1 (repeated string). Reading gives a
 * NULL-terminated malloc'd array of malloc'd strings that replaces *paths
 * (freed with wcr_pb_strv_free); *n (may be NULL) gets the count. */
void wcr_pb_write_field_mask(wcr_buf *b, const char *const *paths, size_t n);
void wcr_pb_put_field_mask(wcr_buf *b, uint32_t field, const char *const *paths, size_t n);
int wcr_pb_read_field_mask(wcr_pb_reader *r, char ***paths, size_t *n, wcr_err *err);
int wcr_pb_get_field_mask(const wcr_pb_field *f, char ***paths, size_t *n, wcr_err *err);
void wcr_pb_strv_free(char **v);

#endif
