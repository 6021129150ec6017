/* JSON (RFC 8259): the strict parser, its arena-held tree, the accessors.
 *
 * The parser never recurses: containers being read sit on an explicit
 * stack of frames, and finished values on a value stack. When a container
 * closes, its children move from the value stack into one array in the
 * arena, so siblings are contiguous: iteration is `v + 1` until the node
 * marked `last`, and wcr_json_at() is O(1).
 *
 * Objects of more than SMALL_OBJECT members also get an index of their
 * members sorted by key (a stable merge sort: O(n log n) whatever the
 * keys, so no crafted input makes it quadratic, unlike a hash). The sort
 * finds duplicate keys at parse time and serves wcr_json_get() by binary
 * search afterwards. Small objects are checked and searched linearly.
 *
 * Decisions where RFC 8259 leaves room (see also json.h):
 * - A \u escape of a lone UTF-16 surrogate ("\ud800" not followed by a low
 *   surrogate escape, or a low surrogate on its own) is rejected: the
 *   decoded string would not be UTF-8, and passing it on as WTF-8 or
 *   U+FFFD would make two different documents read as one.
 * - A UTF-8 byte order mark before the value is rejected (RFC 8259 §8.1:
 *   implementations MUST NOT add one; we accept only what may be sent).
 * - Duplicate keys are compared on the decoded bytes, so "a" and "\u0061"
 *   are the same key. JSONTestSuite accepts duplicates; we do not.
 */
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/json.h"
#include "core/utf.h"

/* Objects up to this many members are checked and searched linearly. */
#define SMALL_OBJECT 8

struct wcr_json {
    unsigned char type;     /* wcr_json_type */
    bool last;              /* no sibling follows: ends iteration */
    size_t key_len;
    const char *key;        /* object members only, else NULL */
    size_t n;               /* string or number bytes, or children */
    union {
        const char *s;      /* string (decoded) or number (source text) */
        wcr_json *kids;     /* array or object: n children */
    } u;
    const wcr_json **sorted; /* objects > SMALL_OBJECT: members by key */
};

struct wcr_json_doc {
    wcr_arena arena; /* holds the doc itself and every node and string */
    wcr_json root;
};

/* A finished value waiting for its container to close. */
typedef struct slot {
    wcr_json node;
    size_t key_off; /* where its key starts, for duplicate-key errors */
} slot;

/* A container being read. */
typedef struct frame {
    size_t start;    /* its first child on the value stack */
    size_t open_off; /* where its bracket is */
    bool object;
    const char *key; /* its own key, when it is an object member */
    size_t key_len, key_off;
} frame;

typedef struct parser {
    const unsigned char *s;
    size_t len, pos;
    size_t max_depth;
    wcr_arena *arena;
    slot *vals;
    size_t nvals, cap_vals;
    frame *frames;
    size_t nframes, cap_frames;
    const wcr_json **scratch; /* merge sort's second buffer */
    size_t cap_scratch;
    /* the key just read, waiting for its value */
    const char *key;
    size_t key_len, key_off;
    wcr_err *err;
} parser;

/* ---------------------------------------------------------------------
 * Errors
 * ------------------------------------------------------------------- */

/* Line and column (both from 1) of byte `off`; the column counts UTF-8
 * characters, since everything before `off` has been validated. */
static void locate(const unsigned char *s, size_t off, size_t *line, size_t *col)
{
    size_t l = 1, c = 1;
    for (size_t i = 0; i < off; i++) {
        if (s[i] == '\n')
            l++, c = 1;
        else if ((s[i] & 0xC0) != 0x80)
            c++;
    }
    *line = l;
    *col = c;
}

static int perr(parser *p, size_t off, wcr_err_code code, const char *fmt, ...)
    WCR_PRINTF(4, 5);

