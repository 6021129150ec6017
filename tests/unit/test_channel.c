/* Tests of src/containerd/channel.c: the whole HTTP/2 + gRPC stack over a
 * real local endpoint (a unix socket here, a named pipe under Wine),
 * against the test server in h2_server.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "containerd/channel.h"
#include "core/grpc.h"
#include "h2_server.h"
#include "os/os.h"
#include "test.h"

/* Requests name what the handler should do: "/t/Echo", "/t/Fail", ... */
static void handler(void *ud, const char *path, const uint8_t *body, size_t len, srv_reply *r)
{
    (void)ud;
    const uint8_t *msg = len >= 5 ? body + 5 : body;
    size_t mlen = len >= 5 ? len - 5 : 0;
    if (strcmp(path, "/t/Echo") == 0) {
        wcr_grpc_frame(&r->messages, msg, mlen, NULL);
    } else if (strcmp(path, "/t/Fail") == 0) {
        r->status = WCR_GRPC_NOT_FOUND;
        r->message = "snapshot \"nope\": not found";
    } else if (strcmp(path, "/t/Stream") == 0) {
        /* As many 1 MiB messages as the request's first byte says. */
        size_t n = mlen ? msg[0] : 0;
        uint8_t *chunk = malloc(1 << 20);
        for (size_t i = 0; i < n; i++) {
            memset(chunk, (int)i, 1 << 20);
            wcr_grpc_frame(&r->messages, chunk, 1 << 20, NULL);
        }
        free(chunk);
    } else if (strcmp(path, "/t/Size") == 0) {
        char text[32];
        snprintf(text, sizeof text, "%zu", len);
        wcr_grpc_frame(&r->messages, text, strlen(text), NULL);
    } else if (strcmp(path, "/t/Reset") == 0) {
        r->action = SRV_RESET;
    } else if (strcmp(path, "/t/Goaway") == 0) {
        r->action = SRV_GOAWAY;
    } else if (strcmp(path, "/t/HangUp") == 0) {
        r->action = SRV_HANG_UP;
    } else if (strcmp(path, "/t/Never") == 0) {
        r->action = SRV_NO_ANSWER;
    } else {
        r->status = WCR_GRPC_UNIMPLEMENTED;
    }
}

static wcr_channel *connect_to(h2srv *srv)
{
    wcr_err err = WCR_ERR_INIT;
    wcr_channel *ch = wcr_channel_open(h2srv_path(srv), "testd", 2000, &err);
    if (!ch) {
        char *m = wcr_err_format(&err, true);
        printf("    connect: %s\n", m);
        free(m);
    }
    wcr_err_dispose(&err);
    return ch;
}

TEST(unary_call_round_trips)
{
    h2srv *srv = h2srv_start(handler, NULL);
    REQUIRE(srv);
    wcr_channel *ch = connect_to(srv);
    REQUIRE(ch);
    wcr_buf resp = WCR_BUF_INIT("resp", WCR_BUF_NO_LIMIT);
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(wcr_channel_unary(ch, "/t/Echo", "ping", 4, &resp, NULL, &err), 0);
    CHECK_STR(wcr_buf_cstr(&resp), "ping");
    /* An empty message is a message too. */
    CHECK_INT(wcr_channel_unary(ch, "/t/Echo", NULL, 0, &resp, NULL, &err), 0);
    CHECK_INT(resp.len, 0);
    CHECK_INT(h2srv_requests(srv), 2);
    wcr_err_dispose(&err);
    wcr_buf_dispose(&resp);
    wcr_channel_close(ch);
    h2srv_stop(srv);
}

TEST(error_status_carries_the_servers_message)
{
    h2srv *srv = h2srv_start(handler, NULL);
    REQUIRE(srv);
    wcr_channel *ch = connect_to(srv);
    REQUIRE(ch);
    wcr_buf resp = WCR_BUF_INIT("resp", WCR_BUF_NO_LIMIT);
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(wcr_channel_unary(ch, "/t/Fail", "x", 1, &resp, NULL, &err), -1);
    CHECK_INT(err.code, WCR_E_NOT_FOUND);
    char *m = wcr_err_format(&err, false);
    CHECK_STR(m, "testd: snapshot \"nope\": not found");
    free(m);
    wcr_err_dispose(&err);
    CHECK_INT(wcr_channel_unary(ch, "/t/Unknown", "x", 1, &resp, NULL, &err), -1);
    CHECK_INT(err.code, WCR_E_UNSUPPORTED);
    wcr_err_dispose(&err);
    wcr_buf_dispose(&resp);
    wcr_channel_close(ch);
    h2srv_stop(srv);
}

