/* HTTP(S) through WinHTTP, synchronous: a session per wcr_os_http (WinHTTP
 * pools connections within it), a request handle per request. Redirects
 * are switched off; TLS is verified against the system store. A cancel
 * from another thread closes the request handle, which is how WinHTTP
 * aborts a synchronous call. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "os/os.h"
#include "os/windows/win.h"
#include "wcr/common.h"

#include <winhttp.h>

#define READ_CHUNK 65536
#define MAX_RESPONSE_HEADERS 128

struct wcr_os_http {
    HINTERNET session;
    SRWLOCK lock;        /* guards request and cancelled */
    HINTERNET request;   /* the request in progress, for a cancel */
    bool cancelled;
};

wcr_os_http *wcr_os_http_new(wcr_err *err)
{
    wcr_os_http *h = calloc(1, sizeof *h);
    if (!h) {
        wcr_err_set(err, WCR_E_NOMEM, "HTTP: out of memory");
        return NULL;
    }
    InitializeSRWLock(&h->lock);
    h->session = WinHttpOpen(L"wcr/" WCR_VERSION, WINHTTP_ACCESS_TYPE_AUTOMATIC_PROXY,
                             WINHTTP_NO_PROXY_NAME, WINHTTP_NO_PROXY_BYPASS, 0);
    if (!h->session) /* before Windows 8.1: no automatic proxy */
        h->session = WinHttpOpen(L"wcr/" WCR_VERSION, WINHTTP_ACCESS_TYPE_DEFAULT_PROXY,
                                 WINHTTP_NO_PROXY_NAME, WINHTTP_NO_PROXY_BYPASS, 0);
    if (!h->session) {
        win_set_error(err, GetLastError(), "WinHttpOpen");
        free(h);
        return NULL;
    }
    return h;
}

void wcr_os_http_free(wcr_os_http *h)
{
    if (!h)
        return;
    WinHttpCloseHandle(h->session);
    free(h);
}

void wcr_os_http_cancel(wcr_os_http *h)
{
    if (!h)
        return;
    AcquireSRWLockExclusive(&h->lock);
    h->cancelled = true;
    if (h->request) {
        WinHttpCloseHandle(h->request);
        h->request = NULL;
    }
    ReleaseSRWLockExclusive(&h->lock);
}

