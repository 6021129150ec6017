/* Tests of src/core/json_write.c: the streaming writer, and round trips
 * through the parser. */
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"
#include "test.h"

/* A writer and its buffer, for one test. */
typedef struct out {
    wcr_buf buf;
    wcr_jsonw w;
} out;

static void out_init(out *o, int flags)
{
    wcr_buf_init(&o->buf, "JSON output", WCR_BUF_NO_LIMIT);
    wcr_jsonw_init(&o->w, &o->buf, flags);
}

/* Finish; on success the text, else NULL with the message in msg. */
static const char *out_finish(out *o, wcr_err *err)
{
    if (wcr_jsonw_finish(&o->w, err) < 0)
        return NULL;
    return wcr_buf_cstr(&o->buf);
}

/* Finish expecting failure with `code` and message `msg`. */
static void check_misuse(out *o, wcr_err_code code, const char *msg, int line)
{
    wcr_err err = WCR_ERR_INIT;
    if (wcr_jsonw_finish(&o->w, &err) == 0)
        test_fail(__FILE__, line, "finish succeeded: %s", wcr_buf_cstr(&o->buf));
    else if (err.code != code || !err.msg || strcmp(err.msg, msg) != 0)
        test_fail(__FILE__, line, "got [%s] \"%s\", want [%s] \"%s\"",
                  wcr_err_code_name(err.code), err.msg ? err.msg : "", wcr_err_code_name(code),
                  msg);
    wcr_err_dispose(&err);
}

/* Writes the same document through every kind of call. */
static void write_sample(wcr_jsonw *w)
{
    wcr_jsonw_object_begin(w);
    wcr_jsonw_kv_string(w, "ociVersion", "1.0.2");
    wcr_jsonw_kv_int64(w, "n", -42);
    wcr_jsonw_kv_uint64(w, "u", 18446744073709551615u);
    wcr_jsonw_kv_bool(w, "t", true);
    wcr_jsonw_key(w, "d");
    wcr_jsonw_double(w, 0.5);
    wcr_jsonw_key(w, "z");
    wcr_jsonw_null(w);
    wcr_jsonw_key(w, "s");
    wcr_jsonw_string(w, NULL);
    wcr_jsonw_key(w, "empty_o");
    wcr_jsonw_object_begin(w);
    wcr_jsonw_object_end(w);
    wcr_jsonw_key(w, "empty_a");
    wcr_jsonw_array_begin(w);
    wcr_jsonw_array_end(w);
    wcr_jsonw_key(w, "args");
    wcr_jsonw_array_begin(w);
    wcr_jsonw_string(w, "cmd");
    wcr_jsonw_number_text(w, "1.50E+02");
    wcr_jsonw_array_begin(w);
    wcr_jsonw_bool(w, false);
    wcr_jsonw_array_end(w);
    wcr_jsonw_object_begin(w);
    wcr_jsonw_kv_string(w, "k", "v");
    wcr_jsonw_object_end(w);
    wcr_jsonw_array_end(w);
    wcr_jsonw_object_end(w);
}

TEST(compact_output_is_exact)
{
    out o;
    out_init(&o, WCR_JSONW_COMPACT);
    write_sample(&o.w);
    wcr_err err = WCR_ERR_INIT;
    CHECK_STR(out_finish(&o, &err),
              "{\"ociVersion\":\"1.0.2\",\"n\":-42,\"u\":18446744073709551615,\"t\":true,"
              "\"d\":0.5,\"z\":null,\"s\":null,\"empty_o\":{},\"empty_a\":[],"
              "\"args\":[\"cmd\",1.50E+02,[false],{\"k\":\"v\"}]}");
    wcr_buf_dispose(&o.buf);
    wcr_err_dispose(&err);
}

