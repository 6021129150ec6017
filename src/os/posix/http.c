/* HTTP(S) through libcurl: one easy handle per wcr_os_http, reset between
 * requests so its connection cache keeps connections alive. Redirects are
 * not followed; TLS is verified (libcurl's defaults, never switched off).
 * A cancel from another thread sets a flag that the progress callback,
 * which libcurl calls at least about once a second, turns into an abort. */
#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "os/os.h"
#include "os/posix/posix.h"
#include "wcr/common.h"

#define MAX_RESPONSE_HEADERS 128

struct wcr_os_http {
    CURL *easy;
    atomic_int cancelled;
};

/* One request's state for the callbacks. */
typedef struct transfer {
    wcr_os_http *h;
    const wcr_http_handler *hd;
    int status;
    bool reported;           /* on_response was called */
    bool interim;            /* a 1xx response is being read: skip it */
    wcr_http_header headers[MAX_RESPONSE_HEADERS];
    size_t nheaders;
    wcr_err cb_err;          /* a callback's own failure */
    bool cb_failed;
    /* The stall clock: libcurl's low-speed check averages over several
     * seconds, so a stall right after fast bytes would be seen late. */
    uint64_t stall_ns;
    uint64_t header_bytes;   /* bytes the header callback saw */
    curl_off_t last_seen;    /* bytes moved at the last progress call */
    uint64_t last_move_ns;   /* when that count last changed */
    bool stalled;
} transfer;

/* libcurl, opened on first use (posix/dynlib.c says why). */
static struct {
    __typeof__(curl_global_init) *global_init;
    __typeof__(curl_easy_init) *easy_init;
    __typeof__(curl_easy_cleanup) *easy_cleanup;
    __typeof__(curl_easy_reset) *easy_reset;
    __typeof__(curl_easy_setopt) *easy_setopt;
    __typeof__(curl_easy_perform) *easy_perform;
    __typeof__(curl_easy_getinfo) *easy_getinfo;
    __typeof__(curl_easy_strerror) *easy_strerror;
    __typeof__(curl_slist_append) *slist_append;
    __typeof__(curl_slist_free_all) *slist_free_all;
} curl;

static wcr_posix_dynlib curl_lib;
static CURLcode init_rc;

static void load_curl(void)
{
    static const char *const sonames[] = { "libcurl.so.4", "libcurl-gnutls.so.4", NULL };
    static const wcr_posix_dynsym syms[] = {
        { "curl_global_init", &curl.global_init },
        { "curl_easy_init", &curl.easy_init },
        { "curl_easy_cleanup", &curl.easy_cleanup },
        { "curl_easy_reset", &curl.easy_reset },
        { "curl_easy_setopt", &curl.easy_setopt },
        { "curl_easy_perform", &curl.easy_perform },
        { "curl_easy_getinfo", &curl.easy_getinfo },
        { "curl_easy_strerror", &curl.easy_strerror },
        { "curl_slist_append", &curl.slist_append },
        { "curl_slist_free_all", &curl.slist_free_all },
    };
    wcr_posix_dynlib_open(&curl_lib, sonames, syms, sizeof syms / sizeof syms[0]);
    if (!curl_lib.error[0])
        init_rc = curl.global_init(CURL_GLOBAL_DEFAULT);
}

static wcr_posix_dynlib curl_lib = { PTHREAD_ONCE_INIT, load_curl, "" };

wcr_os_http *wcr_os_http_new(wcr_err *err)
{
    if (wcr_posix_dynlib_load(&curl_lib) < 0) {
        wcr_err_set(err, WCR_E_OS, "HTTP: %s; install libcurl (Debian: libcurl4)", curl_lib.error);
        return NULL;
    }
    if (init_rc != CURLE_OK) {
        wcr_err_set(err, WCR_E_OS, "libcurl: %s", curl.easy_strerror(init_rc));
        return NULL;
    }
    wcr_os_http *h = calloc(1, sizeof *h);
    if (!h || !(h->easy = curl.easy_init())) {
        free(h);
        wcr_err_set(err, WCR_E_NOMEM, "HTTP: cannot create a libcurl handle");
        return NULL;
    }
    atomic_init(&h->cancelled, 0);
    return h;
}

void wcr_os_http_free(wcr_os_http *h)
{
    if (!h)
        return;
    curl.easy_cleanup(h->easy);
    free(h);
}

