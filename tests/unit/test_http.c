/* The OS's HTTP client (libcurl; WinHTTP under Wine) where no server is
 * needed: refused connections, bad URLs, cancellation before a request.
 * Requests to a live registry are in tests/integration/http.bats. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "os/os.h"
#include "test.h"

/* Nothing listens on port 1 (tcpmux) on a test machine; a test that finds
 * something there skips. */
#define CLOSED_URL "http://127.0.0.1:1/v2/"

typedef struct seen {
    int responses;
    size_t body;
} seen;

static int on_response(void *ud, int status, const wcr_http_header *headers, size_t n, wcr_err *err)
{
    (void)status, (void)headers, (void)n, (void)err;
    ((seen *)ud)->responses++;
    return 0;
}

static int on_body(void *ud, const void *data, size_t len, wcr_err *err)
{
    (void)data, (void)err;
    ((seen *)ud)->body += len;
    return 0;
}

static wcr_os_http *new_client(void)
{
    wcr_err err = WCR_ERR_INIT;
    wcr_os_http *h = wcr_os_http_new(&err);
    if (!h) {
        test_fail(__FILE__, __LINE__, "wcr_os_http_new: %s", err.msg ? err.msg : "?");
        wcr_err_dispose(&err);
    }
    return h;
}

/* One GET of url on h; the error (if any) in *err. */
static int get(wcr_os_http *h, const char *url, seen *s, wcr_err *err)
{
    wcr_http_request req = { .method = "GET", .url = url, .connect_timeout_ms = 20000,
                             .stall_timeout_ms = 20000 };
    wcr_http_handler hd = { .ud = s, .on_response = on_response, .on_body = on_body };
    return wcr_os_http_request(h, &req, &hd, err);
}

TEST(a_closed_port_fails_fast_with_unavailable)
{
    wcr_os_http *h = new_client();
    REQUIRE(h);
    seen s = { 0 };
    wcr_err err = WCR_ERR_INIT;
    uint64_t t0 = wcr_os_monotonic_ns();
    int rc = get(h, CLOSED_URL, &s, &err);
    uint64_t ms = (wcr_os_monotonic_ns() - t0) / 1000000;
    if (rc == 0) {
        wcr_os_http_free(h);
        TEST_SKIP("something answers on 127.0.0.1:1");
    }
    CHECK_INT(rc, -1);
    CHECK_INT(s.responses, 0);
    CHECK_INT(err.code, WCR_E_UNAVAILABLE);
    /* Refused, not timed out: far below the 20 s connect timeout. */
    if (ms > 10000)
        test_fail(__FILE__, __LINE__, "took %llu ms", (unsigned long long)ms);
    /* The message says what was asked; the library's own words follow. */
    char *msg = wcr_err_format(&err, true);
    REQUIRE(msg);
    if (!strstr(msg, "GET " CLOSED_URL))
        test_fail(__FILE__, __LINE__, "no request in: %s", msg);
    CHECK(err.cause_msg && err.cause_msg[0]);
    printf("# %s\n", msg);
    free(msg);
    wcr_err_dispose(&err);
    wcr_os_http_free(h);
}

TEST(one_client_fails_the_same_way_again_and_again)
{
    wcr_os_http *h = new_client();
    REQUIRE(h);
    for (int i = 0; i < 3; i++) {
        seen s = { 0 };
        wcr_err err = WCR_ERR_INIT;
        int rc = get(h, CLOSED_URL, &s, &err);
        if (rc == 0) {
            wcr_os_http_free(h);
            TEST_SKIP("something answers on 127.0.0.1:1");
        }
        CHECK_INT(err.code, WCR_E_UNAVAILABLE);
        wcr_err_dispose(&err);
    }
    wcr_os_http_free(h);
}

TEST(headers_and_a_post_body_are_accepted_before_connecting)
{
    wcr_os_http *h = new_client();
    REQUIRE(h);
    wcr_http_header hdrs[] = {
        { "Accept", "application/vnd.oci.image.index.v1+json" },
        { "Authorization", "Basic dXNlcjpwYXNz" },
        { "X-Empty", "" },
    };
    static const char body[] = "grant_type=password&username=u";
    wcr_http_request req = { .method = "POST", .url = "http://127.0.0.1:1/token?x=1", .headers = hdrs,
                             .nheaders = 3, .body = body, .body_len = sizeof body - 1,
                             .connect_timeout_ms = 20000 };
    seen s = { 0 };
    wcr_http_handler hd = { .ud = &s, .on_response = on_response, .on_body = on_body };
    wcr_err err = WCR_ERR_INIT;
    int rc = wcr_os_http_request(h, &req, &hd, &err);
    if (rc == 0) {
        wcr_os_http_free(h);
        TEST_SKIP("something answers on 127.0.0.1:1");
    }
    CHECK_INT(err.code, WCR_E_UNAVAILABLE);
    wcr_err_dispose(&err);
    wcr_os_http_free(h);
}

TEST(invalid_urls_are_errors)
{
    static const char *const bad[] = {
        "not a url",
        "ftp://127.0.0.1:1/file",
        "http://",
        "",
    };
    wcr_os_http *h = new_client();
    REQUIRE(h);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        seen s = { 0 };
        wcr_err err = WCR_ERR_INIT;
        int rc = get(h, bad[i], &s, &err);
        if (rc != -1 || err.code != WCR_E_INVALID) {
            char *msg = wcr_err_format(&err, true);
            test_fail(__FILE__, __LINE__, "\"%s\": rc %d, %s (%s)", bad[i], rc,
                      wcr_err_code_name(err.code), msg ? msg : "no message");
            free(msg);
        }
        CHECK_INT(s.responses, 0);
        wcr_err_dispose(&err);
    }
    wcr_os_http_free(h);
}

TEST(a_request_needs_a_method_and_a_url)
{
    wcr_os_http *h = new_client();
    REQUIRE(h);
    wcr_http_request req = { .method = "GET" };
    wcr_http_handler hd = { 0 };
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(wcr_os_http_request(h, &req, &hd, &err), -1);
    CHECK_INT(err.code, WCR_E_INVALID);
    wcr_err_dispose(&err);
    wcr_os_http_free(h);
}

TEST(cancel_before_a_request_cancels_it_until_reset)
{
    wcr_os_http *h = new_client();
    REQUIRE(h);
    wcr_os_http_cancel(h);
    for (int i = 0; i < 2; i++) {
        seen s = { 0 };
        wcr_err err = WCR_ERR_INIT;
        uint64_t t0 = wcr_os_monotonic_ns();
        CHECK_INT(get(h, CLOSED_URL, &s, &err), -1);
        CHECK_INT(err.code, WCR_E_CANCELLED);
        CHECK_INT(s.responses, 0);
        CHECK((wcr_os_monotonic_ns() - t0) / 1000000 < 2000);
        CHECK(err.msg && strstr(err.msg, "cancelled"));
        wcr_err_dispose(&err);
    }
    /* After a reset the client works again (and meets the closed port). */
    wcr_os_http_reset_cancel(h);
    seen s = { 0 };
    wcr_err err = WCR_ERR_INIT;
    if (get(h, CLOSED_URL, &s, &err) == 0) {
        wcr_os_http_free(h);
        TEST_SKIP("something answers on 127.0.0.1:1");
    }
    CHECK_INT(err.code, WCR_E_UNAVAILABLE);
    wcr_err_dispose(&err);
    wcr_os_http_free(h);
}

TEST(null_clients_are_no_ops)
{
    wcr_os_http_free(NULL);
    wcr_os_http_cancel(NULL);
    wcr_os_http_reset_cancel(NULL);
}

TEST_MAIN()