TEST(pretty_output_is_exact)
{
    out o;
    out_init(&o, WCR_JSONW_PRETTY);
    write_sample(&o.w);
    wcr_err err = WCR_ERR_INIT;
    CHECK_STR(out_finish(&o, &err),
              "{\n"
              "  \"ociVersion\": \"1.0.2\",\n"
              "  \"n\": -42,\n"
              "  \"u\": 18446744073709551615,\n"
              "  \"t\": true,\n"
              "  \"d\": 0.5,\n"
              "  \"z\": null,\n"
              "  \"s\": null,\n"
              "  \"empty_o\": {},\n"
              "  \"empty_a\": [],\n"
              "  \"args\": [\n"
              "    \"cmd\",\n"
              "    1.50E+02,\n"
              "    [\n"
              "      false\n"
              "    ],\n"
              "    {\n"
              "      \"k\": \"v\"\n"
              "    }\n"
              "  ]\n"
              "}\n");
    wcr_buf_dispose(&o.buf);
    wcr_err_dispose(&err);
}

TEST(indent4_widens_pretty_output_only)
{
    out o;
    out_init(&o, WCR_JSONW_PRETTY | WCR_JSONW_INDENT4);
    wcr_jsonw_object_begin(&o.w);
    wcr_jsonw_key(&o.w, "a");
    wcr_jsonw_array_begin(&o.w);
    wcr_jsonw_int64(&o.w, 1);
    wcr_jsonw_object_begin(&o.w);
    wcr_jsonw_object_end(&o.w);
    wcr_jsonw_array_end(&o.w);
    wcr_jsonw_object_end(&o.w);
    CHECK_STR(out_finish(&o, NULL), "{\n    \"a\": [\n        1,\n        {}\n    ]\n}\n");
    wcr_buf_dispose(&o.buf);
    out_init(&o, WCR_JSONW_INDENT4);
    wcr_jsonw_array_begin(&o.w);
    wcr_jsonw_int64(&o.w, 1);
    wcr_jsonw_array_end(&o.w);
    CHECK_STR(out_finish(&o, NULL), "[1]");
    wcr_buf_dispose(&o.buf);
}

