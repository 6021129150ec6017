/* SHA-256 from the OS (libcrypto; BCrypt under Wine): the NIST FIPS 180-2
 * examples, input split at every byte position, and reuse after reset. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "os/os.h"
#include "test.h"

/* NIST's examples (FIPS 180-2 appendix B, and the empty message). */
static const char ABC_HEX[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
static const char EMPTY_HEX[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
static const char MSG448[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char MSG448_HEX[] = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
static const char MSG896[] = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                             "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
static const char MSG896_HEX[] = "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1";
static const char MILLION_A_HEX[] = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";

/* A 200-byte message across three blocks, and digests of its prefixes at
 * the padding edges (55/56 bytes: the length still fits in the block or
 * not), from Python's hashlib. */
#define PATTERN_LEN 200
static const char PATTERN_HEX[] = "2c7e18c942ef065b526a2d4e5546283749cd3ddfb51d8fc71f42717363685f46";
static const struct {
    size_t len;
    const char *hex;
} PREFIXES[] = {
    { 55, "e7313d333c272e639f790978283f9eb392e843d0f29b7016828bb1daa4aac70b" },
    { 56, "4324d65f3c103567f5589c710bc08f8523f929a9272e3af36fc968e52abc6c27" },
    { 63, "81c80242132f230c3bd41b3e63bbcff16107339549214a99614ff26664625055" },
    { 64, "39e3d7b6b5d075d37d053ad89b24b41bef4f3c29760c84447cab3f3be1882241" },
    { 65, "aacca6ff74fdbb296d165a45cecfa04e5127bc008770fbbdd48006f2d2fae95e" },
    { 119, "9ce7368e4daf32341631b492e80359dc9f594b48453cd0dd5bf0b19279cc177e" },
    { 120, "7836b787757e95e58b3ca5aec90b1b004e8deba1e50e9675af9cabf1a13a04b5" },
};

static void pattern(uint8_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] = (uint8_t)(i * 7 + 3);
}

static void to_hex(const uint8_t d[32], char out[65])
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        out[2 * i] = digits[d[i] >> 4];
        out[2 * i + 1] = digits[d[i] & 15];
    }
    out[64] = '\0';
}

static wcr_os_sha256 *new_hash(void)
{
    wcr_err err = WCR_ERR_INIT;
    wcr_os_sha256 *h = wcr_os_sha256_new(&err);
    if (!h) {
        test_fail(__FILE__, __LINE__, "wcr_os_sha256_new: %s", err.msg ? err.msg : "?");
        wcr_err_dispose(&err);
    }
    return h;
}

/* The hex digest of h's input so far (h is finished). */
static void final_hex(wcr_os_sha256 *h, char out[65])
{
    uint8_t d[32];
    wcr_os_sha256_final(h, d);
    to_hex(d, out);
}

static void one_shot_hex(const void *data, size_t len, char out[65])
{
    wcr_os_sha256 *h = new_hash();
    out[0] = '\0';
    if (!h)
        return;
    wcr_os_sha256_update(h, data, len);
    final_hex(h, out);
    wcr_os_sha256_free(h);
}

TEST(nist_abc)
{
    char hex[65];
    one_shot_hex("abc", 3, hex);
    CHECK_STR(hex, ABC_HEX);
}

TEST(nist_empty_message)
{
    char hex[65];
    one_shot_hex("", 0, hex);
    CHECK_STR(hex, EMPTY_HEX);
    /* No update at all is the same empty message. */
    wcr_os_sha256 *h = new_hash();
    REQUIRE(h);
    final_hex(h, hex);
    CHECK_STR(hex, EMPTY_HEX);
    wcr_os_sha256_free(h);
}

TEST(nist_448_bit_message)
{
    char hex[65];
    one_shot_hex(MSG448, strlen(MSG448), hex);
    CHECK_STR(hex, MSG448_HEX);
}

TEST(nist_896_bit_message)
{
    char hex[65];
    one_shot_hex(MSG896, strlen(MSG896), hex);
    CHECK_STR(hex, MSG896_HEX);
}

TEST(nist_million_a_in_one_piece_and_in_chunks)
{
    size_t n = 1000000;
    char *a = malloc(n);
    REQUIRE(a);
    memset(a, 'a', n);
    char hex[65];
    one_shot_hex(a, n, hex);
    CHECK_STR(hex, MILLION_A_HEX);
    /* Uneven chunks that cross block boundaries everywhere. */
    wcr_os_sha256 *h = new_hash();
    if (h) {
        size_t done = 0, step = 1;
        while (done < n) {
            size_t k = step < n - done ? step : n - done;
            wcr_os_sha256_update(h, a + done, k);
            done += k;
            step = step * 3 % 1021 + 1;
        }
        final_hex(h, hex);
        CHECK_STR(hex, MILLION_A_HEX);
        wcr_os_sha256_free(h);
    }
    free(a);
}

TEST(prefixes_at_the_padding_edges)
{
    uint8_t m[PATTERN_LEN];
    pattern(m, sizeof m);
    char hex[65];
    one_shot_hex(m, sizeof m, hex);
    CHECK_STR(hex, PATTERN_HEX);
    for (size_t i = 0; i < sizeof PREFIXES / sizeof PREFIXES[0]; i++) {
        one_shot_hex(m, PREFIXES[i].len, hex);
        CHECK_STR(hex, PREFIXES[i].hex);
    }
}

