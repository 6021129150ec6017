/* JSON writer: streams values into a wcr_buf, compact or pretty.
 *
 * Every call first checks that its value may come here (a key is due in
 * an object, one top-level value only, ...). The first misuse is recorded
 * in w->failed / w->why and every later call does nothing, so a caller
 * writes a whole document and learns of any mistake from
 * wcr_jsonw_finish(). Buffer failures (memory, the buffer's cap) are
 * sticky in the wcr_buf itself and reported the same way.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/utf.h"

#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

void wcr_jsonw_init(wcr_jsonw *w, wcr_buf *out, int flags)
{
    memset(w, 0, sizeof *w);
    w->out = out;
    w->flags = flags;
}

/* Record the first misuse; later calls see w->failed and do nothing. */
static void misuse(wcr_jsonw *w, wcr_err_code code, const char *why)
{
    if (w->failed == WCR_E_OK) {
        w->failed = code;
        w->why = why;
    }
}

static bool pretty(const wcr_jsonw *w)
{
    return (w->flags & WCR_JSONW_PRETTY) != 0;
}

static void newline_indent(wcr_jsonw *w, size_t depth)
{
    static const char spaces[] = "                                ";
    wcr_buf_putc(w->out, '\n');
    for (size_t n = depth * (w->flags & WCR_JSONW_INDENT4 ? 4 : 2); n > 0;) {
        size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        wcr_buf_append(w->out, spaces, k);
        n -= k;
    }
}

/* Checks and separators before any value; false when it may not come. */
static bool value_begin(wcr_jsonw *w)
{
    if (w->failed || w->out->failed)
        return false;
    if (w->depth == 0) {
        if (w->done) {
            misuse(w, WCR_E_INTERNAL, "a second value after the complete document");
            return false;
        }
        return true;
    }
    size_t top = w->depth - 1;
    if (w->kind[top] == 'o') {
        if (!w->key_pending) {
            misuse(w, WCR_E_INTERNAL, "a value where an object key is due");
            return false;
        }
        w->key_pending = false; /* the key wrote the separator */
        return true;
    }
    if (w->nonempty[top])
        wcr_buf_putc(w->out, ',');
    if (pretty(w))
        newline_indent(w, w->depth);
    w->nonempty[top] = true;
    return true;
}

static void value_end(wcr_jsonw *w)
{
    if (w->depth == 0)
        w->done = true;
}

/* ---------------------------------------------------------------------
 * Strings
 * ------------------------------------------------------------------- */

/* s[0..len) as a JSON string, escaped; invalid UTF-8 is misuse. */
static void put_string(wcr_jsonw *w, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    wcr_buf *b = w->out;
    wcr_buf_putc(b, '"');
    size_t run = 0; /* start of bytes that need no escape */
    size_t i = 0;
    while (i < len) {
        unsigned char c = p[i];
        char esc[8] = { 0 };
        size_t n = 1; /* bytes of input this step covers */
        if (c >= 0x80) {
            uint32_t cp;
            n = wcr_utf8_decode(p + i, len - i, &cp);
            if (n == 0) {
                misuse(w, WCR_E_INVALID, "a string that is not valid UTF-8");
                return;
            }
            if (cp == 0x2028 || cp == 0x2029) /* line breaks in JavaScript */
                snprintf(esc, sizeof esc, "\\u%04x", (unsigned)cp);
        } else if (c == '"' || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
        } else if (c < 0x20 || c == 0x7F) {
            const char *short_form = NULL;
            switch (c) {
            case '\b': short_form = "\\b"; break;
            case '\f': short_form = "\\f"; break;
            case '\n': short_form = "\\n"; break;
            case '\r': short_form = "\\r"; break;
            case '\t': short_form = "\\t"; break;
            default: break;
            }
            if (short_form) {
                memcpy(esc, short_form, 3);
            } else {
                memcpy(esc, "\\u00", 4);
                esc[4] = hex[c >> 4];
                esc[5] = hex[c & 0xF];
            }
        }
        if (esc[0]) {
            wcr_buf_append(b, s + run, i - run);
            wcr_buf_puts(b, esc);
            run = i + n;
        }
        i += n;
    }
    wcr_buf_append(b, s + run, len - run);
    wcr_buf_putc(b, '"');
}

void wcr_jsonw_string_len(wcr_jsonw *w, const char *s, size_t len)
{
    if (!s) {
        wcr_jsonw_null(w);
        return;
    }
    if (!value_begin(w))
        return;
    put_string(w, s, len);
    value_end(w);
}

void wcr_jsonw_string(wcr_jsonw *w, const char *s)
{
    wcr_jsonw_string_len(w, s, s ? strlen(s) : 0);
}

