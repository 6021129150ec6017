/* JSON (RFC 8259): a strict parser into a tree held in one arena, and a
 * streaming writer into a wcr_buf.
 *
 * The parser accepts exactly RFC 8259 JSON: UTF-8 is validated, a nesting
 * depth limit and a size cap apply (errors say which limit was hit), and
 * duplicate keys in an object are rejected (a manifest with two "config"
 * keys is an attack or a bug, never something to guess about). Numbers keep
 * their text; the accessors convert with range checks. Strings are decoded
 * (escapes resolved) and NUL-terminated, but may contain U+0000, so their
 * length is available too.
 *
 * Strictness, where RFC 8259 leaves a choice: a \u escape of a lone UTF-16
 * surrogate ("\ud800" without a low surrogate after it) is rejected, since
 * it has no UTF-8 form; a byte order mark before the text is rejected
 * (RFC 8259 8.1: it MUST NOT be added); keys are compared after decoding,
 * byte for byte ("a" and "\u0061" are duplicates).
 *
 * Every node belongs to its document; wcr_json_doc_free() releases all.
 * Accessors accept NULL nodes and answer "absent", so lookups chain:
 *   wcr_json_string(wcr_json_get(wcr_json_get(root, "config"), "digest"))
 */
#ifndef WCR_CORE_JSON_H
#define WCR_CORE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "wcr/err.h"

typedef enum wcr_json_type {
    WCR_JSON_NULL,
    WCR_JSON_FALSE,
    WCR_JSON_TRUE,
    WCR_JSON_NUMBER,
    WCR_JSON_STRING,
    WCR_JSON_ARRAY,
    WCR_JSON_OBJECT
} wcr_json_type;

typedef struct wcr_json wcr_json;         /* a value */
typedef struct wcr_json_doc wcr_json_doc; /* a parsed document */

#define WCR_JSON_DEFAULT_MAX_DEPTH 128
#define WCR_JSON_DEFAULT_MAX_SIZE ((size_t)64 << 20) /* 64 MiB */

typedef struct wcr_json_options {
    unsigned version;   /* WCR_JSON_OPTIONS_VERSION */
    size_t max_depth;   /* 0: WCR_JSON_DEFAULT_MAX_DEPTH */
    size_t max_size;    /* input bytes; 0: WCR_JSON_DEFAULT_MAX_SIZE */
} wcr_json_options;

#define WCR_JSON_OPTIONS_VERSION 1
#define WCR_JSON_OPTIONS_INIT { WCR_JSON_OPTIONS_VERSION, 0, 0 }

/* Parse `len` bytes of text (need not be NUL-terminated). opts may be NULL
 * for the defaults. On failure *out is NULL, nothing stays allocated, and
 * err says what and where: "JSON: line 3, column 7 (byte 41): expected ':'
 * after object key" (WCR_E_PARSE), or which limit was hit (WCR_E_LIMIT). */
int wcr_json_parse(wcr_json_doc **out, const char *text, size_t len,
                   const wcr_json_options *opts, wcr_err *err);

void wcr_json_doc_free(wcr_json_doc *doc);

const wcr_json *wcr_json_root(const wcr_json_doc *doc);

/* The type of a value; NULL counts as WCR_JSON_NULL. */
wcr_json_type wcr_json_type_of(const wcr_json *v);
const char *wcr_json_type_name(wcr_json_type t);

bool wcr_json_is_null(const wcr_json *v);   /* true for NULL too */
bool wcr_json_is_bool(const wcr_json *v);
bool wcr_json_is_number(const wcr_json *v);
bool wcr_json_is_string(const wcr_json *v);
bool wcr_json_is_array(const wcr_json *v);
bool wcr_json_is_object(const wcr_json *v);

/* Member of an object by key (NULL when absent or v is not an object).
 * Big objects are indexed at parse time, so this is O(log n). A key that
 * holds U+0000 is found only by iteration. */
const wcr_json *wcr_json_get(const wcr_json *v, const char *key);

/* Number of elements of an array or members of an object (else 0). */
size_t wcr_json_len(const wcr_json *v);

/* Element i of an array (NULL when out of range or not an array). */
const wcr_json *wcr_json_at(const wcr_json *v, size_t i);

/* Iteration over arrays and objects, in document order:
 *   for (const wcr_json *m = wcr_json_first(obj); m; m = wcr_json_next(m))
 *       use(wcr_json_key(m), m);
 * wcr_json_key() is NULL for array elements. */
const wcr_json *wcr_json_first(const wcr_json *v);
const wcr_json *wcr_json_next(const wcr_json *v);
const char *wcr_json_key(const wcr_json *member);
/* The key with its byte length (keys too may hold U+0000). */
const char *wcr_json_key_len(const wcr_json *member, size_t *len);

/* A string's decoded text (NULL when v is not a string); *len (may be
 * NULL) gets its byte length, which counts any embedded U+0000. */
const char *wcr_json_string(const wcr_json *v);
const char *wcr_json_string_len(const wcr_json *v, size_t *len);

/* Shorthand: the string member `key` of object v, or NULL. */
const char *wcr_json_get_string(const wcr_json *v, const char *key);

/* A boolean's value; false when v is not a boolean. */
bool wcr_json_bool(const wcr_json *v);

/* A number's source text (NULL when v is not a number). */
const char *wcr_json_number_text(const wcr_json *v);