static int perr(parser *p, size_t off, wcr_err_code code, const char *fmt, ...)
{
    char what[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    size_t line, col;
    locate(p->s, off, &line, &col);
    return wcr_err_set(p->err, code, "JSON: line %zu, column %zu (byte %zu): %s", line, col,
                       off, what);
}

static int nomem(parser *p)
{
    return wcr_err_set(p->err, WCR_E_NOMEM, "JSON: out of memory");
}

/* What is at `off`, for messages: "end of input", "'x'", "byte 0xE9". */
static void describe(const parser *p, size_t off, char *out, size_t size)
{
    if (off >= p->len)
        snprintf(out, size, "end of input");
    else if (p->s[off] > 0x20 && p->s[off] < 0x7F)
        snprintf(out, size, "'%c'", p->s[off]);
    else
        snprintf(out, size, "byte 0x%02X", p->s[off]);
}

/* A key for a message: quoted, control characters replaced, cut short. */
static void show_key(const char *key, size_t len, char *out, size_t size)
{
    size_t o = 0, max = size - 6; /* room for quotes, "..." and NUL */
    out[o++] = '"';
    size_t i = 0;
    for (; i < len && o < max; i++) {
        unsigned char c = (unsigned char)key[i];
        if ((c & 0xC0) == 0xC0) { /* a lead byte: keep its sequence whole */
            size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
            if (o + n > max || i + n > len)
                break;
            memcpy(out + o, key + i, n);
            o += n;
            i += n - 1;
            continue;
        }
        out[o++] = c < 0x20 || c == 0x7F ? '?' : (char)c;
    }
    if (i < len) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o++] = '"';
    out[o] = '\0';
}

/* ---------------------------------------------------------------------
 * Stacks
 * ------------------------------------------------------------------- */

/* Make room for `need` elements of `size` bytes in *mem. */
static int grow(parser *p, void **mem, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 16;
    while (n < need)
        n = n > SIZE_MAX / 2 ? need : n * 2;
    if (n > SIZE_MAX / size)
        return nomem(p);
    void *m = realloc(*mem, n * size);
    if (!m)
        return nomem(p);
    *mem = m;
    *cap = n;
    return 0;
}

/* Push a finished value, giving it the pending key (if any). */
static int push_value(parser *p, const wcr_json *node, const char *key, size_t key_len,
                      size_t key_off)
{
    if (grow(p, (void **)&p->vals, &p->cap_vals, p->nvals + 1, sizeof *p->vals) < 0)
        return -1;
    slot *s = &p->vals[p->nvals++];
    s->node = *node;
    s->node.key = key;
    s->node.key_len = key_len;
    s->node.last = false;
    s->key_off = key_off;
    return 0;
}

/* ---------------------------------------------------------------------
 * Keys: comparison, sorting, duplicates
 * ------------------------------------------------------------------- */

static int cmp_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);
    if (c)
        return c;
    return alen < blen ? -1 : alen > blen;
}

static int cmp_keys(const wcr_json *a, const wcr_json *b)
{
    return cmp_bytes(a->key, a->key_len, b->key, b->key_len);
}

/* Stable bottom-up merge sort of a[0..n) by key; tmp holds n pointers. */
static void sort_by_key(const wcr_json **a, const wcr_json **tmp, size_t n)
{
    const wcr_json **src = a, **dst = tmp;
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = mid + width < n ? mid + width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                dst[k++] = cmp_keys(src[j], src[i]) < 0 ? src[j++] : src[i++];
            while (i < mid)
                dst[k++] = src[i++];
            while (j < hi)
                dst[k++] = src[j++];
        }
        const wcr_json **t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, n * sizeof *a);
}

static int duplicate_key(parser *p, const slot *members, size_t i)
{
    char shown[64];
    show_key(members[i].node.key, members[i].node.key_len, shown, sizeof shown);
    return perr(p, members[i].key_off, WCR_E_PARSE, "duplicate key %s in an object", shown);
}

/* Reject duplicate keys among an object's n members (kids, whose slots
 * are still on the value stack from `members`); index big objects. */
