/* Tests of src/core/utf.c: UTF-8 validation and UTF-8 <-> UTF-16. */
#include <stdlib.h>
#include <string.h>

#include "core/utf.h"
#include "test.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

typedef struct bytes {
    const char *s;
    size_t n;
} bytes;

#define B(lit) { lit, sizeof(lit) - 1 }

TEST(decode_reads_each_length_at_its_bounds)
{
    static const struct {
        bytes in;
        size_t len;
        uint32_t cp;
    } cases[] = {
        { B("\x00"), 1, 0x00 },
        { B("\x7f"), 1, 0x7F },
        { B("\xc2\x80"), 2, 0x80 },
        { B("\xdf\xbf"), 2, 0x7FF },
        { B("\xe0\xa0\x80"), 3, 0x800 },
        { B("\xed\x9f\xbf"), 3, 0xD7FF },
        { B("\xee\x80\x80"), 3, 0xE000 },
        { B("\xef\xbf\xbd"), 3, 0xFFFD },
        { B("\xef\xbf\xbf"), 3, 0xFFFF },
        { B("\xf0\x90\x80\x80"), 4, 0x10000 },
        { B("\xf0\x9f\x98\x80"), 4, 0x1F600 },
        { B("\xf4\x8f\xbf\xbf"), 4, 0x10FFFF },
        /* Only the first sequence is read. */
        { B("\xc3\x9c" "abc"), 2, 0xDC },
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        uint32_t cp = 0xFFFFFFFF;
        size_t len = wcr_utf8_decode((const unsigned char *)cases[i].in.s, cases[i].in.n, &cp);
        CHECK_INT(len, cases[i].len);
        CHECK_INT(cp, cases[i].cp);
    }
}

static const struct {
    const char *why;
    bytes in;
} invalid[] = {
    { "overlong NUL", B("\xc0\x80") },
    { "overlong 2-byte", B("\xc1\xbf") },
    { "overlong 3-byte", B("\xe0\x80\x80") },
    { "overlong 3-byte max", B("\xe0\x9f\xbf") },
    { "overlong 4-byte", B("\xf0\x80\x80\x80") },
    { "overlong 4-byte max", B("\xf0\x8f\xbf\xbf") },
    { "surrogate U+D800", B("\xed\xa0\x80") },
    { "surrogate U+DBFF", B("\xed\xaf\xbf") },
    { "surrogate U+DC00", B("\xed\xb0\x80") },
    { "surrogate U+DFFF", B("\xed\xbf\xbf") },
    { "CESU-8 pair", B("\xed\xa0\xbd\xed\xb8\x80") },
    { "U+110000", B("\xf4\x90\x80\x80") },
    { "lead F5", B("\xf5\x80\x80\x80") },
    { "lead F8 (5 bytes)", B("\xf8\x88\x80\x80\x80") },
    { "lead FC (6 bytes)", B("\xfc\x84\x80\x80\x80\x80") },
    { "byte FE", B("\xfe") },
    { "byte FF", B("\xff") },
    { "truncated 2-byte", B("\xc3") },
    { "truncated 3-byte", B("\xe2\x9c") },
    { "truncated 4-byte", B("\xf0\x9f\x98") },
    { "stray continuation 80", B("\x80") },
    { "stray continuation BF", B("\xbf") },
    { "ASCII where a continuation belongs", B("\xc3\x28") },
    { "lead byte where a continuation belongs", B("\xe2\xc3\x9c") },
    { "nothing", B("") },
};

TEST(decode_rejects_invalid_sequences)
{
    for (size_t i = 0; i < COUNT(invalid); i++) {
        uint32_t cp = 0;
        size_t len = wcr_utf8_decode((const unsigned char *)invalid[i].in.s, invalid[i].in.n, &cp);
        if (len != 0)
            test_fail(__FILE__, __LINE__, "%s: decoded as %zu bytes, U+%04X", invalid[i].why, len,
                      (unsigned)cp);
    }
}