void wcr_os_http_cancel(wcr_os_http *h)
{
    if (h)
        atomic_store(&h->cancelled, 1);
}

void wcr_os_http_reset_cancel(wcr_os_http *h)
{
    if (h)
        atomic_store(&h->cancelled, 0);
}

static void clear_headers(transfer *t)
{
    for (size_t i = 0; i < t->nheaders; i++) {
        free((char *)t->headers[i].name);
        free((char *)t->headers[i].value);
    }
    t->nheaders = 0;
}

static int report(transfer *t)
{
    if (t->reported)
        return 0;
    t->reported = true;
    if (t->hd->on_response &&
        t->hd->on_response(t->hd->ud, t->status, t->headers, t->nheaders, &t->cb_err) < 0) {
        t->cb_failed = true;
        return -1;
    }
    return 0;
}

static size_t on_header(char *line, size_t size, size_t n, void *ud)
{
    transfer *t = ud;
    size_t len = size * n, keep = len;
    t->header_bytes += len;
    while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == '\n'))
        len--;
    if (t->reported)
        return keep; /* trailers after a chunked body: not part of the response */
    if (len >= 5 && strncmp(line, "HTTP/", 5) == 0) {
        /* A status line starts a response (an interim 1xx one is skipped). */
        const char *sp = memchr(line, ' ', len);
        t->status = sp ? atoi(sp + 1) : 0;
        t->interim = t->status >= 100 && t->status < 200;
        clear_headers(t);
        return keep;
    }
    if (len == 0) {
        if (!t->interim && report(t) < 0)
            return 0; /* aborts the transfer */
        return keep;
    }
    const char *colon = memchr(line, ':', len);
    if (!colon || t->interim || t->nheaders == MAX_RESPONSE_HEADERS)
        return keep;
    const char *v = colon + 1;
    while (v < line + len && (*v == ' ' || *v == '\t'))
        v++;
    char *name = wcr_strndup(line, (size_t)(colon - line));
    char *value = wcr_strndup(v, (size_t)(line + len - v));
    if (!name || !value) {
        free(name);
        free(value);
        wcr_err_set(&t->cb_err, WCR_E_NOMEM, "HTTP: out of memory for the response headers");
        t->cb_failed = true;
        return 0;
    }
    t->headers[t->nheaders++] = (wcr_http_header){ name, value };
    return keep;
}

static size_t on_write(char *data, size_t size, size_t n, void *ud)
{
    transfer *t = ud;
    size_t len = size * n;
    if (report(t) < 0)
        return 0;
    if (t->hd->on_body && len && t->hd->on_body(t->hd->ud, data, len, &t->cb_err) < 0) {
        t->cb_failed = true;
        return 0;
    }
    return len;
}

static int on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    (void)dltotal, (void)ultotal;
    transfer *t = ud;
    if (atomic_load(&t->h->cancelled))
        return 1;
    uint64_t now = wcr_os_monotonic_ns();
    curl_off_t moved = dlnow + ulnow + (curl_off_t)t->header_bytes, connected = 0;
    /* Until the connection is made the connect timeout is the one that counts. */
    if (curl.easy_getinfo(t->h->easy, CURLINFO_PRETRANSFER_TIME_T, &connected) != CURLE_OK || connected == 0 ||
        moved != t->last_seen) {
        t->last_seen = moved;
        t->last_move_ns = now;
        return 0;
    }
    if (now - t->last_move_ns > t->stall_ns) {
        t->stalled = true;
        return 1;
    }
    return 0;
}

static wcr_err_code code_of(CURLcode rc)
{
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR: /* e.g. https to a plain-http port */
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
        return WCR_E_UNAVAILABLE;
    case CURLE_OPERATION_TIMEDOUT:
        return WCR_E_TIMEOUT;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL: /* a scheme other than http and https */
        return WCR_E_INVALID;
    case CURLE_OUT_OF_MEMORY:
        return WCR_E_NOMEM;
    default:
        return WCR_E_IO; /* partial file, reset, nothing received: worth a retry */
    }
}

