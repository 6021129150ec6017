/* Tests of src/core/json.c: the parser and the accessors. */
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"
#include "test.h"

/* Parse NUL-terminated text; NULL (and the error printed) on failure. */
static wcr_json_doc *parse(const char *text)
{
    wcr_json_doc *doc = NULL;
    wcr_err err = WCR_ERR_INIT;
    if (wcr_json_parse(&doc, text, strlen(text), NULL, &err) < 0) {
        printf("    parse failed: %s\n", err.msg ? err.msg : "(no message)");
        wcr_err_dispose(&err);
        return NULL;
    }
    return doc;
}

/* Parse text (len bytes) with options, expecting failure: returns the
 * error's code and copies its message into msg. */
static wcr_err_code parse_fail_opts(const char *text, size_t len, const wcr_json_options *opts,
                                    char *msg, size_t size)
{
    wcr_json_doc *doc = (wcr_json_doc *)&doc; /* not NULL: parse must clear it */
    wcr_err err = WCR_ERR_INIT;
    int rc = wcr_json_parse(&doc, text, len, opts, &err);
    wcr_err_code code = err.code;
    snprintf(msg, size, "%s", err.msg ? err.msg : "");
    if (rc == 0) {
        printf("    unexpectedly parsed: %.60s\n", text);
        wcr_json_doc_free(doc);
        code = WCR_E_OK;
    } else if (doc != NULL) {
        printf("    failed parse left *out set\n");
        code = WCR_E_INTERNAL;
    }
    wcr_err_dispose(&err);
    return code;
}

static wcr_err_code parse_fail(const char *text, char *msg, size_t size)
{
    return parse_fail_opts(text, strlen(text), NULL, msg, size);
}

static bool rejects(const char *text)
{
    char msg[256];
    return parse_fail(text, msg, sizeof msg) == WCR_E_PARSE;
}

static bool contains(const char *haystack, const char *needle)
{
    return strstr(haystack, needle) != NULL;
}

TEST(parses_every_kind_of_value_at_top_level)
{
    static const struct {
        const char *text;
        wcr_json_type type;
    } cases[] = {
        { "null", WCR_JSON_NULL },       { "true", WCR_JSON_TRUE },
        { "false", WCR_JSON_FALSE },     { "0", WCR_JSON_NUMBER },
        { "-1.5e3", WCR_JSON_NUMBER },   { "\"s\"", WCR_JSON_STRING },
        { "[]", WCR_JSON_ARRAY },        { "{}", WCR_JSON_OBJECT },
        { " \t\r\n[1] \n", WCR_JSON_ARRAY },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wcr_json_doc *doc = parse(cases[i].text);
        CHECK(doc != NULL);
        CHECK_INT(wcr_json_type_of(wcr_json_root(doc)), cases[i].type);
        wcr_json_doc_free(doc);
    }
}

TEST(rejects_empty_input_and_text_after_the_value)
{
    char msg[256];
    CHECK_INT(parse_fail("", msg, sizeof msg), WCR_E_PARSE);
    CHECK_STR(msg, "JSON: line 1, column 1 (byte 0): unexpected end of input, expected a value");
    CHECK(rejects("  \n "));
    CHECK_INT(parse_fail("[1] x", msg, sizeof msg), WCR_E_PARSE);
    CHECK_STR(msg, "JSON: line 1, column 5 (byte 4): unexpected 'x' after the JSON value");
    CHECK(rejects("1 2"));
    CHECK(rejects("{}{}"));
    CHECK(rejects("[1]]"));
    CHECK(rejects("\"a\"\""));
    /* RFC 8259 whitespace is only space, tab, CR, LF. */
    CHECK(rejects("\f[]"));
    CHECK(rejects("[]\v"));
    CHECK(rejects("[1,\xC2\xA0 2]"));
}

TEST(rejects_a_byte_order_mark)
{
    char msg[256];
    CHECK_INT(parse_fail("\xEF\xBB\xBF{}", msg, sizeof msg), WCR_E_PARSE);
    CHECK(contains(msg, "byte order mark"));
    CHECK(rejects("\xEF\xBB\xBF"));
    CHECK(rejects(" \xEF\xBB\xBF{}"));
}