TEST(large_streamed_response_does_not_stall)
{
    h2srv *srv = h2srv_start(handler, NULL);
    REQUIRE(srv);
    wcr_channel *ch = connect_to(srv);
    REQUIRE(ch);
    wcr_err err = WCR_ERR_INIT;
    wcr_call *c = wcr_call_start(ch, "/t/Stream", NULL, &err);
    REQUIRE(c);
    uint8_t n = 40; /* 40 MiB: more than every window */
    CHECK_INT(wcr_call_send(c, &n, 1, true, &err), 0);
    wcr_buf msg = WCR_BUF_INIT("msg", WCR_BUF_NO_LIMIT);
    int count = 0, rc;
    size_t total = 0;
    while ((rc = wcr_call_recv(c, &msg, &err)) == 1) {
        CHECK_INT((uint8_t)msg.data[0], count);
        CHECK_INT((uint8_t)msg.data[msg.len - 1], count);
        total += msg.len;
        count++;
    }
    CHECK_INT(rc, 0);
    CHECK_INT(count, 40);
    CHECK(total == (size_t)40 << 20);
    wcr_buf_dispose(&msg);
    wcr_call_free(c);
    wcr_err_dispose(&err);
    wcr_channel_close(ch);
    h2srv_stop(srv);
}

TEST(large_request_is_sent_whole)
{
    h2srv *srv = h2srv_start(handler, NULL);
    REQUIRE(srv);
    wcr_channel *ch = connect_to(srv);
    REQUIRE(ch);
    size_t n = (size_t)6 << 20;
    char *big = calloc(1, n);
    REQUIRE(big);
    wcr_buf resp = WCR_BUF_INIT("resp", WCR_BUF_NO_LIMIT);
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(wcr_channel_unary(ch, "/t/Size", big, n, &resp, NULL, &err), 0);
    char want[32];
    snprintf(want, sizeof want, "%zu", n + 5);
    CHECK_STR(wcr_buf_cstr(&resp), want);
    free(big);
    wcr_err_dispose(&err);
    wcr_buf_dispose(&resp);
    wcr_channel_close(ch);
    h2srv_stop(srv);
}

typedef struct worker {
    wcr_channel *ch;
    int id, ok;
} worker;

static void worker_main(void *arg)
{
    worker *w = arg;
    wcr_buf resp = WCR_BUF_INIT("resp", WCR_BUF_NO_LIMIT);
    for (int i = 0; i < 25; i++) {
        char req[32];
        snprintf(req, sizeof req, "w%d-%d", w->id, i);
        wcr_err err = WCR_ERR_INIT;
        if (wcr_channel_unary(w->ch, "/t/Echo", req, strlen(req), &resp, NULL, &err) == 0 &&
            strcmp(wcr_buf_cstr(&resp), req) == 0)
            w->ok++;
        wcr_err_dispose(&err);
    }
    wcr_buf_dispose(&resp);
}

TEST(calls_from_many_threads_share_the_connection)
{
    h2srv *srv = h2srv_start(handler, NULL);
    REQUIRE(srv);
    wcr_channel *ch = connect_to(srv);
    REQUIRE(ch);
    enum { N = 8 };
    worker w[N];
    wcr_os_thread *t[N];
    for (int i = 0; i < N; i++) {
        w[i] = (worker){ ch, i, 0 };
        REQUIRE(wcr_os_thread_start(&t[i], worker_main, &w[i], NULL) == 0);
    }
    int ok = 0;
    for (int i = 0; i < N; i++) {
        wcr_os_thread_join(t[i]);
        ok += w[i].ok;
    }
    CHECK_INT(ok, N * 25);
    wcr_channel_close(ch);
    h2srv_stop(srv);
}

TEST(deadline_ends_a_call_that_gets_no_answer)
{
    h2srv *srv = h2srv_start(handler, NULL);
    REQUIRE(srv);
    wcr_channel *ch = connect_to(srv);
    REQUIRE(ch);
    wcr_call_options o = { .timeout_ns = 200000000ULL };
    wcr_buf resp = WCR_BUF_INIT("resp", WCR_BUF_NO_LIMIT);
    wcr_err err = WCR_ERR_INIT;
    uint64_t t0 = wcr_os_monotonic_ns();
    CHECK_INT(wcr_channel_unary(ch, "/t/Never", "x", 1, &resp, &o, &err), -1);
    uint64_t took = wcr_os_monotonic_ns() - t0;
    CHECK_INT(err.code, WCR_E_TIMEOUT);
    CHECK(took >= 190000000ULL && took < 5000000000ULL);
    wcr_err_dispose(&err);
    /* The connection is still good. */
    CHECK_INT(wcr_channel_unary(ch, "/t/Echo", "ok", 2, &resp, NULL, &err), 0);
    wcr_err_dispose(&err);
    wcr_buf_dispose(&resp);
    wcr_channel_close(ch);
    h2srv_stop(srv);
}