TEST(split_at_every_byte_position)
{
    uint8_t m[PATTERN_LEN];
    pattern(m, sizeof m);
    wcr_os_sha256 *h = new_hash();
    REQUIRE(h);
    for (size_t i = 0; i <= sizeof m; i++) {
        char hex[65];
        wcr_os_sha256_reset(h);
        wcr_os_sha256_update(h, m, i);
        wcr_os_sha256_update(h, m + i, sizeof m - i);
        final_hex(h, hex);
        if (strcmp(hex, PATTERN_HEX) != 0) {
            test_fail(__FILE__, __LINE__, "split at %zu: %s", i, hex);
            break;
        }
    }
    wcr_os_sha256_free(h);
}

TEST(split_in_three_at_every_pair_of_positions)
{
    size_t n = strlen(MSG448);
    wcr_os_sha256 *h = new_hash();
    REQUIRE(h);
    unsigned bad = 0;
    for (size_t i = 0; i <= n; i++) {
        for (size_t j = i; j <= n; j++) {
            char hex[65];
            wcr_os_sha256_reset(h);
            wcr_os_sha256_update(h, MSG448, i);
            wcr_os_sha256_update(h, MSG448 + i, j - i);
            wcr_os_sha256_update(h, MSG448 + j, n - j);
            final_hex(h, hex);
            if (strcmp(hex, MSG448_HEX) != 0 && bad++ == 0)
                test_fail(__FILE__, __LINE__, "split at %zu and %zu: %s", i, j, hex);
        }
    }
    CHECK_INT(bad, 0);
    wcr_os_sha256_free(h);
}

TEST(one_byte_at_a_time)
{
    uint8_t m[PATTERN_LEN];
    pattern(m, sizeof m);
    wcr_os_sha256 *h = new_hash();
    REQUIRE(h);
    for (size_t i = 0; i < sizeof m; i++)
        wcr_os_sha256_update(h, m + i, 1);
    char hex[65];
    final_hex(h, hex);
    CHECK_STR(hex, PATTERN_HEX);
    wcr_os_sha256_free(h);
}

TEST(empty_updates_change_nothing)
{
    wcr_os_sha256 *h = new_hash();
    REQUIRE(h);
    wcr_os_sha256_update(h, NULL, 0);
    wcr_os_sha256_update(h, "a", 1);
    wcr_os_sha256_update(h, "", 0);
    wcr_os_sha256_update(h, "bc", 2);
    wcr_os_sha256_update(h, NULL, 0);
    char hex[65];
    final_hex(h, hex);
    CHECK_STR(hex, ABC_HEX);
    wcr_os_sha256_free(h);
}

TEST(reset_after_final_starts_a_new_message)
{
    wcr_os_sha256 *h = new_hash();
    REQUIRE(h);
    char hex[65];
    wcr_os_sha256_update(h, "abc", 3);
    final_hex(h, hex);
    CHECK_STR(hex, ABC_HEX);
    wcr_os_sha256_reset(h);
    final_hex(h, hex);
    CHECK_STR(hex, EMPTY_HEX);
    wcr_os_sha256_reset(h);
    wcr_os_sha256_update(h, MSG448, strlen(MSG448));
    final_hex(h, hex);
    CHECK_STR(hex, MSG448_HEX);
    /* Many rounds on one object (BCrypt re-creates its hash each time). */
    for (int i = 0; i < 100; i++) {
        wcr_os_sha256_reset(h);
        wcr_os_sha256_update(h, "abc", 3);
        final_hex(h, hex);
        if (strcmp(hex, ABC_HEX) != 0) {
            test_fail(__FILE__, __LINE__, "round %d: %s", i, hex);
            break;
        }
    }
    wcr_os_sha256_free(h);
}

TEST(reset_midway_drops_what_came_before)
{
    wcr_os_sha256 *h = new_hash();
    REQUIRE(h);
    wcr_os_sha256_update(h, MSG896, strlen(MSG896));
    wcr_os_sha256_reset(h);
    wcr_os_sha256_update(h, "abc", 3);
    char hex[65];
    final_hex(h, hex);
    CHECK_STR(hex, ABC_HEX);
    wcr_os_sha256_free(h);
}

TEST(independent_objects_do_not_mix)
{
    wcr_os_sha256 *a = new_hash(), *b = new_hash();
    if (a && b) {
        wcr_os_sha256_update(a, "a", 1);
        wcr_os_sha256_update(b, MSG448, 20);
        wcr_os_sha256_update(a, "bc", 2);
        wcr_os_sha256_update(b, MSG448 + 20, strlen(MSG448) - 20);
        char ha[65], hb[65];
        final_hex(a, ha);
        final_hex(b, hb);
        CHECK_STR(ha, ABC_HEX);
        CHECK_STR(hb, MSG448_HEX);
    }
    wcr_os_sha256_free(a);
    wcr_os_sha256_free(b);
}

TEST(free_null_is_a_no_op)
{
    wcr_os_sha256_free(NULL);
}

TEST_MAIN()
