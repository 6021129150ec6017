/* Tests of src/core/err.c: messages, context chains, causes. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "wcr/err.h"
#include "test.h"

/* wcr_err_format's result, compared and freed. */
#define CHECK_FORMAT(err, detail, want)                                        \
    do {                                                                       \
        char *f_ = wcr_err_format((err), (detail));                            \
        CHECK_STR(f_, want);                                                   \
        free(f_);                                                              \
    } while (0)

TEST(set_formats_the_message_and_returns_minus_one)
{
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(wcr_err_set(&err, WCR_E_PARSE, "manifest %s: %s at byte %d", "sha256:abc", "bad", 7), -1);
    CHECK_INT(err.code, WCR_E_PARSE);
    CHECK_STR(err.msg, "manifest sha256:abc: bad at byte 7");
    CHECK(wcr_err_is(&err, WCR_E_PARSE));
    CHECK(!wcr_err_is(&err, WCR_E_IO));
    CHECK_FORMAT(&err, false, "manifest sha256:abc: bad at byte 7");
    CHECK_FORMAT(&err, true, "manifest sha256:abc: bad at byte 7 [parse]");
    wcr_err_dispose(&err);
}

TEST(set_replaces_an_earlier_error)
{
    wcr_err err = WCR_ERR_INIT;
    wcr_err_set_cause(&err, WCR_E_REMOTE, WCR_CAUSE_HTTP, 500, "boom", "first");
    wcr_err_set(&err, WCR_E_IO, "second");
    CHECK_INT(err.code, WCR_E_IO);
    CHECK_STR(err.msg, "second");
    CHECK_INT(err.cause, WCR_CAUSE_NONE);
    CHECK(err.cause_msg == NULL);
    wcr_err_dispose(&err);
}

TEST(set_may_quote_the_message_it_replaces)
{
    wcr_err err = WCR_ERR_INIT;
    wcr_err_set(&err, WCR_E_IO, "inner");
    wcr_err_set(&err, WCR_E_PROTO, "outer (was: %s)", err.msg);
    CHECK_STR(err.msg, "outer (was: inner)");
    wcr_err_dispose(&err);
}

TEST(wrap_builds_a_chain_outermost_first)
{
    wcr_err err = WCR_ERR_INIT;
    wcr_err_set(&err, WCR_E_NOT_FOUND, "c");
    CHECK_INT(wcr_err_wrap(&err, "b"), -1);
    CHECK_INT(wcr_err_wrap(&err, "%s", "a"), -1);
    CHECK_STR(err.msg, "a: b: c");
    CHECK_INT(err.code, WCR_E_NOT_FOUND); /* the code is the innermost one */
    CHECK_FORMAT(&err, false, "a: b: c");
    wcr_err_dispose(&err);
}

TEST(wrap_keeps_the_cause)
{
    wcr_err err = WCR_ERR_INIT;
    wcr_err_set_cause(&err, WCR_E_REMOTE, WCR_CAUSE_GRPC, 5, "content sha256:abc: not found",
                      "read blob");
    wcr_err_wrap(&err, "pull %s", "busybox");
    CHECK_INT(err.cause, WCR_CAUSE_GRPC);
    CHECK_INT(err.cause_code, 5);
    CHECK_FORMAT(&err, false, "pull busybox: read blob: content sha256:abc: not found");
    CHECK_FORMAT(&err, true,
                 "pull busybox: read blob: content sha256:abc: not found [gRPC NotFound (5)]");
    wcr_err_dispose(&err);
}

TEST(wrap_of_no_error_still_gives_an_error)
{
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(wcr_err_wrap(&err, "context"), -1);
    CHECK(err.code != WCR_E_OK);
    CHECK_STR(err.msg, "context");
    wcr_err_dispose(&err);
}

TEST(errno_cause_is_kept_with_its_text)
{
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(wcr_err_set_errno(&err, ENOENT, "open %s", "/etc/wcr.json"), -1);
    CHECK_INT(err.code, WCR_E_NOT_FOUND);
    CHECK_INT(err.cause, WCR_CAUSE_ERRNO);
    CHECK_INT(err.cause_code, ENOENT);
    REQUIRE(err.cause_msg != NULL);
    char *want = NULL;
    want = malloc(strlen(err.cause_msg) + 64);
    REQUIRE(want != NULL);
    strcpy(want, "load config: open /etc/wcr.json: ");
    strcat(want, strerror(ENOENT));
    wcr_err_wrap(&err, "load config");
    CHECK_FORMAT(&err, false, want);
    strcat(want, " [errno 2]");
    CHECK_FORMAT(&err, true, want);
    free(want);
    wcr_err_dispose(&err);
}

