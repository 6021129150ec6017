/* Tests of src/core/grpc.c: framing, headers, responses and statuses. */
#include <stdlib.h>
#include <string.h>

#include "core/grpc.h"
#include "test.h"

typedef struct got {
    int n;
    wcr_buf all;
} got;

static int collect(void *ud, const uint8_t *msg, size_t len, wcr_err *err)
{
    (void)err;
    got *g = ud;
    g->n++;
    wcr_buf_append(&g->all, msg, len);
    wcr_buf_putc(&g->all, '|');
    return 0;
}

static void feed_header(wcr_grpc_response *r, const char *n, const char *v)
{
    CHECK_INT(wcr_grpc_response_header(r, n, strlen(n), v, strlen(v), NULL), 0);
}

TEST(timeout_text_uses_at_most_eight_digits)
{
    char t[16];
    wcr_grpc_timeout_text(1, t);
    CHECK_STR(t, "1n");
    wcr_grpc_timeout_text(99999999, t);
    CHECK_STR(t, "99999999n");
    wcr_grpc_timeout_text(100000000, t); /* 0.1 s */
    CHECK_STR(t, "100000u");
    wcr_grpc_timeout_text(30ULL * 1000000000ULL, t);
    CHECK_STR(t, "30000000u");
    wcr_grpc_timeout_text(100000001, t); /* rounds up, never shortens */
    CHECK_STR(t, "100001u");
    wcr_grpc_timeout_text(UINT64_MAX, t);
    CHECK_STR(t, "5124096H");
}

TEST(request_headers_carry_path_and_metadata)
{
    wcr_h2_header h[WCR_GRPC_MAX_HEADERS + 8];
    wcr_grpc_header_storage st;
    wcr_grpc_metadata md[] = { { "containerd-namespace", "k8s.io" } };
    int n = wcr_grpc_request_headers(h, sizeof h / sizeof h[0], "/svc/M", NULL, 2000000000ULL, md, 1, &st, NULL);
    REQUIRE(n == 9);
    CHECK_STR(h[0].name, ":method");
    CHECK_STR(h[0].value, "POST");
    CHECK_STR(h[2].value, "/svc/M");
    CHECK_STR(h[4].value, "application/grpc");
    CHECK_STR(h[5].name, "te");
    CHECK_STR(h[5].value, "trailers");
    CHECK_STR(h[7].name, "grpc-timeout");
    CHECK_STR(h[7].value, "2000000u");
    CHECK_STR(h[8].name, "containerd-namespace");
    CHECK_STR(h[8].value, "k8s.io");
}

TEST(frame_prefixes_length)
{
    wcr_buf b = WCR_BUF_INIT("t", WCR_BUF_NO_LIMIT);
    CHECK_INT(wcr_grpc_frame(&b, "abc", 3, NULL), 0);
    CHECK_MEM(b.data, b.len, "\0\0\0\0\3abc", 8);
    wcr_buf_reset(&b);
    CHECK_INT(wcr_grpc_frame(&b, NULL, 0, NULL), 0);
    CHECK_MEM(b.data, b.len, "\0\0\0\0\0", 5);
    wcr_buf_dispose(&b);
}

TEST(messages_are_reassembled_across_any_split)
{
    wcr_buf wire = WCR_BUF_INIT("t", WCR_BUF_NO_LIMIT);
    wcr_grpc_frame(&wire, "first", 5, NULL);
    wcr_grpc_frame(&wire, "", 0, NULL);
    wcr_grpc_frame(&wire, "third message", 13, NULL);
    for (size_t a = 0; a <= wire.len; a++) {
        wcr_grpc_response r;
        wcr_grpc_response_init(&r, 0);
        got g = { 0, WCR_BUF_INIT("g", WCR_BUF_NO_LIMIT) };
        const uint8_t *p = (const uint8_t *)wire.data;
        CHECK_INT(wcr_grpc_response_data(&r, p, a, collect, &g, NULL), 0);
        CHECK_INT(wcr_grpc_response_data(&r, p + a, wire.len - a, collect, &g, NULL), 0);
        CHECK_INT(g.n, 3);
        CHECK_STR(wcr_buf_cstr(&g.all), "first||third message|");
        wcr_buf_dispose(&g.all);
        wcr_grpc_response_dispose(&r);
    }
    wcr_buf_dispose(&wire);
}

TEST(compressed_or_oversized_messages_are_refused)
{
    wcr_grpc_response r;
    wcr_grpc_response_init(&r, 10);
    got g = { 0, WCR_BUF_INIT("g", WCR_BUF_NO_LIMIT) };
    wcr_err err = WCR_ERR_INIT;
    const uint8_t comp[] = { 1, 0, 0, 0, 1, 'x' };
    CHECK_INT(wcr_grpc_response_data(&r, comp, sizeof comp, collect, &g, &err), -1);
    CHECK(strstr(err.msg, "compressed"));
    wcr_err_dispose(&err);
    wcr_grpc_response_dispose(&r);

    wcr_grpc_response_init(&r, 10);
    const uint8_t big[] = { 0, 0, 0, 0, 11 };
    CHECK_INT(wcr_grpc_response_data(&r, big, sizeof big, collect, &g, &err), -1);
    CHECK_INT(err.code, WCR_E_LIMIT);
    CHECK(strstr(err.msg, "exceeds the limit"));
    wcr_err_dispose(&err);
    wcr_grpc_response_dispose(&r);
    CHECK_INT(g.n, 0);
    wcr_buf_dispose(&g.all);
}

