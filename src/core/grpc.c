/* gRPC over HTTP/2: request headers, message framing, response reading. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/grpc.h"
#include "core/str.h"
#include "wcr/common.h"

wcr_err_code wcr_grpc_status_code(int status)
{
    switch (status) {
    case WCR_GRPC_OK: return WCR_E_OK;
    case WCR_GRPC_CANCELLED: return WCR_E_CANCELLED;
    case WCR_GRPC_INVALID_ARGUMENT: return WCR_E_INVALID;
    case WCR_GRPC_DEADLINE_EXCEEDED: return WCR_E_TIMEOUT;
    case WCR_GRPC_NOT_FOUND: return WCR_E_NOT_FOUND;
    case WCR_GRPC_ALREADY_EXISTS: return WCR_E_EXISTS;
    case WCR_GRPC_PERMISSION_DENIED: return WCR_E_PERMISSION;
    case WCR_GRPC_RESOURCE_EXHAUSTED: return WCR_E_LIMIT;
    case WCR_GRPC_UNIMPLEMENTED: return WCR_E_UNSUPPORTED;
    case WCR_GRPC_UNAVAILABLE: return WCR_E_UNAVAILABLE;
    case WCR_GRPC_UNAUTHENTICATED: return WCR_E_AUTH;
    default: return WCR_E_REMOTE;
    }
}

int wcr_grpc_status_error(wcr_err *err, int status, const char *message, const char *who)
{
    if (message && message[0])
        return wcr_err_set_cause(err, wcr_grpc_status_code(status), WCR_CAUSE_GRPC, status, message,
                                 "%s", who);
    static const char *const names[] = {
        "ok", "cancelled", "unknown error", "invalid argument", "deadline exceeded",
        "not found", "already exists", "permission denied", "resource exhausted",
        "failed precondition", "aborted", "out of range", "not implemented",
        "internal error", "unavailable", "data loss", "unauthenticated",
    };
    const char *text = status >= 0 && status < (int)(sizeof names / sizeof names[0])
                           ? names[status] : "unknown status";
    return wcr_err_set_cause(err, wcr_grpc_status_code(status), WCR_CAUSE_GRPC, status, text, "%s", who);
}

void wcr_grpc_timeout_text(uint64_t ns, char out[16])
{
    /* The finest unit whose count fits in 8 digits, rounding up so the
     * server never sees a shorter deadline than ours. */
    static const struct { char unit; uint64_t ns; } units[] = {
        { 'n', 1 }, { 'u', 1000 }, { 'm', 1000000 }, { 'S', 1000000000ULL },
        { 'M', 60000000000ULL }, { 'H', 3600000000000ULL },
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        uint64_t v = ns / units[i].ns + (ns % units[i].ns != 0);
        if (v <= 99999999u || i + 1 == sizeof units / sizeof units[0]) {
            if (v > 99999999u)
                v = 99999999u;
            snprintf(out, 16, "%llu%c", (unsigned long long)v, units[i].unit);
            return;
        }
    }
}

int wcr_grpc_request_headers(wcr_h2_header *out, size_t cap, const char *path,
                             const char *authority, uint64_t timeout_ns,
                             const wcr_grpc_metadata *md, size_t nmd,
                             wcr_grpc_header_storage *storage, wcr_err *err)
{
    static const char user_agent[] = "wcr/" WCR_VERSION " grpc-c";
    size_t n = 0;
    if (cap < 8 + nmd)
        return wcr_err_set(err, WCR_E_LIMIT, "gRPC: too many request headers");
    out[n++] = (wcr_h2_header){ ":method", "POST" };
    out[n++] = (wcr_h2_header){ ":scheme", "http" };
    out[n++] = (wcr_h2_header){ ":path", path };
    out[n++] = (wcr_h2_header){ ":authority", authority ? authority : "localhost" };
    out[n++] = (wcr_h2_header){ "content-type", "application/grpc" };
    out[n++] = (wcr_h2_header){ "te", "trailers" };
    out[n++] = (wcr_h2_header){ "user-agent", user_agent };
    if (timeout_ns) {
        wcr_grpc_timeout_text(timeout_ns, storage->timeout);
        out[n++] = (wcr_h2_header){ "grpc-timeout", storage->timeout };
    }
    for (size_t i = 0; i < nmd; i++)
        out[n++] = (wcr_h2_header){ md[i].name, md[i].value };
    return (int)n;
}

int wcr_grpc_frame(wcr_buf *out, const void *msg, size_t len, wcr_err *err)
{
    if (len > UINT32_MAX)
        return wcr_err_set(err, WCR_E_LIMIT, "gRPC: message of %zu bytes is too large", len);
    uint8_t prefix[5] = { 0, (uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8),
                          (uint8_t)len };
    wcr_buf_append(out, prefix, sizeof prefix);
    if (len)
        wcr_buf_append(out, msg, len);
    return wcr_buf_check(out, err);
}

void wcr_grpc_response_init(wcr_grpc_response *r, size_t max_message)
{
    memset(r, 0, sizeof *r);
    r->max_message = max_message ? max_message : WCR_GRPC_DEFAULT_MAX_MESSAGE;
    wcr_buf_init(&r->msg, "gRPC message", r->max_message);
}

void wcr_grpc_response_dispose(wcr_grpc_response *r)
{
    if (!r)
        return;
    free(r->message);
    r->message = NULL;
    wcr_buf_dispose(&r->msg);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* grpc-message is percent-encoded; a malformed escape is kept as is. */
static char *percent_decode(const char *s, size_t n)
{
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        int hi, lo;
        if (s[i] == '%' && i + 2 < n && (hi = hexval(s[i + 1])) >= 0 && (lo = hexval(s[i + 2])) >= 0) {
            out[o++] = (char)(hi << 4 | lo);
            i += 2;
        } else {
            out[o++] = s[i];
        }
    }
    out[o] = '\0';
    return out;
}

