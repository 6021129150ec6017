/* HTTP(S) through WinHTTP in asynchronous mode: a session per wcr_os_http
 * (WinHTTP pools connections within it), a request handle per request.
 * Redirects are switched off; TLS is verified against the system store.
 *
 * Asynchronous so that the calling thread only ever waits on events: each
 * step (send, response headers, data available, read) is started, then
 * awaited together with the cancel event and the stall timeout. A cancel
 * therefore ends the wait at once, and no other thread ever touches a
 * request handle. (Closing the handle from another thread, the way to
 * stop a synchronous call, does not wake a blocked receive under Wine.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/proxy.h"
#include "core/str.h"
#include "os/os.h"
#include "os/windows/win.h"
#include "wcr/common.h"

#include <winhttp.h>

#define READ_CHUNK 65536
#define MAX_RESPONSE_HEADERS 128

struct wcr_os_http {
    HINTERNET session;
    HANDLE cancel_event; /* manual-reset: set by a cancel until reset */
};

/* One request's asynchronous state, shared with WinHTTP's callback. It
 * belongs to the request handle: the callback frees it when the handle
 * closes, the last notification WinHTTP sends for it, so a step still in
 * flight when the caller gives up (cancel, stall) completes into live
 * memory. */
typedef struct async_op {
    HANDLE done;   /* auto-reset: the step in flight completed or failed */
    DWORD error;   /* its WinHTTP error; 0 when it worked */
    DWORD bytes;   /* bytes available, or bytes read */
    unsigned char buf[READ_CHUNK];
} async_op;

static void CALLBACK on_status(HINTERNET handle, DWORD_PTR ctx, DWORD status, LPVOID info, DWORD len)
{
    (void)handle;
    async_op *op = (async_op *)ctx;
    if (!op)
        return; /* the session and connection handles carry no context */
    switch (status) {
    case WINHTTP_CALLBACK_STATUS_SENDREQUEST_COMPLETE:
    case WINHTTP_CALLBACK_STATUS_HEADERS_AVAILABLE:
        op->error = 0;
        SetEvent(op->done);
        break;
    case WINHTTP_CALLBACK_STATUS_DATA_AVAILABLE:
        op->error = 0;
        op->bytes = info && len >= sizeof(DWORD) ? *(DWORD *)info : 0;
        SetEvent(op->done);
        break;
    case WINHTTP_CALLBACK_STATUS_READ_COMPLETE:
        op->error = 0;
        op->bytes = len;
        SetEvent(op->done);
        break;
    case WINHTTP_CALLBACK_STATUS_REQUEST_ERROR:
        op->error = info ? ((WINHTTP_ASYNC_RESULT *)info)->dwError : ERROR_WINHTTP_INTERNAL_ERROR;
        if (!op->error)
            op->error = ERROR_WINHTTP_INTERNAL_ERROR;
        SetEvent(op->done);
        break;
    case WINHTTP_CALLBACK_STATUS_HANDLE_CLOSING:
        CloseHandle(op->done);
        free(op);
        break;
    default:
        break;
    }
}

/* HTTPS_PROXY, HTTP_PROXY and NO_PROXY (either case), as containerd and
 * curl honour them, win over the system's settings: the session gets a
 * named proxy. Nothing set: h->session stays NULL. */
static char *getenv_either(const char *upper, const char *lower)
{
    char *v = wcr_os_getenv(upper);
    if (!v || !v[0]) {
        free(v);
        v = wcr_os_getenv(lower);
    }
    return v;
}

