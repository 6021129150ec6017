/* Tests of src/core/base64.c with the RFC 4648 section 10 vectors. */
#include <string.h>

#include "core/base64.h"
#include "test.h"

static const char *const vectors[][2] = {
    { "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" }, { "foo", "Zm9v" },
    { "foob", "Zm9vYg==" }, { "fooba", "Zm9vYmE=" }, { "foobar", "Zm9vYmFy" },
};

TEST(rfc4648_vectors_encode)
{
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        wcr_buf b = WCR_BUF_INIT("t", 64);
        CHECK_INT(wcr_base64_encode(&b, vectors[i][0], strlen(vectors[i][0])), 0);
        CHECK_STR(wcr_buf_cstr(&b), vectors[i][1]);
        wcr_buf_dispose(&b);
    }
}

TEST(rfc4648_vectors_decode)
{
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        wcr_buf b = WCR_BUF_INIT("t", 64);
        CHECK_INT(wcr_base64_decode(&b, vectors[i][1], strlen(vectors[i][1]), NULL), 0);
        CHECK_STR(wcr_buf_cstr(&b), vectors[i][0]);
        wcr_buf_dispose(&b);
    }
}

TEST(all_byte_values_round_trip)
{
    unsigned char all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (unsigned char)i;
    wcr_buf enc = WCR_BUF_INIT("e", 1024), dec = WCR_BUF_INIT("d", 1024);
    REQUIRE(wcr_base64_encode(&enc, all, sizeof all) == 0);
    REQUIRE(wcr_base64_decode(&dec, enc.data, enc.len, NULL) == 0);
    CHECK_MEM(dec.data, dec.len, all, sizeof all);
    wcr_buf_dispose(&enc);
    wcr_buf_dispose(&dec);
}

TEST(malformed_input_is_refused)
{
    const char *bad[] = { "Zg=", "Zg==Zg==", "Z===", "Zm9v\n", "Zm 9", "Zm9=v===", "=Zm9" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        wcr_buf b = WCR_BUF_INIT("t", 64);
        wcr_err err = WCR_ERR_INIT;
        CHECK_INT(wcr_base64_decode(&b, bad[i], strlen(bad[i]), &err), -1);
        CHECK_INT(err.code, WCR_E_PARSE);
        wcr_err_dispose(&err);
        wcr_buf_dispose(&b);
    }
}

TEST_MAIN()