TEST(ok_response_finishes_cleanly)
{
    wcr_grpc_response r;
    wcr_grpc_response_init(&r, 0);
    feed_header(&r, ":status", "200");
    feed_header(&r, "content-type", "application/grpc+proto");
    CHECK_INT(wcr_grpc_response_headers_done(&r, false, NULL), 0);
    feed_header(&r, "grpc-status", "0");
    CHECK_INT(wcr_grpc_response_headers_done(&r, true, NULL), 0);
    CHECK_INT(wcr_grpc_response_finish(&r, "containerd", NULL), 0);
    wcr_grpc_response_dispose(&r);
}

TEST(error_status_keeps_the_servers_message)
{
    wcr_grpc_response r;
    wcr_grpc_response_init(&r, 0);
    /* Trailers-only: one header block with the status and END_STREAM. */
    feed_header(&r, ":status", "200");
    feed_header(&r, "content-type", "application/grpc");
    feed_header(&r, "grpc-status", "5");
    feed_header(&r, "grpc-message", "snapshot %22x%22: not found%");
    CHECK_INT(wcr_grpc_response_headers_done(&r, true, NULL), 0);
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(wcr_grpc_response_finish(&r, "containerd", &err), -1);
    CHECK_INT(err.code, WCR_E_NOT_FOUND);
    CHECK_INT(err.cause, WCR_CAUSE_GRPC);
    CHECK_INT(err.cause_code, 5);
    char *text = wcr_err_format(&err, true);
    CHECK_STR(text, "containerd: snapshot \"x\": not found% [gRPC NotFound (5)]");
    free(text);
    wcr_err_dispose(&err);
    wcr_grpc_response_dispose(&r);
}

TEST(status_without_message_gets_a_readable_text)
{
    wcr_err err = WCR_ERR_INIT;
    wcr_grpc_status_error(&err, WCR_GRPC_UNIMPLEMENTED, NULL, "containerd");
    CHECK_INT(err.code, WCR_E_UNSUPPORTED);
    char *text = wcr_err_format(&err, false);
    CHECK_STR(text, "containerd: not implemented");
    free(text);
    wcr_err_dispose(&err);
}

TEST(non_grpc_answers_are_errors)
{
    wcr_grpc_response r;
    wcr_grpc_response_init(&r, 0);
    feed_header(&r, ":status", "404");
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(wcr_grpc_response_headers_done(&r, true, &err), -1);
    CHECK_INT(err.cause, WCR_CAUSE_HTTP);
    CHECK_INT(err.cause_code, 404);
    wcr_err_dispose(&err);
    wcr_grpc_response_dispose(&r);

    wcr_grpc_response_init(&r, 0);
    feed_header(&r, ":status", "200");
    feed_header(&r, "content-type", "text/html");
    CHECK_INT(wcr_grpc_response_headers_done(&r, false, &err), -1);
    CHECK(strstr(err.msg, "not application/grpc"));
    wcr_err_dispose(&err);
    wcr_grpc_response_dispose(&r);

    wcr_grpc_response_init(&r, 0);
    CHECK_INT(wcr_grpc_response_header(&r, ":status", 7, "abc", 3, &err), -1);
    wcr_err_dispose(&err);
    CHECK_INT(wcr_grpc_response_header(&r, "grpc-status", 11, "-1", 2, &err), -1);
    wcr_err_dispose(&err);
    wcr_grpc_response_dispose(&r);
}

TEST(missing_status_or_cut_message_is_an_error)
{
    wcr_grpc_response r;
    wcr_grpc_response_init(&r, 0);
    feed_header(&r, ":status", "200");
    feed_header(&r, "content-type", "application/grpc");
    CHECK_INT(wcr_grpc_response_headers_done(&r, false, NULL), 0);
    const uint8_t part[] = { 0, 0, 0, 0, 9, 'a' };
    got g = { 0, WCR_BUF_INIT("g", WCR_BUF_NO_LIMIT) };
    CHECK_INT(wcr_grpc_response_data(&r, part, sizeof part, collect, &g, NULL), 0);
    r.ended = true;
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(wcr_grpc_response_finish(&r, "containerd", &err), -1);
    CHECK(strstr(err.msg, "inside a message"));
    wcr_err_dispose(&err);
    wcr_grpc_response_dispose(&r);
    wcr_buf_dispose(&g.all);

    wcr_grpc_response_init(&r, 0);
    r.ended = true;
    CHECK_INT(wcr_grpc_response_finish(&r, "containerd", &err), -1);
    CHECK(strstr(err.msg, "no grpc-status"));
    wcr_err_dispose(&err);
    wcr_grpc_response_dispose(&r);
}

TEST(status_codes_map_to_wcr_codes)
{
    CHECK_INT(wcr_grpc_status_code(WCR_GRPC_NOT_FOUND), WCR_E_NOT_FOUND);
    CHECK_INT(wcr_grpc_status_code(WCR_GRPC_ALREADY_EXISTS), WCR_E_EXISTS);
    CHECK_INT(wcr_grpc_status_code(WCR_GRPC_UNAVAILABLE), WCR_E_UNAVAILABLE);
    CHECK_INT(wcr_grpc_status_code(WCR_GRPC_DEADLINE_EXCEEDED), WCR_E_TIMEOUT);
    CHECK_INT(wcr_grpc_status_code(WCR_GRPC_FAILED_PRECONDITION), WCR_E_REMOTE);
    CHECK_INT(wcr_grpc_status_code(99), WCR_E_REMOTE);
}

TEST_MAIN()
