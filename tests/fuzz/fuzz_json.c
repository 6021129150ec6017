/* Fuzz target for the JSON parser and writer. Any input: parse it. When it
 * parses, walk the tree through every accessor (checking they agree),
 * write it compact and pretty, parse both back and require the same tree,
 * and require compact output to be a fixed point (writing what was read
 * back gives the same bytes). When it does not parse, the failure must
 * keep the contract: nothing returned, a JSON error code and message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"
#include "fuzz.h"

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_json: %s\n", what);
    abort();
}

static bool same_value(const wcr_json *a, const wcr_json *b)
{
    wcr_json_type t = wcr_json_type_of(a);
    if (t != wcr_json_type_of(b))
        return false;
    size_t la, lb;
    const char *sa, *sb;
    switch (t) {
    case WCR_JSON_NULL:
    case WCR_JSON_TRUE:
    case WCR_JSON_FALSE:
        return true;
    case WCR_JSON_NUMBER:
        return strcmp(wcr_json_number_text(a), wcr_json_number_text(b)) == 0;
    case WCR_JSON_STRING:
        sa = wcr_json_string_len(a, &la);
        sb = wcr_json_string_len(b, &lb);
        return la == lb && memcmp(sa, sb, la) == 0;
    case WCR_JSON_ARRAY:
    case WCR_JSON_OBJECT:
        if (wcr_json_len(a) != wcr_json_len(b))
            return false;
        for (const wcr_json *x = wcr_json_first(a), *y = wcr_json_first(b); x;
             x = wcr_json_next(x), y = wcr_json_next(y)) {
            if (t == WCR_JSON_OBJECT) {
                sa = wcr_json_key_len(x, &la);
                sb = wcr_json_key_len(y, &lb);
                if (la != lb || memcmp(sa, sb, la) != 0)
                    return false;
            }
            if (!same_value(x, y))
                return false;
        }
        return true;
    }
    return false;
}

/* The number accessors must agree with one another. */
static void check_number(const wcr_json *v)
{
    int64_t i = 0;
    uint64_t u = 0;
    double d = 0;
    bool has_i = wcr_json_int64(v, &i) == 0;
    bool has_u = wcr_json_uint64(v, &u) == 0;
    bool has_d = wcr_json_double(v, &d) == 0;
    if (has_i && i >= 0 && (!has_u || u != (uint64_t)i))
        fail("int64 and uint64 disagree");
    if (has_u && u <= (uint64_t)INT64_MAX && (!has_i || (uint64_t)i != u))
        fail("uint64 and int64 disagree");
    /* Both round the same exact integer to nearest. */
    if (has_i && (!has_d || d != (double)i))
        fail("int64 and double disagree");
    if (has_u && (!has_d || d != (double)u))
        fail("uint64 and double disagree");
}

/* Visit every value through the accessors. */
static void walk(const wcr_json *v)
{
    switch (wcr_json_type_of(v)) {
    case WCR_JSON_NUMBER:
        check_number(v);
        break;
    case WCR_JSON_STRING: {
        size_t len = 0;
        const char *s = wcr_json_string_len(v, &len);
        if (!s || s[len] != '\0')
            fail("string not NUL-terminated");
        break;
    }
    case WCR_JSON_ARRAY: {
        size_t i = 0;
        for (const wcr_json *e = wcr_json_first(v); e; e = wcr_json_next(e), i++) {
            if (wcr_json_at(v, i) != e || wcr_json_key(e) != NULL)
                fail("array element mismatch");
            walk(e);
        }
        if (i != wcr_json_len(v) || wcr_json_at(v, i) != NULL)
            fail("array length mismatch");
        break;
    }
    case WCR_JSON_OBJECT: {
        size_t n = 0;
        for (const wcr_json *m = wcr_json_first(v); m; m = wcr_json_next(m), n++) {
            size_t klen = 0;
            const char *key = wcr_json_key_len(m, &klen);
            if (!key)
                fail("member without a key");
            /* Keys are unique: lookup finds this very member. */
            if (strlen(key) == klen && wcr_json_get(v, key) != m)
                fail("lookup did not find the member");
            walk(m);
        }
        if (n != wcr_json_len(v))
            fail("object length mismatch");
        break;
    }
    default:
        break;
    }
}