void wcr_jsonw_key_len(wcr_jsonw *w, const char *key, size_t len)
{
    if (w->failed || w->out->failed)
        return;
    if (w->depth == 0 || w->kind[w->depth - 1] != 'o') {
        misuse(w, WCR_E_INTERNAL, "a key outside an object");
        return;
    }
    if (w->key_pending) {
        misuse(w, WCR_E_INTERNAL, "a key where the previous key's value is due");
        return;
    }
    if (!key) {
        misuse(w, WCR_E_INTERNAL, "a NULL key");
        return;
    }
    size_t top = w->depth - 1;
    if (w->nonempty[top])
        wcr_buf_putc(w->out, ',');
    if (pretty(w))
        newline_indent(w, w->depth);
    w->nonempty[top] = true;
    put_string(w, key, len);
    wcr_buf_puts(w->out, pretty(w) ? ": " : ":");
    w->key_pending = true;
}

void wcr_jsonw_key(wcr_jsonw *w, const char *key)
{
    wcr_jsonw_key_len(w, key, key ? strlen(key) : 0);
}

/* ---------------------------------------------------------------------
 * Containers
 * ------------------------------------------------------------------- */

static void container_begin(wcr_jsonw *w, char kind)
{
    if (!value_begin(w))
        return;
    if (w->depth >= WCR_JSONW_MAX_DEPTH) {
        misuse(w, WCR_E_LIMIT,
               "nesting deeper than the limit of " STRINGIFY(WCR_JSONW_MAX_DEPTH) " levels");
        return;
    }
    wcr_buf_putc(w->out, kind == 'o' ? '{' : '[');
    w->kind[w->depth] = kind;
    w->nonempty[w->depth] = false;
    w->depth++;
}

static void container_end(wcr_jsonw *w, char kind)
{
    if (w->failed || w->out->failed)
        return;
    if (w->depth == 0 || w->kind[w->depth - 1] != kind) {
        misuse(w, WCR_E_INTERNAL,
               kind == 'o' ? "object_end without a matching object_begin"
                           : "array_end without a matching array_begin");
        return;
    }
    if (w->key_pending) {
        misuse(w, WCR_E_INTERNAL, "object_end after a key that has no value");
        return;
    }
    w->depth--;
    if (w->nonempty[w->depth] && pretty(w))
        newline_indent(w, w->depth);
    wcr_buf_putc(w->out, kind == 'o' ? '}' : ']');
    value_end(w);
}

void wcr_jsonw_object_begin(wcr_jsonw *w)
{
    container_begin(w, 'o');
}

void wcr_jsonw_object_end(wcr_jsonw *w)
{
    container_end(w, 'o');
}

void wcr_jsonw_array_begin(wcr_jsonw *w)
{
    container_begin(w, 'a');
}

void wcr_jsonw_array_end(wcr_jsonw *w)
{
    container_end(w, 'a');
}

/* ---------------------------------------------------------------------
 * Scalars
 * ------------------------------------------------------------------- */

static void put_raw(wcr_jsonw *w, const char *text, size_t len)
{
    if (!value_begin(w))
        return;
    wcr_buf_append(w->out, text, len);
    value_end(w);
}