static int open_with_env_proxy(wcr_os_http *h, wcr_err *err)
{
    char *http = getenv_either("HTTP_PROXY", "http_proxy");
    char *https = getenv_either("HTTPS_PROXY", "https_proxy");
    char *no = getenv_either("NO_PROXY", "no_proxy");
    wcr_buf proxy = WCR_BUF_INIT("proxy", 4096), bypass = WCR_BUF_INIT("proxy bypass", 65536);
    int rc = wcr_proxy_for_winhttp(http, https, no, &proxy, &bypass);
    if (rc < 0) {
        wcr_buf_check(&proxy, err);
        wcr_buf_check(&bypass, err);
    } else if (rc == 1) {
        wchar_t *wproxy = win_wide(wcr_buf_cstr(&proxy), err);
        wchar_t *wbypass = wproxy && bypass.len ? win_wide(wcr_buf_cstr(&bypass), err) : NULL;
        if (!wproxy || (bypass.len && !wbypass))
            rc = -1;
        else if (!(h->session = WinHttpOpen(L"wcr/" WCR_VERSION, WINHTTP_ACCESS_TYPE_NAMED_PROXY, wproxy,
                                            wbypass ? wbypass : WINHTTP_NO_PROXY_BYPASS, WINHTTP_FLAG_ASYNC)))
            rc = win_set_error(err, GetLastError(), "WinHttpOpen with the proxy %s", wcr_buf_cstr(&proxy));
        free(wproxy);
        free(wbypass);
    }
    wcr_buf_dispose(&proxy);
    wcr_buf_dispose(&bypass);
    free(http);
    free(https);
    free(no);
    return rc < 0 ? -1 : 0;
}

wcr_os_http *wcr_os_http_new(wcr_err *err)
{
    wcr_os_http *h = calloc(1, sizeof *h);
    if (!h) {
        wcr_err_set(err, WCR_E_NOMEM, "HTTP: out of memory");
        return NULL;
    }
    if (!(h->cancel_event = CreateEventW(NULL, TRUE, FALSE, NULL))) {
        win_set_error(err, GetLastError(), "HTTP: CreateEvent");
        free(h);
        return NULL;
    }
    if (open_with_env_proxy(h, err) < 0) {
        wcr_os_http_free(h);
        return NULL;
    }
    if (!h->session)
        h->session = WinHttpOpen(L"wcr/" WCR_VERSION, WINHTTP_ACCESS_TYPE_AUTOMATIC_PROXY,
                                 WINHTTP_NO_PROXY_NAME, WINHTTP_NO_PROXY_BYPASS, WINHTTP_FLAG_ASYNC);
    if (!h->session) /* before Windows 8.1: no automatic proxy */
        h->session = WinHttpOpen(L"wcr/" WCR_VERSION, WINHTTP_ACCESS_TYPE_DEFAULT_PROXY,
                                 WINHTTP_NO_PROXY_NAME, WINHTTP_NO_PROXY_BYPASS, WINHTTP_FLAG_ASYNC);
    if (!h->session) {
        win_set_error(err, GetLastError(), "WinHttpOpen");
        wcr_os_http_free(h);
        return NULL;
    }
    /* Connection and request handles inherit the callback. */
    if (WinHttpSetStatusCallback(h->session, on_status,
                                 WINHTTP_CALLBACK_FLAG_ALL_COMPLETIONS | WINHTTP_CALLBACK_FLAG_HANDLES,
                                 0) == WINHTTP_INVALID_STATUS_CALLBACK) {
        win_set_error(err, GetLastError(), "WinHttpSetStatusCallback");
        wcr_os_http_free(h);
        return NULL;
    }
    return h;
}

void wcr_os_http_free(wcr_os_http *h)
{
    if (!h)
        return;
    if (h->session)
        WinHttpCloseHandle(h->session);
    if (h->cancel_event)
        CloseHandle(h->cancel_event);
    free(h);
}

void wcr_os_http_cancel(wcr_os_http *h)
{
    if (h)
        SetEvent(h->cancel_event);
}

void wcr_os_http_reset_cancel(wcr_os_http *h)
{
    if (h)
        ResetEvent(h->cancel_event);
}

static bool is_cancelled(wcr_os_http *h)
{
    return WaitForSingleObject(h->cancel_event, 0) == WAIT_OBJECT_0;
}