static int check_keys(parser *p, wcr_json *obj, const slot *members)
{
    wcr_json *kids = obj->u.kids;
    size_t n = obj->n;
    if (n <= SMALL_OBJECT) {
        for (size_t i = 1; i < n; i++)
            for (size_t j = 0; j < i; j++)
                if (cmp_keys(&kids[i], &kids[j]) == 0)
                    return duplicate_key(p, members, i);
        return 0;
    }
    const wcr_json **sorted = wcr_arena_alloc(p->arena, n * sizeof *sorted);
    if (!sorted ||
        grow(p, (void **)&p->scratch, &p->cap_scratch, n, sizeof *p->scratch) < 0)
        return sorted ? -1 : nomem(p);
    for (size_t i = 0; i < n; i++)
        sorted[i] = &kids[i];
    sort_by_key(sorted, p->scratch, n);
    /* Equal keys are adjacent, in document order: report the earliest
     * second occurrence, as a reader going top-down would meet it. */
    size_t dup = SIZE_MAX;
    for (size_t i = 1; i < n; i++) {
        if (cmp_keys(sorted[i - 1], sorted[i]) == 0) {
            size_t at = (size_t)(sorted[i] - kids);
            if (at < dup)
                dup = at;
        }
    }
    if (dup != SIZE_MAX)
        return duplicate_key(p, members, dup);
    obj->sorted = sorted;
    return 0;
}