TEST(top_level_scalars_and_empty_containers)
{
    static const struct {
        int flags;
        int which;
        const char *want;
    } cases[] = {
        { WCR_JSONW_COMPACT, 0, "7" },   { WCR_JSONW_PRETTY, 0, "7\n" },
        { WCR_JSONW_COMPACT, 1, "{}" },  { WCR_JSONW_PRETTY, 1, "{}\n" },
        { WCR_JSONW_COMPACT, 2, "[]" },  { WCR_JSONW_PRETTY, 2, "[]\n" },
        { WCR_JSONW_COMPACT, 3, "\"\"" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        out o;
        out_init(&o, cases[i].flags);
        switch (cases[i].which) {
        case 0: wcr_jsonw_int64(&o.w, 7); break;
        case 1: wcr_jsonw_object_begin(&o.w); wcr_jsonw_object_end(&o.w); break;
        case 2: wcr_jsonw_array_begin(&o.w); wcr_jsonw_array_end(&o.w); break;
        case 3: wcr_jsonw_string(&o.w, ""); break;
        }
        CHECK_STR(out_finish(&o, NULL), cases[i].want);
        wcr_buf_dispose(&o.buf);
    }
}

TEST(strings_are_escaped)
{
    out o;
    out_init(&o, WCR_JSONW_COMPACT);
    wcr_jsonw_string(&o.w, "\" \\ / \b \f \n \r \t \x01 \x1f \x7f \xE2\x80\xA8 \xE2\x80\xA9 "
                           "\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xEF\xBF\xBF <&>");
    CHECK_STR(out_finish(&o, NULL),
              "\"\\\" \\\\ / \\b \\f \\n \\r \\t \\u0001 \\u001f \\u007f \\u2028 \\u2029 "
              "\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xEF\xBF\xBF <&>\"");
    wcr_buf_dispose(&o.buf);
}

TEST(strings_and_keys_may_hold_u0000)
{
    out o;
    out_init(&o, WCR_JSONW_COMPACT);
    wcr_jsonw_object_begin(&o.w);
    wcr_jsonw_key_len(&o.w, "a\0b", 3);
    wcr_jsonw_string_len(&o.w, "x\0", 2);
    wcr_jsonw_object_end(&o.w);
    CHECK_STR(out_finish(&o, NULL), "{\"a\\u0000b\":\"x\\u0000\"}");
    wcr_buf_dispose(&o.buf);
}

TEST(invalid_utf8_is_sticky_misuse)
{
    static const char *const bad[] = {
        "\xC3", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\x80", "ok\xFF",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        out o;
        out_init(&o, WCR_JSONW_COMPACT);
        wcr_jsonw_array_begin(&o.w);
        wcr_jsonw_string(&o.w, bad[i]);
        wcr_jsonw_string(&o.w, "fine"); /* ignored: the writer has failed */
        wcr_jsonw_array_end(&o.w);
        check_misuse(&o, WCR_E_INVALID, "JSON writer: a string that is not valid UTF-8", __LINE__);
        CHECK(strstr(wcr_buf_cstr(&o.buf), "fine") == NULL);
        wcr_buf_dispose(&o.buf);
    }
    out o;
    out_init(&o, WCR_JSONW_COMPACT);
    wcr_jsonw_object_begin(&o.w);
    wcr_jsonw_key(&o.w, "\xC3(");
    check_misuse(&o, WCR_E_INVALID, "JSON writer: a string that is not valid UTF-8", __LINE__);
    wcr_buf_dispose(&o.buf);
}

TEST(integers_are_exact_at_their_limits)
{
    out o;
    out_init(&o, WCR_JSONW_COMPACT);
    wcr_jsonw_array_begin(&o.w);
    wcr_jsonw_int64(&o.w, INT64_MIN);
    wcr_jsonw_int64(&o.w, INT64_MAX);
    wcr_jsonw_int64(&o.w, 0);
    wcr_jsonw_int64(&o.w, -1);
    wcr_jsonw_uint64(&o.w, UINT64_MAX);
    wcr_jsonw_uint64(&o.w, 0);
    wcr_jsonw_array_end(&o.w);
    CHECK_STR(out_finish(&o, NULL), "[-9223372036854775808,9223372036854775807,0,-1,"
                                    "18446744073709551615,0]");
    wcr_buf_dispose(&o.buf);
}

/* The writer's text for one double. */
static char *double_text(double d)
{
    out o;
    out_init(&o, WCR_JSONW_COMPACT);
    wcr_jsonw_double(&o.w, d);
    if (wcr_jsonw_finish(&o.w, NULL) < 0) {
        wcr_buf_dispose(&o.buf);
        return NULL;
    }
    return wcr_buf_detach(&o.buf, NULL);
}

TEST(doubles_are_shortest_that_round_trip)
{
    static const struct {
        double d;
        const char *want;
    } cases[] = {
        { 0.1, "0.1" },
        { 0.5, "0.5" },
        { 1.5, "1.5" },
        { 100, "100" },
        { -0.0, "-0" },
        { 1e20, "1e+20" },
        { 1e-7, "1e-07" },
        { 1.0 / 3, "0.3333333333333333" },
        { 0.1 + 0.2, "0.30000000000000004" },
        { 123456789.125, "123456789.125" },
        { DBL_MAX, "1.7976931348623157e+308" },
        { 5e-324, "4.94065645841247e-324" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *text = double_text(cases[i].d);
        CHECK_STR(text, cases[i].want);
        free(text);
    }
}

TEST(doubles_read_back_as_the_same_value)
{
    double values[] = {
        0.1, 1.0 / 3, 2.0 / 3, 3.141592653589793, 2.718281828459045, DBL_MAX, -DBL_MAX,
        DBL_MIN, DBL_EPSILON, 5e-324, 1e-300, 1e300, 123456.789, -98765.4321e-20,
        9007199254740993.0, 0.30000000000000004, 1e23, 8.41e21, 5e-310,
    };
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        char *text = double_text(values[i]);
        REQUIRE(text != NULL);
        wcr_json_doc *doc = NULL;
        double back = 0;
        if (wcr_json_parse(&doc, text, strlen(text), NULL, NULL) < 0 ||
            wcr_json_double(wcr_json_root(doc), &back) < 0 || back != values[i])
            test_fail(__FILE__, __LINE__, "%.17g written as %s", values[i], text);
        wcr_json_doc_free(doc);
        free(text);
    }
}

TEST(doubles_ignore_the_locale_decimal_point)
{
    static const char *const names[] = {
        "de_DE.UTF-8", "de_DE.utf8", "de_DE", "fr_FR.UTF-8", "German_Germany.1252", "German",
    };
    bool comma = false;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && !comma; i++)
        comma = setlocale(LC_NUMERIC, names[i]) && strcmp(localeconv()->decimal_point, ".") != 0;
    if (!comma) {
        setlocale(LC_NUMERIC, "C");
        TEST_SKIP("no locale with a decimal comma is installed");
    }
    char *a = double_text(1.5), *b = double_text(1.0 / 3), *c = double_text(2.5e-10);
    setlocale(LC_NUMERIC, "C");
    CHECK_STR(a, "1.5");
    CHECK_STR(b, "0.3333333333333333");
    CHECK_STR(c, "2.5e-10");
    free(a);
    free(b);
    free(c);
}