static wcr_err_code code_of(DWORD e)
{
    switch (e) {
    case ERROR_WINHTTP_CANNOT_CONNECT:
    case ERROR_WINHTTP_NAME_NOT_RESOLVED:
    case ERROR_WINHTTP_SECURE_FAILURE:
    case ERROR_WINHTTP_SECURE_CHANNEL_ERROR:
    case ERROR_WINHTTP_SECURE_INVALID_CERT:
    case ERROR_WINHTTP_SECURE_CERT_CN_INVALID:
    case ERROR_WINHTTP_SECURE_CERT_DATE_INVALID:
    case ERROR_WINHTTP_SECURE_INVALID_CA:
    case ERROR_WINHTTP_SECURE_CERT_REV_FAILED:
    case ERROR_WINHTTP_SECURE_CERT_REVOKED:
    case WSAECONNREFUSED:
    case WSAEHOSTUNREACH:
    case WSAENETUNREACH:
        return WCR_E_UNAVAILABLE;
    case ERROR_WINHTTP_TIMEOUT:
    case WSAETIMEDOUT: /* what Wine's WinHTTP reports for its own timeouts */
        return WCR_E_TIMEOUT;
    case ERROR_WINHTTP_INVALID_URL:
    case ERROR_WINHTTP_UNRECOGNIZED_SCHEME:
        return WCR_E_INVALID;
    case ERROR_WINHTTP_OPERATION_CANCELLED:
        return WCR_E_CANCELLED;
    case ERROR_NOT_ENOUGH_MEMORY:
        return WCR_E_NOMEM;
    default:
        return WCR_E_IO;
    }
}

/* Our words for the common errors, for when winhttp.dll has no message
 * table (Wine's has none). */
static const char *fallback_text(DWORD e)
{
    switch (e) {
    case ERROR_WINHTTP_TIMEOUT:
        return "the operation timed out";
    case ERROR_WINHTTP_NAME_NOT_RESOLVED:
        return "the server name could not be resolved";
    case ERROR_WINHTTP_CANNOT_CONNECT:
        return "could not connect to the server";
    case ERROR_WINHTTP_CONNECTION_ERROR:
        return "the connection was reset or closed";
    case ERROR_WINHTTP_INVALID_SERVER_RESPONSE:
        return "the server's response was not HTTP";
    case ERROR_WINHTTP_SECURE_FAILURE:
    case ERROR_WINHTTP_SECURE_CHANNEL_ERROR:
        return "TLS failed (no TLS on that port, or the certificate is not trusted)";
    case ERROR_WINHTTP_OPERATION_CANCELLED:
        return "the operation was cancelled";
    case ERROR_WINHTTP_INVALID_URL:
        return "the URL is invalid";
    case ERROR_WINHTTP_UNRECOGNIZED_SCHEME:
        return "the URL's scheme is not http or https";
    case WSAETIMEDOUT:
        return "the connection timed out";
    case WSAECONNRESET:
        return "the connection was reset by the server";
    default:
        return NULL;
    }
}

/* WinHTTP's messages live in winhttp.dll, not in the system table. */
static int http_error(wcr_err *err, DWORD e, const char *method, const char *url)
{
    wchar_t *text = NULL;
    DWORD n = FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_HMODULE |
                                 FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
                             GetModuleHandleW(L"winhttp.dll"), e, 0, (LPWSTR)&text, 0, NULL);
    char *msg = NULL;
    if (n && text) {
        while (n > 0 && (text[n - 1] == L'\r' || text[n - 1] == L'\n' || text[n - 1] == L'.'))
            text[--n] = 0;
        msg = win_utf8(text, NULL);
    }
    if (text)
        LocalFree(text);
    if (!msg && fallback_text(e))
        msg = wcr_strdup(fallback_text(e));
    if (!msg)
        msg = wcr_asprintf("WinHTTP error %lu", (unsigned long)e);
    wcr_err_set_cause(err, code_of(e), WCR_CAUSE_WIN32, e, msg, "%s %s", method, url);
    free(msg);
    return -1;
}