/* ---------------------------------------------------------------------
 * Scalars
 * ------------------------------------------------------------------- */

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Four hex digits at s[i..i+4) (bounded by stop); -1 when not. */
static long hex4(const unsigned char *s, size_t i, size_t stop)
{
    if (stop - i < 4)
        return -1;
    long v = 0;
    for (size_t k = 0; k < 4; k++) {
        int h = hex_value(s[i + k]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* One escape at s[i] == '\\' (bounded by stop): the decoded bytes go to
 * out, *used gets the escape's length. */
static int unescape(parser *p, size_t i, size_t stop, char *out, size_t *out_len,
                    size_t *used)
{
    const unsigned char *s = p->s;
    if (i + 1 >= stop)
        return perr(p, i, WCR_E_PARSE, "unterminated string");
    char simple = 0;
    switch (s[i + 1]) {
    case '"': simple = '"'; break;
    case '\\': simple = '\\'; break;
    case '/': simple = '/'; break;
    case 'b': simple = '\b'; break;
    case 'f': simple = '\f'; break;
    case 'n': simple = '\n'; break;
    case 'r': simple = '\r'; break;
    case 't': simple = '\t'; break;
    case 'u': break;
    default: {
        char what[32];
        describe(p, i + 1, what, sizeof what);
        return perr(p, i, WCR_E_PARSE, "invalid escape: backslash followed by %s", what);
    }
    }
    if (simple) {
        out[0] = simple;
        *out_len = 1;
        *used = 2;
        return 0;
    }
    long cp = hex4(s, i + 2, stop);
    if (cp < 0)
        return perr(p, i, WCR_E_PARSE, "invalid \\u escape: expected four hex digits");
    *used = 6;
    if (cp >= 0xDC00 && cp <= 0xDFFF)
        return perr(p, i, WCR_E_PARSE,
                    "lone low surrogate \\u%04lX (not representable in UTF-8)", cp);
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        long lo = -1;
        if (stop - i >= 12 && s[i + 6] == '\\' && s[i + 7] == 'u')
            lo = hex4(s, i + 8, stop);
        if (lo < 0xDC00 || lo > 0xDFFF)
            return perr(p, i, WCR_E_PARSE,
                        "lone high surrogate \\u%04lX: a \\uDC00-\\uDFFF escape must follow",
                        cp);
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        *used = 12;
    }
    *out_len = wcr_utf8_encode((uint32_t)cp, (unsigned char *)out);
    return 0;
}

/* The string whose opening quote is at p->pos, decoded into the arena. */
static int parse_string(parser *p, const char **out, size_t *out_len)
{
    const unsigned char *s = p->s;
    size_t open = p->pos, start = open + 1, end = start;
    /* Find the closing quote first, to size the copy (decoding never
     * makes a string longer). */
    while (end < p->len && s[end] != '"')
        end += s[end] == '\\' ? 2 : 1;
    size_t stop = end < p->len ? end : p->len;
    char *dst = wcr_arena_alloc(p->arena, stop - start + 1);
    if (!dst)
        return nomem(p);
    size_t o = 0, i = start;
    while (i < stop) {
        unsigned char c = s[i];
        if (c == '\\') {
            size_t n = 0, used = 0;
            if (unescape(p, i, stop, dst + o, &n, &used) < 0)
                return -1;
            o += n;
            i += used;
        } else if (c < 0x20) {
            return perr(p, i, WCR_E_PARSE,
                        "control character U+%04X in a string must be escaped", c);
        } else if (c < 0x80) {
            dst[o++] = (char)c;
            i++;
        } else {
            uint32_t cp;
            size_t n = wcr_utf8_decode(s + i, stop - i, &cp);
            if (n == 0)
                return perr(p, i, WCR_E_PARSE, "invalid UTF-8 in a string");
            memcpy(dst + o, s + i, n);
            o += n;
            i += n;
        }
    }
    if (end >= p->len)
        return perr(p, open, WCR_E_PARSE, "unterminated string");
    dst[o] = '\0';
    *out = dst;
    *out_len = o;
    p->pos = end + 1;
    return 0;
}

/* A number at p->pos: checked against the grammar, kept as text. */
static int parse_number(parser *p, wcr_json *node)
{
    const unsigned char *s = p->s;
    size_t i = p->pos, len = p->len;
    if (s[i] == '-')
        i++;
    if (i >= len || !is_digit(s[i]))
        return perr(p, i, WCR_E_PARSE, "expected a digit after '-'");
    if (s[i] == '0') {
        i++;
        if (i < len && is_digit(s[i]))
            return perr(p, i - 1, WCR_E_PARSE, "a number may not have a leading zero");
    } else {
        while (i < len && is_digit(s[i]))
            i++;
    }
    if (i < len && s[i] == '.') {
        i++;
        if (i >= len || !is_digit(s[i]))
            return perr(p, i, WCR_E_PARSE, "expected a digit after the decimal point");
        while (i < len && is_digit(s[i]))
            i++;
    }
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            i++;
        if (i >= len || !is_digit(s[i]))
            return perr(p, i, WCR_E_PARSE, "expected a digit in the exponent");
        while (i < len && is_digit(s[i]))
            i++;
    }
    char *text = wcr_arena_strndup(p->arena, (const char *)s + p->pos, i - p->pos);
    if (!text)
        return nomem(p);
    node->type = WCR_JSON_NUMBER;
    node->u.s = text;
    node->n = i - p->pos;
    p->pos = i;
    return 0;
}

static int parse_literal(parser *p, wcr_json *node)
{
    static const struct {
        const char *text;
        size_t len;
        wcr_json_type type;
    } lits[] = {
        { "true", 4, WCR_JSON_TRUE },
        { "false", 5, WCR_JSON_FALSE },
        { "null", 4, WCR_JSON_NULL },
    };
    for (size_t k = 0; k < sizeof lits / sizeof lits[0]; k++) {
        if (p->s[p->pos] != (unsigned char)lits[k].text[0])
            continue;
        if (p->len - p->pos < lits[k].len ||
            memcmp(p->s + p->pos, lits[k].text, lits[k].len) != 0)
            return perr(p, p->pos, WCR_E_PARSE, "invalid literal (expected '%s')",
                        lits[k].text);
        node->type = (unsigned char)lits[k].type;
        p->pos += lits[k].len;
        return 0;
    }
    /* Not reached (callers dispatch on the first letter), but keep the
     * contract that every failure says why. */
    return perr(p, p->pos, WCR_E_PARSE, "expected a value");
}

/* ---------------------------------------------------------------------
 * Structure
 * ------------------------------------------------------------------- */

static void skip_ws(parser *p)
{
    while (p->pos < p->len) {
        unsigned char c = p->s[p->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        p->pos++;
    }
}

/* An object key and its ':'; the key waits in p->key for its value. */
static int parse_key(parser *p)
{
    skip_ws(p);
    if (p->pos >= p->len || p->s[p->pos] != '"') {
        char what[32];
        describe(p, p->pos, what, sizeof what);
        return perr(p, p->pos, WCR_E_PARSE, "expected a string as object key, found %s",
                    what);
    }
    p->key_off = p->pos;
    if (parse_string(p, &p->key, &p->key_len) < 0)
        return -1;
    skip_ws(p);
    if (p->pos >= p->len || p->s[p->pos] != ':') {
        char what[32];
        describe(p, p->pos, what, sizeof what);
        return perr(p, p->pos, WCR_E_PARSE, "expected ':' after object key, found %s", what);
    }
    p->pos++;
    return 0;
}

/* Push a value that is complete, with the pending key (if any). */
static int finish_value(parser *p, const wcr_json *node)
{
    int rc = push_value(p, node, p->key, p->key_len, p->key_off);
    p->key = NULL;
    p->key_len = 0;
    return rc;
}

static int open_container(parser *p, bool object)
{
    if (p->nframes >= p->max_depth)
        return perr(p, p->pos, WCR_E_LIMIT, "nesting exceeds the depth limit of %zu",
                    p->max_depth);
    if (grow(p, (void **)&p->frames, &p->cap_frames, p->nframes + 1, sizeof *p->frames) < 0)
        return -1;
    p->frames[p->nframes++] = (frame){
        .start = p->nvals, .open_off = p->pos, .object = object,
        .key = p->key, .key_len = p->key_len, .key_off = p->key_off,
    };
    p->key = NULL;
    p->key_len = 0;
    p->pos++;
    return 0;
}

/* Move the top container's children into the arena and push it. */
static int close_container(parser *p)
{
    frame f = p->frames[--p->nframes];
    size_t n = p->nvals - f.start;
    wcr_json node = { .type = f.object ? WCR_JSON_OBJECT : WCR_JSON_ARRAY, .n = n };
    if (n) {
        if (n > SIZE_MAX / sizeof(wcr_json))
            return nomem(p);
        wcr_json *kids = wcr_arena_alloc(p->arena, n * sizeof *kids);
        if (!kids)
            return nomem(p);
        for (size_t i = 0; i < n; i++)
            kids[i] = p->vals[f.start + i].node;
        kids[n - 1].last = true;
        node.u.kids = kids;
        if (f.object && check_keys(p, &node, p->vals + f.start) < 0)
            return -1;
    }
    p->nvals = f.start;
    p->pos++;
    return push_value(p, &node, f.key, f.key_len, f.key_off);
}

/* Read one value that starts at p->pos (after whitespace): a scalar is
 * pushed; a bracket opens a container (closed at once when empty).
 * Returns 1 when a value is still due (inside a new container). */
static int parse_value_start(parser *p)
{
    if (p->pos >= p->len)
        return perr(p, p->pos, WCR_E_PARSE, "unexpected end of input, expected a value");
    unsigned char c = p->s[p->pos];
    wcr_json node = { .type = WCR_JSON_NULL };
    switch (c) {
    case '{':
    case '[': {
        bool object = c == '{';
        if (open_container(p, object) < 0)
            return -1;
        skip_ws(p);
        if (p->pos < p->len && p->s[p->pos] == (object ? '}' : ']'))
            return close_container(p);
        if (object && parse_key(p) < 0)
            return -1;
        return 1;
    }
    case '"':
        node.type = WCR_JSON_STRING;
        if (parse_string(p, &node.u.s, &node.n) < 0)
            return -1;
        break;
    case 't':
    case 'f':
    case 'n':
        if (parse_literal(p, &node) < 0)
            return -1;
        break;
    default:
        if (c == '-' || is_digit(c)) {
            if (parse_number(p, &node) < 0)
                return -1;
            break;
        }
        if (p->pos == 0 && p->len >= 3 && memcmp(p->s, "\xEF\xBB\xBF", 3) == 0)
            return perr(p, 0, WCR_E_PARSE,
                        "a byte order mark (U+FEFF) is not allowed before JSON text");
        char what[32];
        describe(p, p->pos, what, sizeof what);
        return perr(p, p->pos, WCR_E_PARSE, "expected a value, found %s", what);
    }
    return finish_value(p, &node);
}

/* After a value inside a container: ',' then the next, or the closing
 * bracket. Returns 1 when a value is due next, 0 when the container
 * closed (another value just completed). */
static int parse_after_value(parser *p)
{
    const frame *f = &p->frames[p->nframes - 1];
    char close = f->object ? '}' : ']';
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == ',') {
        p->pos++;
        if (f->object && parse_key(p) < 0)
            return -1;
        return 1;
    }
    if (p->pos < p->len && p->s[p->pos] == close) {
        if (close_container(p) < 0)
            return -1;
        return 0;
    }
    if (p->pos >= p->len) {
        size_t line, col;
        locate(p->s, f->open_off, &line, &col);
        return perr(p, p->pos, WCR_E_PARSE,
                    "unexpected end of input in the %s opened at line %zu, column %zu",
                    f->object ? "object" : "array", line, col);
    }
    char what[32];
    describe(p, p->pos, what, sizeof what);
    return perr(p, p->pos, WCR_E_PARSE, "expected ',' or '%c' after %s, found %s", close,
                f->object ? "an object member" : "an array element", what);
}

static int parse_text(parser *p)
{
    bool want_value = true;
    for (;;) {
        if (want_value) {
            skip_ws(p);
            int rc = parse_value_start(p);
            if (rc < 0)
                return -1;
            want_value = rc == 1;
            continue;
        }
        if (p->nframes == 0)
            break;
        int rc = parse_after_value(p);
        if (rc < 0)
            return -1;
        want_value = rc == 1;
    }
    skip_ws(p);
    if (p->pos < p->len) {
        char what[32];
        describe(p, p->pos, what, sizeof what);
        return perr(p, p->pos, WCR_E_PARSE, "unexpected %s after the JSON value", what);
    }
    return 0;
}

int wcr_json_parse(wcr_json_doc **out, const char *text, size_t len,
                   const wcr_json_options *opts, wcr_err *err)
{
    *out = NULL;
    size_t max_depth = WCR_JSON_DEFAULT_MAX_DEPTH, max_size = WCR_JSON_DEFAULT_MAX_SIZE;
    if (opts) {
        if (opts->version != WCR_JSON_OPTIONS_VERSION)
            return wcr_err_set(err, WCR_E_INVALID, "JSON: options version %u is not %u",
                               opts->version, WCR_JSON_OPTIONS_VERSION);
        if (opts->max_depth)
            max_depth = opts->max_depth;
        if (opts->max_size)
            max_size = opts->max_size;
    }
    if (len > max_size)
        return wcr_err_set(err, WCR_E_LIMIT,
                           "JSON: document of %zu bytes exceeds the size limit of %zu bytes",
                           len, max_size);
    if (!text && len)
        return wcr_err_set(err, WCR_E_INVALID, "JSON: no text");

    /* Small documents fit one chunk; big ones get bigger chunks. */
    size_t chunk = len < 4096 ? 4096 : len < (1u << 20) ? len : (size_t)1 << 20;
    wcr_arena arena;
    wcr_arena_init(&arena, chunk);
    parser p = {
        .s = (const unsigned char *)(text ? text : ""), .len = len,
        .max_depth = max_depth, .arena = &arena, .err = err,
    };
    wcr_json_doc *doc = wcr_arena_alloc(&arena, sizeof *doc);
    int rc = doc ? parse_text(&p) : nomem(&p);
    if (rc == 0) {
        doc->root = p.vals[0].node;
        doc->root.last = true; /* the root has no siblings */
    }
    free(p.vals);
    free(p.frames);
    free(p.scratch);
    if (rc < 0) {
        wcr_arena_dispose(&arena);
        return -1;
    }
    doc->arena = arena;
    *out = doc;
    return 0;
}

void wcr_json_doc_free(wcr_json_doc *doc)
{
    if (!doc)
        return;
    wcr_arena arena = doc->arena; /* the doc lives in its own arena */
    wcr_arena_dispose(&arena);
}

/* ---------------------------------------------------------------------
 * Accessors
 * ------------------------------------------------------------------- */

const wcr_json *wcr_json_root(const wcr_json_doc *doc)
{
    return doc ? &doc->root : NULL;
}

wcr_json_type wcr_json_type_of(const wcr_json *v)
{
    return v ? (wcr_json_type)v->type : WCR_JSON_NULL;
}

const char *wcr_json_type_name(wcr_json_type t)
{
    switch (t) {
    case WCR_JSON_NULL: return "null";
    case WCR_JSON_FALSE:
    case WCR_JSON_TRUE: return "boolean";
    case WCR_JSON_NUMBER: return "number";
    case WCR_JSON_STRING: return "string";
    case WCR_JSON_ARRAY: return "array";
    case WCR_JSON_OBJECT: return "object";
    }
    return "unknown";
}

bool wcr_json_is_null(const wcr_json *v)
{
    return wcr_json_type_of(v) == WCR_JSON_NULL;
}

bool wcr_json_is_bool(const wcr_json *v)
{
    return v && (v->type == WCR_JSON_TRUE || v->type == WCR_JSON_FALSE);
}

bool wcr_json_is_number(const wcr_json *v)
{
    return v && v->type == WCR_JSON_NUMBER;
}

bool wcr_json_is_string(const wcr_json *v)
{
    return v && v->type == WCR_JSON_STRING;
}

bool wcr_json_is_array(const wcr_json *v)
{
    return v && v->type == WCR_JSON_ARRAY;
}

bool wcr_json_is_object(const wcr_json *v)
{
    return v && v->type == WCR_JSON_OBJECT;
}

const wcr_json *wcr_json_get(const wcr_json *v, const char *key)
{
    if (!wcr_json_is_object(v) || !key)
        return NULL;
    size_t klen = strlen(key);
    if (v->sorted) {
        size_t lo = 0, hi = v->n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            const wcr_json *m = v->sorted[mid];
            int c = cmp_bytes(m->key, m->key_len, key, klen);
            if (c == 0)
                return m;
            if (c < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        return NULL;
    }
    for (size_t i = 0; i < v->n; i++) {
        const wcr_json *m = &v->u.kids[i];
        if (m->key_len == klen && memcmp(m->key, key, klen) == 0)
            return m;
    }
    return NULL;
}

size_t wcr_json_len(const wcr_json *v)
{
    return wcr_json_is_array(v) || wcr_json_is_object(v) ? v->n : 0;
}

const wcr_json *wcr_json_at(const wcr_json *v, size_t i)
{
    return wcr_json_is_array(v) && i < v->n ? &v->u.kids[i] : NULL;
}

const wcr_json *wcr_json_first(const wcr_json *v)
{
    return (wcr_json_is_array(v) || wcr_json_is_object(v)) && v->n ? v->u.kids : NULL;
}

const wcr_json *wcr_json_next(const wcr_json *v)
{
    return v && !v->last ? v + 1 : NULL;
}

const char *wcr_json_key(const wcr_json *member)
{
    return member ? member->key : NULL;
}

const char *wcr_json_key_len(const wcr_json *member, size_t *len)
{
    if (len)
        *len = member && member->key ? member->key_len : 0;
    return member ? member->key : NULL;
}

const char *wcr_json_string(const wcr_json *v)
{
    return wcr_json_is_string(v) ? v->u.s : NULL;
}

const char *wcr_json_string_len(const wcr_json *v, size_t *len)
{
    bool str = wcr_json_is_string(v);
    if (len)
        *len = str ? v->n : 0;
    return str ? v->u.s : NULL;
}

const char *wcr_json_get_string(const wcr_json *v, const char *key)
{
    return wcr_json_string(wcr_json_get(v, key));
}

bool wcr_json_bool(const wcr_json *v)
{
    return v && v->type == WCR_JSON_TRUE;
}

const char *wcr_json_number_text(const wcr_json *v)
{
    return wcr_json_is_number(v) ? v->u.s : NULL;
}

/* ---------------------------------------------------------------------
 * Numbers
 * ------------------------------------------------------------------- */

/* The magnitude of number text t when it is an exact integer that fits
 * in 64 bits, whatever its notation ("100", "1e2", "100.0", "1000e-1");
 * -1 when it has a fraction left or is too big. */
static int exact_magnitude(const char *t, bool *neg, uint64_t *mag)
{
    const char *p = t;
    *neg = *p == '-';
    if (*neg)
        p++;
    const char *ib = p;
    while (is_digit((unsigned char)*p))
        p++;
    size_t ilen = (size_t)(p - ib);
    const char *fb = p;
    size_t flen = 0;
    if (*p == '.') {
        fb = ++p;
        while (is_digit((unsigned char)*p))
            p++;
        flen = (size_t)(p - fb);
    }
    /* The exponent saturates far beyond any digit count a document can
     * hold, so a huge one still reads as huge. */
    int64_t exp = 0;
    if (*p == 'e' || *p == 'E') {
        p++;
        bool eneg = *p == '-';
        if (*p == '+' || *p == '-')
            p++;
        for (; is_digit((unsigned char)*p); p++)
            if (exp < INT64_C(1000000000000000))
                exp = exp * 10 + (*p - '0');
        if (eneg)
            exp = -exp;
    }
    /* Digits d[0..ilen+flen) across the decimal point; value is
     * d * 10^(exp - flen). Find the first and last non-zero digit. */
    size_t nd = ilen + flen, first = SIZE_MAX, last = 0;
#define DIGIT(k) ((k) < ilen ? ib[k] : fb[(k) - ilen])
    for (size_t k = 0; k < nd; k++) {
        if (DIGIT(k) != '0') {
            if (first == SIZE_MAX)
                first = k;
            last = k;
        }
    }
    if (first == SIZE_MAX) { /* zero, in any spelling */
        *mag = 0;
        return 0;
    }
    /* Trailing zeros of the digits move into the exponent. */
    int64_t scale = exp - (int64_t)flen + (int64_t)(nd - 1 - last);
    if (scale < 0)
        return -1; /* a fraction remains */
    if ((int64_t)(last - first + 1) + scale > 20)
        return -1; /* more than 20 digits: beyond UINT64_MAX */
    uint64_t v = 0;
    for (size_t k = first; k <= last; k++) {
        unsigned d = (unsigned)(DIGIT(k) - '0');
        if (v > (UINT64_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
    }
#undef DIGIT
    for (int64_t k = 0; k < scale; k++) {
        if (v > UINT64_MAX / 10)
            return -1;
        v *= 10;
    }
    *mag = v;
    return 0;
}

int wcr_json_int64(const wcr_json *v, int64_t *out)
{
    bool neg;
    uint64_t mag;
    if (!wcr_json_is_number(v) || exact_magnitude(v->u.s, &neg, &mag) < 0)
        return -1;
    if (neg) {
        if (mag > (uint64_t)INT64_MAX + 1)
            return -1;
        *out = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
    } else {
        if (mag > (uint64_t)INT64_MAX)
            return -1;
        *out = (int64_t)mag;
    }
    return 0;
}

int wcr_json_uint64(const wcr_json *v, uint64_t *out)
{
    bool neg;
    uint64_t mag;
    if (!wcr_json_is_number(v) || exact_magnitude(v->u.s, &neg, &mag) < 0)
        return -1;
    if (neg && mag != 0)
        return -1;
    *out = mag;
    return 0;
}

int wcr_json_double(const wcr_json *v, double *out)
{
    if (!wcr_json_is_number(v))
        return -1;
    /* strtod reads the locale's decimal point: a program that called
     * setlocale() may use ',' there, so hand it that. */
    const char *dp = localeconv()->decimal_point;
    size_t dplen = dp ? strlen(dp) : 0;
    const char *text = v->u.s;
    char small[64], *copy = NULL;
    if (dplen && strcmp(dp, ".") != 0 && strchr(text, '.')) {
        size_t need = v->n + dplen;
        copy = need <= sizeof small ? small : malloc(need);
        if (!copy)
            return -1;
        const char *point = strchr(text, '.');
        size_t before = (size_t)(point - text);
        memcpy(copy, text, before);
        memcpy(copy + before, dp, dplen);
        strcpy(copy + before + dplen, point + 1);
        text = copy;
    }
    char *end;
    double d = strtod(text, &end);
    bool whole = *end == '\0';
    if (copy != small)
        free(copy);
    if (!whole || isinf(d))
        return -1; /* beyond double's range (underflow rounds to 0) */
    *out = d;
    return 0;
}