TEST(valid_rejects_what_decode_rejects)
{
    for (size_t i = 0; i < COUNT(invalid); i++) {
        if (invalid[i].in.n == 0)
            continue;
        if (wcr_utf8_valid(invalid[i].in.s, invalid[i].in.n))
            test_fail(__FILE__, __LINE__, "%s: accepted", invalid[i].why);
    }
    CHECK(wcr_utf8_valid("", 0));
    CHECK(wcr_utf8_valid("plain ASCII", 11));
    CHECK(wcr_utf8_valid("a\0b", 3)); /* NUL is a character like any other */
    CHECK(wcr_utf8_valid("\xc3\x9cn\xc3\xaf" "c\xc3\xb8" "d\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80", 20));
    CHECK(!wcr_utf8_valid("abc\xe2\x9c", 5));        /* truncated at the end */
    CHECK(!wcr_utf8_valid("ab\xed\xa0\x80xy", 7));    /* surrogate inside */
    CHECK(wcr_utf8_valid("abc\xe2\x9c\x93", 6));
}

TEST(encode_and_decode_agree_on_every_code_point)
{
    unsigned char buf[4];
    size_t bad = 0;
    for (uint32_t cp = 0; cp <= 0x10FFFF && bad < 5; cp++) {
        size_t len = wcr_utf8_encode(cp, buf);
        if (cp >= 0xD800 && cp <= 0xDFFF) {
            if (len != 0) {
                test_fail(__FILE__, __LINE__, "surrogate U+%04X encoded", (unsigned)cp);
                bad++;
            }
            continue;
        }
        size_t want = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        uint32_t back = 0xFFFFFFFF;
        size_t got = wcr_utf8_decode(buf, len, &back);
        if (len != want || got != len || back != cp) {
            test_fail(__FILE__, __LINE__, "U+%04X: encoded %zu bytes, decoded %zu as U+%04X",
                      (unsigned)cp, len, got, (unsigned)back);
            bad++;
        }
    }
    CHECK_INT(wcr_utf8_encode(0x110000, buf), 0);
    CHECK_INT(wcr_utf8_encode(0xFFFFFFFF, buf), 0);
}

TEST(to_utf16_converts_bmp_text)
{
    /* "Ünïcødé ✓" */
    const char *s = "\xc3\x9cn\xc3\xaf" "c\xc3\xb8" "d\xc3\xa9 \xe2\x9c\x93";
    static const uint16_t want[] = { 0xDC, 'n', 0xEF, 'c', 0xF8, 'd', 0xE9, ' ', 0x2713 };
    size_t len = 99;
    wcr_err err = WCR_ERR_INIT;
    uint16_t *w = wcr_utf8_to_utf16(s, strlen(s), &len, &err);
    REQUIRE(w != NULL);
    CHECK_MEM(w, len * 2, want, sizeof want);
    CHECK_INT(w[len], 0);
    CHECK_INT(wcr_utf16_len(w), len);
    free(w);
}

TEST(to_utf16_makes_surrogate_pairs_for_non_bmp)
{
    /* U+1F600, U+10000, U+10FFFF around ASCII */
    const char *s = "a\xf0\x9f\x98\x80" "b\xf0\x90\x80\x80\xf4\x8f\xbf\xbf";
    static const uint16_t want[] = { 'a', 0xD83D, 0xDE00, 'b', 0xD800, 0xDC00, 0xDBFF, 0xDFFF };
    size_t len = 0;
    uint16_t *w = wcr_utf8_to_utf16(s, strlen(s), &len, NULL);
    REQUIRE(w != NULL);
    CHECK_MEM(w, len * 2, want, sizeof want);
    CHECK_INT(w[len], 0);
    free(w);
}

TEST(to_utf16_of_nothing_is_an_empty_string)
{
    uint16_t *w = wcr_utf8_to_utf16("", 0, NULL, NULL);
    REQUIRE(w != NULL);
    CHECK_INT(w[0], 0);
    free(w);
}

TEST(to_utf16_names_the_offset_of_invalid_utf8)
{
    static const struct {
        bytes in;
        const char *offset;
    } cases[] = {
        { B("\xff"), "byte 0" },
        { B("ab\xc3(cd"), "byte 2" },
        { B("abc\xe2\x9c"), "byte 3" },
        { B("\xc3\x9c\xc3\x9c\x80"), "byte 4" },
        { B("12345678901\xed\xa0\x80"), "byte 11" },
        { B("\xf0\x9f\x98\x80\xf4\x90\x80\x80"), "byte 4" },
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        wcr_err err = WCR_ERR_INIT;
        size_t len = 42;
        uint16_t *w = wcr_utf8_to_utf16(cases[i].in.s, cases[i].in.n, &len, &err);
        CHECK(w == NULL);
        CHECK(wcr_err_is(&err, WCR_E_INVALID));
        if (!err.msg || !strstr(err.msg, cases[i].offset))
            test_fail(__FILE__, __LINE__, "case %zu: message \"%s\" does not name %s", i,
                      err.msg ? err.msg : "(null)", cases[i].offset);
        free(w);
        wcr_err_dispose(&err);
    }
    /* err == NULL is accepted. */
    CHECK(wcr_utf8_to_utf16("\x80", 1, NULL, NULL) == NULL);
}

