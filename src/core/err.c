/* The error type: a message with its context chain and the original cause. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wcr/err.h"
#include "core/str.h"

static const char *const code_names[WCR_E__COUNT] = {
    [WCR_E_OK] = "ok",
    [WCR_E_INVALID] = "invalid",
    [WCR_E_USAGE] = "usage",
    [WCR_E_NOMEM] = "no-memory",
    [WCR_E_IO] = "io",
    [WCR_E_OS] = "os",
    [WCR_E_PARSE] = "parse",
    [WCR_E_PROTO] = "protocol",
    [WCR_E_LIMIT] = "limit",
    [WCR_E_NOT_FOUND] = "not-found",
    [WCR_E_EXISTS] = "exists",
    [WCR_E_REMOTE] = "remote",
    [WCR_E_UNAVAILABLE] = "unavailable",
    [WCR_E_TIMEOUT] = "timeout",
    [WCR_E_CANCELLED] = "cancelled",
    [WCR_E_UNSUPPORTED] = "unsupported",
    [WCR_E_DIGEST] = "digest",
    [WCR_E_PLATFORM] = "platform",
    [WCR_E_AUTH] = "auth",
    [WCR_E_PERMISSION] = "permission",
    [WCR_E_INTERNAL] = "internal",
    [WCR_E_EXEC_NOT_FOUND] = "command-not-found",
    [WCR_E_EXEC_DENIED] = "command-not-executable",
};

/* gRPC status codes by number (grpc/doc/statuscodes.md). */
static const char *const grpc_names[] = {
    "OK", "Canceled", "Unknown", "InvalidArgument", "DeadlineExceeded",
    "NotFound", "AlreadyExists", "PermissionDenied", "ResourceExhausted",
    "FailedPrecondition", "Aborted", "OutOfRange", "Unimplemented",
    "Internal", "Unavailable", "DataLoss", "Unauthenticated",
};

/* Used when even the error message cannot be allocated. */
static const char oom_text[] = "out of memory";

const char *wcr_err_code_name(wcr_err_code code)
{
    if ((unsigned)code >= WCR_E__COUNT)
        return "unknown";
    return code_names[code];
}

/* The text of an error that has a code but no message. */
static const char *bare_text(const wcr_err *err)
{
    return err->code == WCR_E_NOMEM ? oom_text : wcr_err_code_name(err->code);
}

void wcr_err_dispose(wcr_err *err)
{
    if (!err)
        return;
    free(err->msg);
    free(err->cause_msg);
    free(err->hint);
    *err = (wcr_err)WCR_ERR_INIT;
}

void wcr_err_copy(wcr_err *dst, const wcr_err *src)
{
    if (!dst || dst == src)
        return;
    wcr_err_dispose(dst);
    if (!src)
        return;
    dst->code = src->code;
    dst->msg = wcr_strdup(src->msg);
    dst->cause = src->cause;
    dst->cause_code = src->cause_code;
    dst->cause_msg = wcr_strdup(src->cause_msg);
    dst->hint = wcr_strdup(src->hint);
    if (src->msg && !dst->msg)
        dst->code = WCR_E_NOMEM;
}

int wcr_err_hint(wcr_err *err, const char *fmt, ...)
{
    if (!err)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    char *hint = wcr_vasprintf(fmt, ap);
    va_end(ap);
    if (hint) {
        free(err->hint);
        err->hint = hint;
    }
    return -1;
}

void wcr_err_move(wcr_err *dst, wcr_err *src)
{
    if (dst == src)
        return; /* moving onto itself must not lose the error */
    if (!dst) {
        wcr_err_dispose(src);
        return;
    }
    wcr_err_dispose(dst);
    if (src) {
        *dst = *src;
        *src = (wcr_err)WCR_ERR_INIT;
    }
}

bool wcr_err_is(const wcr_err *err, wcr_err_code code)
{
    return err && err->code == code;
}

int wcr_err_setv(wcr_err *err, wcr_err_code code, const char *fmt, va_list ap)
{
    if (!err)
        return -1;
    char *msg = wcr_vasprintf(fmt, ap);
    wcr_err_dispose(err);
    err->code = msg ? code : WCR_E_NOMEM;
    err->msg = msg;
    return -1;
}

int wcr_err_set(wcr_err *err, wcr_err_code code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    wcr_err_setv(err, code, fmt, ap);
    va_end(ap);
    return -1;
}