TEST(errno_values_map_to_codes)
{
    static const struct {
        int errnum;
        wcr_err_code code;
    } cases[] = {
        { ENOENT, WCR_E_NOT_FOUND }, { EEXIST, WCR_E_EXISTS },     { EACCES, WCR_E_PERMISSION },
        { EPERM, WCR_E_PERMISSION }, { ENOMEM, WCR_E_NOMEM },      { EINVAL, WCR_E_INVALID },
        { EPIPE, WCR_E_UNAVAILABLE }, { EINTR, WCR_E_CANCELLED }, { EIO, WCR_E_IO },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wcr_err err = WCR_ERR_INIT;
        wcr_err_set_errno(&err, cases[i].errnum, "x");
        CHECK_INT(err.code, cases[i].code);
        wcr_err_dispose(&err);
    }
}

TEST(hresult_detail_is_eight_hex_digits)
{
    wcr_err err = WCR_ERR_INIT;
    wcr_err_set_cause(&err, WCR_E_REMOTE, WCR_CAUSE_HRESULT, (int64_t)0x803B001BU,
                      "The network was not found", "create endpoint");
    wcr_err_wrap(&err, "network %s", "nat");
    CHECK_FORMAT(&err, true,
                 "network nat: create endpoint: The network was not found [HRESULT 0x803B001B]");
    wcr_err_dispose(&err);

    /* A negative HRESULT (as a signed 32-bit value) prints the same. */
    wcr_err_set_cause(&err, WCR_E_REMOTE, WCR_CAUSE_HRESULT, (int32_t)0x803B001BU, NULL, "x");
    CHECK_FORMAT(&err, true, "x [HRESULT 0x803B001B]");
    wcr_err_dispose(&err);
}

TEST(other_cause_kinds_have_their_detail)
{
    wcr_err err = WCR_ERR_INIT;
    wcr_err_set_cause(&err, WCR_E_OS, WCR_CAUSE_WIN32, 5, "Access is denied", "open pipe");
    CHECK_FORMAT(&err, true, "open pipe: Access is denied [Win32 error 5]");
    wcr_err_set_cause(&err, WCR_E_AUTH, WCR_CAUSE_HTTP, 401, NULL, "registry");
    CHECK_FORMAT(&err, true, "registry [HTTP 401]");
    CHECK_FORMAT(&err, false, "registry");
    wcr_err_set_cause(&err, WCR_E_REMOTE, WCR_CAUSE_CNI, 7, "bad config", "cni add");
    CHECK_FORMAT(&err, true, "cni add: bad config [CNI code 7]");
    wcr_err_set_cause(&err, WCR_E_REMOTE, WCR_CAUSE_GRPC, 99, "what", "call");
    CHECK_FORMAT(&err, true, "call: what [gRPC status 99]");
    wcr_err_set_cause(&err, WCR_E_REMOTE, WCR_CAUSE_GRPC, 16, "", "call");
    CHECK(err.cause_msg == NULL); /* an empty cause text is dropped */
    CHECK_FORMAT(&err, true, "call [gRPC Unauthenticated (16)]");
    wcr_err_dispose(&err);
}

TEST(set_cause_may_reuse_the_old_cause_text)
{
    wcr_err err = WCR_ERR_INIT;
    wcr_err_set_cause(&err, WCR_E_REMOTE, WCR_CAUSE_GRPC, 5, "not found", "inner");
    wcr_err_set_cause(&err, WCR_E_NOT_FOUND, err.cause, err.cause_code, err.cause_msg, "outer");
    CHECK_STR(err.cause_msg, "not found");
    CHECK_FORMAT(&err, true, "outer: not found [gRPC NotFound (5)]");
    wcr_err_dispose(&err);
}

TEST(format_of_no_error)
{
    wcr_err err = WCR_ERR_INIT;
    CHECK_FORMAT(&err, true, "no error");
    CHECK_FORMAT(NULL, false, "no error");
}