TEST(error_names_line_column_and_byte)
{
    char msg[256];
    CHECK_INT(parse_fail("{\n  \"a\": 1,\n  \"b\" 2\n}", msg, sizeof msg), WCR_E_PARSE);
    CHECK_STR(msg, "JSON: line 3, column 7 (byte 18): expected ':' after object key, found '2'");
    /* The column counts characters, the byte offset bytes. */
    CHECK_INT(parse_fail("[\"\xC3\xA9\xC3\xA9\xC3\xA9\", x]", msg, sizeof msg), WCR_E_PARSE);
    CHECK_STR(msg, "JSON: line 1, column 9 (byte 11): expected a value, found 'x'");
    CHECK_INT(parse_fail("[\n\n\x01]", msg, sizeof msg), WCR_E_PARSE);
    CHECK_STR(msg, "JSON: line 3, column 1 (byte 3): expected a value, found byte 0x01");
}

TEST(errors_say_what_was_expected)
{
    static const struct {
        const char *text, *what;
    } cases[] = {
        { "[1 2]", "(byte 3): expected ',' or ']' after an array element, found '2'" },
        { "{\"a\":1 \"b\":2}", "(byte 7): expected ',' or '}' after an object member, found '\"'" },
        { "[1,]", "(byte 3): expected a value, found ']'" },
        { "{\"a\":1,}", "(byte 7): expected a string as object key, found '}'" },
        { "{1:2}", "(byte 1): expected a string as object key, found '1'" },
        { "{\"a\"}", "(byte 4): expected ':' after object key, found '}'" },
        { "[1, 2", "(byte 5): unexpected end of input in the array opened at line 1, column 1" },
        { "{\"a\":{", "(byte 6): expected a string as object key, found end of input" },
        { "{\"a\":[1", "opened at line 1, column 6" },
        { "[tru]", "(byte 1): invalid literal (expected 'true')" },
        { "[nul", "(byte 1): invalid literal (expected 'null')" },
        { "[True]", "(byte 1): expected a value, found 'T'" },
        { "[01]", "(byte 1): a number may not have a leading zero" },
        { "[-]", "(byte 2): expected a digit after '-'" },
        { "[1.]", "(byte 3): expected a digit after the decimal point" },
        { "[1e+]", "(byte 4): expected a digit in the exponent" },
        { "[\"abc", "(byte 1): unterminated string" },
        { "[\"a\nb\"]", "(byte 3): control character U+000A in a string must be escaped" },
        { "[\"\\x\"]", "(byte 2): invalid escape: backslash followed by 'x'" },
        { "[\"\\u12\"]", "(byte 2): invalid \\u escape: expected four hex digits" },
        { "[\"\xC3(\"]", "(byte 2): invalid UTF-8 in a string" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char msg[256];
        CHECK_INT(parse_fail(cases[i].text, msg, sizeof msg), WCR_E_PARSE);
        if (!contains(msg, cases[i].what))
            test_fail(__FILE__, __LINE__, "%s: got \"%s\", want \"...%s\"", cases[i].text, msg,
                      cases[i].what);
    }
}

TEST(strings_have_their_escapes_decoded)
{
    wcr_json_doc *doc = parse("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0041 \\u00e9 \\u20AC "
                              "\\ud83d\\ude00 \xE2\x82\xAC\"");
    REQUIRE(doc != NULL);
    size_t len = 0;
    const char *s = wcr_json_string_len(wcr_json_root(doc), &len);
    const char want[] = "\" \\ / \b \f \n \r \t A \xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xE2\x82\xAC";
    CHECK_MEM(s, len, want, sizeof want - 1);
    CHECK_INT(s[len], 0);
    wcr_json_doc_free(doc);
}

TEST(strings_may_hold_u0000_and_report_their_length)
{
    wcr_json_doc *doc = parse("{\"k\\u0000ey\": \"a\\u0000b\"}");
    REQUIRE(doc != NULL);
    const wcr_json *m = wcr_json_first(wcr_json_root(doc));
    size_t klen = 0, len = 0;
    const char *key = wcr_json_key_len(m, &klen);
    CHECK_MEM(key, klen, "k\0ey", 4);
    const char *s = wcr_json_string_len(m, &len);
    CHECK_MEM(s, len, "a\0b", 3);
    CHECK_STR(wcr_json_string(m), "a"); /* as a C string it stops there */
    CHECK(wcr_json_get(wcr_json_root(doc), "k") == NULL);
    wcr_json_doc_free(doc);
}

TEST(lone_surrogate_escapes_are_rejected)
{
    char msg[256];
    CHECK_INT(parse_fail("\"\\ud800\"", msg, sizeof msg), WCR_E_PARSE);
    CHECK(contains(msg, "lone high surrogate \\uD800"));
    CHECK_INT(parse_fail("\"\\uDC00\"", msg, sizeof msg), WCR_E_PARSE);
    CHECK(contains(msg, "lone low surrogate \\uDC00"));
    CHECK(rejects("\"\\ud800\\u0041\""));
    CHECK(rejects("\"\\ud800\\ud800\""));
    CHECK(rejects("\"\\ud800x\""));
    CHECK(rejects("\"\\ud800\\n\""));
    CHECK(rejects("\"\\ude00\\ud83d\""));
    /* The highest pair is fine. */
    wcr_json_doc *doc = parse("\"\\uDBFF\\uDFFF\"");
    CHECK(doc && strcmp(wcr_json_string(wcr_json_root(doc)), "\xF4\x8F\xBF\xBF") == 0);
    wcr_json_doc_free(doc);
}

TEST(invalid_utf8_is_rejected_in_and_out_of_strings)
{
    static const char *const bad[] = {
        "\"\xC3\"",             /* truncated */
        "\"\xC0\xAF\"",         /* overlong '/' */
        "\"\xE0\x80\xAF\"",     /* overlong, three bytes */
        "\"\xED\xA0\x80\"",     /* encoded surrogate */
        "\"\xF4\x90\x80\x80\"", /* above U+10FFFF */
        "\"\x80\"",             /* lone continuation */
        "\"\xFF\"",
        "[\xC3\xA9]", /* valid UTF-8, but not inside a string */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(rejects(bad[i]));
    wcr_json_doc *doc = parse("\"\xF4\x8F\xBF\xBF \xEF\xBF\xBF \x7F\"");
    CHECK(doc != NULL); /* U+10FFFF, U+FFFF and DEL are fine */
    wcr_json_doc_free(doc);
}

TEST(numbers_follow_the_grammar_and_keep_their_text)
{
    static const char *const good[] = {
        "0", "-0", "1.5", "1e10", "1E+2", "-1.25e-3", "0.0", "0e0",
        "123456789012345678901234567890", "1e99999",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        wcr_json_doc *doc = parse(good[i]);
        CHECK(doc != NULL);
        CHECK_STR(wcr_json_number_text(wcr_json_root(doc)), good[i]);
        wcr_json_doc_free(doc);
    }
    static const char *const bad[] = {
        "01", "-", "+1", ".5", "1.", "1e", "1e+", "0x10", "NaN", "Infinity", "-Infinity",
        "-01", "1.e3", "- 1", "1.5.2", "1e5e5", "00", "-.5", "0.e1", "1E",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (!rejects(bad[i]))
            test_fail(__FILE__, __LINE__, "accepted %s", bad[i]);
}

TEST(int64_accepts_only_exact_integers_in_range)
{
    static const struct {
        const char *text;
        int ok;
        int64_t v;
    } cases[] = {
        { "0", 0, 0 },
        { "-0", 0, 0 },
        { "42", 0, 42 },
        { "-42", 0, -42 },
        { "9223372036854775807", 0, INT64_MAX },
        { "-9223372036854775808", 0, INT64_MIN },
        { "9223372036854775808", -1, 0 },
        { "-9223372036854775809", -1, 0 },
        { "1e2", 0, 100 },
        { "1E+2", 0, 100 },
        { "100.0", 0, 100 },
        { "1000e-1", 0, 100 },
        { "1.5e1", 0, 15 },
        { "0.0001e4", 0, 1 },
        { "0.000e5", 0, 0 },
        { "0e999999999999999999999", 0, 0 },
        { "1e18", 0, INT64_C(1000000000000000000) },
        { "9.223372036854775807e18", 0, INT64_MAX },
        { "123456789012345678900000e-5", 0, INT64_C(1234567890123456789) },
        { "1e19", -1, 0 },
        { "1.5", -1, 0 },
        { "1e-1", -1, 0 },
        { "10e-2", -1, 0 },
        { "1e99999999999999999999", -1, 0 },
        { "1e-99999999999999999999", -1, 0 },
        { "123456789012345678901234567890", -1, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wcr_json_doc *doc = parse(cases[i].text);
        REQUIRE(doc != NULL);
        int64_t v = 12345;
        int rc = wcr_json_int64(wcr_json_root(doc), &v);
        if (rc != cases[i].ok || (rc == 0 && v != cases[i].v) || (rc < 0 && v != 12345))
            test_fail(__FILE__, __LINE__, "int64(%s): rc %d, value %lld", cases[i].text, rc,
                      (long long)v);
        wcr_json_doc_free(doc);
    }
}

TEST(uint64_accepts_only_exact_non_negative_integers)
{
    static const struct {
        const char *text;
        int ok;
        uint64_t v;
    } cases[] = {
        { "0", 0, 0 },
        { "-0", 0, 0 },
        { "-0.0e3", 0, 0 },
        { "18446744073709551615", 0, UINT64_MAX },
        { "18446744073709551616", -1, 0 },
        { "1e19", 0, UINT64_C(10000000000000000000) },
        { "1e20", -1, 0 },
        { "1.8446744073709551615e19", 0, UINT64_MAX },
        { "-1", -1, 0 },
        { "0.5", -1, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wcr_json_doc *doc = parse(cases[i].text);
        REQUIRE(doc != NULL);
        uint64_t v = 12345;
        int rc = wcr_json_uint64(wcr_json_root(doc), &v);
        if (rc != cases[i].ok || (rc == 0 && v != cases[i].v) || (rc < 0 && v != 12345))
            test_fail(__FILE__, __LINE__, "uint64(%s): rc %d, value %llu", cases[i].text, rc,
                      (unsigned long long)v);
        wcr_json_doc_free(doc);
    }
}

TEST(double_converts_and_rejects_overflow)
{
    wcr_json_doc *doc = parse("[1.5, -0, 0.1, 1e400, -1e400, 1e-400, 123456789012345678901234567890,"
                              " 1.7976931348623157e308, 2.2250738585072014e-308, \"1\"]");
    REQUIRE(doc != NULL);
    const wcr_json *a = wcr_json_root(doc);
    double d = 0;
    CHECK(wcr_json_double(wcr_json_at(a, 0), &d) == 0 && d == 1.5);
    CHECK(wcr_json_double(wcr_json_at(a, 1), &d) == 0 && d == 0 && signbit(d));
    CHECK(wcr_json_double(wcr_json_at(a, 2), &d) == 0 && d == 0.1);
    d = 7;
    CHECK_INT(wcr_json_double(wcr_json_at(a, 3), &d), -1);
    CHECK_INT(wcr_json_double(wcr_json_at(a, 4), &d), -1);
    CHECK(d == 7);
    CHECK(wcr_json_double(wcr_json_at(a, 5), &d) == 0 && d == 0);
    CHECK(wcr_json_double(wcr_json_at(a, 6), &d) == 0 && d == 1.2345678901234568e29);
    CHECK(wcr_json_double(wcr_json_at(a, 7), &d) == 0 && d == DBL_MAX);
    CHECK(wcr_json_double(wcr_json_at(a, 8), &d) == 0 && d == DBL_MIN);
    CHECK_INT(wcr_json_double(wcr_json_at(a, 9), &d), -1);
    CHECK_INT(wcr_json_double(NULL, &d), -1);
    wcr_json_doc_free(doc);
}

/* Switch to a locale whose decimal point is not '.', if one exists. */
static bool set_comma_locale(void)
{
    static const char *const names[] = {
        "de_DE.UTF-8", "de_DE.utf8", "de_DE", "fr_FR.UTF-8", "German_Germany.1252", "German",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (setlocale(LC_NUMERIC, names[i]) && strcmp(localeconv()->decimal_point, ".") != 0)
            return true;
    setlocale(LC_NUMERIC, "C");
    return false;
}

TEST(double_ignores_the_locale_decimal_point)
{
    if (!set_comma_locale())
        TEST_SKIP("no locale with a decimal comma is installed");
    wcr_json_doc *doc = parse("[1.5, 2.25e1, 3]");
    double a = 0, b = 0, c = 0;
    CHECK(doc != NULL);
    CHECK_INT(wcr_json_double(wcr_json_at(wcr_json_root(doc), 0), &a), 0);
    CHECK_INT(wcr_json_double(wcr_json_at(wcr_json_root(doc), 1), &b), 0);
    CHECK_INT(wcr_json_double(wcr_json_at(wcr_json_root(doc), 2), &c), 0);
    setlocale(LC_NUMERIC, "C");
    CHECK(a == 1.5);
    CHECK(b == 22.5);
    CHECK(c == 3);
    wcr_json_doc_free(doc);
}

TEST(accessors_answer_absent_for_null_and_wrong_types)
{
    CHECK_INT(wcr_json_type_of(NULL), WCR_JSON_NULL);
    CHECK(wcr_json_is_null(NULL));
    CHECK(!wcr_json_is_bool(NULL) && !wcr_json_is_number(NULL) && !wcr_json_is_string(NULL));
    CHECK(!wcr_json_is_array(NULL) && !wcr_json_is_object(NULL));
    CHECK(wcr_json_get(NULL, "a") == NULL);
    CHECK(wcr_json_at(NULL, 0) == NULL);
    CHECK(wcr_json_first(NULL) == NULL && wcr_json_next(NULL) == NULL);
    CHECK(wcr_json_key(NULL) == NULL && wcr_json_string(NULL) == NULL);
    CHECK(wcr_json_root(NULL) == NULL);
    CHECK_INT(wcr_json_len(NULL), 0);
    CHECK(!wcr_json_bool(NULL));
    wcr_json_doc_free(NULL);

    wcr_json_doc *doc = parse("{\"a\": [1], \"s\": \"x\", \"n\": 2, \"t\": true, \"f\": false, \"z\": null}");
    REQUIRE(doc != NULL);
    const wcr_json *o = wcr_json_root(doc), *arr = wcr_json_get(o, "a");
    CHECK(wcr_json_get(arr, "a") == NULL);
    CHECK(wcr_json_at(o, 0) == NULL);
    CHECK_INT(wcr_json_len(wcr_json_get(o, "s")), 0);
    CHECK(wcr_json_first(wcr_json_get(o, "n")) == NULL);
    CHECK(wcr_json_string(wcr_json_get(o, "n")) == NULL);
    CHECK(wcr_json_number_text(wcr_json_get(o, "s")) == NULL);
    CHECK(!wcr_json_bool(wcr_json_get(o, "n")));
    CHECK(wcr_json_bool(wcr_json_get(o, "t")));
    CHECK(!wcr_json_bool(wcr_json_get(o, "f")));
    CHECK(wcr_json_is_bool(wcr_json_get(o, "f")));
    CHECK(wcr_json_is_null(wcr_json_get(o, "z")) && wcr_json_get(o, "z") != NULL);
    CHECK(wcr_json_is_null(wcr_json_get(o, "missing")));
    CHECK(wcr_json_get(o, NULL) == NULL);
    CHECK_STR(wcr_json_get_string(o, "s"), "x");
    CHECK(wcr_json_get_string(o, "n") == NULL);
    int64_t i = 0;
    CHECK_INT(wcr_json_int64(wcr_json_get(o, "s"), &i), -1);
    CHECK(wcr_json_key(wcr_json_at(arr, 0)) == NULL); /* array elements have none */
    CHECK(wcr_json_key(o) == NULL);
    CHECK(wcr_json_next(o) == NULL); /* the root has no siblings */
    wcr_json_doc_free(doc);
}

TEST(type_names_are_stable)
{
    CHECK_STR(wcr_json_type_name(WCR_JSON_NULL), "null");
    CHECK_STR(wcr_json_type_name(WCR_JSON_TRUE), "boolean");
    CHECK_STR(wcr_json_type_name(WCR_JSON_FALSE), "boolean");
    CHECK_STR(wcr_json_type_name(WCR_JSON_NUMBER), "number");
    CHECK_STR(wcr_json_type_name(WCR_JSON_STRING), "string");
    CHECK_STR(wcr_json_type_name(WCR_JSON_ARRAY), "array");
    CHECK_STR(wcr_json_type_name(WCR_JSON_OBJECT), "object");
}

TEST(iteration_follows_document_order)
{
    wcr_json_doc *doc = parse("{\"b\": 1, \"a\": [true, null, \"x\"], \"c\": {}, \"\": 0}");
    REQUIRE(doc != NULL);
    const wcr_json *o = wcr_json_root(doc);
    const char *want[] = { "b", "a", "c", "" };
    size_t n = 0;
    for (const wcr_json *m = wcr_json_first(o); m; m = wcr_json_next(m), n++)
        if (n < 4)
            CHECK_STR(wcr_json_key(m), want[n]);
    CHECK_INT(n, 4);
    CHECK_INT(wcr_json_len(o), 4);
    const wcr_json *a = wcr_json_get(o, "a");
    CHECK_INT(wcr_json_len(a), 3);
    CHECK_INT(wcr_json_type_of(wcr_json_at(a, 0)), WCR_JSON_TRUE);
    CHECK_INT(wcr_json_type_of(wcr_json_at(a, 1)), WCR_JSON_NULL);
    CHECK_STR(wcr_json_string(wcr_json_at(a, 2)), "x");
    CHECK(wcr_json_at(a, 3) == NULL);
    CHECK(wcr_json_next(wcr_json_at(a, 0)) == wcr_json_at(a, 1));
    CHECK(wcr_json_next(wcr_json_at(a, 2)) == NULL);
    CHECK(wcr_json_first(wcr_json_get(o, "c")) == NULL);
    CHECK_INT(wcr_json_len(wcr_json_get(o, "c")), 0);
    CHECK(wcr_json_get(o, "") != NULL && wcr_json_get(o, "") == wcr_json_next(wcr_json_get(o, "c")));
    wcr_json_doc_free(doc);
}

TEST(duplicate_keys_are_rejected_where_the_second_one_is)
{
    char msg[256];
    CHECK_INT(parse_fail("{\"a\": 1, \"a\": 2}", msg, sizeof msg), WCR_E_PARSE);
    CHECK_STR(msg, "JSON: line 1, column 10 (byte 9): duplicate key \"a\" in an object");
    /* Keys compare after decoding. */
    CHECK_INT(parse_fail("{\"a\": 1, \"\\u0061\": 2}", msg, sizeof msg), WCR_E_PARSE);
    CHECK(contains(msg, "duplicate key \"a\""));
    CHECK(rejects("{\"x\": {\"a\": 1, \"b\": 2, \"a\": 3}}"));
    CHECK(rejects("{\"\": 1, \"\": 1}"));
    /* Same key in different objects, or differing only in case, is fine. */
    wcr_json_doc *doc = parse("{\"a\": {\"a\": 1}, \"b\": {\"a\": 2}, \"A\": 3, \"a\\u0000\": 4}");
    CHECK(doc != NULL);
    wcr_json_doc_free(doc);
    /* Long keys are cut short in the message. */
    char text[420];
    char key[201];
    memset(key, 'k', 200);
    key[200] = '\0';
    snprintf(text, sizeof text, "{\"%s\":1,\"%s\":2}", key, key);
    CHECK_INT(parse_fail(text, msg, sizeof msg), WCR_E_PARSE);
    CHECK(contains(msg, "duplicate key \"kkkkkkkkkk"));
    CHECK(contains(msg, "kkk...\" in an object"));
}

/* {"k0":0,"k1":1,...} with n members, plus `extra` text before the '}'. */
static char *big_object(size_t n, const char *extra)
{
    wcr_buf b = WCR_BUF_INIT("test", WCR_BUF_NO_LIMIT);
    wcr_buf_putc(&b, '{');
    for (size_t i = 0; i < n; i++)
        wcr_buf_printf(&b, "%s\"key-%zu\":%zu", i ? "," : "", i, i);
    wcr_buf_puts(&b, extra);
    wcr_buf_putc(&b, '}');
    return wcr_buf_detach(&b, NULL);
}

TEST(big_objects_are_indexed_for_duplicates_and_lookup)
{
    enum { N = 100000 };
    char *text = big_object(N, "");
    wcr_json_doc *doc = parse(text);
    free(text);
    REQUIRE(doc != NULL);
    const wcr_json *o = wcr_json_root(doc);
    CHECK_INT(wcr_json_len(o), N);
    for (size_t i = 0; i < N; i++) {
        char key[32];
        snprintf(key, sizeof key, "key-%zu", i);
        int64_t v = -1;
        if (wcr_json_int64(wcr_json_get(o, key), &v) < 0 || v != (int64_t)i) {
            test_fail(__FILE__, __LINE__, "lookup of %s", key);
            break;
        }
    }
    CHECK(wcr_json_get(o, "key-") == NULL);
    CHECK(wcr_json_get(o, "key-100000") == NULL);
    CHECK(wcr_json_get(o, "") == NULL);
    /* Document order survives the index. */
    size_t n = 0;
    for (const wcr_json *m = wcr_json_first(o); m; m = wcr_json_next(m), n++) {
        char key[32];
        snprintf(key, sizeof key, "key-%zu", n);
        if (strcmp(wcr_json_key(m), key) != 0) {
            test_fail(__FILE__, __LINE__, "member %zu is %s", n, wcr_json_key(m));
            break;
        }
    }
    CHECK_INT(n, N);
    wcr_json_doc_free(doc);

    /* A duplicate at the very end, and one in the middle: the message
     * points at the earliest second occurrence. */
    char msg[256];
    text = big_object(N, ",\"key-5\":0");
    CHECK_INT(parse_fail(text, msg, sizeof msg), WCR_E_PARSE);
    CHECK(contains(msg, "duplicate key \"key-5\""));
    free(text);
    text = big_object(20, ",\"key-19\":0,\"key-3\":0");
    CHECK_INT(parse_fail(text, msg, sizeof msg), WCR_E_PARSE);
    CHECK(contains(msg, "duplicate key \"key-19\""));
    free(text);
}

TEST(objects_around_the_index_threshold_find_every_member)
{
    for (size_t n = 1; n <= 20; n++) {
        char *text = big_object(n, "");
        wcr_json_doc *doc = parse(text);
        free(text);
        REQUIRE(doc != NULL);
        for (size_t i = 0; i < n; i++) {
            char key[32];
            snprintf(key, sizeof key, "key-%zu", i);
            const wcr_json *m = wcr_json_get(wcr_json_root(doc), key);
            CHECK(m != NULL && strcmp(wcr_json_key(m), key) == 0);
        }
        CHECK(wcr_json_get(wcr_json_root(doc), "key-99") == NULL);
        wcr_json_doc_free(doc);
        /* a duplicate of the first key at the end */
        char msg[256];
        text = big_object(n, ",\"key-0\":1");
        CHECK_INT(parse_fail(text, msg, sizeof msg), WCR_E_PARSE);
        free(text);
    }
}

/* n '[' then n ']'. */
static char *nested_arrays(size_t n)
{
    char *s = malloc(2 * n + 1);
    if (!s)
        return NULL;
    memset(s, '[', n);
    memset(s + n, ']', n);
    s[2 * n] = '\0';
    return s;
}

TEST(depth_limit_applies_and_says_so)
{
    char msg[256];
    char *ok = nested_arrays(WCR_JSON_DEFAULT_MAX_DEPTH);
    char *deep = nested_arrays(WCR_JSON_DEFAULT_MAX_DEPTH + 1);
    REQUIRE(ok && deep);
    wcr_json_doc *doc = parse(ok);
    CHECK(doc != NULL);
    wcr_json_doc_free(doc);
    CHECK_INT(parse_fail(deep, msg, sizeof msg), WCR_E_LIMIT);
    CHECK_STR(msg, "JSON: line 1, column 129 (byte 128): nesting exceeds the depth limit of 128");
    free(ok);
    free(deep);

    wcr_json_options opts = WCR_JSON_OPTIONS_INIT;
    opts.max_depth = 2;
    CHECK(wcr_json_parse(&doc, "[{\"a\":1}]", 9, &opts, NULL) == 0);
    wcr_json_doc_free(doc);
    CHECK_INT(parse_fail_opts("[{\"a\":[]}]", 10, &opts, msg, sizeof msg), WCR_E_LIMIT);
    CHECK(contains(msg, "depth limit of 2"));
    opts.max_depth = 1;
    CHECK(wcr_json_parse(&doc, "7", 1, &opts, NULL) == 0); /* scalars have no depth */
    wcr_json_doc_free(doc);
}

TEST(deep_nesting_does_not_use_the_c_stack)
{
    enum { DEPTH = 1000000 };
    char *text = nested_arrays(DEPTH);
    REQUIRE(text != NULL);
    wcr_json_options opts = WCR_JSON_OPTIONS_INIT;
    opts.max_depth = DEPTH;
    wcr_json_doc *doc = NULL;
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(wcr_json_parse(&doc, text, 2 * DEPTH, &opts, &err), 0);
    size_t depth = 0;
    for (const wcr_json *v = wcr_json_root(doc); v; v = wcr_json_first(v))
        depth++;
    CHECK_INT(depth, DEPTH);
    wcr_json_doc_free(doc);
    text[DEPTH * 2 - 1] = ' '; /* one bracket short */
    CHECK_INT(wcr_json_parse(&doc, text, 2 * DEPTH, &opts, &err), -1);
    CHECK_INT(err.code, WCR_E_PARSE);
    CHECK(doc == NULL);
    wcr_err_dispose(&err);
    free(text);
}

TEST(size_limit_applies_and_says_so)
{
    char msg[256];
    wcr_json_options opts = WCR_JSON_OPTIONS_INIT;
    opts.max_size = 10;
    CHECK_INT(parse_fail_opts("[1,2,3,4,5]", 11, &opts, msg, sizeof msg), WCR_E_LIMIT);
    CHECK_STR(msg, "JSON: document of 11 bytes exceeds the size limit of 10 bytes");
    wcr_json_doc *doc = NULL;
    CHECK_INT(wcr_json_parse(&doc, "[1,2,3,44]", 10, &opts, NULL), 0);
    wcr_json_doc_free(doc);
}

TEST(options_must_carry_their_version)
{
    char msg[256];
    wcr_json_options opts = { 0 };
    CHECK_INT(parse_fail_opts("1", 1, &opts, msg, sizeof msg), WCR_E_INVALID);
    CHECK(contains(msg, "options version"));
}

TEST(input_need_not_be_nul_terminated)
{
    /* Each case is copied into memory of exactly its length, so reading
     * one byte too far is caught by the sanitizers. */
    static const struct {
        const char *text;
        bool ok;
    } cases[] = {
        { "12", true },   { "-", false },    { "1.", false },  { "1e", false },
        { "tru", false }, { "\"ab", false }, { "\"\\", false }, { "\"\\u12", false },
        { "\"\\ud83d\\ude0", false }, { "[", false }, { "{\"a\"", false }, { "\"\xC3", false },
        { "\"\xF0\x9F\x98\x80\"", true }, { "nul", false }, { "\"\\ud83d\\", false },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len = strlen(cases[i].text);
        char *exact = malloc(len);
        REQUIRE(exact != NULL);
        memcpy(exact, cases[i].text, len);
        wcr_json_doc *doc = NULL;
        int rc = wcr_json_parse(&doc, exact, len, NULL, NULL);
        if ((rc == 0) != cases[i].ok)
            test_fail(__FILE__, __LINE__, "%s: rc %d", cases[i].text, rc);
        wcr_json_doc_free(doc);
        free(exact);
    }
    wcr_json_doc *doc = NULL;
    CHECK_INT(wcr_json_parse(&doc, "123", 2, NULL, NULL), 0);
    CHECK_STR(wcr_json_number_text(wcr_json_root(doc)), "12");
    wcr_json_doc_free(doc);
    CHECK_INT(wcr_json_parse(&doc, NULL, 0, NULL, NULL), -1);
}

static const char manifest[] =
    "{\n"
    "  \"schemaVersion\": 2,\n"
    "  \"mediaType\": \"application/vnd.oci.image.manifest.v1+json\",\n"
    "  \"config\": {\n"
    "    \"mediaType\": \"application/vnd.oci.image.config.v1+json\",\n"
    "    \"digest\": \"sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7\",\n"
    "    \"size\": 7023\n"
    "  },\n"
    "  \"layers\": [\n"
    "    {\n"
    "      \"mediaType\": \"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip\",\n"
    "      \"digest\": \"sha256:9038b92872bc268d5c975e84dd94e69848564b222ad116ee652c62e0c2f894b2\",\n"
    "      \"size\": 1511809432,\n"
    "      \"urls\": [\"https://mcr.microsoft.com/v2/windows/servercore/blobs/sha256:9038\"]\n"
    "    },\n"
    "    {\n"
    "      \"mediaType\": \"application/vnd.oci.image.layer.v1.tar+gzip\",\n"
    "      \"digest\": \"sha256:e692418e4cbaf90ca69d05a66403747baa33ee08806650b51fab815ad7fc331f\",\n"
    "      \"size\": 32654\n"
    "    }\n"
    "  ],\n"
    "  \"annotations\": {\"org.opencontainers.image.created\": \"2024-01-09T18:04:05Z\"}\n"
    "}\n";

TEST(reads_an_oci_manifest)
{
    wcr_json_doc *doc = parse(manifest);
    REQUIRE(doc != NULL);
    const wcr_json *root = wcr_json_root(doc);
    int64_t v = 0;
    CHECK(wcr_json_int64(wcr_json_get(root, "schemaVersion"), &v) == 0 && v == 2);
    CHECK_STR(wcr_json_string(wcr_json_get(wcr_json_get(root, "config"), "digest")),
              "sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7");
    const wcr_json *layers = wcr_json_get(root, "layers");
    CHECK_INT(wcr_json_len(layers), 2);
    CHECK(wcr_json_int64(wcr_json_get(wcr_json_at(layers, 0), "size"), &v) == 0 &&
          v == 1511809432);
    CHECK_STR(wcr_json_string(wcr_json_at(wcr_json_get(wcr_json_at(layers, 0), "urls"), 0)),
              "https://mcr.microsoft.com/v2/windows/servercore/blobs/sha256:9038");
    CHECK_STR(wcr_json_get_string(wcr_json_get(root, "annotations"),
                                  "org.opencontainers.image.created"),
              "2024-01-09T18:04:05Z");
    CHECK(wcr_json_get(wcr_json_get(root, "nothing"), "digest") == NULL);
    wcr_json_doc_free(doc);
}

TEST(every_truncation_of_a_document_is_rejected)
{
    size_t len = strlen(manifest);
    for (size_t n = 0; n < len - 2; n++) { /* the last two bytes are "}\n" */
        char *exact = malloc(n ? n : 1);
        REQUIRE(exact != NULL);
        memcpy(exact, manifest, n);
        wcr_json_doc *doc = NULL;
        wcr_err err = WCR_ERR_INIT;
        if (wcr_json_parse(&doc, exact, n, NULL, &err) == 0 || doc || err.code != WCR_E_PARSE)
            test_fail(__FILE__, __LINE__, "prefix of %zu bytes", n);
        wcr_json_doc_free(doc);
        wcr_err_dispose(&err);
        free(exact);
    }
}

TEST(errors_may_be_dropped)
{
    wcr_json_doc *doc = NULL;
    CHECK_INT(wcr_json_parse(&doc, "[", 1, NULL, NULL), -1);
    CHECK(doc == NULL);
}

TEST_MAIN()