void wcr_os_http_reset_cancel(wcr_os_http *h)
{
    if (!h)
        return;
    AcquireSRWLockExclusive(&h->lock);
    h->cancelled = false;
    ReleaseSRWLockExclusive(&h->lock);
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
        return WCR_E_UNAVAILABLE;
    case ERROR_WINHTTP_TIMEOUT:
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

/* Give the handle back: close it unless a cancel already did. */
static void release_request(wcr_os_http *h, HINTERNET req)
{
    AcquireSRWLockExclusive(&h->lock);
    if (h->request == req) {
        WinHttpCloseHandle(req);
        h->request = NULL;
    }
    ReleaseSRWLockExclusive(&h->lock);
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
    wchar_t *wurl = win_wide(req->url, err), *wmethod = wurl ? win_wide(req->method, err) : NULL;
    wchar_t *wheaders = wmethod ? request_headers(req, err) : NULL;
    if (!wheaders) {
        free(wurl);
        free(wmethod);
        return -1;
    }
    URL_COMPONENTS uc = { sizeof uc };
    wchar_t host[256], path[8192];
    uc.lpszHostName = host;
    uc.dwHostNameLength = sizeof host / sizeof host[0];
    uc.lpszUrlPath = path;
    uc.dwUrlPathLength = sizeof path / sizeof path[0];
    uc.dwSchemeLength = 1;
    uc.dwExtraInfoLength = 1;
    HINTERNET conn = NULL, r = NULL;
    int rc = 0;
    wcr_http_header headers[MAX_RESPONSE_HEADERS];
    size_t nheaders = 0;
    unsigned char *buf = NULL;
    if (!WinHttpCrackUrl(wurl, 0, 0, &uc)) {
        rc = http_error(err, GetLastError(), req->method, req->url);
        goto out;
    }
    /* The path and the query ("extra info") follow each other in wurl. */
    size_t plen = uc.dwUrlPathLength + uc.dwExtraInfoLength;
    if (plen >= sizeof path / sizeof path[0]) {
        rc = wcr_err_set(err, WCR_E_INVALID, "%s %s: the URL is too long", req->method, req->url);
        goto out;
    }
    if (uc.dwExtraInfoLength)
        memcpy(path + uc.dwUrlPathLength, uc.lpszExtraInfo, uc.dwExtraInfoLength * sizeof(wchar_t));
    path[plen] = 0;
    if (!uc.dwUrlPathLength && !uc.dwExtraInfoLength)
        wcscpy(path, L"/");
    bool secure = uc.nScheme == INTERNET_SCHEME_HTTPS;
    conn = WinHttpConnect(h->session, host, uc.nPort, 0);
    if (conn)
        r = WinHttpOpenRequest(conn, wmethod, path, NULL, WINHTTP_NO_REFERER,
                               WINHTTP_DEFAULT_ACCEPT_TYPES, secure ? WINHTTP_FLAG_SECURE : 0);
    if (!r) {
        rc = http_error(err, GetLastError(), req->method, req->url);
        goto out;
    }
    DWORD no_redirects = WINHTTP_DISABLE_REDIRECTS;
    WinHttpSetOption(r, WINHTTP_OPTION_DISABLE_FEATURE, &no_redirects, sizeof no_redirects);
    int connect_ms = req->connect_timeout_ms ? (int)req->connect_timeout_ms : 30000;
    int stall_ms = req->stall_timeout_ms ? (int)req->stall_timeout_ms : 60000;
    WinHttpSetTimeouts(r, connect_ms, connect_ms, stall_ms, stall_ms);
    AcquireSRWLockExclusive(&h->lock);
    bool cancelled = h->cancelled;
    if (!cancelled)
        h->request = r;
    ReleaseSRWLockExclusive(&h->lock);
    if (cancelled) {
        WinHttpCloseHandle(r);
        r = NULL;
        rc = wcr_err_set(err, WCR_E_CANCELLED, "%s %s: cancelled", req->method, req->url);
        goto out;
    }
    DWORD body_len = (DWORD)req->body_len;
    if (!WinHttpSendRequest(r, wheaders, (DWORD)-1L, (void *)req->body, body_len, body_len, 0) ||
        !WinHttpReceiveResponse(r, NULL)) {
        rc = http_error(err, GetLastError(), req->method, req->url);
        goto out;
    }
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
    buf = malloc(READ_CHUNK);
    if (!buf) {
        rc = wcr_err_set(err, WCR_E_NOMEM, "HTTP: out of memory");
        goto out;
    }
    for (;;) {
        DWORD got = 0;
        if (!WinHttpReadData(r, buf, READ_CHUNK, &got)) {
            rc = http_error(err, GetLastError(), req->method, req->url);
            break;
        }
        if (got == 0)
            break;
        if (hd->on_body && (rc = hd->on_body(hd->ud, buf, got, err)) < 0)
            break;
    }
out:
    if (rc < 0 && err && err->code != WCR_E_CANCELLED) {
        AcquireSRWLockShared(&h->lock);
        bool was_cancelled = h->cancelled;
        ReleaseSRWLockShared(&h->lock);
        if (was_cancelled)
            wcr_err_set(err, WCR_E_CANCELLED, "%s %s: cancelled", req->method, req->url);
    }
    for (size_t i = 0; i < nheaders; i++) {
        free((char *)headers[i].name);
        free((char *)headers[i].value);
    }
    free(buf);
    if (r)
        release_request(h, r);
    if (conn)
        WinHttpCloseHandle(conn);
    memset(wheaders, 0, wcslen(wheaders) * sizeof(wchar_t));
    free(wheaders);
    free(wurl);
    free(wmethod);
    return rc;
}