TEST(null_err_is_accepted_everywhere)
{
    CHECK_INT(wcr_err_set(NULL, WCR_E_IO, "x %d", 1), -1);
    CHECK_INT(wcr_err_set_cause(NULL, WCR_E_IO, WCR_CAUSE_ERRNO, 2, "y", "x"), -1);
    CHECK_INT(wcr_err_set_errno(NULL, ENOENT, "x"), -1);
    CHECK_INT(wcr_err_wrap(NULL, "ctx"), -1);
    CHECK(!wcr_err_is(NULL, WCR_E_OK));
    wcr_err_dispose(NULL);
    wcr_err_move(NULL, NULL);
    char *f = wcr_err_format(NULL, true);
    CHECK_STR(f, "no error");
    free(f);
}

TEST(move_transfers_and_resets_the_source)
{
    wcr_err a = WCR_ERR_INIT, b = WCR_ERR_INIT;
    wcr_err_set_cause(&a, WCR_E_REMOTE, WCR_CAUSE_HTTP, 404, "nope", "fetch");
    wcr_err_set(&b, WCR_E_IO, "old contents, released by the move");
    wcr_err_move(&b, &a);
    CHECK_INT(b.code, WCR_E_REMOTE);
    CHECK_STR(b.msg, "fetch");
    CHECK_STR(b.cause_msg, "nope");
    CHECK_INT(a.code, WCR_E_OK);
    CHECK(a.msg == NULL && a.cause_msg == NULL && a.cause == WCR_CAUSE_NONE);
    wcr_err_dispose(&a);
    wcr_err_dispose(&b);
}

TEST(move_to_itself_keeps_the_error)
{
    wcr_err a = WCR_ERR_INIT;
    wcr_err_set(&a, WCR_E_IO, "keep me");
    wcr_err_move(&a, &a);
    CHECK_INT(a.code, WCR_E_IO);
    CHECK_STR(a.msg, "keep me");
    wcr_err_dispose(&a);
}

TEST(move_to_null_drops_the_error)
{
    wcr_err a = WCR_ERR_INIT;
    wcr_err_set(&a, WCR_E_IO, "dropped");
    wcr_err_move(NULL, &a);
    CHECK_INT(a.code, WCR_E_OK);
    CHECK(a.msg == NULL);
    wcr_err b = WCR_ERR_INIT;
    wcr_err_set(&b, WCR_E_IO, "stays");
    wcr_err_move(&b, NULL); /* nothing to move: dst is cleared */
    CHECK_INT(b.code, WCR_E_OK);
    wcr_err_dispose(&b);
}

TEST(dispose_resets_for_reuse)
{
    wcr_err err = WCR_ERR_INIT;
    wcr_err_set_cause(&err, WCR_E_IO, WCR_CAUSE_ERRNO, 5, "I/O error", "read");
    wcr_err_dispose(&err);
    CHECK_INT(err.code, WCR_E_OK);
    CHECK(err.msg == NULL && err.cause_msg == NULL);
    CHECK_INT(err.cause, WCR_CAUSE_NONE);
    CHECK_INT(err.cause_code, 0);
    wcr_err_dispose(&err); /* twice is fine */
}

TEST(code_names_are_stable)
{
    CHECK_STR(wcr_err_code_name(WCR_E_OK), "ok");
    CHECK_STR(wcr_err_code_name(WCR_E_NOT_FOUND), "not-found");
    CHECK_STR(wcr_err_code_name(WCR_E_NOMEM), "no-memory");
    CHECK_STR(wcr_err_code_name(WCR_E_INTERNAL), "internal");
    CHECK_STR(wcr_err_code_name(WCR_E__COUNT), "unknown");
    CHECK_STR(wcr_err_code_name((wcr_err_code)-1), "unknown");
    for (int c = 0; c < WCR_E__COUNT; c++)
        CHECK(wcr_err_code_name((wcr_err_code)c) != NULL);
}

TEST(an_error_without_a_message_formats_its_code)
{
    /* What a failed allocation of the message leaves: a code, no text. */
    wcr_err err = WCR_ERR_INIT;
    err.code = WCR_E_NOMEM;
    CHECK_FORMAT(&err, false, "out of memory");
    wcr_err_wrap(&err, "pull %s", "busybox");
    CHECK_FORMAT(&err, false, "pull busybox: out of memory");
    wcr_err_dispose(&err);

    err.code = WCR_E_TIMEOUT;
    CHECK_FORMAT(&err, true, "timeout [timeout]");
    wcr_err_wrap(&err, "wait");
    CHECK_FORMAT(&err, false, "wait: timeout");
    wcr_err_dispose(&err);
}

TEST_MAIN()