/* "Name: value" lines after the status line, into headers (UTF-8). */
static size_t parse_headers(const wchar_t *raw, wcr_http_header *out, size_t cap)
{
    size_t n = 0;
    char *all = win_utf8(raw, NULL);
    if (!all)
        return 0;
    char *line = strstr(all, "\r\n"); /* skip the status line */
    while (line && n < cap) {
        line += 2;
        char *end = strstr(line, "\r\n");
        if (!end || end == line)
            break;
        *end = '\0';
        char *colon = strchr(line, ':');
        if (colon) {
            char *v = colon + 1;
            while (*v == ' ' || *v == '\t')
                v++;
            out[n].name = wcr_strndup(line, (size_t)(colon - line));
            out[n].value = wcr_strdup(v);
            if (out[n].name && out[n].value)
                n++;
            else {
                free((char *)out[n].name);
                free((char *)out[n].value);
            }
        }
        line = end;
    }
    free(all);
    return n;
}

static int cancelled_error(wcr_err *err, const wcr_http_request *req)
{
    return wcr_err_set(err, WCR_E_CANCELLED, "%s %s: cancelled", req->method, req->url);
}

/* The body length the headers promise, or -1 (none, or chunked). */
static int64_t promised_length(const wcr_http_header *headers, size_t n)
{
    int64_t len = -1;
    for (size_t i = 0; i < n; i++) {
        if (wcr_str_caseeq(headers[i].name, "Transfer-Encoding"))
            return -1;
        if (wcr_str_caseeq(headers[i].name, "Content-Length") &&
            wcr_str_to_int64(headers[i].value, 0, INT64_MAX, &len) < 0)
            len = -1;
    }
    return len;
}

/* Wait for the step in flight: 0 when it worked; -1 with err set when it
 * failed, on a cancel, or when nothing happened for `ms`. */
static int await_step(wcr_os_http *h, async_op *op, DWORD ms, const wcr_http_request *req, wcr_err *err)
{
    HANDLE ev[2] = { op->done, h->cancel_event };
    DWORD w = WaitForMultipleObjects(2, ev, FALSE, ms);
    if (w == WAIT_OBJECT_0)
        return op->error ? http_error(err, op->error, req->method, req->url) : 0;
    if (w == WAIT_OBJECT_0 + 1)
        return cancelled_error(err, req);
    if (w == WAIT_TIMEOUT)
        return wcr_err_set(err, WCR_E_TIMEOUT, "%s %s: stalled: no data moved for %lu ms", req->method, req->url,
                           (unsigned long)ms);
    return win_set_error(err, GetLastError(), "%s %s: waiting for WinHTTP", req->method, req->url);
}

/* Start a step: ok is the WinHTTP call's result. Then await it. */
static int step(wcr_os_http *h, async_op *op, BOOL ok, DWORD ms, const wcr_http_request *req, wcr_err *err)
{
    if (!ok)
        return http_error(err, GetLastError(), req->method, req->url);
    return await_step(h, op, ms, req, err);
}

static wchar_t *request_headers(const wcr_http_request *req, wcr_err *err)
{
    wcr_buf b = WCR_BUF_INIT("request headers", 1 << 20);
    for (size_t i = 0; i < req->nheaders; i++)
        wcr_buf_printf(&b, "%s: %s\r\n", req->headers[i].name, req->headers[i].value);
    wchar_t *w = NULL;
    if (wcr_buf_check(&b, err) == 0)
        w = win_wide(wcr_buf_cstr(&b), err);
    if (b.data)
        memset(b.data, 0, b.len); /* it may hold an Authorization header */
    wcr_buf_dispose(&b);
    return w;
}