/* Decimal digits of v, written backwards from end; returns the start. */
static char *format_u64(uint64_t v, char *end)
{
    do {
        *--end = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return end;
}

void wcr_jsonw_uint64(wcr_jsonw *w, uint64_t v)
{
    char buf[24];
    char *s = format_u64(v, buf + sizeof buf);
    put_raw(w, s, (size_t)(buf + sizeof buf - s));
}

void wcr_jsonw_int64(wcr_jsonw *w, int64_t v)
{
    char buf[24];
    /* The magnitude in unsigned arithmetic: -INT64_MIN does not fit. */
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    char *s = format_u64(mag, buf + sizeof buf);
    if (v < 0)
        *--s = '-';
    put_raw(w, s, (size_t)(buf + sizeof buf - s));
}

void wcr_jsonw_double(wcr_jsonw *w, double v)
{
    if (w->failed)
        return;
    if (!isfinite(v)) {
        misuse(w, WCR_E_INVALID, "NaN or infinity, which JSON cannot represent");
        return;
    }
    /* The shortest of 15, 16, 17 significant digits that reads back as
     * the same double (17 always does). */
    char buf[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    /* %g is JSON ("1e+20", "-0", "1.5e-07") except for the locale's
     * decimal point, which may be ',' or longer: make it '.'. */
    char json[40];
    size_t o = 0;
    for (const char *p = buf; *p; p++) {
        bool plain = (*p >= '0' && *p <= '9') || *p == '-' || *p == '+' || *p == 'e';
        if (plain)
            json[o++] = *p;
        else if (o == 0 || json[o - 1] != '.')
            json[o++] = '.';
    }
    put_raw(w, json, o);
}

void wcr_jsonw_bool(wcr_jsonw *w, bool v)
{
    if (v)
        put_raw(w, "true", 4);
    else
        put_raw(w, "false", 5);
}

void wcr_jsonw_null(wcr_jsonw *w)
{
    put_raw(w, "null", 4);
}

static size_t skip_digits(const char *s, size_t i)
{
    while (s[i] >= '0' && s[i] <= '9')
        i++;
    return i;
}

/* Whether all of s is a number in RFC 8259's grammar. */
static bool valid_number(const char *s)
{
    size_t i = s[0] == '-';
    if (s[i] == '0')
        i++;
    else if (s[i] >= '1' && s[i] <= '9')
        i = skip_digits(s, i);
    else
        return false;
    if (s[i] == '.') {
        size_t j = skip_digits(s, i + 1);
        if (j == i + 1)
            return false;
        i = j;
    }
    if (s[i] == 'e' || s[i] == 'E') {
        i++;
        if (s[i] == '+' || s[i] == '-')
            i++;
        size_t j = skip_digits(s, i);
        if (j == i)
            return false;
        i = j;
    }
    return s[i] == '\0';
}

void wcr_jsonw_number_text(wcr_jsonw *w, const char *text)
{
    if (w->failed)
        return;
    if (!text || !valid_number(text)) {
        misuse(w, WCR_E_INVALID, "number text that is not a JSON number");
        return;
    }
    put_raw(w, text, strlen(text));
}

/* ---------------------------------------------------------------------
 * Parsed values, shorthands, the end
 * ------------------------------------------------------------------- */

/* Recursion stops at WCR_JSONW_MAX_DEPTH: past it container_begin fails
 * and w->failed ends every loop. */
void wcr_jsonw_value(wcr_jsonw *w, const wcr_json *v)
{
    size_t len;
    const char *s;
    switch (wcr_json_type_of(v)) {
    case WCR_JSON_NULL:
        wcr_jsonw_null(w);
        break;
    case WCR_JSON_FALSE:
    case WCR_JSON_TRUE:
        wcr_jsonw_bool(w, wcr_json_bool(v));
        break;
    case WCR_JSON_NUMBER:
        s = wcr_json_number_text(v); /* valid: the parser checked it */
        put_raw(w, s, strlen(s));
        break;
    case WCR_JSON_STRING:
        s = wcr_json_string_len(v, &len);
        wcr_jsonw_string_len(w, s, len);
        break;
    case WCR_JSON_ARRAY:
        wcr_jsonw_array_begin(w);
        for (const wcr_json *e = wcr_json_first(v); e && !w->failed; e = wcr_json_next(e))
            wcr_jsonw_value(w, e);
        wcr_jsonw_array_end(w);
        break;
    case WCR_JSON_OBJECT:
        wcr_jsonw_object_begin(w);
        for (const wcr_json *m = wcr_json_first(v); m && !w->failed; m = wcr_json_next(m)) {
            s = wcr_json_key_len(m, &len);
            wcr_jsonw_key_len(w, s, len);
            wcr_jsonw_value(w, m);
        }
        wcr_jsonw_object_end(w);
        break;
    }
}

void wcr_jsonw_kv_string(wcr_jsonw *w, const char *key, const char *s)
{
    wcr_jsonw_key(w, key);
    wcr_jsonw_string(w, s);
}

void wcr_jsonw_kv_int64(wcr_jsonw *w, const char *key, int64_t v)
{
    wcr_jsonw_key(w, key);
    wcr_jsonw_int64(w, v);
}

void wcr_jsonw_kv_uint64(wcr_jsonw *w, const char *key, uint64_t v)
{
    wcr_jsonw_key(w, key);
    wcr_jsonw_uint64(w, v);
}

void wcr_jsonw_kv_bool(wcr_jsonw *w, const char *key, bool v)
{
    wcr_jsonw_key(w, key);
    wcr_jsonw_bool(w, v);
}

int wcr_jsonw_finish(wcr_jsonw *w, wcr_err *err)
{
    if (w->failed)
        return wcr_err_set(err, w->failed, "JSON writer: %s", w->why);
    if (!w->done) {
        if (w->depth)
            return wcr_err_set(err, WCR_E_INTERNAL,
                               "JSON writer: incomplete document (%zu %s still open)",
                               w->depth, w->depth == 1 ? "container" : "containers");
        return wcr_err_set(err, WCR_E_INTERNAL, "JSON writer: no value was written");
    }
    if (pretty(w))
        wcr_buf_putc(w->out, '\n');
    if (wcr_buf_check(w->out, err) < 0)
        return -1;
    /* Writing on would append to a finished document. */
    misuse(w, WCR_E_INTERNAL, "a call after wcr_jsonw_finish()");
    return 0;
}