typedef struct canceller {
    wcr_call *call;
} canceller;

static void cancel_soon(void *arg)
{
    wcr_os_sleep_ms(100);
    wcr_call_cancel(((canceller *)arg)->call);
}

TEST(cancel_from_another_thread_stops_a_wait)
{
    h2srv *srv = h2srv_start(handler, NULL);
    REQUIRE(srv);
    wcr_channel *ch = connect_to(srv);
    REQUIRE(ch);
    wcr_err err = WCR_ERR_INIT;
    wcr_call *c = wcr_call_start(ch, "/t/Never", NULL, &err);
    REQUIRE(c);
    CHECK_INT(wcr_call_send(c, "x", 1, true, &err), 0);
    canceller cc = { c };
    wcr_os_thread *t;
    REQUIRE(wcr_os_thread_start(&t, cancel_soon, &cc, NULL) == 0);
    wcr_buf msg = WCR_BUF_INIT("msg", WCR_BUF_NO_LIMIT);
    CHECK_INT(wcr_call_recv(c, &msg, &err), -1);
    CHECK_INT(err.code, WCR_E_CANCELLED);
    wcr_os_thread_join(t);
    wcr_buf_dispose(&msg);
    wcr_call_free(c);
    wcr_err_dispose(&err);
    wcr_channel_close(ch);
    h2srv_stop(srv);
}

TEST(server_hanging_up_mid_call_fails_every_call_quickly)
{
    h2srv *srv = h2srv_start(handler, NULL);
    REQUIRE(srv);
    wcr_channel *ch = connect_to(srv);
    REQUIRE(ch);
    wcr_buf resp = WCR_BUF_INIT("resp", WCR_BUF_NO_LIMIT);
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(wcr_channel_unary(ch, "/t/HangUp", "x", 1, &resp, NULL, &err), -1);
    CHECK_INT(err.code, WCR_E_UNAVAILABLE);
    CHECK(err.msg && strstr(err.msg, "testd closed the connection"));
    wcr_err_dispose(&err);
    uint64_t t0 = wcr_os_monotonic_ns();
    CHECK_INT(wcr_channel_unary(ch, "/t/Echo", "x", 1, &resp, NULL, &err), -1);
    CHECK(wcr_os_monotonic_ns() - t0 < 1000000000ULL);
    CHECK_INT(err.code, WCR_E_UNAVAILABLE);
    wcr_err_dispose(&err);
    wcr_buf_dispose(&resp);
    wcr_channel_close(ch);
    h2srv_stop(srv);
}

TEST(reset_and_goaway_from_the_server_are_errors)
{
    h2srv *srv = h2srv_start(handler, NULL);
    REQUIRE(srv);
    wcr_channel *ch = connect_to(srv);
    REQUIRE(ch);
    wcr_buf resp = WCR_BUF_INIT("resp", WCR_BUF_NO_LIMIT);
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(wcr_channel_unary(ch, "/t/Reset", "x", 1, &resp, NULL, &err), -1);
    CHECK(err.msg && strstr(err.msg, "testd reset the call (CANCEL)"));
    wcr_err_dispose(&err);
    CHECK_INT(wcr_channel_unary(ch, "/t/Goaway", "x", 1, &resp, NULL, &err), -1);
    CHECK_INT(err.code, WCR_E_UNAVAILABLE);
    wcr_err_dispose(&err);
    /* After GOAWAY no new call starts on this connection. */
    CHECK_INT(wcr_channel_unary(ch, "/t/Echo", "x", 1, &resp, NULL, &err), -1);
    CHECK_INT(err.code, WCR_E_UNAVAILABLE);
    wcr_err_dispose(&err);
    wcr_buf_dispose(&resp);
    wcr_channel_close(ch);
    h2srv_stop(srv);
}

TEST(connecting_to_nothing_fails_at_once)
{
    wcr_err err = WCR_ERR_INIT;
    const char *path = strcmp(wcr_os_name(), "windows") == 0 ? "\\\\.\\pipe\\wcr-test-nobody-here"
                                                              : "/nonexistent/wcr-test.sock";
    uint64_t t0 = wcr_os_monotonic_ns();
    CHECK(wcr_channel_open(path, "testd", 1000, &err) == NULL);
    CHECK(wcr_os_monotonic_ns() - t0 < 2000000000ULL);
    CHECK_INT(err.code, WCR_E_NOT_FOUND);
    CHECK(err.msg && strstr(err.msg, path));
    wcr_err_dispose(&err);
}

TEST_MAIN()