int wcr_os_http_request(wcr_os_http *h, const wcr_http_request *req, const wcr_http_handler *hd,
                        wcr_err *err)
{
    if (!req->method || !req->url)
        return wcr_err_set(err, WCR_E_INVALID, "HTTP: a request needs a method and a URL");
    if (is_cancelled(h))
        return cancelled_error(err, req);
    wchar_t *wurl = win_wide(req->url, err), *wmethod = wurl ? win_wide(req->method, err) : NULL;
    wchar_t *wheaders = wmethod ? request_headers(req, err) : NULL;
    if (!wheaders) {
        free(wurl);
        free(wmethod);
        return -1;
    }
    /* Null pointers with non-zero lengths: WinHttpCrackUrl points into wurl. */
    URL_COMPONENTS uc = { sizeof uc };
    uc.dwSchemeLength = uc.dwHostNameLength = uc.dwUrlPathLength = uc.dwExtraInfoLength = (DWORD)-1;
    HINTERNET conn = NULL, r = NULL;
    async_op *op = NULL;
    int rc = 0;
    wcr_http_header headers[MAX_RESPONSE_HEADERS];
    size_t nheaders = 0;
    wchar_t *host = NULL, *path = NULL;
    if (!WinHttpCrackUrl(wurl, 0, 0, &uc)) {
        rc = http_error(err, GetLastError(), req->method, req->url);
        goto out;
    }
    if ((uc.nScheme != INTERNET_SCHEME_HTTP && uc.nScheme != INTERNET_SCHEME_HTTPS) || !uc.dwHostNameLength) {
        rc = wcr_err_set(err, WCR_E_INVALID, "%s %s: not an http or https URL", req->method, req->url);
        goto out;
    }
    /* The path and the query ("extra info") follow each other in wurl. */
    size_t plen = uc.dwUrlPathLength + uc.dwExtraInfoLength;
    const wchar_t *pstart = uc.dwUrlPathLength ? uc.lpszUrlPath : uc.lpszExtraInfo;
    host = calloc(uc.dwHostNameLength + 1, sizeof *host);
    path = calloc(plen + 2, sizeof *path);
    if (!host || !path) {
        rc = wcr_err_set(err, WCR_E_NOMEM, "HTTP: out of memory");
        goto out;
    }
    memcpy(host, uc.lpszHostName, uc.dwHostNameLength * sizeof *host);
    if (!uc.dwUrlPathLength)
        path[0] = L'/'; /* "http://host" and "http://host?q" ask for the root */
    if (plen)
        memcpy(path + !uc.dwUrlPathLength, pstart, plen * sizeof *path);
    bool secure = uc.nScheme == INTERNET_SCHEME_HTTPS;
    conn = WinHttpConnect(h->session, host, uc.nPort, 0);
    if (conn)
        r = WinHttpOpenRequest(conn, wmethod, path, NULL, WINHTTP_NO_REFERER,
                               WINHTTP_DEFAULT_ACCEPT_TYPES, secure ? WINHTTP_FLAG_SECURE : 0);
    if (!r) {
        rc = http_error(err, GetLastError(), req->method, req->url);
        goto out;
    }
    op = calloc(1, sizeof *op);
    if (!op || !(op->done = CreateEventW(NULL, FALSE, FALSE, NULL))) {
        free(op);
        op = NULL;
        rc = wcr_err_set(err, WCR_E_NOMEM, "HTTP: out of memory");
        goto out;
    }
    DWORD_PTR ctx = (DWORD_PTR)op;
    if (!WinHttpSetOption(r, WINHTTP_OPTION_CONTEXT_VALUE, &ctx, sizeof ctx)) {
        rc = http_error(err, GetLastError(), req->method, req->url);
        CloseHandle(op->done);
        free(op);
        op = NULL;
        goto out;
    }
    /* From here op belongs to r: the callback frees it when r closes. */
    DWORD no_redirects = WINHTTP_DISABLE_REDIRECTS;
    WinHttpSetOption(r, WINHTTP_OPTION_DISABLE_FEATURE, &no_redirects, sizeof no_redirects);
    DWORD connect_ms = req->connect_timeout_ms ? req->connect_timeout_ms : 30000;
    DWORD stall_ms = req->stall_timeout_ms ? req->stall_timeout_ms : 60000;
    /* WinHTTP's own limits back ours up (await_step is the one that counts). */
    WinHttpSetTimeouts(r, (int)connect_ms, (int)connect_ms, (int)stall_ms, (int)stall_ms);
    /* As libcurl does: no body on GET or HEAD. */
    bool has_body = req->body && strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0;
    DWORD body_len = has_body ? (DWORD)req->body_len : 0;
    bool extra = wheaders[0] != 0;
    rc = step(h, op,
              WinHttpSendRequest(r, extra ? wheaders : WINHTTP_NO_ADDITIONAL_HEADERS, extra ? (DWORD)-1L : 0,
                                 has_body ? (void *)req->body : WINHTTP_NO_REQUEST_DATA, body_len, body_len, ctx),
              connect_ms + stall_ms, req, err);
    if (rc == 0)
        rc = step(h, op, WinHttpReceiveResponse(r, NULL), stall_ms, req, err);
    if (rc < 0)
        goto out;
    DWORD status = 0, size = sizeof status;
    WinHttpQueryHeaders(r, WINHTTP_QUERY_STATUS_CODE | WINHTTP_QUERY_FLAG_NUMBER, WINHTTP_HEADER_NAME_BY_INDEX,
                        &status, &size, WINHTTP_NO_HEADER_INDEX);
    DWORD raw_size = 0;
    WinHttpQueryHeaders(r, WINHTTP_QUERY_RAW_HEADERS_CRLF, WINHTTP_HEADER_NAME_BY_INDEX, NULL, &raw_size,
                        WINHTTP_NO_HEADER_INDEX);
    wchar_t *raw = raw_size ? malloc(raw_size + sizeof(wchar_t)) : NULL;
    if (raw && WinHttpQueryHeaders(r, WINHTTP_QUERY_RAW_HEADERS_CRLF, WINHTTP_HEADER_NAME_BY_INDEX, raw,
                                   &raw_size, WINHTTP_NO_HEADER_INDEX)) {
        raw[raw_size / sizeof(wchar_t)] = 0;
        nheaders = parse_headers(raw, headers, MAX_RESPONSE_HEADERS);
    }
    free(raw);
    if (hd->on_response && (rc = hd->on_response(hd->ud, (int)status, headers, nheaders, err)) < 0)
        goto out;
    if (strcmp(req->method, "HEAD") == 0)
        goto out;
    int64_t promised = promised_length(headers, nheaders);
    uint64_t received = 0;
    for (;;) {
        /* Ask what is there first: a read waits until its buffer is full. */
        if ((rc = step(h, op, WinHttpQueryDataAvailable(r, NULL), stall_ms, req, err)) < 0)
            break;
        if (op->bytes == 0) {
            /* WinHTTP may end quietly when the server closes early. */
            if (promised >= 0 && received < (uint64_t)promised)
                rc = wcr_err_set(err, WCR_E_IO, "%s %s: the connection closed after %llu of %lld bytes",
                                 req->method, req->url, (unsigned long long)received, (long long)promised);
            break;
        }
        DWORD want = op->bytes < READ_CHUNK ? op->bytes : READ_CHUNK;
        if ((rc = step(h, op, WinHttpReadData(r, op->buf, want, NULL), stall_ms, req, err)) < 0)
            break;
        if (op->bytes == 0)
            continue;
        received += op->bytes;
        if (hd->on_body && (rc = hd->on_body(hd->ud, op->buf, op->bytes, err)) < 0)
            break;
    }
out:
    for (size_t i = 0; i < nheaders; i++) {
        free((char *)headers[i].name);
        free((char *)headers[i].value);
    }
    if (r)
        WinHttpCloseHandle(r); /* a step still in flight ends; the callback frees op */
    if (conn)
        WinHttpCloseHandle(conn);
    memset(wheaders, 0, wcslen(wheaders) * sizeof(wchar_t));
    free(wheaders);
    free(host);
    free(path);
    free(wurl);
    free(wmethod);
    return rc;
}