static bool name_is(const char *name, size_t len, const char *want)
{
    return strlen(want) == len && memcmp(name, want, len) == 0;
}

int wcr_grpc_response_header(wcr_grpc_response *r, const char *name, size_t name_len,
                             const char *value, size_t value_len, wcr_err *err)
{
    if (name_is(name, name_len, ":status")) {
        int64_t v;
        char text[8];
        if (value_len >= sizeof text)
            return wcr_err_set(err, WCR_E_PROTO, "gRPC: bad :status");
        memcpy(text, value, value_len);
        text[value_len] = '\0';
        if (wcr_str_to_int64(text, 100, 599, &v) < 0)
            return wcr_err_set(err, WCR_E_PROTO, "gRPC: bad :status \"%s\"", text);
        r->http_status = (int)v;
    } else if (name_is(name, name_len, "content-type")) {
        r->grpc_content = value_len >= 16 && memcmp(value, "application/grpc", 16) == 0 &&
                          (value_len == 16 || value[16] == '+' || value[16] == ';');
    } else if (name_is(name, name_len, "grpc-status")) {
        char text[8];
        int64_t v;
        if (value_len == 0 || value_len >= sizeof text)
            return wcr_err_set(err, WCR_E_PROTO, "gRPC: bad grpc-status");
        memcpy(text, value, value_len);
        text[value_len] = '\0';
        if (wcr_str_to_int64(text, 0, 1000, &v) < 0)
            return wcr_err_set(err, WCR_E_PROTO, "gRPC: bad grpc-status \"%s\"", text);
        r->status = (int)v;
        r->have_status = true;
    } else if (name_is(name, name_len, "grpc-message")) {
        free(r->message);
        r->message = percent_decode(value, value_len);
        if (!r->message)
            return wcr_err_set(err, WCR_E_NOMEM, "gRPC: out of memory");
    }
    return 0;
}

int wcr_grpc_response_headers_done(wcr_grpc_response *r, bool end_stream, wcr_err *err)
{
    if (end_stream)
        r->ended = true;
    if (r->headers_done)
        return 0; /* trailers */
    r->headers_done = true;
    if (r->http_status == 0)
        return wcr_err_set(err, WCR_E_PROTO, "gRPC: response without :status");
    if (r->http_status != 200) {
        /* Not a gRPC answer: a proxy or something else on the socket. */
        return wcr_err_set_cause(err, WCR_E_PROTO, WCR_CAUSE_HTTP, r->http_status, NULL,
                                 "gRPC: the server answered HTTP %d", r->http_status);
    }
    if (!r->grpc_content && !(end_stream && r->have_status))
        return wcr_err_set(err, WCR_E_PROTO, "gRPC: the response is not application/grpc");
    return 0;
}

int wcr_grpc_response_data(wcr_grpc_response *r, const uint8_t *data, size_t len,
                           wcr_grpc_message_fn fn, void *ud, wcr_err *err)
{
    size_t i = 0;
    while (i < len) {
        if (r->prefix_len < 5) {
            size_t n = 5 - r->prefix_len;
            if (n > len - i)
                n = len - i;
            memcpy(r->prefix + r->prefix_len, data + i, n);
            r->prefix_len += n;
            i += n;
            if (r->prefix_len < 5)
                break;
            if (r->prefix[0] & 1)
                return wcr_err_set(err, WCR_E_PROTO, "gRPC: compressed message, but no compression was agreed");
            if (r->prefix[0] != 0)
                return wcr_err_set(err, WCR_E_PROTO, "gRPC: bad message flags 0x%02x", r->prefix[0]);
            r->msg_len = (uint32_t)r->prefix[1] << 24 | (uint32_t)r->prefix[2] << 16 |
                         (uint32_t)r->prefix[3] << 8 | r->prefix[4];
            if (r->msg_len > r->max_message) {
                char size[32], cap[32];
                wcr_str_human_size(r->msg_len, size, sizeof size);
                wcr_str_human_size(r->max_message, cap, sizeof cap);
                return wcr_err_set(err, WCR_E_LIMIT, "gRPC: message of %s exceeds the limit of %s", size, cap);
            }
            wcr_buf_reset(&r->msg);
        }
        size_t n = r->msg_len - r->msg.len;
        if (n > len - i)
            n = len - i;
        if (n && wcr_buf_append(&r->msg, data + i, n) < 0)
            return wcr_buf_check(&r->msg, err);
        i += n;
        if (r->msg.len == r->msg_len) {
            r->prefix_len = 0;
            const uint8_t *m = r->msg.data ? (const uint8_t *)r->msg.data : (const uint8_t *)"";
            if (fn(ud, m, r->msg.len, err) < 0)
                return -1;
            wcr_buf_reset(&r->msg);
        }
    }
    return 0;
}

int wcr_grpc_response_finish(const wcr_grpc_response *r, const char *who, wcr_err *err)
{
    if (!r->ended)
        return wcr_err_set(err, WCR_E_PROTO, "%s: the call ended before its response did", who);
    if (r->prefix_len != 0)
        return wcr_err_set(err, WCR_E_PROTO, "%s: the response ended inside a message", who);
    if (!r->have_status)
        return wcr_err_set(err, WCR_E_PROTO, "%s: the response has no grpc-status", who);
    if (r->status != WCR_GRPC_OK)
        return wcr_grpc_status_error(err, r->status, r->message, who);
    return 0;
}