/* Checked conversions: -1 (nothing written) when v is not a number, is
 * not an integer (has a fraction or exponent that leaves one), or is out
 * of range. The conversion is exact, whatever the notation: "100", "1e2",
 * "100.0" and "1000e-1" all give 100 (and "-0" gives 0); "1.5" and
 * "1e-1" give -1, and so does "1e19" for int64 (uint64 takes it). */
int wcr_json_int64(const wcr_json *v, int64_t *out);
int wcr_json_uint64(const wcr_json *v, uint64_t *out);
/* -1 when v is not a number or is out of double's range ("1e400");
 * values too small for a double round to it or to zero ("1e-400" is 0).
 * Independent of the C locale's decimal point. */
int wcr_json_double(const wcr_json *v, double *out);

/* ---------------------------------------------------------------------
 * Writer. Streams into a wcr_buf; separators, indentation and escaping are
 * its job. Misuse (a value where a key is due, unbalanced ends, invalid
 * UTF-8 in a string) and buffer failures are sticky and reported by
 * wcr_jsonw_finish(), so a caller writes a whole document and checks once.
 *
 *   wcr_jsonw w;
 *   wcr_jsonw_init(&w, &buf, WCR_JSONW_PRETTY);
 *   wcr_jsonw_object_begin(&w);
 *   wcr_jsonw_key(&w, "ociVersion"); wcr_jsonw_string(&w, "1.0.2");
 *   wcr_jsonw_object_end(&w);
 *   if (wcr_jsonw_finish(&w, err) < 0) ...
 *
 * Strings are written with the escapes JSON requires (", \, control
 * characters) plus \u escapes for other non-printables (DEL, U+2028,
 * U+2029); other non-ASCII text is written as UTF-8. Doubles are written
 * with the fewest digits (15 to 17) that read back as the same value,
 * with '.' whatever the locale.
 *
 * finish() reports the first problem: WCR_E_INTERNAL for calls out of
 * order (a value where a key is due, unbalanced ends, an incomplete
 * document, a call after finish), WCR_E_INVALID for values JSON cannot
 * hold (invalid UTF-8, NaN or infinity, bad number text), WCR_E_LIMIT past
 * WCR_JSONW_MAX_DEPTH, or the wcr_buf's own failure (memory, its cap).
 * -------------------------------------------------------------------- */

/* As deep as the parser's default, so what it reads can be written. */
#define WCR_JSONW_MAX_DEPTH 128

/* Flags. PRETTY: one value per line, "key": value, indented by 2 spaces
 * (4 with INDENT4, as Go's MarshalIndent output from ctr); empty
 * containers stay {} and []. INDENT4 alone changes nothing. */
enum { WCR_JSONW_COMPACT = 0, WCR_JSONW_PRETTY = 1, WCR_JSONW_INDENT4 = 2 };

typedef struct wcr_jsonw {
    wcr_buf *out;
    int flags;
    size_t depth;
    /* per level: 'o' object, 'a' array; and whether it has members yet */
    char kind[WCR_JSONW_MAX_DEPTH];
    bool nonempty[WCR_JSONW_MAX_DEPTH];
    bool key_pending;  /* a key was written; its value is due */
    bool done;         /* a complete top-level value was written */
    wcr_err_code failed;
    const char *why;   /* what went wrong, for finish() */
} wcr_jsonw;

void wcr_jsonw_init(wcr_jsonw *w, wcr_buf *out, int flags);

void wcr_jsonw_object_begin(wcr_jsonw *w);
void wcr_jsonw_object_end(wcr_jsonw *w);
void wcr_jsonw_array_begin(wcr_jsonw *w);
void wcr_jsonw_array_end(wcr_jsonw *w);

void wcr_jsonw_key(wcr_jsonw *w, const char *key);
void wcr_jsonw_key_len(wcr_jsonw *w, const char *key, size_t len);

void wcr_jsonw_string(wcr_jsonw *w, const char *s); /* NULL writes null */
void wcr_jsonw_string_len(wcr_jsonw *w, const char *s, size_t len);
void wcr_jsonw_int64(wcr_jsonw *w, int64_t v);
void wcr_jsonw_uint64(wcr_jsonw *w, uint64_t v);
void wcr_jsonw_double(wcr_jsonw *w, double v); /* NaN/Inf are misuse */
void wcr_jsonw_bool(wcr_jsonw *w, bool v);
void wcr_jsonw_null(wcr_jsonw *w);

/* A number given as text, written as is after checking it is valid JSON. */
void wcr_jsonw_number_text(wcr_jsonw *w, const char *text);

/* Copy a parsed value (and everything under it). */
void wcr_jsonw_value(wcr_jsonw *w, const wcr_json *v);

/* Shorthands for "key": value inside an object. */
void wcr_jsonw_kv_string(wcr_jsonw *w, const char *key, const char *s);
void wcr_jsonw_kv_int64(wcr_jsonw *w, const char *key, int64_t v);
void wcr_jsonw_kv_uint64(wcr_jsonw *w, const char *key, uint64_t v);
void wcr_jsonw_kv_bool(wcr_jsonw *w, const char *key, bool v);

/* 0 when a complete, well-formed document was written (pretty output ends
 * with a newline); otherwise -1 and err says what went wrong. */
int wcr_jsonw_finish(wcr_jsonw *w, wcr_err *err);

#endif