TEST(nan_and_infinity_are_misuse)
{
    double bad[] = { NAN, INFINITY, -INFINITY };
    for (size_t i = 0; i < 3; i++) {
        out o;
        out_init(&o, WCR_JSONW_COMPACT);
        wcr_jsonw_double(&o.w, bad[i]);
        check_misuse(&o, WCR_E_INVALID,
                     "JSON writer: NaN or infinity, which JSON cannot represent", __LINE__);
        wcr_buf_dispose(&o.buf);
    }
}

TEST(number_text_must_be_a_json_number)
{
    static const char *const good[] = { "0", "-0", "1.5", "1e10", "-1.25E-3", "12345678901234567890123" };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        out o;
        out_init(&o, WCR_JSONW_COMPACT);
        wcr_jsonw_number_text(&o.w, good[i]);
        CHECK_STR(out_finish(&o, NULL), good[i]);
        wcr_buf_dispose(&o.buf);
    }
    static const char *const bad[] = {
        "", "01", "+1", ".5", "1.", "1e", "NaN", "inf", "1 ", " 1", "0x1", "1,5", "--1", NULL,
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        out o;
        out_init(&o, WCR_JSONW_COMPACT);
        wcr_jsonw_number_text(&o.w, bad[i]);
        check_misuse(&o, WCR_E_INVALID, "JSON writer: number text that is not a JSON number",
                     __LINE__);
        wcr_buf_dispose(&o.buf);
    }
}

