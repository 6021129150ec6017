/* httpget: one request through the OS's HTTP client (libcurl; WinHTTP in
 * the Windows build, run under Wine), for the integration tests.
 *
 *   httpget [-H 'Name: value']... [-X METHOD] [--head] [-d BODY] [-o FILE]
 *           [--connect-timeout MS] [--stall-timeout MS] [--cancel-after MS] URL
 *
 * Prints "status N", then the response headers as "Name: value" lines,
 * then "body N sha256:HEX" (its length and digest). The body itself goes
 * to FILE with -o (binary; stdout is left to text). --cancel-after calls
 * wcr_os_http_cancel() from another thread after MS milliseconds.
 * Exit 0 for any HTTP status, 1 for a transport error (on stderr, as
 * "httpget: CODE: message"), 2 for a bad command line. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "os/os.h"

#define MAX_HEADERS 32

typedef struct sink {
    FILE *out;
    wcr_os_sha256 *hash;
    unsigned long long len;
} sink;

static int on_response(void *ud, int status, const wcr_http_header *headers, size_t n, wcr_err *err)
{
    (void)ud, (void)err;
    printf("status %d\n", status);
    for (size_t i = 0; i < n; i++)
        printf("%s: %s\n", headers[i].name, headers[i].value);
    return 0;
}

static int on_body(void *ud, const void *data, size_t len, wcr_err *err)
{
    sink *s = ud;
    wcr_os_sha256_update(s->hash, data, len);
    s->len += len;
    if (s->out && fwrite(data, 1, len, s->out) != len)
        return wcr_err_set(err, WCR_E_IO, "writing the body failed");
    return 0;
}

/* --cancel-after: a thread that cancels unless told to stop first. */
typedef struct canceller {
    wcr_os_http *h;
    unsigned ms;
    wcr_os_mutex *mu;
    wcr_os_cond *cv;
    bool done;
} canceller;

static void cancel_later(void *arg)
{
    canceller *c = arg;
    uint64_t deadline = wcr_os_monotonic_ns() + (uint64_t)c->ms * 1000000u;
    wcr_os_mutex_lock(c->mu);
    while (!c->done && wcr_os_monotonic_ns() < deadline)
        wcr_os_cond_wait(c->cv, c->mu, deadline);
    bool fire = !c->done;
    wcr_os_mutex_unlock(c->mu);
    if (fire)
        wcr_os_http_cancel(c->h);
}

static int usage(void)
{
    fprintf(stderr, "usage: httpget [-H 'Name: value']... [-X METHOD] [--head] [-d BODY] [-o FILE]\n"
                    "               [--connect-timeout MS] [--stall-timeout MS] [--cancel-after MS] URL\n");
    return 2;
}

static bool parse_ms(const char *s, unsigned *out)
{
    int64_t v;
    if (!s || wcr_str_to_int64(s, 0, 3600000, &v) < 0)
        return false;
    *out = (unsigned)v;
    return true;
}

static int fail(wcr_err *err)
{
    char *m = wcr_err_format(err, true);
    fprintf(stderr, "httpget: %s: %s\n", wcr_err_code_name(err->code), m ? m : "failed");
    free(m);
    wcr_err_dispose(err);
    return 1;
}

int main(int argc, char **argv)
{
    wcr_err err = WCR_ERR_INIT;
    if (wcr_os_init_process(&argc, &argv, &err) < 0)
        return fail(&err);
    wcr_http_header headers[MAX_HEADERS];
    size_t nheaders = 0;
    wcr_http_request req = { .method = "GET" };
    const char *out_path = NULL;
    unsigned cancel_ms = 0;
    bool cancel = false;
    int a = 1;
    for (; a < argc && argv[a][0] == '-'; a++) {
        const char *opt = argv[a], *val = a + 1 < argc ? argv[a + 1] : NULL;
        if (strcmp(opt, "--head") == 0) {
            req.method = "HEAD";
            continue;
        }
        if (!val)
            return usage();
        a++;
        if (strcmp(opt, "-H") == 0) {
            char *colon = strchr(argv[a], ':'); /* argv is ours to cut up */
            if (!colon || nheaders == MAX_HEADERS)
                return usage();
            *colon = '\0';
            const char *v = colon + 1;
            while (*v == ' ')
                v++;
            headers[nheaders++] = (wcr_http_header){ argv[a], v };
        } else if (strcmp(opt, "-X") == 0) {
            req.method = val;
        } else if (strcmp(opt, "-d") == 0) {
            req.body = val;
            req.body_len = strlen(val);
        } else if (strcmp(opt, "-o") == 0) {
            out_path = val;
        } else if (strcmp(opt, "--connect-timeout") == 0) {
            if (!parse_ms(val, &req.connect_timeout_ms))
                return usage();
        } else if (strcmp(opt, "--stall-timeout") == 0) {
            if (!parse_ms(val, &req.stall_timeout_ms))
                return usage();
        } else if (strcmp(opt, "--cancel-after") == 0) {
            if (!parse_ms(val, &cancel_ms))
                return usage();
            cancel = true;
        } else {
            return usage();
        }
    }
    if (a != argc - 1)
        return usage();
    req.url = argv[a];
    req.headers = headers;
    req.nheaders = nheaders;

    sink s = { 0 };
    if (out_path && !(s.out = fopen(out_path, "wb"))) {
        fprintf(stderr, "httpget: cannot write %s\n", out_path);
        return 1;
    }
    wcr_os_http *h = NULL;
    canceller c = { 0 };
    wcr_os_thread *t = NULL;
    int rc = (s.hash = wcr_os_sha256_new(&err)) && (h = wcr_os_http_new(&err)) ? 0 : -1;
    if (rc == 0 && cancel) {
        c.h = h;
        c.ms = cancel_ms;
        rc = (c.mu = wcr_os_mutex_new(&err)) && (c.cv = wcr_os_cond_new(&err)) ? 0 : -1;
        if (rc == 0)
            rc = wcr_os_thread_start(&t, cancel_later, &c, &err);
    }
    if (rc == 0) {
        wcr_http_handler hd = { .ud = &s, .on_response = on_response, .on_body = on_body };
        rc = wcr_os_http_request(h, &req, &hd, &err);
    }
    if (t) {
        wcr_os_mutex_lock(c.mu);
        c.done = true;
        wcr_os_cond_broadcast(c.cv);
        wcr_os_mutex_unlock(c.mu);
        wcr_os_thread_join(t);
    }
    if (rc == 0) {
        uint8_t d[32];
        wcr_os_sha256_final(s.hash, d);
        printf("body %llu sha256:", s.len);
        for (int i = 0; i < 32; i++)
            printf("%02x", d[i]);
        printf("\n");
    }
    fflush(stdout);
    if (s.out && fclose(s.out) != 0 && rc == 0)
        rc = wcr_err_set(&err, WCR_E_IO, "writing %s failed", out_path);
    wcr_os_cond_free(c.cv);
    wcr_os_mutex_free(c.mu);
    wcr_os_http_free(h);
    wcr_os_sha256_free(s.hash);
    return rc == 0 ? 0 : fail(&err);
}