TEST(to_utf8_joins_surrogate_pairs)
{
    static const uint16_t w[] = { 'a', 0xD83D, 0xDE00, 0xDC, 0x2713, 0xD800, 0xDC00, 0xDBFF, 0xDFFF };
    const char want[] = "a\xf0\x9f\x98\x80\xc3\x9c\xe2\x9c\x93\xf0\x90\x80\x80\xf4\x8f\xbf\xbf";
    size_t len = 0;
    wcr_err err = WCR_ERR_INIT;
    char *s = wcr_utf16_to_utf8(w, COUNT(w), &len, &err);
    REQUIRE(s != NULL);
    CHECK_MEM(s, len, want, sizeof want - 1);
    CHECK_INT(s[len], 0);
    free(s);
}

TEST(to_utf8_turns_unpaired_surrogates_into_replacement_characters)
{
#define FFFD "\xef\xbf\xbd"
    static const struct {
        uint16_t w[4];
        size_t n;
        const char *want;
    } cases[] = {
        { { 0xD800 }, 1, FFFD },                       /* high alone */
        { { 0xDC00 }, 1, FFFD },                       /* low alone */
        { { 'a', 0xD83D }, 2, "a" FFFD },              /* high at the end */
        { { 0xD83D, 'b' }, 2, FFFD "b" },              /* high then not a low */
        { { 0xDE00, 0xD83D }, 2, FFFD FFFD },          /* pair reversed */
        { { 0xD83D, 0xD83D, 0xDE00 }, 3, FFFD "\xf0\x9f\x98\x80" }, /* two highs */
        { { 0xDFFF, 'x' }, 2, FFFD "x" },
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        size_t len = 0;
        char *s = wcr_utf16_to_utf8(cases[i].w, cases[i].n, &len, NULL);
        CHECK_STR(s, cases[i].want);
        CHECK_INT(len, s ? strlen(s) : 0);
        free(s);
    }
#undef FFFD
}

TEST(to_utf8_of_nothing_is_an_empty_string)
{
    static const uint16_t w[] = { 0 };
    char *s = wcr_utf16_to_utf8(w, 0, NULL, NULL);
    CHECK_STR(s, "");
    free(s);
}

TEST(every_code_point_round_trips_through_utf16)
{
    /* All scalar values in one string: 1,112,064 of them. */
    size_t cap = 0x110000 * 4, n = 0;
    char *s = malloc(cap);
    REQUIRE(s != NULL);
    for (uint32_t cp = 1; cp <= 0x10FFFF; cp++)
        n += wcr_utf8_encode(cp, (unsigned char *)s + n);
    size_t wlen = 0, back_len = 0;
    wcr_err err = WCR_ERR_INIT;
    uint16_t *w = wcr_utf8_to_utf16(s, n, &wlen, &err);
    char *back = w ? wcr_utf16_to_utf8(w, wlen, &back_len, &err) : NULL;
    CHECK(w != NULL);
    /* 0xFFFF - 1 - 2048 BMP units, two for each of the 0x100000 others. */
    CHECK_INT(wlen, (0xFFFF - 2048) + 2 * 0x100000);
    CHECK(back != NULL && back_len == n && memcmp(back, s, n) == 0);
    free(back);
    free(w);
    free(s);
    wcr_err_dispose(&err);
}

TEST(utf16_len_counts_to_the_nul)
{
    static const uint16_t w[] = { 'a', 0xD83D, 0xDE00, 0 };
    static const uint16_t empty[] = { 0 };
    CHECK_INT(wcr_utf16_len(w), 3);
    CHECK_INT(wcr_utf16_len(empty), 0);
}

TEST_MAIN()