TEST(structural_misuse_is_reported_by_finish)
{
    out o;
    /* a value where a key is due */
    out_init(&o, WCR_JSONW_COMPACT);
    wcr_jsonw_object_begin(&o.w);
    wcr_jsonw_int64(&o.w, 1);
    check_misuse(&o, WCR_E_INTERNAL, "JSON writer: a value where an object key is due", __LINE__);
    wcr_buf_dispose(&o.buf);
    /* a key in an array */
    out_init(&o, WCR_JSONW_COMPACT);
    wcr_jsonw_array_begin(&o.w);
    wcr_jsonw_key(&o.w, "k");
    check_misuse(&o, WCR_E_INTERNAL, "JSON writer: a key outside an object", __LINE__);
    wcr_buf_dispose(&o.buf);
    /* a key at top level */
    out_init(&o, WCR_JSONW_COMPACT);
    wcr_jsonw_kv_bool(&o.w, "k", true);
    check_misuse(&o, WCR_E_INTERNAL, "JSON writer: a key outside an object", __LINE__);
    wcr_buf_dispose(&o.buf);
    /* two keys in a row */
    out_init(&o, WCR_JSONW_COMPACT);
    wcr_jsonw_object_begin(&o.w);
    wcr_jsonw_key(&o.w, "a");
    wcr_jsonw_key(&o.w, "b");
    check_misuse(&o, WCR_E_INTERNAL, "JSON writer: a key where the previous key's value is due",
                 __LINE__);
    wcr_buf_dispose(&o.buf);
    /* a NULL key */
    out_init(&o, WCR_JSONW_COMPACT);
    wcr_jsonw_object_begin(&o.w);
    wcr_jsonw_key(&o.w, NULL);
    check_misuse(&o, WCR_E_INTERNAL, "JSON writer: a NULL key", __LINE__);
    wcr_buf_dispose(&o.buf);
    /* ends that do not match */
    out_init(&o, WCR_JSONW_COMPACT);
    wcr_jsonw_object_begin(&o.w);
    wcr_jsonw_array_end(&o.w);
    check_misuse(&o, WCR_E_INTERNAL, "JSON writer: array_end without a matching array_begin",
                 __LINE__);
    wcr_buf_dispose(&o.buf);
    out_init(&o, WCR_JSONW_COMPACT);
    wcr_jsonw_object_end(&o.w);
    check_misuse(&o, WCR_E_INTERNAL, "JSON writer: object_end without a matching object_begin",
                 __LINE__);
    wcr_buf_dispose(&o.buf);
    /* an object ended after a key */
    out_init(&o, WCR_JSONW_COMPACT);
    wcr_jsonw_object_begin(&o.w);
    wcr_jsonw_key(&o.w, "a");
    wcr_jsonw_object_end(&o.w);
    check_misuse(&o, WCR_E_INTERNAL, "JSON writer: object_end after a key that has no value",
                 __LINE__);
    wcr_buf_dispose(&o.buf);
    /* two top-level values */
    out_init(&o, WCR_JSONW_COMPACT);
    wcr_jsonw_null(&o.w);
    wcr_jsonw_null(&o.w);
    check_misuse(&o, WCR_E_INTERNAL, "JSON writer: a second value after the complete document",
                 __LINE__);
    wcr_buf_dispose(&o.buf);
    /* incomplete documents */
    out_init(&o, WCR_JSONW_COMPACT);
    wcr_jsonw_array_begin(&o.w);
    wcr_jsonw_object_begin(&o.w);
    check_misuse(&o, WCR_E_INTERNAL,
                 "JSON writer: incomplete document (2 containers still open)", __LINE__);
    wcr_buf_dispose(&o.buf);
    out_init(&o, WCR_JSONW_COMPACT);
    check_misuse(&o, WCR_E_INTERNAL, "JSON writer: no value was written", __LINE__);
    wcr_buf_dispose(&o.buf);
}

TEST(misuse_is_sticky_and_the_first_one_is_reported)
{
    out o;
    out_init(&o, WCR_JSONW_COMPACT);
    wcr_jsonw_array_begin(&o.w);
    wcr_jsonw_int64(&o.w, 1);
    wcr_jsonw_key(&o.w, "k");  /* first misuse */
    wcr_jsonw_double(&o.w, NAN); /* second: not reported */
    wcr_jsonw_int64(&o.w, 2);
    wcr_jsonw_array_end(&o.w);
    CHECK_STR(wcr_buf_cstr(&o.buf), "[1");
    check_misuse(&o, WCR_E_INTERNAL, "JSON writer: a key outside an object", __LINE__);
    wcr_buf_dispose(&o.buf);
}

TEST(calls_after_finish_are_misuse)
{
    out o;
    out_init(&o, WCR_JSONW_COMPACT);
    wcr_jsonw_null(&o.w);
    CHECK_INT(wcr_jsonw_finish(&o.w, NULL), 0);
    wcr_jsonw_null(&o.w);
    check_misuse(&o, WCR_E_INTERNAL, "JSON writer: a call after wcr_jsonw_finish()", __LINE__);
    CHECK_STR(wcr_buf_cstr(&o.buf), "null");
    wcr_buf_dispose(&o.buf);
}