int wcr_err_set_cause(wcr_err *err, wcr_err_code code, wcr_cause_kind kind,
                      int64_t cause_code, const char *cause_msg, const char *fmt, ...)
{
    if (!err)
        return -1;
    /* Copied first: cause_msg may be the err->cause_msg that setv frees. */
    char *cause_copy = cause_msg && cause_msg[0] ? wcr_strdup(cause_msg) : NULL;
    va_list ap;
    va_start(ap, fmt);
    wcr_err_setv(err, code, fmt, ap);
    va_end(ap);
    err->cause = kind;
    err->cause_code = cause_code;
    err->cause_msg = cause_copy;
    return -1;
}

static wcr_err_code code_from_errno(int errnum)
{
    switch (errnum) {
    case ENOENT: return WCR_E_NOT_FOUND;
    case EEXIST: return WCR_E_EXISTS;
    case ENOMEM: return WCR_E_NOMEM;
    case EACCES:
    case EPERM: return WCR_E_PERMISSION;
    case EINVAL: return WCR_E_INVALID;
    case ETIMEDOUT: return WCR_E_TIMEOUT;
    case ECONNREFUSED:
    case ECONNRESET:
    case EPIPE: return WCR_E_UNAVAILABLE;
    case EINTR: return WCR_E_CANCELLED;
    default: return WCR_E_IO;
    }
}

int wcr_err_set_errno(wcr_err *err, int errnum, const char *fmt, ...)
{
    if (!err)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    wcr_err_setv(err, code_from_errno(errnum), fmt, ap);
    va_end(ap);
    err->cause = WCR_CAUSE_ERRNO;
    err->cause_code = errnum;
    err->cause_msg = wcr_strdup(strerror(errnum));
    return -1;
}

int wcr_err_wrap(wcr_err *err, const char *fmt, ...)
{
    if (!err)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    char *ctx = wcr_vasprintf(fmt, ap);
    va_end(ap);
    if (!ctx)
        return -1; /* keep the inner message rather than lose it */
    /* An error whose message could not be allocated still says what it was. */
    const char *inner = err->msg ? err->msg : err->code != WCR_E_OK ? bare_text(err) : NULL;
    char *joined = inner ? wcr_asprintf("%s: %s", ctx, inner) : ctx;
    if (joined) {
        if (joined != ctx)
            free(ctx);
        free(err->msg);
        err->msg = joined;
    } else {
        free(ctx);
    }
    if (err->code == WCR_E_OK)
        err->code = WCR_E_INTERNAL;
    return -1;
}

static void append_detail(const wcr_err *err, char *out, size_t size)
{
    long long c = (long long)err->cause_code;
    switch (err->cause) {
    case WCR_CAUSE_ERRNO:
        snprintf(out, size, " [errno %lld]", c);
        break;
    case WCR_CAUSE_WIN32:
        snprintf(out, size, " [Win32 error %lld]", c);
        break;
    case WCR_CAUSE_HRESULT:
        snprintf(out, size, " [HRESULT 0x%08llX]", (unsigned long long)c & 0xffffffffULL);
        break;
    case WCR_CAUSE_GRPC:
        if (c >= 0 && c < (long long)(sizeof grpc_names / sizeof grpc_names[0]))
            snprintf(out, size, " [gRPC %s (%lld)]", grpc_names[c], c);
        else
            snprintf(out, size, " [gRPC status %lld]", c);
        break;
    case WCR_CAUSE_HTTP:
        snprintf(out, size, " [HTTP %lld]", c);
        break;
    case WCR_CAUSE_CNI:
        snprintf(out, size, " [CNI code %lld]", c);
        break;
    case WCR_CAUSE_NONE:
        out[0] = '\0';
        break;
    }
}

char *wcr_err_format(const wcr_err *err, bool detail)
{
    if (!err || err->code == WCR_E_OK)
        return wcr_strdup("no error");
    const char *msg = err->msg ? err->msg : bare_text(err);
    char extra[64] = "";
    if (detail) {
        append_detail(err, extra, sizeof extra);
        if (!extra[0] || err->cause == WCR_CAUSE_NONE)
            snprintf(extra, sizeof extra, " [%s]", wcr_err_code_name(err->code));
    }
    const char *cause_sep = err->cause_msg ? ": " : "", *cause = err->cause_msg ? err->cause_msg : "";
    const char *hint_open = err->hint ? " (" : "", *hint = err->hint ? err->hint : "",
               *hint_close = err->hint ? ")" : "";
    return wcr_asprintf("%s%s%s%s%s%s%s", msg, cause_sep, cause, hint_open, hint, hint_close, extra);
}