int wcr_os_http_request(wcr_os_http *h, const wcr_http_request *req, const wcr_http_handler *hd,
                        wcr_err *err)
{
    if (!req->method || !req->url)
        return wcr_err_set(err, WCR_E_INVALID, "HTTP: a request needs a method and a URL");
    if (atomic_load(&h->cancelled))
        return wcr_err_set(err, WCR_E_CANCELLED, "%s %s: cancelled", req->method, req->url);
    CURL *e = h->easy;
    transfer t = { .h = h, .hd = hd };
    char errbuf[CURL_ERROR_SIZE] = "";
    struct curl_slist *list = NULL;
    int rc = 0;
    for (size_t i = 0; i < req->nheaders && rc == 0; i++) {
        char *line = wcr_asprintf("%s: %s", req->headers[i].name, req->headers[i].value);
        struct curl_slist *grown = line ? curl.slist_append(list, line) : NULL;
        if (line) {
            memset(line, 0, strlen(line)); /* it may be an Authorization header */
            free(line);
        }
        if (!grown)
            rc = wcr_err_set(err, WCR_E_NOMEM, "HTTP: out of memory");
        else
            list = grown;
    }
    if (rc < 0) {
        curl.slist_free_all(list);
        return -1;
    }
    unsigned connect_ms = req->connect_timeout_ms ? req->connect_timeout_ms : 30000;
    unsigned stall_ms = req->stall_timeout_ms ? req->stall_timeout_ms : 60000;
    t.stall_ns = (uint64_t)stall_ms * 1000000u;
    t.last_move_ns = wcr_os_monotonic_ns();
    curl.easy_reset(e);
    curl.easy_setopt(e, CURLOPT_URL, req->url);
    curl.easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl.easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl.easy_setopt(e, CURLOPT_BUFFERSIZE, 256L * 1024); /* fewer, larger reads of big blobs */
    curl.easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    /* A proxy's answer to CONNECT is not the response the caller asked for. */
    curl.easy_setopt(e, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
    curl.easy_setopt(e, CURLOPT_USERAGENT, "wcr/" WCR_VERSION);
    curl.easy_setopt(e, CURLOPT_HTTPHEADER, list);
    curl.easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)connect_ms);
    curl.easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl.easy_setopt(e, CURLOPT_LOW_SPEED_TIME, (long)((stall_ms + 999) / 1000));
    curl.easy_setopt(e, CURLOPT_ERRORBUFFER, errbuf);
    curl.easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl.easy_setopt(e, CURLOPT_HEADERDATA, &t);
    curl.easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
    curl.easy_setopt(e, CURLOPT_WRITEDATA, &t);
    curl.easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl.easy_setopt(e, CURLOPT_XFERINFODATA, &t);
    curl.easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
    if (strcmp(req->method, "HEAD") == 0) {
        curl.easy_setopt(e, CURLOPT_NOBODY, 1L);
    } else if (strcmp(req->method, "POST") == 0) {
        curl.easy_setopt(e, CURLOPT_POST, 1L);
        curl.easy_setopt(e, CURLOPT_POSTFIELDS, req->body ? req->body : "");
        curl.easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
    } else if (strcmp(req->method, "GET") != 0) {
        curl.easy_setopt(e, CURLOPT_CUSTOMREQUEST, req->method);
        if (req->body) { /* PUT, PATCH...: the body goes as for POST */
            curl.easy_setopt(e, CURLOPT_POSTFIELDS, req->body);
            curl.easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
        }
    }
    CURLcode cc = curl.easy_perform(e);
    if (cc == CURLE_OK && !t.reported)
        report(&t); /* a response without a body */
    if (t.cb_failed) {
        wcr_err_move(err, &t.cb_err);
        rc = -1;
    } else if (cc == CURLE_ABORTED_BY_CALLBACK && t.stalled) {
        rc = wcr_err_set(err, WCR_E_TIMEOUT, "%s %s: stalled: no data moved for %u ms", req->method, req->url, stall_ms);
    } else if (cc == CURLE_ABORTED_BY_CALLBACK || (cc != CURLE_OK && atomic_load(&h->cancelled))) {
        rc = wcr_err_set(err, WCR_E_CANCELLED, "%s %s: cancelled", req->method, req->url);
    } else if (cc != CURLE_OK) {
        rc = wcr_err_set_cause(err, code_of(cc), WCR_CAUSE_NONE, cc, errbuf[0] ? errbuf : curl.easy_strerror(cc),
                               "%s %s", req->method, req->url);
    }
    wcr_err_dispose(&t.cb_err);
    clear_headers(&t);
    curl.easy_setopt(e, CURLOPT_HTTPHEADER, NULL);
    curl.slist_free_all(list);
    return rc;
}