TEST(depth_is_capped)
{
    out o;
    out_init(&o, WCR_JSONW_COMPACT);
    for (int i = 0; i < WCR_JSONW_MAX_DEPTH; i++)
        wcr_jsonw_array_begin(&o.w);
    for (int i = 0; i < WCR_JSONW_MAX_DEPTH; i++)
        wcr_jsonw_array_end(&o.w);
    CHECK_INT(wcr_jsonw_finish(&o.w, NULL), 0);
    wcr_buf_dispose(&o.buf);

    out_init(&o, WCR_JSONW_COMPACT);
    for (int i = 0; i <= WCR_JSONW_MAX_DEPTH; i++)
        wcr_jsonw_array_begin(&o.w);
    check_misuse(&o, WCR_E_LIMIT, "JSON writer: nesting deeper than the limit of 128 levels",
                 __LINE__);
    wcr_buf_dispose(&o.buf);
}

TEST(buffer_limit_is_reported)
{
    wcr_buf buf = WCR_BUF_INIT("spec output", 16);
    wcr_jsonw w;
    wcr_jsonw_init(&w, &buf, WCR_JSONW_COMPACT);
    wcr_jsonw_string(&w, "a string longer than sixteen bytes");
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(wcr_jsonw_finish(&w, &err), -1);
    CHECK_INT(err.code, WCR_E_LIMIT);
    CHECK(err.msg && strstr(err.msg, "spec output: exceeds the limit of 16 B"));
    wcr_err_dispose(&err);
    wcr_buf_dispose(&buf);
}

/* Parse text, write it back; the caller frees the result. */
static char *rewrite(const char *text, size_t len, int flags)
{
    wcr_json_doc *doc = NULL;
    wcr_err err = WCR_ERR_INIT;
    if (wcr_json_parse(&doc, text, len, NULL, &err) < 0) {
        printf("    parse failed: %s\n", err.msg);
        wcr_err_dispose(&err);
        return NULL;
    }
    out o;
    out_init(&o, flags);
    wcr_jsonw_value(&o.w, wcr_json_root(doc));
    wcr_json_doc_free(doc);
    if (wcr_jsonw_finish(&o.w, &err) < 0) {
        printf("    write failed: %s\n", err.msg);
        wcr_err_dispose(&err);
        wcr_buf_dispose(&o.buf);
        return NULL;
    }
    return wcr_buf_detach(&o.buf, NULL);
}

TEST(parsed_values_are_copied_canonically)
{
    const char *text = " { \"b\" : [ 1 , 2.50 , -0 , 1E+2 ] ,\n \"a\" : { } , \"c\":\"\\u00e9\\/\\u0000\","
                       " \"d\" : [ ] , \"e\" : [ true , false , null ] } ";
    char *compact = rewrite(text, strlen(text), WCR_JSONW_COMPACT);
    CHECK_STR(compact, "{\"b\":[1,2.50,-0,1E+2],\"a\":{},\"c\":\"\xC3\xA9/\\u0000\",\"d\":[],"
                       "\"e\":[true,false,null]}");
    char *pretty = rewrite(text, strlen(text), WCR_JSONW_PRETTY);
    CHECK_STR(pretty, "{\n  \"b\": [\n    1,\n    2.50,\n    -0,\n    1E+2\n  ],\n  \"a\": {},\n"
                      "  \"c\": \"\xC3\xA9/\\u0000\",\n  \"d\": [],\n  \"e\": [\n    true,\n"
                      "    false,\n    null\n  ]\n}\n");
    free(compact);
    free(pretty);
    out o;
    out_init(&o, WCR_JSONW_COMPACT);
    wcr_jsonw_value(&o.w, NULL); /* an absent value is null */
    CHECK_STR(out_finish(&o, NULL), "null");
    wcr_buf_dispose(&o.buf);
}

