/* libwcr: the one error type.
 *
 * A function that can fail takes `wcr_err *err` as its last argument and
 * returns -1 (or NULL for constructors) after filling it. Callers add
 * context on the way up with wcr_err_wrap(), so the final message reads like
 * a path: "pull busybox: resolve: registry returned 401: ...". The original
 * cause (errno, Win32 error, HRESULT, gRPC or HTTP status with the remote's
 * own message) is kept beside the message.
 *
 * A wcr_err lives on the caller's stack: `wcr_err err = WCR_ERR_INIT;`, and
 * is released with wcr_err_dispose(). Every function accepts err == NULL
 * (the error is then dropped). Not thread-safe: one wcr_err per thread.
 */
#ifndef WCR_ERR_H
#define WCR_ERR_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "wcr/common.h"

typedef enum wcr_err_code {
    WCR_E_OK = 0,
    WCR_E_INVALID,     /* bad input: a reference, a flag value, a file */
    WCR_E_USAGE,       /* the command line itself is wrong */
    WCR_E_NOMEM,
    WCR_E_IO,          /* reading or writing a file, socket, pipe */
    WCR_E_OS,          /* any other OS call */
    WCR_E_PARSE,       /* malformed document (JSON, protobuf, manifest) */
    WCR_E_PROTO,       /* a peer broke its protocol */
    WCR_E_LIMIT,       /* a size or depth cap was hit */
    WCR_E_NOT_FOUND,
    WCR_E_EXISTS,
    WCR_E_REMOTE,      /* the peer reported a failure (see the cause) */
    WCR_E_UNAVAILABLE, /* cannot reach the peer */
    WCR_E_TIMEOUT,
    WCR_E_CANCELLED,   /* interrupted (Ctrl+C) */
    WCR_E_UNSUPPORTED,
    WCR_E_DIGEST,      /* content does not match its digest */
    WCR_E_PLATFORM,    /* no image for this platform */
    WCR_E_AUTH,
    WCR_E_PERMISSION,
    WCR_E_INTERNAL,
    WCR_E_EXEC_NOT_FOUND, /* the container's command does not exist */
    WCR_E_EXEC_DENIED,    /* ... or cannot be executed */
    WCR_E__COUNT
} wcr_err_code;

/* Where the original cause came from; cause_code's meaning follows it. */
typedef enum wcr_cause_kind {
    WCR_CAUSE_NONE = 0,
    WCR_CAUSE_ERRNO,   /* cause_code: errno */
    WCR_CAUSE_WIN32,   /* cause_code: GetLastError() */
    WCR_CAUSE_HRESULT, /* cause_code: HRESULT (as unsigned 32 bits) */
    WCR_CAUSE_GRPC,    /* cause_code: gRPC status code */
    WCR_CAUSE_HTTP,    /* cause_code: HTTP status */
    WCR_CAUSE_CNI      /* cause_code: CNI error code */
} wcr_cause_kind;

typedef struct wcr_err {
    wcr_err_code code;
    char *msg;            /* context chain and message; NULL when OK */
    wcr_cause_kind cause;
    int64_t cause_code;
    char *cause_msg;      /* the cause's own text, kept in full */
    char *hint;           /* what to do about it, or NULL */
} wcr_err;

#define WCR_ERR_INIT { WCR_E_OK, NULL, WCR_CAUSE_NONE, 0, NULL, NULL }

/* Replace whatever err holds with a new error. Always returns -1. */
WCR_API int wcr_err_set(wcr_err *err, wcr_err_code code, const char *fmt, ...)
    WCR_PRINTF(3, 4);
WCR_API int wcr_err_setv(wcr_err *err, wcr_err_code code, const char *fmt, va_list ap)
    WCR_PRINTF(3, 0);

/* Set an error with its original cause; cause_msg may be NULL. Returns -1. */
WCR_API int wcr_err_set_cause(wcr_err *err, wcr_err_code code, wcr_cause_kind kind,
                              int64_t cause_code, const char *cause_msg,
                              const char *fmt, ...) WCR_PRINTF(6, 7);

/* Set an error from errno's value `errnum`; the code follows the errno
 * (ENOENT gives WCR_E_NOT_FOUND, EACCES WCR_E_PERMISSION, ...). Returns -1. */
WCR_API int wcr_err_set_errno(wcr_err *err, int errnum, const char *fmt, ...)
    WCR_PRINTF(3, 4);

/* Add context in front of the message: "ctx: old message". Returns -1. */
WCR_API int wcr_err_wrap(wcr_err *err, const char *fmt, ...) WCR_PRINTF(2, 3);

/* Say what the user can do about the error ("is containerd running?");
 * replaces an earlier hint. Returns -1. */
WCR_API int wcr_err_hint(wcr_err *err, const char *fmt, ...) WCR_PRINTF(2, 3);

/* Copy src into dst (dst's old contents are released). */
WCR_API void wcr_err_copy(wcr_err *dst, const wcr_err *src);

/* Release what err holds and reset it to WCR_ERR_INIT. */
WCR_API void wcr_err_dispose(wcr_err *err);

/* Move src into dst (dst's old contents are released); src is reset. */
WCR_API void wcr_err_move(wcr_err *dst, wcr_err *src);

WCR_API bool wcr_err_is(const wcr_err *err, wcr_err_code code);

/* The message with its cause, one line: "context: message: cause text",
 * then the hint if there is one, in parentheses. With detail, the cause's
 * kind and code follow in brackets, e.g. "[errno 2]", "[HRESULT
 * 0x803B001B]", "[gRPC NotFound (5)]".
 * Returns a malloc'd string, or NULL when memory is exhausted. */
WCR_API char *wcr_err_format(const wcr_err *err, bool detail);

/* A stable lower-case name for a code ("not-found"). */
WCR_API const char *wcr_err_code_name(wcr_err_code code);

#endif