/* v written with flags; aborts when the writer refuses a parsed value. */
static char *write_value(const wcr_json *v, int flags, size_t *len)
{
    wcr_buf buf = WCR_BUF_INIT("fuzz output", WCR_BUF_NO_LIMIT);
    wcr_jsonw w;
    wcr_jsonw_init(&w, &buf, flags);
    wcr_jsonw_value(&w, v);
    wcr_err err = WCR_ERR_INIT;
    if (wcr_jsonw_finish(&w, &err) < 0) {
        if (err.code == WCR_E_NOMEM) {
            wcr_err_dispose(&err);
            wcr_buf_dispose(&buf);
            return NULL;
        }
        fprintf(stderr, "fuzz_json: %s\n", err.msg ? err.msg : "?");
        fail("the writer refused a parsed value");
    }
    return wcr_buf_detach(&buf, len);
}

/* Parse text that the writer produced; it must give the same tree. */
static void check_reads_back(const wcr_json *orig, const char *text, size_t len)
{
    wcr_json_doc *doc = NULL;
    wcr_err err = WCR_ERR_INIT;
    if (wcr_json_parse(&doc, text, len, NULL, &err) < 0) {
        fprintf(stderr, "fuzz_json: %s\n%s\n", err.msg ? err.msg : "?", text);
        fail("written output does not parse");
    }
    if (!same_value(orig, wcr_json_root(doc)))
        fail("written output reads back as a different value");
    wcr_json_doc_free(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wcr_json_doc *doc = NULL;
    wcr_err err = WCR_ERR_INIT;
    if (wcr_json_parse(&doc, (const char *)data, size, NULL, &err) < 0) {
        if (doc != NULL)
            fail("failed parse returned a document");
        if (err.code != WCR_E_PARSE && err.code != WCR_E_LIMIT && err.code != WCR_E_NOMEM)
            fail("unexpected error code");
        if (!err.msg || strncmp(err.msg, "JSON: ", 6) != 0)
            fail("error message without the JSON prefix");
        wcr_err_dispose(&err);
        return 0;
    }
    const wcr_json *root = wcr_json_root(doc);
    walk(root);

    size_t clen = 0, plen = 0;
    char *compact = write_value(root, WCR_JSONW_COMPACT, &clen);
    char *pretty = write_value(root, WCR_JSONW_PRETTY, &plen);
    if (compact) {
        check_reads_back(root, compact, clen);
        /* Compact output is a fixed point. */
        wcr_json_doc *again = NULL;
        if (wcr_json_parse(&again, compact, clen, NULL, NULL) == 0) {
            size_t len2 = 0;
            char *compact2 = write_value(wcr_json_root(again), WCR_JSONW_COMPACT, &len2);
            if (compact2 && (len2 != clen || memcmp(compact, compact2, clen) != 0))
                fail("compact output is not a fixed point");
            free(compact2);
            wcr_json_doc_free(again);
        }
    }
    if (pretty)
        check_reads_back(root, pretty, plen);
    free(compact);
    free(pretty);

    /* The same text under a tight depth limit: same result or LIMIT. */
    wcr_json_options opts = WCR_JSON_OPTIONS_INIT;
    opts.max_depth = 3;
    wcr_json_doc *shallow = NULL;
    if (wcr_json_parse(&shallow, (const char *)data, size, &opts, &err) < 0) {
        if (err.code != WCR_E_LIMIT && err.code != WCR_E_NOMEM)
            fail("a tighter depth limit gave a non-limit error");
        wcr_err_dispose(&err);
    } else if (!same_value(root, wcr_json_root(shallow))) {
        fail("a tighter depth limit changed the value");
    }
    wcr_json_doc_free(shallow);
    wcr_json_doc_free(doc);
    return 0;
}