TEST(values_nest_inside_written_documents)
{
    wcr_json_doc *doc = NULL;
    REQUIRE(wcr_json_parse(&doc, "{\"x\":[1,{\"y\":null}]}", 20, NULL, NULL) == 0);
    out o;
    out_init(&o, WCR_JSONW_COMPACT);
    wcr_jsonw_array_begin(&o.w);
    wcr_jsonw_value(&o.w, wcr_json_root(doc));
    wcr_jsonw_value(&o.w, wcr_json_get(wcr_json_root(doc), "x"));
    wcr_jsonw_object_begin(&o.w);
    wcr_jsonw_key(&o.w, "copy");
    wcr_jsonw_value(&o.w, wcr_json_root(doc));
    wcr_jsonw_object_end(&o.w);
    wcr_jsonw_array_end(&o.w);
    CHECK_STR(out_finish(&o, NULL),
              "[{\"x\":[1,{\"y\":null}]},[1,{\"y\":null}],{\"copy\":{\"x\":[1,{\"y\":null}]}}]");
    wcr_buf_dispose(&o.buf);
    wcr_json_doc_free(doc);
}

TEST(a_document_as_deep_as_the_parser_allows_can_be_rewritten)
{
    char text[2 * WCR_JSON_DEFAULT_MAX_DEPTH];
    memset(text, '[', WCR_JSON_DEFAULT_MAX_DEPTH);
    memset(text + WCR_JSON_DEFAULT_MAX_DEPTH, ']', WCR_JSON_DEFAULT_MAX_DEPTH);
    char *back = rewrite(text, sizeof text, WCR_JSONW_COMPACT);
    CHECK(back != NULL && memcmp(back, text, sizeof text) == 0);
    free(back);
}

static const char *const documents[] = {
    /* OCI image index */
    "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
    "\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
    "\"digest\":\"sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270\","
    "\"size\":1170,\"platform\":{\"architecture\":\"amd64\",\"os\":\"windows\","
    "\"os.version\":\"10.0.20348.2227\"}}]}",
    /* runtime spec snippet */
    "{\"ociVersion\":\"1.1.0\",\"process\":{\"user\":{\"username\":\"ContainerUser\"},"
    "\"args\":[\"cmd\",\"/S\",\"/C\",\"echo \\\"hi\\\"\"],\"cwd\":\"C:\\\\\"},"
    "\"windows\":{\"layerFolders\":[\"C:\\\\ProgramData\\\\containerd\\\\1\",\"C:\\\\s\"],"
    "\"network\":{\"networkNamespace\":\"8fe6c5e6-6b0e-4b7a-9b1c-2a0a8b8e1f3d\"}}}",
    /* CNI result */
    "{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth0\",\"mac\":\"00:15:5d:1a:2b:3c\"}],"
    "\"ips\":[{\"address\":\"172.20.0.5/16\",\"gateway\":\"172.20.0.1\",\"interface\":0}],"
    "\"dns\":{\"nameservers\":[\"172.20.0.1\"]}}",
    /* awkward scalars and strings */
    ("[\"\\ud834\\udd1e\",\"\\u2028\\u2029\\u007f\",\"\\t\\b\\f\\r\\n\",-0.0e-0,1e999,"
     "123456789012345678901234567890,\"\",{\"\":{\"\":[]}}]"),
    "\"top-level string\"",
    "  -12.5e+3  ",
};

TEST(round_trips_are_stable)
{
    for (size_t i = 0; i < sizeof documents / sizeof documents[0]; i++) {
        const char *doc = documents[i];
        char *c1 = rewrite(doc, strlen(doc), WCR_JSONW_COMPACT);
        char *p1 = rewrite(doc, strlen(doc), WCR_JSONW_PRETTY);
        REQUIRE(c1 && p1);
        char *c2 = rewrite(c1, strlen(c1), WCR_JSONW_COMPACT); /* compact is a fixed point */
        char *c3 = rewrite(p1, strlen(p1), WCR_JSONW_COMPACT); /* pretty reads back the same */
        char *p2 = rewrite(c1, strlen(c1), WCR_JSONW_PRETTY);
        CHECK_STR(c2, c1);
        CHECK_STR(c3, c1);
        CHECK_STR(p2, p1);
        free(c1);
        free(c2);
        free(c3);
        free(p1);
        free(p2);
    }
}

TEST_MAIN()
